// The download's three forms built from one snapshot: the FHIR R4 Bundle (valid R4, the UK Core
// blood pressure Observations, Flags, Conditions), the readable page's sections and its HTML.
import type { Bundle, Observation } from '@medplum/fhirtypes';
import { HtmlValidate } from 'html-validate';
import { describe, expect, it } from 'vitest';
import { r4Problems } from '@/lib/platform/testing/fhir-validation';
import { renderView } from '@/lib/platform/render';
import { fhirBundle } from './fhir';
import { readableSections } from './readable';
import { SNAPSHOT_FORMAT, SNAPSHOT_VERSION, type Snapshot } from './snapshot';

const USER = 'cmuser0000000000000000001';

function snapshot(): Snapshot {
  return {
    format: SNAPSHOT_FORMAT,
    version: SNAPSHOT_VERSION,
    preparedAt: '2026-12-03T10:00:00.000Z',
    person: {
      id: USER,
      givenName: 'Paige',
      familyName: 'Turner',
      birthDate: '1970-05-04',
      nhsNumber: '9449306753',
      verifiedPostcode: null,
      identityLevel: 'P9',
      accountCreatedAt: '2026-11-01T09:00:00.000Z',
      registeredAt: '2026-11-01T09:05:00.000Z',
      termsOfUseVersion: '1',
      termsOfUseAgreedAt: '2026-11-01T09:05:00.000Z',
    },
    signInMethods: [{ provider: 'nhslogin', accountAtProvider: 'nhs-sub-1', addedAt: '2026-11-01T09:00:00.000Z' }],
    signInMethodChanges: [],
    sessions: [
      {
        provider: 'nhslogin',
        deviceKind: 'mobile',
        sharedDevice: false,
        startedAt: '2026-12-03T09:00:00.000Z',
        lastSeenAt: '2026-12-03T09:30:00.000Z',
        endsAt: '2026-12-03T21:00:00.000Z',
        signedOutAt: null,
      },
    ],
    signIns: [{ at: '2026-12-03T09:00:00.000Z', provider: 'nhslogin', deviceKind: 'mobile', sharedDevice: false, outcome: 'signed-in' }],
    bloodPressure: {
      readings: [
        {
          id: 'reading1',
          measuredAt: '2026-12-01T08:00:00.000Z',
          systolic: 142,
          diastolic: 91,
          pulse: 70,
          arm: 'left',
          sitting: true,
          pairId: null,
          addedAt: '2026-12-01T08:01:00.000Z',
          changedAt: '2026-12-01T08:01:00.000Z',
          addedByApp: null,
          deletedAt: null,
        },
        {
          id: 'reading2',
          measuredAt: '2026-12-02T08:00:00.000Z',
          systolic: 190,
          diastolic: 125,
          pulse: null,
          arm: 'right',
          sitting: false,
          pairId: null,
          addedAt: '2026-12-02T08:01:00.000Z',
          changedAt: '2026-12-02T09:00:00.000Z',
          addedByApp: null,
          deletedAt: '2026-12-02T09:00:00.000Z',
        },
      ],
      changes: [{ readingId: 'reading2', at: '2026-12-02T09:00:00.000Z', action: 'deleted', before: { systolic: 190, diastolic: 125 }, after: null }],
      homeMonitoringWeeks: [
        {
          id: 'week1',
          startedOn: '2026-11-20',
          endsOn: '2026-11-26',
          endedEarly: false,
          finishedAt: '2026-11-27T00:00:00.000Z',
          result: 'stage-1-range',
          systolic: 138,
          diastolic: 86,
          readingCount: 2,
          daysThatCount: 1,
          readingsAveraged: [
            { id: 'reading1', measuredAt: '2026-11-21T08:00:00.000Z', systolic: 138, diastolic: 86 },
            { id: 'reading1b', measuredAt: '2026-11-21T08:01:00.000Z', systolic: 138, diastolic: 86 },
          ],
          recalculatedAt: null,
        },
      ],
    },
    aboutMe: {
      topThreeThings: [
        { savedAt: '2026-12-01T10:00:00.000Z', things: [{ title: 'I care for my mum', description: 'Call before visiting' }] },
        { savedAt: '2026-11-01T10:00:00.000Z', things: [{ title: 'An older version', description: 'Replaced since' }] },
      ],
      conditions: [
        { id: 'condition1', name: 'Asthma', snomedCode: '195967001', addedAt: '2026-11-02T10:00:00.000Z' },
        { id: 'condition2', name: 'Bad knees', snomedCode: null, addedAt: '2026-11-03T10:00:00.000Z' },
      ],
      communicationNeeds: {
        formats: ['large-print'],
        interpreterLanguage: null,
        carerName: null,
        carerContact: null,
        otherNeeds: null,
        inWords: ['Large print'],
        updatedAt: '2026-11-04T10:00:00.000Z',
      },
    },
    sharingChoices: [{ category: 'blood-pressure', shared: false, chosenAt: '2026-11-05T10:00:00.000Z' }],
    careRecordLink: null,
    unfinishedAnswers: [],
    contactDetails: {
      preference: { channel: 'email', email: 'paige@example.org', mobile: null, updatedAt: '2026-11-06T10:00:00.000Z' },
      fewerLetters: [],
      addresses: [
        { line1: '1 New Street', line2: null, town: 'Leeds', county: null, postcode: 'LS1 4AP', source: 'manual', addedAt: '2026-11-07T10:00:00.000Z' },
      ],
      movesToDigital: [],
      organisationReferences: [{ organisation: 'council', reference: 'LCC-1A2B3C4D', updatedAt: '2026-11-07T10:00:01.000Z' }],
    },
    sentToOrganisations: [
      {
        organisation: 'council',
        topic: 'address-changed',
        createdAt: '2026-11-07T10:00:00.000Z',
        status: 'delivered',
        attempts: 1,
        deliveredAt: '2026-11-07T10:00:01.000Z',
        payload: {},
      },
      {
        organisation: 'notify',
        topic: 'new-letter',
        createdAt: '2026-11-20T10:00:00.000Z',
        status: 'delivered',
        attempts: 1,
        deliveredAt: '2026-11-20T10:00:05.000Z',
        payload: {},
      },
    ],
    engagement: { preference: null, invitations: [], responses: [] },
    letters: [
      {
        id: 'letter1',
        from: 'Leeds Teaching Hospitals NHS Trust',
        kind: 'appointment',
        title: 'Your clinic appointment',
        letterDate: '2026-11-20',
        receivedAt: '2026-11-20T10:00:00.000Z',
        readAt: null,
        postRequestedAt: '2026-11-25T10:00:00.000Z',
        postedReason: 'unread',
        pdfBytes: 1000,
        html: '<p>Dear Paige</p>',
      },
    ],
    apps: [],
    whoHasViewed: [],
    auditLog: [],
    usageStatistics: { daysSignedIn: ['2026-12-03'], monthsSignedIn: ['2026-12'] },
  };
}

