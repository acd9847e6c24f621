import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderView } from '@/lib/platform/render';
import { CareRecordClient } from './client';
import { formatDate, formatDateTime, formatFileSize } from './format';
import { withGovukClasses } from './letter-html';
import * as record from './record';
import { startTestCareRecord, type TestCareRecord } from './test-support';
import {
  shownAllergies,
  shownAppointments,
  shownCarePlans,
  shownCareTeams,
  shownLetter,
  shownMedicines,
  shownProblems,
  shownTestResults,
  shownVaccinations,
  summaryRows,
} from './views';

let careRecord: TestCareRecord;
let client: CareRecordClient;
const patientIdOf = (key: string) => careRecord.server.dataset.demoPatients.find((patient) => patient.key === key)!.patientId;

beforeAll(async () => {
  // The record as generated on one fixed day, read on that day: the dates below, and which
  // appointments are upcoming, are that day's whenever this runs. (The test clock moves the
  // server's and the client's "now" together, so tokens stay valid.)
  const day = new Date('2026-12-01T12:00:00Z');
  careRecord = await startTestCareRecord({ dataClock: day });
  careRecord.clock.offsetMs = day.getTime() - Date.now();
  client = new CareRecordClient(careRecord.settings({ timeoutMs: 10_000 }), { log: () => {}, now: careRecord.clock.now });
});

afterAll(async () => {
  await careRecord?.close();
});

/** What a person reads: tags stripped, spaces collapsed. */
function text(html: string): string {
  return html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;|&rsquo;/g, '’')
    .replace(/\s+/g, ' ');
}

async function pages(patientId: string) {
  const [summary, problems, medicines, allergies, vaccinations, results, appointments, letters, teams, plans] = await Promise.all([
    record.recordSummary(patientId, client),
    record.healthProblems(patientId, client),
    record.medicines(patientId, client),
    record.allergies(patientId, client),
    record.vaccinations(patientId, client),
    record.testResults(patientId, client),
    record.appointments(patientId, client),
    record.letters(patientId, client),
    record.careTeams(patientId, client),
    record.carePlans(patientId, client),
  ]);
  return {
    summary: renderView('care-record/summary.njk', { rows: summaryRows(summary) }),
    problems: renderView('care-record/health-problems.njk', { problems: shownProblems(problems) }),
    medicines: renderView('care-record/medicines.njk', shownMedicines(medicines)),
    allergies: renderView('care-record/allergies.njk', { allergies: shownAllergies(allergies) }),
    vaccinations: renderView('care-record/vaccinations.njk', { vaccinations: shownVaccinations(vaccinations) }),
    results: renderView('care-record/test-results.njk', { results: shownTestResults(results) }),
    appointments: renderView('care-record/appointments.njk', shownAppointments(appointments)),
    letters: renderView('care-record/letters.njk', { letters: letters.map(shownLetter) }),
    careTeam: renderView('care-record/care-team.njk', { teams: shownCareTeams(teams) }),
    carePlan: renderView('care-record/care-plan.njk', shownCarePlans(plans, teams)),
  };
}

