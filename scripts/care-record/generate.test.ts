import type { Appointment, DocumentReference, Observation, Patient } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { citizens } from '../oidc-provider/users';
import { generateCareRecord, isValidNhsNumber, nhsNumberCheckDigit, NHS_NUMBER_SYSTEM, SOURCE_BASE } from './generate';

const clock = new Date('2026-11-23T12:00:00Z');
const dataset = generateCareRecord({ clock });
const { resources } = dataset;
const byReference = new Map(resources.map((resource) => [`${resource.resourceType}/${resource.id}`, resource]));
const patients = resources.filter((resource): resource is Patient => resource.resourceType === 'Patient');
const nhsNumber = (patient: Patient) => patient.identifier?.find((item) => item.system === NHS_NUMBER_SYSTEM)?.value;
const demo = (key: string) => dataset.demoPatients.find((patient) => patient.key === key)!;
const ofPatient = (patientId: string) =>
  resources.filter((resource) => JSON.stringify(resource).includes(`"Patient/${patientId}"`) && resource.resourceType !== 'Patient');

describe('NHS numbers', () => {
  it('computes the modulus 11 check digit', () => {
    expect(nhsNumberCheckDigit('999001237')).toBe(7);
    expect(nhsNumberCheckDigit('999003711')).toBe(6);
    expect(nhsNumberCheckDigit('999005133')).toBeUndefined();
    expect(isValidNhsNumber('9990012377')).toBe(true);
    expect(isValidNhsNumber('9990012378')).toBe(false);
    expect(isValidNhsNumber('999001237')).toBe(false);
  });

  it('gives every patient a unique, valid NHS number in the 999 test range', () => {
    const numbers = patients.map(nhsNumber);
    expect(numbers.every((value) => value && value.startsWith('999') && isValidNhsNumber(value))).toBe(true);
    expect(new Set(numbers).size).toBe(numbers.length);
  });
});

