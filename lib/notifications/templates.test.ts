import { describe, expect, it } from 'vitest';
import { STORED_TEMPLATES, placeholdersOf } from '../../scripts/notify/templates';
import { callerPersonalisation, fullPersonalisation, PERSONALISATION_KEYS, PersonalisationError, TEMPLATE_FIELDS, TEMPLATES } from './templates';

const service = { firstName: 'Amelia', serviceName: 'Your health and care record', publicUrl: 'https://phr.example.org' };

describe('what a notification may say', () => {
  it('is filled only with keys on the allow-list: a name, an organisation, the service and a link', () => {
    expect(PERSONALISATION_KEYS).toEqual(['first_name', 'sender', 'service_name', 'link']);
    for (const template of TEMPLATES) {
      const fromCaller = Object.fromEntries(TEMPLATE_FIELDS[template].fromCaller.map((key) => [key, 'Leeds City Council']));
      const keys = Object.keys(fullPersonalisation(template, fromCaller, service));
      for (const key of keys) expect(PERSONALISATION_KEYS).toContain(key);
    }
  });

  it('refuses anything else a caller offers, such as a diagnosis or an NHS number', () => {
    expect(() => callerPersonalisation('new-letter', { sender: 'Leeds Teaching Hospitals', diagnosis: 'Type 2 diabetes' })).toThrow(PersonalisationError);
    expect(() => callerPersonalisation('change-not-delivered', { sender: 'Leeds City Council' })).toThrow(PersonalisationError);
    expect(() => callerPersonalisation('new-letter', { sender: 'Patient 943 476 5919' })).toThrow(/long numbers/);
    expect(() => callerPersonalisation('new-letter', { sender: 'x'.repeat(101) })).toThrow(PersonalisationError);
    expect(() => callerPersonalisation('new-letter', {})).toThrow(/needs "sender"/);
    expect(callerPersonalisation('new-letter', { sender: '  Leeds  Teaching Hospitals ' })).toEqual({ sender: 'Leeds Teaching Hospitals' });
  });

  it('links to the page of the service each template is about', () => {
    expect(fullPersonalisation('new-letter', { sender: 'Leeds Teaching Hospitals' }, service).link).toBe('https://phr.example.org/letters');
    expect(fullPersonalisation('engagement-invitation', { sender: 'Open Citizen' }, service).link).toBe('https://phr.example.org/engagement');
    expect(fullPersonalisation('change-not-delivered', {}, service)).toEqual({
      first_name: 'Amelia',
      service_name: 'Your health and care record',
      link: 'https://phr.example.org/about-me/contact-preferences',
    });
  });

  it('greets an invitation to act for someone by the name given, and links to the invitation itself', () => {
    const invitation = fullPersonalisation(
      'proxy-invitation',
      { first_name: 'Walt Helpwell', sender: 'Amelia Testwell' },
      { ...service, firstName: '', linkPath: '/acting-for/invitations/abc' },
    );
    expect(invitation).toEqual({
      first_name: 'Walt Helpwell',
      sender: 'Amelia Testwell',
      service_name: 'Your health and care record',
      link: 'https://phr.example.org/acting-for/invitations/abc',
    });
    expect(() => callerPersonalisation('proxy-invitation', { sender: 'Amelia Testwell' })).toThrow(/needs "first_name"/);
    // A citizen's own messages never take a first name from the caller: it is the citizen's.
    expect(() => callerPersonalisation('new-letter', { sender: 'Leeds Teaching Hospitals', first_name: 'Someone' })).toThrow(PersonalisationError);
  });

  it('uses in every template text (the local Notify copies) only placeholders the service fills in', () => {
    expect(STORED_TEMPLATES.size).toBe(TEMPLATES.length * 2);
    for (const template of STORED_TEMPLATES.values()) {
      for (const placeholder of placeholdersOf(`${template.subject ?? ''} ${template.body}`)) expect(PERSONALISATION_KEYS).toContain(placeholder);
    }
  });
});
