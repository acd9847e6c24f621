import type {
  AllergyIntolerance,
  Appointment,
  Attachment,
  CarePlan,
  CareTeam,
  CodeableConcept,
  Condition,
  DocumentReference,
  Immunization,
  MedicationStatement,
  Observation,
  Organization,
  Quantity,
  Reference,
  Resource,
} from '@medplum/fhirtypes';
import { careRecordClient, type CareRecordClient } from './client';
import { sanitiseLetterHtml } from './letter-html';

/**
 * What the care-record pages show, read from the shared care record and turned into plain,
 * view-ready data: no FHIR structures leave this module. Every item says which organisation
 * recorded it and when it was last updated. An empty section is an empty list. When the care
 * record cannot answer, these throw CareRecordUnavailable.
 */

const ODS_SYSTEM = 'https://fhir.nhs.uk/Id/ods-organization-code';

/** Where an item came from: the organisation whose system recorded it, and when. */
export interface Provenance {
  /** The organisation's name; undefined when the record does not say. */
  source: string | undefined;
  /** ISO 8601 date and time; undefined when the record does not say. */
  lastUpdated: string | undefined;
}

export interface HealthProblem extends Provenance {
  name: string;
  /** active, resolved, inactive, remission… as the record has it. */
  status: string | undefined;
  since: string | undefined;
}

export interface Medicine extends Provenance {
  name: string;
  howToTake: string | undefined;
  isCurrent: boolean;
  started: string | undefined;
  stopped: string | undefined;
}

export interface Allergy extends Provenance {
  name: string;
  reactions: string[];
  severity: string | undefined;
  recorded: string | undefined;
}

export interface Vaccination extends Provenance {
  vaccine: string;
  date: string | undefined;
}

export interface TestResult extends Provenance {
  name: string;
  /** The value with its unit, e.g. "5.4 mU/L". */
  value: string | undefined;
  date: string | undefined;
  /** The usual range as the record gives it, e.g. "0.27 to 4.2 mU/L". */
  usualRange: string | undefined;
  /** Where the result sits against the usual range, in plain words; never a diagnosis. */
  comparedWithUsualRange: string | undefined;
}

export interface CareAppointment extends Provenance {
  what: string;
  start: string | undefined;
  end: string | undefined;
  status: 'booked' | 'attended' | 'cancelled' | 'did-not-attend' | 'other';
  cancellationReason: string | undefined;
  place: string | undefined;
  with: string | undefined;
}

export interface Appointments {
  upcoming: CareAppointment[];
  past: CareAppointment[];
}

export interface LetterSummary extends Provenance {
  id: string;
  title: string;
  date: string | undefined;
  author: string | undefined;
  hasPdf: boolean;
}

export interface Letter extends LetterSummary {
  /** Sanitised: simple structure only, safe to place in our page. Empty when the record holds no HTML. */
  html: string;
}

export interface CareTeamMember {
  name: string;
  role: string | undefined;
  organisation: string | undefined;
}

export interface CareTeamView extends Provenance {
  name: string | undefined;
  members: CareTeamMember[];
  phone: string | undefined;
}

export interface CarePlanView extends Provenance {
  title: string;
  description: string | undefined;
  start: string | undefined;
  end: string | undefined;
  whatHappens: string[];
  notes: string[];
}

export interface RecordSummary {
  problems: number;
  currentMedicines: number;
  allergies: number;
  vaccinations: number;
  testResults: number;
  upcomingAppointments: number;
  letters: number;
  careTeams: number;
  carePlans: number;
}

export async function healthProblems(patientId: string, client: CareRecordClient = careRecordClient()): Promise<HealthProblem[]> {
  const conditions = await client.search<Condition>('Condition', { patient: patientId });
  const shown = conditions.filter((condition) => !hasCode(condition.verificationStatus, 'entered-in-error'));
  return withSources(
    client,
    newestFirst(shown, (c) => c.onsetDateTime ?? c.recordedDate),
    (condition) => ({
      name: conceptText(condition.code) ?? 'Health problem',
      status: conceptText(condition.clinicalStatus)?.toLowerCase(),
      since: condition.onsetDateTime ?? condition.onsetPeriod?.start ?? condition.recordedDate,
    }),
  );
}

