import { formatDate, formatDateTime } from './format';
import type {
  Allergy,
  Appointments,
  CareAppointment,
  CarePlanView,
  CareTeamView,
  HealthProblem,
  LetterSummary,
  Medicine,
  Provenance,
  RecordSummary,
  TestResult,
  Vaccination,
} from './record';
import { paths } from '@/lib/platform/paths';

/**
 * The care-record sections as the pages show them: dates in words, statuses as tags, and
 * where each item came from. Pure functions of the record's view-ready data.
 */

const NOT_RECORDED = 'Not recorded';

export interface ShownProvenance {
  source: string;
  lastUpdated: string;
}

export interface Tag {
  text: string;
  classes: string;
}

function provenance(item: Provenance): ShownProvenance {
  return { source: item.source ?? NOT_RECORDED, lastUpdated: formatDate(item.lastUpdated) ?? NOT_RECORDED };
}

function sentenceCase(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The sections, in the order the summary lists them: each has a page at /care-record/<slug>. */
export const SECTIONS = [
  { slug: 'health-problems', title: 'Health problems' },
  { slug: 'medicines', title: 'Medicines' },
  { slug: 'allergies', title: 'Allergies' },
  { slug: 'vaccinations', title: 'Vaccinations' },
  { slug: 'test-results', title: 'Test results' },
  { slug: 'appointments', title: 'Appointments' },
  { slug: 'letters', title: 'Letters and documents' },
  { slug: 'care-team', title: 'Your care team' },
  { slug: 'care-plan', title: 'Care plan and council contacts' },
] as const;

export type SectionSlug = (typeof SECTIONS)[number]['slug'];

function count(n: number, one: string, many: string): string {
  return n === 0 ? 'No information available' : `${n} ${n === 1 ? one : many}`;
}

/** One summary-list row per section: what it holds, and a link to it. */
export function summaryRows(summary: RecordSummary) {
  const held: Record<SectionSlug, string> = {
    'health-problems': count(summary.problems, 'health problem', 'health problems'),
    medicines: summary.currentMedicines === 0 ? 'No current medicines' : count(summary.currentMedicines, 'current medicine', 'current medicines'),
    allergies: count(summary.allergies, 'allergy or intolerance', 'allergies or intolerances'),
    vaccinations: count(summary.vaccinations, 'vaccination', 'vaccinations'),
    'test-results': count(summary.testResults, 'test result', 'test results'),
    appointments:
      summary.upcomingAppointments === 0 ? 'No upcoming appointments' : count(summary.upcomingAppointments, 'upcoming appointment', 'upcoming appointments'),
    letters: count(summary.letters, 'letter', 'letters'),
    'care-team': count(summary.careTeams, 'care team', 'care teams'),
    'care-plan': count(summary.carePlans, 'care plan', 'care plans'),
  };
  return SECTIONS.map((section) => ({
    key: { text: section.title },
    value: { text: held[section.slug] },
    actions: { items: [{ href: `${paths.careRecord.summary}/${section.slug}`, text: 'View', visuallyHiddenText: section.title.toLowerCase() }] },
  }));
}

const PROBLEM_TAGS: Record<string, Tag> = {
  active: { text: 'Active', classes: 'govuk-tag--blue' },
  recurrence: { text: 'Active', classes: 'govuk-tag--blue' },
  relapse: { text: 'Active', classes: 'govuk-tag--blue' },
  resolved: { text: 'Resolved', classes: 'govuk-tag--grey' },
  inactive: { text: 'Inactive', classes: 'govuk-tag--grey' },
  remission: { text: 'In remission', classes: 'govuk-tag--grey' },
};

export function shownProblems(problems: HealthProblem[]) {
  return problems.map((problem) => ({
    name: problem.name,
    status: problem.status ? (PROBLEM_TAGS[problem.status] ?? { text: sentenceCase(problem.status), classes: 'govuk-tag--grey' }) : undefined,
    since: formatDate(problem.since) ?? NOT_RECORDED,
    ...provenance(problem),
  }));
}

export function shownMedicines(medicines: Medicine[]) {
  const shown = medicines.map((medicine) => ({
    name: medicine.name,
    howToTake: medicine.howToTake ?? NOT_RECORDED,
    started: formatDate(medicine.started) ?? NOT_RECORDED,
    stopped: formatDate(medicine.stopped),
    isCurrent: medicine.isCurrent,
    ...provenance(medicine),
  }));
  return { current: shown.filter((medicine) => medicine.isCurrent), past: shown.filter((medicine) => !medicine.isCurrent) };
}

const SEVERITY: Record<string, string> = { mild: 'Mild', moderate: 'Moderate', severe: 'Severe' };

export function shownAllergies(allergies: Allergy[]) {
  return allergies.map((allergy) => ({
    name: allergy.name,
    reactions: allergy.reactions.length ? allergy.reactions.join(', ') : NOT_RECORDED,
    severity: allergy.severity ? (SEVERITY[allergy.severity] ?? sentenceCase(allergy.severity)) : NOT_RECORDED,
    recorded: formatDate(allergy.recorded) ?? NOT_RECORDED,
    ...provenance(allergy),
  }));
}

export function shownVaccinations(vaccinations: Vaccination[]) {
  return vaccinations.map((vaccination) => ({
    vaccine: vaccination.vaccine,
    date: formatDate(vaccination.date) ?? NOT_RECORDED,
    ...provenance(vaccination),
  }));
}

export function shownTestResults(results: TestResult[]) {
  return results.map((result) => ({
    name: result.name,
    value: result.value ?? NOT_RECORDED,
    date: formatDate(result.date) ?? NOT_RECORDED,
    usualRange: result.usualRange,
    comparedWithUsualRange: result.comparedWithUsualRange,
    ...provenance(result),
  }));
}

const APPOINTMENT_TAGS: Record<CareAppointment['status'], Tag> = {
  booked: { text: 'Booked', classes: 'govuk-tag--blue' },
  attended: { text: 'Attended', classes: 'govuk-tag--grey' },
  cancelled: { text: 'Cancelled', classes: 'govuk-tag--red' },
  'did-not-attend': { text: 'Missed', classes: 'govuk-tag--yellow' },
  other: { text: 'Other', classes: 'govuk-tag--grey' },
};

function shownAppointment(appointment: CareAppointment) {
  return {
    what: appointment.what,
    when: formatDateTime(appointment.start) ?? NOT_RECORDED,
    status: APPOINTMENT_TAGS[appointment.status],
    cancellationReason: appointment.cancellationReason,
    place: appointment.place ?? NOT_RECORDED,
    with: appointment.with,
    ...provenance(appointment),
  };
}

export function shownAppointments(appointments: Appointments) {
  return { upcoming: appointments.upcoming.map(shownAppointment), past: appointments.past.map(shownAppointment) };
}

export function shownLetter(letter: LetterSummary) {
  return {
    id: letter.id,
    title: letter.title,
    date: formatDate(letter.date) ?? NOT_RECORDED,
    author: letter.author ?? NOT_RECORDED,
    hasPdf: letter.hasPdf,
    href: paths.careRecord.letter(letter.id),
    ...provenance(letter),
  };
}

export function shownCareTeams(teams: CareTeamView[]) {
  return teams.map((team) => ({
    name: team.name ?? 'Your care team',
    phone: team.phone,
    members: team.members.map((member) => ({
      key: { text: member.role ?? 'Member' },
      value: { text: member.organisation ? `${member.name}, ${member.organisation}` : member.name },
    })),
    ...provenance(team),
  }));
}

/**
 * Care plans, and who to contact about them: the members of the citizen's care teams who work
 * for the organisation that wrote a plan (the council, for social care), with the team's phone
 * number when that organisation keeps the team.
 */
export function shownCarePlans(plans: CarePlanView[], teams: CareTeamView[]) {
  const planOrganisations = new Set(plans.map((plan) => plan.source).filter((source): source is string => !!source));
  const contacts = teams.flatMap((team) =>
    team.members
      .filter((member) => planOrganisations.has(member.organisation ?? member.name))
      .map((member) => ({
        key: { text: member.role ?? 'Contact' },
        value: { text: member.organisation && member.organisation !== member.name ? `${member.name}, ${member.organisation}` : member.name },
      })),
  );
  const phones = [
    ...new Set(teams.filter((team) => team.source && planOrganisations.has(team.source) && team.phone).map((team) => `${team.phone} (${team.source})`)),
  ];
  return {
    plans: plans.map((plan) => ({
      title: plan.title,
      description: plan.description,
      period: periodText(plan.start, plan.end),
      whatHappens: plan.whatHappens,
      notes: plan.notes,
      ...provenance(plan),
    })),
    contacts,
    phones,
  };
}

function periodText(start: string | undefined, end: string | undefined): string {
  const from = formatDate(start);
  const to = formatDate(end);
  if (from && to) return `${from} to ${to}`;
  if (from) return `From ${from}`;
  if (to) return `Until ${to}`;
  return NOT_RECORDED;
}