const BASE = 'https://record.example.org/fhir/r4';

describe('the FHIR R4 Bundle', () => {
  const bundle: Bundle = fhirBundle(snapshot(), BASE);
  const resources = (bundle.entry ?? []).map((entry) => entry.resource!);

  it('is a collection, valid R4 resource by resource', async () => {
    expect(bundle.type).toBe('collection');
    expect(await r4Problems(bundle)).toEqual([]);
    for (const resource of resources) expect(await r4Problems(resource), `${resource.resourceType}/${resource.id}`).toEqual([]);
  });

  it('has the Patient with the NHS number, address and email', () => {
    const patient = resources.find((resource) => resource.resourceType === 'Patient');
    expect(patient).toMatchObject({
      id: USER,
      birthDate: '1970-05-04',
      identifier: [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: '9449306753' }],
      name: [{ family: 'Turner', given: ['Paige'] }],
      address: [{ postalCode: 'LS1 4AP', city: 'Leeds' }],
      telecom: [{ system: 'email', value: 'paige@example.org', rank: 1 }],
    });
    expect(bundle.entry![0]!.fullUrl).toBe(`${BASE}/Patient/${USER}`);
  });

  it('has each reading as a UK Core blood pressure Observation, a deleted one entered-in-error, and the week average', () => {
    const observations = resources.filter((resource): resource is Observation => resource.resourceType === 'Observation');
    const panels = observations.filter((observation) => observation.code.coding?.some((coding) => coding.code === '85354-9'));
    expect(panels.map((panel) => panel.status)).toEqual(['final', 'entered-in-error']);
    expect(observations.filter((observation) => observation.code.coding?.some((coding) => coding.code === '8867-4'))).toHaveLength(1);
    expect(observations.filter((observation) => observation.code.coding?.some((coding) => coding.code === '96607-7'))).toHaveLength(1);
  });

  it('has the current top three things and communication needs as Flags, and conditions coded with SNOMED CT', () => {
    const flags = resources.filter((resource) => resource.resourceType === 'Flag');
    expect(flags.map((flag) => flag.code.text)).toEqual([expect.stringContaining('I care for my mum'), expect.stringContaining('Large print')]);
    expect(JSON.stringify(flags)).not.toContain('An older version');
    const conditions = resources.filter((resource) => resource.resourceType === 'Condition');
    expect(conditions.map((condition) => condition.code)).toEqual([
      { coding: [{ system: 'http://snomed.info/sct', code: '195967001', display: 'Asthma' }], text: 'Asthma' },
      { text: 'Bad knees' },
    ]);
  });
});