export async function medicines(patientId: string, client: CareRecordClient = careRecordClient()): Promise<Medicine[]> {
  const statements = await client.search<MedicationStatement>('MedicationStatement', { patient: patientId });
  const shown = statements.filter((statement) => statement.status !== 'entered-in-error');
  return withSources(
    client,
    newestFirst(shown, (s) => s.effectivePeriod?.start ?? s.effectiveDateTime ?? s.dateAsserted),
    (statement) => ({
      name: conceptText(statement.medicationCodeableConcept) ?? statement.medicationReference?.display ?? 'Medicine',
      howToTake:
        statement.dosage
          ?.map((dosage) => dosage.text)
          .filter(Boolean)
          .join('; ') || undefined,
      isCurrent: statement.status === 'active' || statement.status === 'intended' || statement.status === 'on-hold',
      started: statement.effectivePeriod?.start ?? statement.effectiveDateTime,
      stopped: statement.effectivePeriod?.end,
    }),
  );
}

export async function allergies(patientId: string, client: CareRecordClient = careRecordClient()): Promise<Allergy[]> {
  const found = await client.search<AllergyIntolerance>('AllergyIntolerance', { patient: patientId });
  const shown = found.filter((allergy) => !hasCode(allergy.verificationStatus, 'entered-in-error'));
  return withSources(
    client,
    newestFirst(shown, (a) => a.recordedDate),
    (allergy) => ({
      name: conceptText(allergy.code) ?? 'Allergy',
      reactions: (allergy.reaction ?? []).flatMap((reaction) => reaction.manifestation.map(conceptText)).filter((text): text is string => !!text),
      severity: allergy.reaction?.find((reaction) => reaction.severity)?.severity,
      recorded: allergy.recordedDate,
    }),
  );
}

export async function vaccinations(patientId: string, client: CareRecordClient = careRecordClient()): Promise<Vaccination[]> {
  const found = await client.search<Immunization>('Immunization', { patient: patientId });
  const given = found.filter((immunization) => immunization.status === 'completed');
  return withSources(
    client,
    newestFirst(given, (i) => i.occurrenceDateTime),
    (immunization) => ({
      vaccine: conceptText(immunization.vaccineCode) ?? 'Vaccination',
      date: immunization.occurrenceDateTime ?? immunization.occurrenceString,
    }),
  );
}

export async function testResults(patientId: string, client: CareRecordClient = careRecordClient()): Promise<TestResult[]> {
  const found = await client.search<Observation>('Observation', { patient: patientId, category: 'laboratory' });
  const reported = found.filter((observation) => ['final', 'amended', 'corrected', 'preliminary'].includes(observation.status));
  return withSources(
    client,
    newestFirst(reported, (o) => o.effectiveDateTime ?? o.issued),
    (observation) => ({
      name: conceptText(observation.code) ?? 'Test result',
      value: resultValue(observation),
      date: observation.effectiveDateTime ?? observation.effectivePeriod?.start ?? observation.issued,
      usualRange: usualRange(observation),
      comparedWithUsualRange: comparedWithUsualRange(observation.interpretation),
    }),
  );
}

export async function appointments(patientId: string, client: CareRecordClient = careRecordClient()): Promise<Appointments> {
  const found = await client.search<Appointment>('Appointment', { patient: patientId });
  const now = client.now();
  const shown = found.filter((appointment) => appointment.status !== 'entered-in-error');
  const all = await withSources(client, shown, (appointment) => ({
    what: appointment.serviceType?.map(conceptText).find(Boolean) ?? appointment.description ?? 'Appointment',
    start: appointment.start,
    end: appointment.end,
    status: appointmentStatus(appointment.status),
    cancellationReason: appointment.status === 'cancelled' ? conceptText(appointment.cancelationReason) : undefined,
    place: participant(appointment, 'Location'),
    with: participant(appointment, 'Practitioner'),
  }));
  const startOf = (appointment: CareAppointment) => (appointment.start ? Date.parse(appointment.start) : Number.NEGATIVE_INFINITY);
  return {
    upcoming: all.filter((a) => startOf(a) >= now).sort((a, b) => startOf(a) - startOf(b)),
    past: all.filter((a) => startOf(a) < now).sort((a, b) => startOf(b) - startOf(a)),
  };
}

export async function letters(patientId: string, client: CareRecordClient = careRecordClient()): Promise<LetterSummary[]> {
  const documents = await client.search<DocumentReference>('DocumentReference', { patient: patientId });
  const current = documents.filter((document) => document.status === 'current');
  return withSources(
    client,
    newestFirst(current, (d) => d.date),
    letterSummary,
  );
}

