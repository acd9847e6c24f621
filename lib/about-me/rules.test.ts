import { describe, expect, it } from 'vitest';
import { CONDITION_HELP, LISTED_CONDITIONS } from './conditions-list';
import {
  alreadyHeld,
  communicationNeedsValues,
  describeCommunicationNeeds,
  DESCRIPTION_MAX,
  TITLE_MAX,
  validateCommunicationNeeds,
  validateCondition,
  validateTopThree,
} from './rules';

const messages = (result: { ok: boolean; errors?: { summary: { text: string; href: string }[] } }) =>
  result.ok ? [] : result.errors!.summary.map((e) => `${e.href} ${e.text}`);

describe('top three things', () => {
  it('needs at least the first thing, with a title and a description', () => {
    expect(messages(validateTopThree({}))).toEqual([
      '#title1 Enter a short title for the first thing',
      '#description1 Enter what you want people to know about the first thing',
    ]);
    expect(messages(validateTopThree({ title1: '   ', description1: '\n' }))).toHaveLength(2);
  });

  it('keeps one to three things in order, skipping empty ones', () => {
    const result = validateTopThree({
      title1: ' I care for my mum ',
      description1: 'She has dementia.\r\nCall my brother.',
      title3: 'Hearing',
      description3: 'Please face me',
    });
    expect(result).toEqual({
      ok: true,
      data: [
        { title: 'I care for my mum', description: 'She has dementia.\nCall my brother.' },
        { title: 'Hearing', description: 'Please face me' },
      ],
    });
  });

  it('asks for the missing half of a later thing', () => {
    expect(messages(validateTopThree({ title1: 'a', description1: 'b', description2: 'only a description' }))).toEqual([
      '#title2 Enter a short title for the second thing, or remove what you wrote about it',
    ]);
    expect(messages(validateTopThree({ title1: 'a', description1: 'b', title3: 'only a title' }))).toEqual([
      '#description3 Enter what you want people to know about the third thing',
    ]);
  });

  it('refuses text over the limits, counting characters not bytes', () => {
    expect(validateTopThree({ title1: 'é'.repeat(TITLE_MAX), description1: '😀'.repeat(DESCRIPTION_MAX / 2) }).ok).toBe(true);
    expect(messages(validateTopThree({ title1: 'a'.repeat(TITLE_MAX + 1), description1: 'b'.repeat(DESCRIPTION_MAX + 1) }))).toEqual([
      `#title1 The title of the first thing must be ${TITLE_MAX} characters or less`,
      `#description1 What you want to say about the first thing must be ${DESCRIPTION_MAX} characters or less`,
    ]);
  });

  it('never reads a fourth thing, and refuses a field sent twice', () => {
    const result = validateTopThree({ title1: 'a', description1: 'b', title4: 'd', description4: 'e' });
    expect(result.ok && result.data).toHaveLength(1);
    expect(validateTopThree({ title1: ['a', 'b'], description1: 'c' }).ok).toBe(false);
  });

  it('keeps script and HTML as text', () => {
    const result = validateTopThree({ title1: '<script>alert(1)</script>', description1: '<b>bold</b> & "quoted"' });
    expect(result.ok && result.data[0]).toEqual({ title: '<script>alert(1)</script>', description: '<b>bold</b> & "quoted"' });
  });
});