// Rendering ten pages from a live (if local) server: allow for a busy machine.
describe('the care-record pages, from the demo care record', { timeout: 60_000 }, () => {
  it('shows every section of a full record, each item with where it came from and when it was updated', async () => {
    const shown = await pages(patientIdOf('amelia'));
    expect(text(shown.summary)).toContain('Health problems 2 health problems View health problems');
    expect(text(shown.problems)).toMatch(/Hypothyroidism Status Active Since 11 September 2023 Recorded by Demo Lane Surgery Last updated 11 September 2023/);
    expect(text(shown.medicines)).toContain('Current medicines');
    expect(text(shown.medicines)).toMatch(/Amoxicillin 500mg capsules .* Stopped /);
    expect(text(shown.allergies)).toMatch(/Allergy to penicillin Reaction Eruption of skin How bad it was Mild/);
    expect(text(shown.vaccinations)).toContain('Influenza vaccine 4 October 2026 Demo Lane Surgery, updated 4 October 2026');
    expect(text(shown.results)).toMatch(
      /Thyroid stimulating hormone \(TSH\) Result 5.4 mU\/L Usual range 0.27 to 4.2 mU\/L What it means Above the usual range/,
    );
    expect(text(shown.appointments)).toMatch(/Upcoming appointments .*Cancelled Why it was cancelled Cancelled by the practice/);
    expect(text(shown.appointments)).toMatch(/Past appointments .*Attended/);
    expect(text(shown.letters)).toContain('Respiratory clinic: letter');
    expect(text(shown.careTeam)).toContain('Social worker Sofia Carewell, Demo City Council');
    expect(text(shown.carePlan)).toMatch(/Carer support plan .* What happens .*Carer’s break/);
    expect(text(shown.carePlan)).toMatch(/Who to contact Social worker Sofia Carewell, Demo City Council .*Phone 0113 496 0003 \(Demo City Council\)/);
    for (const html of Object.values(shown)) expect(text(html)).not.toContain('No information available');
  });

  it('says "No information available" for every empty section', async () => {
    const shown = await pages(patientIdOf('nadia'));
    for (const [name, html] of Object.entries(shown)) {
      if (name === 'summary') continue;
      expect(text(html), name).toContain('No information available');
    }
    expect(text(shown.summary)).toContain('Health problems No information available View health problems');
  });

  it('shows a letter as GOV.UK-styled HTML, without anything unsafe', async () => {
    const [summary] = await record.letters(patientIdOf('amelia'), client);
    const letter = await record.letter(patientIdOf('amelia'), summary!.id, client);
    const html = renderView('care-record/letter.njk', { letter: shownLetter(letter!), html: withGovukClasses(letter!.html), pdfSize: '2 KB' });
    expect(html).toContain('<p class="govuk-body">Dear Amelia Testwell,</p>');
    expect(html).toContain('Download this letter (PDF, 2 KB)');
    expect(withGovukClasses('<p>a</p><a href="https://example.org" rel="noopener noreferrer">x</a><a>y</a>')).toBe(
      '<p class="govuk-body">a</p><a class="govuk-link" href="https://example.org" rel="noopener noreferrer">x</a><a class="govuk-link">y</a>',
    );
  });
});

describe('wording', () => {
  it('writes dates only as precisely as the record knows them, in UK time', () => {
    expect(formatDate('2016')).toBe('2016');
    expect(formatDate('2024-03')).toBe('March 2024');
    expect(formatDate('1984-03-17')).toBe('17 March 1984');
    expect(formatDate('2026-06-30T23:30:00Z')).toBe('1 July 2026');
    expect(formatDate('not a date')).toBeUndefined();
    expect(formatDateTime('2026-12-18T10:45:00Z')).toBe('Friday 18 December 2026 at 10:45am');
    expect(formatFileSize(2300)).toBe('2 KB');
  });

  it('explains the link outcomes and the unavailable care record', () => {
    const byNhsNumber = text(renderView('care-record/no-match.njk', { byNhsNumber: true }));
    expect(byNhsNumber).toContain('for your NHS number, name and date of birth, as NHS login checked them');
    expect(byNhsNumber).toContain('Check again');
    expect(byNhsNumber).not.toContain('add NHS login');
    const byVerifiedAddress = text(renderView('care-record/no-match.njk', { byNhsNumber: false }));
    expect(byVerifiedAddress).toContain('the postcode of your address, as GOV.UK One Login checked them');
    expect(byVerifiedAddress).toContain('add NHS login to your account');
    expect(byVerifiedAddress).toContain('Check again');
    const noAddress = text(renderView('care-record/no-match.njk', { byNhsNumber: false, noVerifiedAddress: true }));
    expect(noAddress).toContain('GOV.UK One Login did not give us an address it had checked for you');
    expect(noAddress).not.toContain('Check again');
    // Nothing the citizen types finds a record: no page asks for a postcode.
    for (const html of [byNhsNumber, byVerifiedAddress, noAddress]) expect(html).not.toMatch(/postcode you gave|try a different postcode/i);
    expect(text(renderView('care-record/several-matches.njk', {}))).toContain('We cannot be sure which care record is yours');
    expect(text(renderView('care-record/several-matches.njk', { byNhsNumber: false }))).toContain('add NHS login to your account');
    expect(text(renderView('care-record/unavailable.njk', {}))).toContain('Try again later');
  });
});
