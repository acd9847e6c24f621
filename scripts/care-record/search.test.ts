import type { Encounter, Resource } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { search, SearchError } from './search';

const encounter = (id: string, start: string, end?: string): Encounter => ({
  resourceType: 'Encounter',
  id,
  status: 'finished',
  class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
  subject: { reference: 'Patient/p1' },
  period: { start, ...(end ? { end } : {}) },
});

const resources: Resource[] = [
  encounter('morning', '2026-03-10T09:00:00Z', '2026-03-10T09:20:00Z'),
  encounter('overnight', '2026-03-10T23:00:00Z', '2026-03-11T02:00:00Z'),
  encounter('ongoing', '2026-02-01T10:00:00Z'),
  { ...encounter('other', '2026-03-10T09:00:00Z'), subject: { reference: 'Patient/p2' } },
];

const ids = (query: string) =>
  search('Encounter', resources, new URLSearchParams(query))
    .map((resource) => resource.id)
    .sort();

describe('date search (R4 prefixes and implicit ranges)', () => {
  it('eq means "wholly within" the day, month or year written', () => {
    expect(ids('patient=p1&date=2026-03-10')).toEqual(['morning']);
    expect(ids('patient=p1&date=2026-03')).toEqual(['morning', 'overnight']);
    expect(ids('patient=p1&date=ne2026-03-10')).toEqual(['ongoing', 'overnight']);
  });

  it('ge, gt, le, lt, sa and eb compare the ranges', () => {
    expect(ids('patient=p1&date=ge2026-03-11')).toEqual(['ongoing', 'overnight']);
    expect(ids('patient=p1&date=gt2026-03-10')).toEqual(['ongoing', 'overnight']);
    expect(ids('patient=p1&date=lt2026-03-10')).toEqual(['ongoing']);
    expect(ids('patient=p1&date=le2026-03-10')).toEqual(['morning', 'ongoing', 'overnight']);
    expect(ids('patient=p1&date=sa2026-03-10')).toEqual([]);
    expect(ids('patient=p1&date=eb2026-03-10')).toEqual([]);
    expect(ids('patient=p1&date=ge2026-03-10T09:10:00Z&date=lt2026-03-10T12:00Z')).toEqual(['morning', 'ongoing']);
  });

  it('refuses what it cannot read', () => {
    for (const query of ['patient=p1&date=ap2026', 'patient=p1&date=2026-02-30', 'patient=p1&date=10/03/2026', 'patient=p1&date=2026-03-10T09:00']) {
      expect(() => ids(query), query).toThrow(SearchError);
    }
  });
});

describe('reference and token search', () => {
  it('matches a patient by id, type/id or absolute URL, and ORs commas', () => {
    expect(ids('patient=Patient/p2')).toEqual(['other']);
    expect(ids('subject=https://example.org/fhir/Patient/p2')).toEqual(['other']);
    expect(ids('patient=p2,p1&_id=morning,other')).toEqual(['morning', 'other']);
    expect(ids('patient=Group/p2')).toEqual([]);
  });
});