describe('long-term conditions', () => {
  it('has a curated list with unique SNOMED CT concept ids, and help only for listed ones', () => {
    expect(LISTED_CONDITIONS.length).toBeGreaterThanOrEqual(20);
    const codes = LISTED_CONDITIONS.map((condition) => condition.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) expect(code).toMatch(/^[1-9][0-9]{5,17}$/);
    for (const code of Object.keys(CONDITION_HELP)) expect(codes).toContain(code);
    for (const help of Object.values(CONDITION_HELP)) expect(help.nhsPage.href).toMatch(/^https:\/\/www\.nhs\.uk\/conditions\//);
  });

  it('takes a condition from the list by its code', () => {
    expect(validateCondition({ condition: '195967001', otherCondition: '' }, [])).toEqual({ ok: true, data: { code: '195967001', name: 'Asthma' } });
  });

  it('takes their own words, and recognises a listed condition typed in', () => {
    expect(validateCondition({ condition: '', otherCondition: ' Long COVID ' }, [])).toEqual({ ok: true, data: { code: null, name: 'Long COVID' } });
    expect(validateCondition({ otherCondition: 'asthma' }, [])).toEqual({ ok: true, data: { code: '195967001', name: 'Asthma' } });
  });

  it('refuses nothing, both, a code not on the list, too long, or a field sent twice', () => {
    expect(messages(validateCondition({ condition: '' }, []))).toEqual(['#condition Select your condition from the list, or type it in if it is not listed']);
    expect(messages(validateCondition({ condition: '195967001', otherCondition: 'Gout' }, []))).toEqual([
      '#condition Select a condition from the list, or type it in if it is not listed, not both',
    ]);
    expect(messages(validateCondition({ condition: '12345' }, []))).toEqual(['#condition Select a condition from the list']);
    expect(messages(validateCondition({ otherCondition: 'x'.repeat(101) }, []))).toEqual(['#otherCondition Your condition must be 100 characters or less']);
    expect(validateCondition({ condition: ['195967001', '44054006'] }, []).ok).toBe(false);
  });

  it('refuses a condition they already have, by code or by the same words', () => {
    const held = [
      { code: '195967001', name: 'Asthma' },
      { code: null, name: 'Long COVID' },
    ];
    expect(messages(validateCondition({ condition: '195967001' }, held))).toEqual(['#condition You have already added Asthma']);
    expect(messages(validateCondition({ otherCondition: 'long covid' }, held))).toEqual(['#otherCondition You have already added long covid']);
    expect(alreadyHeld({ code: '44054006', name: 'Type 2 diabetes' }, held)).toBe(false);
  });
});

describe('communication needs', () => {
  it('needs an answer, and "none" cannot go with a need', () => {
    expect(messages(validateCommunicationNeeds({}))).toEqual(['#formats Select what you need, or select that you do not need any of these']);
    expect(messages(validateCommunicationNeeds({ formats: ['none', 'braille'] }))).toEqual([
      '#formats Select what you need, or "I do not need any of these", not both',
    ]);
    expect(messages(validateCommunicationNeeds({ formats: 'teleport' }))).toHaveLength(1);
    expect(validateCommunicationNeeds({ formats: 'none' })).toEqual({
      ok: true,
      data: { formats: [], interpreterLanguage: null, carerName: null, carerContact: null, otherNeeds: null },
    });
  });

  it('asks for the details of the choices that need them, and drops details of unticked ones', () => {
    expect(messages(validateCommunicationNeeds({ formats: ['spoken-language-interpreter', 'contact-carer'] }))).toEqual([
      '#interpreterLanguage Enter the language you need an interpreter for',
      '#carerName Enter the name of the person to contact',
      '#carerContact Enter a phone number or email address for the person to contact',
    ]);
    const result = validateCommunicationNeeds({
      formats: ['large-print', 'braille'],
      interpreterLanguage: 'Polish',
      carerName: 'x'.repeat(500),
      otherNeeds: 'Please speak slowly',
    });
    expect(result).toEqual({
      ok: true,
      data: { formats: ['large-print', 'braille'], interpreterLanguage: null, carerName: null, carerContact: null, otherNeeds: 'Please speak slowly' },
    });
  });

  it('refuses details over the limits', () => {
    expect(
      messages(validateCommunicationNeeds({ formats: 'spoken-language-interpreter', interpreterLanguage: 'x'.repeat(61), otherNeeds: 'y'.repeat(501) })),
    ).toEqual(['#interpreterLanguage The language must be 60 characters or less', '#otherNeeds Anything else you need must be 500 characters or less']);
  });

  it('describes and refills what they saved', () => {
    const needs = {
      formats: ['easy-read', 'spoken-language-interpreter', 'contact-carer'] as const,
      interpreterLanguage: 'Polish',
      carerName: 'Jo',
      carerContact: '07700 900123',
      otherNeeds: null,
    };
    const saved = { ...needs, formats: [...needs.formats] };
    expect(describeCommunicationNeeds(saved)).toEqual(['Easy read', 'An interpreter for Polish', 'Contact Jo (07700 900123) as well as me']);
    expect(describeCommunicationNeeds({ ...saved, formats: [] })).toEqual(['You do not need any of these']);
    expect(communicationNeedsValues({ ...saved, formats: [] }, true).formats).toEqual(['none']);
  });
});