/** One letter to read; undefined when it is not this citizen's (or not known). */
export async function letter(patientId: string, letterId: string, client: CareRecordClient = careRecordClient()): Promise<Letter | undefined> {
  const document = await citizensDocument(patientId, letterId, client);
  if (!document) return undefined;
  const [summary] = await withSources(client, [document], letterSummary);
  const html = attachment(document, 'text/html');
  return { ...summary!, html: html?.data ? sanitiseLetterHtml(Buffer.from(html.data, 'base64').toString('utf8')) : '' };
}

/** The letter as the PDF the record holds; undefined when it holds none, or the letter is not this citizen's. */
export async function letterPdf(patientId: string, letterId: string, client: CareRecordClient = careRecordClient()): Promise<Uint8Array | undefined> {
  const document = await citizensDocument(patientId, letterId, client);
  const pdf = document && attachment(document, 'application/pdf');
  return pdf?.data ? new Uint8Array(Buffer.from(pdf.data, 'base64')) : undefined;
}

export async function careTeams(patientId: string, client: CareRecordClient = careRecordClient()): Promise<CareTeamView[]> {
  const teams = await client.search<CareTeam>('CareTeam', { patient: patientId });
  const active = teams.filter((team) => team.status !== 'inactive' && team.status !== 'entered-in-error');
  return withSources(client, active, (team) => ({
    name: team.name,
    members: (team.participant ?? []).flatMap((member) => {
      const name = member.member?.display;
      if (!name) return [];
      const organisation = member.onBehalfOf?.display;
      return [{ name, role: member.role?.map(conceptText).find(Boolean), organisation: organisation === name ? undefined : organisation }];
    }),
    phone: team.telecom?.find((contact) => contact.system === 'phone')?.value,
  }));
}

export async function carePlans(patientId: string, client: CareRecordClient = careRecordClient()): Promise<CarePlanView[]> {
  const plans = await client.search<CarePlan>('CarePlan', { patient: patientId });
  const current = plans.filter((plan) => plan.status === 'active' || plan.status === 'on-hold' || plan.status === 'completed');
  return withSources(
    client,
    newestFirst(current, (p) => p.period?.start ?? p.created),
    (plan) => ({
      title: plan.title ?? conceptText(plan.category?.[0]) ?? 'Care plan',
      description: plan.description,
      start: plan.period?.start,
      end: plan.period?.end,
      whatHappens: (plan.activity ?? []).map((activity) => activity.detail?.description).filter((text): text is string => !!text),
      notes: (plan.note ?? []).map((note) => note.text).filter(Boolean),
    }),
  );
}

/** How much each section holds, for the summary page; the sections' own pages then come from the cache. */
export async function recordSummary(patientId: string, client: CareRecordClient = careRecordClient()): Promise<RecordSummary> {
  const [problems, medicineList, allergyList, vaccinationList, results, appointmentList, letterList, teams, plans] = await Promise.all([
    healthProblems(patientId, client),
    medicines(patientId, client),
    allergies(patientId, client),
    vaccinations(patientId, client),
    testResults(patientId, client),
    appointments(patientId, client),
    letters(patientId, client),
    careTeams(patientId, client),
    carePlans(patientId, client),
  ]);
  return {
    problems: problems.length,
    currentMedicines: medicineList.filter((medicine) => medicine.isCurrent).length,
    allergies: allergyList.length,
    vaccinations: vaccinationList.length,
    testResults: results.length,
    upcomingAppointments: appointmentList.upcoming.length,
    letters: letterList.length,
    careTeams: teams.length,
    carePlans: plans.length,
  };
}

function letterSummary(document: DocumentReference): Omit<LetterSummary, keyof Provenance> {
  const html = attachment(document, 'text/html');
  return {
    id: document.id!,
    title: html?.title ?? document.description ?? conceptText(document.type) ?? 'Letter',
    date: document.date ?? html?.creation,
    author: document.author?.find((author) => author.reference?.startsWith('Practitioner/'))?.display ?? document.author?.[0]?.display,
    hasPdf: !!attachment(document, 'application/pdf')?.data,
  };
}

/** Read by id, so check it is about this citizen: an id in an address must not open someone else's letter. */
async function citizensDocument(patientId: string, letterId: string, client: CareRecordClient): Promise<DocumentReference | undefined> {
  const document = await client.read<DocumentReference>('DocumentReference', letterId);
  const about = document?.subject?.reference;
  return about === `Patient/${patientId}` ? document : undefined;
}

function attachment(document: DocumentReference, contentType: string): Attachment | undefined {
  return document.content.map((content) => content.attachment).find((item) => item.contentType?.split(';')[0]?.trim() === contentType);
}