describe('the readable page', () => {
  const sections = readableSections(snapshot());
  const text = JSON.stringify(sections);

  it('has every kind of information, in words', () => {
    expect(sections.map((section) => section.id)).toEqual([
      'about-you',
      'signing-in',
      'about-me',
      'blood-pressure',
      'contact-details',
      'sharing',
      'sent',
      'letters',
      'messages',
      'have-your-say',
      'apps',
      'unfinished',
      'statistics',
    ]);
    expect(text).toContain('944 930 6753');
    expect(text).toContain('4 May 1970');
    expect(text).toContain('142/91');
    expect(text).toContain('Deleted 2 December 2026 at 9am');
    expect(text).toContain('December 2026');
    expect(text).toContain('An older version');
    expect(text).toContain('Leeds City Council');
    expect(text).toContain('You have not connected any apps.');
    expect(text).toContain('Appointment: Your clinic appointment');
    expect(text).toContain('Not opened in time');
    expect(text).toContain('You have a new letter');
    // The council's reference for them, as the council's system gave it.
    const contact = JSON.stringify(sections.find((section) => section.id === 'contact-details'));
    expect(contact).toContain('The references organisations use for you in their letters');
    expect(contact).toContain('LCC-1A2B3C4D');
    // A message sent through Notify is not a change sent to an organisation.
    expect(JSON.stringify(sections.find((section) => section.id === 'sent'))).not.toMatch(/notify|new-letter/);
  });

  it('renders as valid HTML with the official macros, every table labelled for small screens', async () => {
    const html = renderView('your-data/readable.njk', { preparedAt: new Date('2026-12-03T10:00:00Z'), sections, statusPath: '/account/your-data/x' });
    expect(html).toContain('govuk-summary-list');
    expect(html).toContain('data-label="Measured"');
    expect(html).toContain('Your care record from your GP');
    const report = await new HtmlValidate({
      extends: ['html-validate:recommended'],
      rules: {
        'prefer-native-element': 'off',
        'no-redundant-role': 'off',
        'presentation-role-style': 'off',
        'long-title': 'off',
        'no-trailing-whitespace': 'off',
      },
    }).validateString(html);
    expect(report.results.flatMap((result) => result.messages.map((message) => message.message))).toEqual([]);
  });
});
