import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CareRecordClient } from './client';
import {
  allergies,
  appointments,
  carePlans,
  careTeams,
  healthProblems,
  letter,
  letterPdf,
  letters,
  medicines,
  recordSummary,
  testResults,
  vaccinations,
  type Provenance,
} from './record';
import { startTestCareRecord, type TestCareRecord } from './test-support';

let careRecord: TestCareRecord;
let client: CareRecordClient;
const patientIdOf = (key: string) => careRecord.server.dataset.demoPatients.find((patient) => patient.key === key)!.patientId;

beforeAll(async () => {
  careRecord = await startTestCareRecord();
  client = new CareRecordClient(careRecord.settings(), { log: () => {} });
});

afterAll(async () => {
  await careRecord?.close();
});

function expectSources(items: Provenance[]) {
  expect(items.length).toBeGreaterThan(0);
  for (const item of items) {
    expect(item.source).toMatch(/^Demo /);
    expect(Number.isNaN(Date.parse(item.lastUpdated!))).toBe(false);
  }
}

describe('Amelia’s record', () => {
  it('has every section, each item with where it came from and when', async () => {
    const amelia = patientIdOf('amelia');
    const sections = await Promise.all([
      healthProblems(amelia, client),
      medicines(amelia, client),
      allergies(amelia, client),
      vaccinations(amelia, client),
      testResults(amelia, client),
      letters(amelia, client),
      careTeams(amelia, client),
      carePlans(amelia, client),
    ]);
    for (const section of sections) expectSources(section);
    const { upcoming, past } = await appointments(amelia, client);
    expectSources(upcoming);
    expectSources(past);
  });

  it('shows health problems, medicines and allergies in plain terms', async () => {
    const amelia = patientIdOf('amelia');
    expect(await healthProblems(amelia, client)).toContainEqual(expect.objectContaining({ name: 'Asthma', status: 'active', source: 'Demo Lane Surgery' }));
    expect(await medicines(amelia, client)).toContainEqual(
      expect.objectContaining({ name: expect.stringMatching(/^Salbutamol/), howToTake: expect.stringMatching(/^Two puffs/), isCurrent: true }),
    );
    expect(await allergies(amelia, client)).toContainEqual(expect.objectContaining({ name: 'Allergy to penicillin', reactions: ['Eruption of skin'] }));
  });

  it('gives test results with the usual range and where the result sits, in plain words', async () => {
    const results = await testResults(patientIdOf('amelia'), client);
    expect(results).toContainEqual(
      expect.objectContaining({
        name: 'Thyroid stimulating hormone (TSH)',
        value: expect.stringMatching(/ mU\/L$/),
        usualRange: '0.27 to 4.2 mU/L',
        comparedWithUsualRange: expect.stringMatching(/^(Above|Below|Within) the usual range$/),
        source: 'Demo Teaching Hospitals NHS Trust',
      }),
    );
  });

  it('splits appointments into upcoming and past by the clock', async () => {
    const { upcoming, past } = await appointments(patientIdOf('amelia'), client);
    const now = client.now();
    expect(upcoming.every((appointment) => Date.parse(appointment.start!) >= now)).toBe(true);
    expect(past.every((appointment) => Date.parse(appointment.start!) < now)).toBe(true);
    expect(upcoming.map((appointment) => appointment.start)).toEqual([...upcoming.map((appointment) => appointment.start)].sort());
    expect([...upcoming, ...past].some((appointment) => appointment.status === 'cancelled' && appointment.cancellationReason)).toBe(true);
    expect(past[0]).toMatchObject({ status: 'attended', place: expect.any(String) });
  });

  it('lists letters, reads one as safe HTML and gives its PDF', async () => {
    const amelia = patientIdOf('amelia');
    const list = await letters(amelia, client);
    expect(list).toHaveLength(2);
    expect(list.filter((item) => item.hasPdf)).toHaveLength(1);
    const withPdf = list.find((item) => item.hasPdf)!;
    expect(withPdf).toMatchObject({ title: expect.stringMatching(/clinic: letter$/), author: expect.stringMatching(/^Dr /), date: expect.any(String) });

    const read = await letter(amelia, withPdf.id, client);
    expect(read?.html).toMatch(/^<h2>/);
    expect(read?.html).not.toMatch(/<(html|head|body|title)/);
    const pdf = await letterPdf(amelia, withPdf.id, client);
    expect(Buffer.from(pdf!.subarray(0, 5)).toString('latin1')).toBe('%PDF-');

    const withoutPdf = list.find((item) => !item.hasPdf)!;
    expect(await letterPdf(amelia, withoutPdf.id, client)).toBeUndefined();
  });

  it('never opens another citizen’s letter by its id', async () => {
    const [someLetter] = await letters(patientIdOf('amelia'), client);
    expect(await letter(patientIdOf('nadia'), someLetter!.id, client)).toBeUndefined();
    expect(await letterPdf(patientIdOf('nadia'), someLetter!.id, client)).toBeUndefined();
    expect(await letter(patientIdOf('nadia'), '00000000-0000-4000-8000-000000000000', client)).toBeUndefined();
  });

  it('shows the care team and the council’s care plan', async () => {
    const amelia = patientIdOf('amelia');
    const [team] = await careTeams(amelia, client);
    expect(team!.members).toContainEqual({ name: 'Sofia Carewell', role: 'Social worker', organisation: 'Demo City Council' });
    expect(team!.phone).toBeTruthy();
    const [plan] = await carePlans(amelia, client);
    expect(plan).toMatchObject({ title: 'Carer support plan', source: 'Demo City Council' });
    expect(plan!.whatHappens.length).toBeGreaterThan(0);
  });

  it('counts each section for the summary', async () => {
    const summary = await recordSummary(patientIdOf('amelia'), client);
    for (const count of Object.values(summary)) expect(count).toBeGreaterThan(0);
  });
});

describe('an empty record', () => {
  it('gives empty sections, not errors', async () => {
    const nadia = patientIdOf('nadia');
    expect(careRecord.server.dataset.demoPatients.find((patient) => patient.key === 'nadia')?.nhsNumber).toBe('9990070180');
    expect(await recordSummary(nadia, client)).toEqual({
      problems: 0,
      currentMedicines: 0,
      allergies: 0,
      vaccinations: 0,
      testResults: 0,
      upcomingAppointments: 0,
      letters: 0,
      careTeams: 0,
      carePlans: 0,
    });
    expect(await appointments(nadia, client)).toEqual({ upcoming: [], past: [] });
    expect(await letters(nadia, client)).toEqual([]);
    expect(await careTeams(nadia, client)).toEqual([]);
  });
});