/** Adds where each item came from: the organisation named by meta.source (an ODS code), looked up once per section. */
async function withSources<R extends Resource, V>(client: CareRecordClient, resources: R[], view: (resource: R) => V): Promise<(V & Provenance)[]> {
  const codes = [...new Set(resources.map(sourceCode).filter((code): code is string => !!code))];
  const names = new Map(await Promise.all(codes.map(async (code) => [code, await organisationName(client, code)] as const)));
  return resources.map((resource) => {
    const code = sourceCode(resource);
    return { ...view(resource), source: (code && names.get(code)) || referencedOrganisation(resource), lastUpdated: resource.meta?.lastUpdated };
  });
}

async function organisationName(client: CareRecordClient, odsCode: string): Promise<string | undefined> {
  const [organisation] = await client.search<Organization>('Organization', { identifier: `${ODS_SYSTEM}|${odsCode}` });
  return organisation?.name;
}

/** meta.source names the recording system; the shared care record ends it with the organisation's ODS code. */
function sourceCode(resource: Resource): string | undefined {
  return resource.meta?.source ? /\/([A-Z0-9]+)$/i.exec(resource.meta.source)?.[1] : undefined;
}

/** When meta.source says nothing we can look up, the organisation the resource itself names. */
function referencedOrganisation(resource: Resource): string | undefined {
  const candidates: (Reference | undefined)[] = [];
  const r = resource as unknown as Record<string, unknown>;
  for (const field of ['informationSource', 'serviceProvider', 'custodian', 'author', 'managingOrganization', 'performer']) {
    const value = r[field];
    for (const item of Array.isArray(value) ? value : [value]) {
      const reference = (item as { actor?: Reference } | undefined)?.actor ?? (item as Reference | undefined);
      candidates.push(reference);
    }
  }
  return candidates.find((reference) => reference?.reference?.startsWith('Organization/') && reference.display)?.display;
}

function newestFirst<R>(items: R[], dateOf: (item: R) => string | undefined): R[] {
  const time = (item: R) => {
    const date = dateOf(item);
    return date ? Date.parse(date) : Number.NEGATIVE_INFINITY;
  };
  return [...items].sort((a, b) => time(b) - time(a));
}

function hasCode(concept: CodeableConcept | undefined, code: string): boolean {
  return !!concept?.coding?.some((coding) => coding.code === code);
}

function conceptText(concept: CodeableConcept | undefined): string | undefined {
  return concept?.text ?? concept?.coding?.find((coding) => coding.display)?.display;
}

function quantityText(quantity: Quantity | undefined): string | undefined {
  if (quantity?.value === undefined) return undefined;
  return [`${quantity.comparator ?? ''}${quantity.value}`, quantity.unit].filter(Boolean).join(' ');
}

function resultValue(observation: Observation): string | undefined {
  return quantityText(observation.valueQuantity) ?? observation.valueString ?? conceptText(observation.valueCodeableConcept);
}

function usualRange(observation: Observation): string | undefined {
  const range = observation.referenceRange?.[0];
  if (!range) return undefined;
  if (range.text) return range.text;
  const low = quantityText(range.low);
  const high = quantityText(range.high);
  if (low && high) return `${low} to ${high}`;
  if (low) return `${low} or more`;
  if (high) return `${high} or less`;
  return undefined;
}

/** Plain words for the common interpretation codes; the record's own text for anything else. */
const INTERPRETATION_WORDS: Record<string, string> = {
  N: 'Within the usual range',
  H: 'Above the usual range',
  HH: 'Well above the usual range',
  HU: 'Well above the usual range',
  L: 'Below the usual range',
  LL: 'Well below the usual range',
  LU: 'Well below the usual range',
  A: 'Outside the usual range',
  AA: 'Outside the usual range',
};

function comparedWithUsualRange(interpretation: CodeableConcept[] | undefined): string | undefined {
  const concept = interpretation?.[0];
  if (!concept) return undefined;
  const code = concept.coding?.find((coding) => coding.system === 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation')?.code;
  return (code && INTERPRETATION_WORDS[code]) ?? conceptText(concept);
}

function appointmentStatus(status: Appointment['status']): CareAppointment['status'] {
  if (status === 'booked' || status === 'pending' || status === 'arrived' || status === 'checked-in') return 'booked';
  if (status === 'fulfilled') return 'attended';
  if (status === 'cancelled') return 'cancelled';
  if (status === 'noshow') return 'did-not-attend';
  return 'other';
}

function participant(appointment: Appointment, type: 'Location' | 'Practitioner'): string | undefined {
  return appointment.participant.find((item) => item.actor?.reference?.startsWith(`${type}/`))?.actor?.display;
}