describe('generateCareRecord', () => {
  it('is deterministic for a seed and clock, and the seed matters', () => {
    expect(generateCareRecord({ clock })).toEqual(dataset);
    const other = generateCareRecord({ clock, seed: 7 });
    expect(other.resources.map((resource) => resource.id)).not.toEqual(resources.map((resource) => resource.id));
  });

  it('makes the demo citizens of the identity provider exactly as it knows them', () => {
    const today = generateCareRecord();
    for (const citizen of citizens.filter((person) => person.nhsNumber)) {
      const patient = today.resources.find((resource) => resource.resourceType === 'Patient' && nhsNumber(resource) === citizen.nhsNumber) as Patient;
      expect(patient.name?.[0]).toMatchObject({ family: citizen.familyName, given: [citizen.givenName] });
      expect(patient.birthDate).toBe(citizen.birthDate);
    }
    const ben = citizens.find((person) => person.email === 'ben.sampleton@example.com')!;
    expect(demo('ben')).toMatchObject({ givenName: ben.givenName, familyName: ben.familyName, birthDate: ben.birthDate });
    expect(patients.filter((patient) => patient.name?.[0]?.family === 'Nomatch')).toHaveLength(0);
  });

  it('has about twenty more patients, a same name, birth date and postcode pair, and sparse records', () => {
    expect(patients.length).toBeGreaterThanOrEqual(26);
    const key = (patient: Patient) => [patient.name?.[0]?.family, patient.name?.[0]?.given?.[0], patient.birthDate, patient.address?.[0]?.postalCode].join('|');
    expect(patients.filter((patient) => key(patient) === 'Mockridge|Jordan|1979-05-12|LS11 5DX')).toHaveLength(2);
    expect(ofPatient(demo('nadia').patientId)).toEqual([]);
    const sparse = patients.filter((patient) => ofPatient(patient.id!).length < 5);
    expect(sparse.length).toBeGreaterThanOrEqual(3);
  });

  it('puts postcodes in Leeds (LS1 to LS29) and GP practices in ZZ-coded organisations', () => {
    for (const patient of patients) {
      expect(patient.address?.[0]?.postalCode).toMatch(/^LS([1-9]|1\d|2\d) \d[A-Z]{2}$/);
      const practice = byReference.get(patient.generalPractitioner?.[0]?.reference ?? '');
      expect(practice?.resourceType).toBe('Organization');
      expect(patient.generalPractitioner?.[0]?.identifier?.value).toMatch(/^ZZ\d{4}$/);
    }
  });

  it('gives a full record past and upcoming appointments relative to the clock', () => {
    const appointments = ofPatient(demo('amelia').patientId).filter((resource): resource is Appointment => resource.resourceType === 'Appointment');
    const starts = appointments.map((appointment) => Date.parse(appointment.start!));
    expect(starts.some((start) => start < clock.getTime())).toBe(true);
    expect(appointments.some((appointment) => appointment.status === 'booked' && Date.parse(appointment.start!) > clock.getTime())).toBe(true);
    const sections = new Set(ofPatient(demo('amelia').patientId).map((resource) => resource.resourceType));
    expect([...sections].sort()).toEqual([
      'AllergyIntolerance',
      'Appointment',
      'CarePlan',
      'CareTeam',
      'Condition',
      'DocumentReference',
      'Encounter',
      'Immunization',
      'MedicationStatement',
      'Observation',
    ]);
  });

  it('gives lab results a value, a reference range and an interpretation that agree', () => {
    const labs = resources.filter(
      (resource): resource is Observation => resource.resourceType === 'Observation' && resource.category?.[0]?.coding?.[0]?.code === 'laboratory',
    );
    expect(labs.length).toBeGreaterThan(20);
    for (const lab of labs) {
      const value = lab.valueQuantity!.value!;
      const range = lab.referenceRange![0]!;
      const expected = range.low && value < range.low.value! ? 'L' : range.high && value > range.high.value! ? 'H' : 'N';
      expect(lab.interpretation?.[0]?.coding?.[0]?.code).toBe(expected);
    }
    expect(new Set(labs.map((lab) => lab.interpretation?.[0]?.coding?.[0]?.code))).toEqual(new Set(['N', 'H', 'L']));
  });

  it('holds letters as inline HTML and, for some, a valid PDF', () => {
    const documents = resources.filter((resource): resource is DocumentReference => resource.resourceType === 'DocumentReference');
    const pdfs = documents.flatMap((document) => document.content.filter((content) => content.attachment.contentType === 'application/pdf'));
    expect(pdfs.length).toBeGreaterThan(0);
    for (const document of documents) {
      const html = document.content.find((content) => content.attachment.contentType === 'text/html')!;
      expect(Buffer.from(html.attachment.data!, 'base64').toString('utf8')).toMatch(/^<!DOCTYPE html>.*<h1>.*<\/html>$/s);
    }
    for (const { attachment } of pdfs) {
      const pdf = Buffer.from(attachment.data!, 'base64');
      expect(pdf.length).toBe(attachment.size);
      const text = pdf.toString('latin1');
      expect(text.startsWith('%PDF-1.4\n')).toBe(true);
      expect(text.trimEnd().endsWith('%%EOF')).toBe(true);
      // Every cross-reference entry points at its object, and startxref at the table.
      const startxref = Number(/startxref\n(\d+)\n/.exec(text)![1]);
      expect(text.slice(startxref, startxref + 4)).toBe('xref');
      const offsets = [...text.slice(startxref).matchAll(/^(\d{10}) 00000 n $/gm)].map((match) => Number(match[1]));
      offsets.forEach((offset, index) => expect(text.slice(offset).startsWith(`${index + 1} 0 obj`)).toBe(true));
      const length = Number(/\/Length (\d+)/.exec(text)![1]);
      const streamStart = text.indexOf('stream\n') + 'stream\n'.length;
      expect(text.slice(streamStart + length, streamStart + length + 10)).toBe('\nendstream');
    }
  });

  it('builds every resource well enough for R4 and says where it came from', () => {
    const required: Record<string, string[]> = {
      Patient: ['identifier', 'name', 'birthDate'],
      Organization: ['identifier', 'name'],
      Practitioner: ['name'],
      Location: ['name'],
      Condition: ['subject', 'code', 'clinicalStatus', 'verificationStatus'],
      MedicationStatement: ['status', 'medicationCodeableConcept', 'subject', 'dosage'],
      AllergyIntolerance: ['patient', 'code', 'clinicalStatus'],
      Immunization: ['status', 'vaccineCode', 'patient', 'occurrenceDateTime'],
      Observation: ['status', 'code', 'subject', 'effectiveDateTime'],
      Encounter: ['status', 'class', 'subject', 'period'],
      Appointment: ['status', 'participant', 'start', 'end'],
      DocumentReference: ['status', 'content', 'subject', 'date'],
      CarePlan: ['status', 'intent', 'subject', 'author'],
      CareTeam: ['status', 'subject', 'participant'],
    };
    const ids = new Set<string>();
    for (const resource of resources) {
      const fields = required[resource.resourceType];
      expect(fields, resource.resourceType).toBeDefined();
      expect(resource.id).toMatch(/^[A-Za-z0-9\-.]{1,64}$/);
      expect(ids.has(`${resource.resourceType}/${resource.id}`)).toBe(false);
      ids.add(`${resource.resourceType}/${resource.id}`);
      for (const field of fields!) expect((resource as unknown as Record<string, unknown>)[field], `${resource.resourceType}.${field}`).toBeTruthy();
      expect(Date.parse(resource.meta!.lastUpdated!)).toBeLessThanOrEqual(clock.getTime());
      expect(resource.meta?.source).toMatch(new RegExp(`^${SOURCE_BASE}ZZ\\d{4}$`));
      expect(byReference.get(`Organization/${organisationFor(resource.meta!.source!)}`)).toBeDefined();
      walk(resource, (node, nodePath) => {
        if (Array.isArray(node.coding)) {
          for (const coding of node.coding as Record<string, unknown>[]) {
            expect(coding.system, nodePath).toMatch(/^https?:\/\//);
            expect(coding.code, nodePath).toBeTruthy();
          }
        }
        if (typeof node.reference === 'string' && !node.reference.startsWith('#')) {
          expect(byReference.has(node.reference), `${nodePath} → ${node.reference}`).toBe(true);
        }
      });
    }
    for (const appointment of resources.filter((resource): resource is Appointment => resource.resourceType === 'Appointment')) {
      expect(appointment.participant.every((participant) => participant.status)).toBe(true);
    }
  });

  function organisationFor(source: string): string | undefined {
    const code = source.slice(SOURCE_BASE.length);
    return resources.find((resource) => resource.resourceType === 'Organization' && resource.identifier?.[0]?.value === code)?.id;
  }
});

function walk(node: unknown, visit: (node: Record<string, unknown>, path: string) => void, path = ''): void {
  if (Array.isArray(node)) node.forEach((item, index) => walk(item, visit, `${path}[${index}]`));
  else if (node && typeof node === 'object') {
    visit(node as Record<string, unknown>, path);
    for (const [key, value] of Object.entries(node)) walk(value, visit, path ? `${path}.${key}` : key);
  }
}
