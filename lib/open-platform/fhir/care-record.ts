import type {
  AllergyIntolerance,
  Appointment,
  Coding,
  DocumentReference,
  Immunization,
  MedicationStatement,
  Meta,
  Observation,
  Reference,
  Resource,
} from '@medplum/fhirtypes';
import { CareRecordUnavailable, careRecordClient, citizensLink, linkedPatientId, type CareRecordClient } from '@/lib/care-record/public';
import { log } from '@/lib/platform/log';
import { recordAppAccess, type AppAuditCategory } from './app-audit';
import { patientIdOf, requireScope, type FhirContext } from './context';
import { refuse, type FhirResponse } from './outcome';
import { checkOwnPatient, dateRange, intersect, isEmpty, readDate, readSearch, readTokens, searchBundle, tokenMatches, valuesOf, type Search } from './search';

/**
 * The citizen's care record, as the city's shared care record holds it, read-only: allergies,
 * medicines, vaccinations, appointments, letters (DocumentReference) and test results
 * (laboratory Observations). Read through the one care-record client, so its timeouts,
 * retries, circuit breaker and cache protect the API as they protect the pages.
 *
 * - Only a record the citizen linked themselves (on their care-record page) is reached: an app
 *   never starts a link. The link is checked as the summary page checks it (and looked for
 *   again, with what the identity provider verified, when it is due). With no linked record a
 *   search finds nothing (an empty Bundle) and a read is a 404.
 * - An app sees what the citizen's own care-record pages show (lib/care-record/record.ts
 *   leaves out the same: entered in error, a vaccination not given, a letter superseded, a
 *   test result not yet reported), newest first.
 * - Ids are `cr-<the care record's id>`, apart from ours (cuids) by construction. A reference
 *   to the citizen's Patient becomes `Patient/<their id here>`; one to another resource of a
 *   type served here becomes its `cr-` id (it may be one this API does not return, like a
 *   vital-signs Observation: a 404 when followed); any other (Practitioner, Organization,
 *   Location, Encounter…) keeps only its display, identifier and type, as the care record's
 *   addresses mean nothing to an app. A resource naming any other person is withheld.
 * - When the care record cannot answer: 503, transient, with Retry-After.
 */

export type CareRecordType = 'AllergyIntolerance' | 'MedicationStatement' | 'Immunization' | 'Appointment' | 'DocumentReference' | 'Observation';

const SERVED_TYPES: ReadonlySet<string> = new Set<CareRecordType>([
  'AllergyIntolerance',
  'MedicationStatement',
  'Immunization',
  'Appointment',
  'DocumentReference',
  'Observation',
]);

const ID_PREFIX = 'cr-';
/** A care record id that still makes a FHIR id (64 characters at most) with the prefix. */
const CARE_RECORD_ID = /^[A-Za-z0-9\-.]{1,61}$/;

/** Whether an id names something from the care record rather than something held here. */
export const isCareRecordId = (id: string) => id.startsWith(ID_PREFIX);

export const OBSERVATION_CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category';
const laboratory: Coding = { system: OBSERVATION_CATEGORY, code: 'laboratory' };

type Section<R extends Resource> = {
  category: AppAuditCategory;
  /** The care record's search besides the patient: the one the citizen's page makes. */
  careRecordSearch?: Record<string, string>;
  /** Whether it is about this patient (a Patient reference in the care record). */
  isAbout: (resource: R, patient: string) => boolean;
  /** Whether the citizen's own care-record page shows it. */
  shown: (resource: R) => boolean;
  /** Newest first by this. */
  dateOf: (resource: R) => string | undefined;
};

const hasCode = (codings: readonly Coding[] | undefined, code: string) => !!codings?.some((coding) => coding.code === code);
const REPORTED = ['final', 'amended', 'corrected', 'preliminary'];

const allergies: Section<AllergyIntolerance> = {
  category: 'care-record-allergies',
  isAbout: (allergy, patient) => allergy.patient.reference === patient,
  shown: (allergy) => !hasCode(allergy.verificationStatus?.coding, 'entered-in-error'),
  dateOf: (allergy) => allergy.recordedDate,
};

const medicines: Section<MedicationStatement> = {
  category: 'care-record-medicines',
  isAbout: (statement, patient) => statement.subject.reference === patient,
  shown: (statement) => statement.status !== 'entered-in-error',
  dateOf: (statement) => statement.effectivePeriod?.start ?? statement.effectiveDateTime ?? statement.dateAsserted,
};

const vaccinations: Section<Immunization> = {
  category: 'care-record-vaccinations',
  isAbout: (immunization, patient) => immunization.patient.reference === patient,
  shown: (immunization) => immunization.status === 'completed',
  dateOf: (immunization) => immunization.occurrenceDateTime,
};

const appointments: Section<Appointment> = {
  category: 'care-record-appointments',
  isAbout: (appointment, patient) => appointment.participant.some((participant) => participant.actor?.reference === patient),
  shown: (appointment) => appointment.status !== 'entered-in-error',
  dateOf: (appointment) => appointment.start,
};

const letters: Section<DocumentReference> = {
  category: 'care-record-letters',
  isAbout: (document, patient) => document.subject?.reference === patient,
  shown: (document) => document.status === 'current',
  dateOf: (document) => document.date,
};

const testResults: Section<Observation> = {
  category: 'care-record-test-results',
  careRecordSearch: { category: 'laboratory' },
  isAbout: (observation, patient) => observation.subject?.reference === patient,
  shown: (observation) =>
    REPORTED.includes(observation.status) && !!observation.category?.some((category) => tokenMatches([laboratory], category.coding ?? [])),
  dateOf: (observation) => observation.effectiveDateTime ?? observation.effectivePeriod?.start ?? observation.issued,
};

// Each section is only ever given resources of its own type (the care record is asked for that type).
const SECTIONS = {
  AllergyIntolerance: allergies,
  MedicationStatement: medicines,
  Immunization: vaccinations,
  Appointment: appointments,
  DocumentReference: letters,
  Observation: testResults,
} as unknown as Record<CareRecordType, Section<Resource>>;

/** The search parameters of each type (Observation's are observation.ts's). */
export const CARE_RECORD_SEARCH_PARAMETERS: Record<Exclude<CareRecordType, 'Observation'>, readonly string[]> = {
  AllergyIntolerance: ['patient'],
  MedicationStatement: ['patient', 'subject'],
  Immunization: ['patient'],
  Appointment: ['patient'],
  DocumentReference: ['patient', 'subject'],
};

// --- The citizen's record ---

type Link = { client: CareRecordClient; patientId: string };

function unavailable(context: FhirContext, type: string, reason: string) {
  log.warn('fhir-api.care-record-unavailable', { appId: context.caller.appId, resourceType: type, reason });
  return refuse.unavailable('The care record cannot be reached right now: try again later. Nothing else in the record is affected.');
}

/**
 * The citizen's record in the care record, when they linked it themselves and the link still
 * holds (citizensLink checks it, as the care-record pages do); null when there is none.
 */
async function linkedRecord(context: FhirContext, type: string): Promise<Link | null> {
  const { db, caller, request } = context;
  if (!(await linkedPatientId(db, caller.userId))) return null;
  const user = await db.user.findUnique({
    where: { id: caller.userId },
    select: { givenName: true, familyName: true, birthDate: true, nhsNumber: true, verifiedPostcode: true },
  });
  if (!user) return null;
  const client = context.careRecord ?? careRecordClient();
  const link = await citizensLink(db, { userId: caller.userId, ...user }, { client, now: request.now });
  if (link.state === 'unavailable') throw unavailable(context, type, 'linking');
  return link.state === 'linked' ? { client, patientId: link.patientId } : null;
}

/** Runs a care-record read, turning the care record's absence into a 503. */
async function fromCareRecord<T>(context: FhirContext, type: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof CareRecordUnavailable) throw unavailable(context, type, error.reason);
    throw error;
  }
}

/** The section's resources the citizen's page would show, as served here, newest first. */
async function resourcesOf(context: FhirContext, type: CareRecordType): Promise<Resource[]> {
  const link = await linkedRecord(context, type);
  if (!link) return [];
  const section = SECTIONS[type];
  const found = await link.client.search<Resource>(type, { patient: link.patientId, ...section.careRecordSearch });
  const time = (resource: Resource) => {
    const date = section.dateOf(resource);
    return date ? Date.parse(date) : Number.NEGATIVE_INFINITY;
  };
  return found
    .filter((resource) => section.isAbout(resource, `Patient/${link.patientId}`) && section.shown(resource))
    .sort((a, b) => time(b) - time(a))
    .map((resource) => served(resource, link, context))
    .filter((resource): resource is Resource => resource !== undefined);
}

/** One resource by its served id; undefined when it is not in this citizen's record as their page shows it. */
async function resourceAt(context: FhirContext, type: CareRecordType, id: string): Promise<Resource | undefined> {
  const careRecordId = id.slice(ID_PREFIX.length);
  if (!isCareRecordId(id) || !CARE_RECORD_ID.test(careRecordId)) return undefined;
  const link = await linkedRecord(context, type);
  if (!link) return undefined;
  const section = SECTIONS[type];
  const resource = await link.client.read<Resource>(type, careRecordId);
  // An id in an address must not open someone else's record: check whose it is.
  if (!resource || resource.resourceType !== type || !section.isAbout(resource, `Patient/${link.patientId}`) || !section.shown(resource)) return undefined;
  return served(resource, link, context);
}

// --- As served here ---

class NamesAnotherPerson extends Error {}

/** What a reference becomes here; `displayOnly` ones with nothing to show are left out of lists. */
function referenceRewriter(link: Link, context: FhirContext) {
  const base = link.client.settings.baseUrl;
  const displayOnlyEmpty = new WeakSet<object>();
  const TARGET = /^([A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[A-Za-z0-9\-.]{1,64})?$/;
  const rewrite = (reference: Reference): Reference => {
    const { reference: address = '', ...rest } = reference;
    const match = TARGET.exec(address.startsWith(`${base}/`) ? address.slice(base.length + 1) : address);
    const [, type, id] = match ?? [];
    if (type === 'Patient' || (!match && /(^|\/)Patient\//.test(address))) {
      if (id !== link.patientId) throw new NamesAnotherPerson();
      return { ...rest, reference: `Patient/${patientIdOf(context)}` };
    }
    if (address.startsWith('#')) return reference;
    if (type && id && SERVED_TYPES.has(type) && CARE_RECORD_ID.test(id)) return { ...rest, reference: `${type}/${ID_PREFIX}${id}` };
    // The care record's address for it means nothing to an app: what it is called, and its type.
    const shown: Reference = { ...(type && !rest.type ? { type: type as Reference['type'] } : {}), ...rest };
    if (!shown.display && !shown.identifier) displayOnlyEmpty.add(shown);
    return shown;
  };
  return { rewrite, isEmpty: (value: unknown) => typeof value === 'object' && value !== null && displayOnlyEmpty.has(value) };
}

/** Every reference in the tree rewritten; empty lists left out, as FHIR has no empty arrays. */
function rewritten(value: unknown, references: ReturnType<typeof referenceRewriter>): unknown {
  if (Array.isArray(value)) {
    const items = value.map((item) => rewritten(item, references)).filter((item) => item !== undefined && !references.isEmpty(item));
    return items.length > 0 ? items : undefined;
  }
  if (typeof value !== 'object' || value === null) return value;
  const object = value as Record<string, unknown>;
  // A contained Patient is someone's details carried inside: never served.
  if (object.resourceType === 'Patient') throw new NamesAnotherPerson();
  if (typeof object.reference === 'string') return references.rewrite(object as Reference);
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(object)) {
    const next = rewritten(item, references);
    if (next !== undefined) copy[key] = next;
  }
  return copy;
}

/**
 * The care record's resource as served here: `cr-` id, references rewritten, meta keeping only
 * when and where it was recorded (not the care record's version or its UK Core profile claims,
 * which our changes would make ours to check). Undefined when it names another person.
 */
function served(resource: Resource, link: Link, context: FhirContext): Resource | undefined {
  const { resourceType, id, meta, ...rest } = resource;
  if (!id || !CARE_RECORD_ID.test(id)) return undefined;
  try {
    const body = rewritten(rest, referenceRewriter(link, context)) as Record<string, unknown>;
    const kept: Meta = { ...(meta?.lastUpdated ? { lastUpdated: meta.lastUpdated } : {}), ...(meta?.source ? { source: meta.source } : {}) };
    return { resourceType, id: `${ID_PREFIX}${id}`, ...(Object.keys(kept).length > 0 ? { meta: kept } : {}), ...body } as Resource;
  } catch (error) {
    if (!(error instanceof NamesAnotherPerson)) throw error;
    log.warn('fhir-api.care-record-withheld', { resourceType, reason: 'names-another-person' });
    return undefined;
  }
}

// --- Read and search ---

export async function readFromCareRecord(context: FhirContext, type: CareRecordType, id: string): Promise<FhirResponse> {
  const { db, caller, request } = context;
  const resource = await fromCareRecord(context, type, () => resourceAt(context, type, id));
  if (!resource) throw refuse.notFound(type, id);
  await recordAppAccess(db, caller, { action: 'view', category: SECTIONS[type].category, interaction: 'read', resourceType: type, id }, request.now);
  return { status: 200, body: resource };
}

/** A search already read (with the type's parameters); `matches` narrows it further (Observation's code and date). */
export async function searchCareRecord(
  context: FhirContext,
  type: CareRecordType,
  search: Search,
  matches: (resource: Resource) => boolean = () => true,
): Promise<FhirResponse> {
  const { db, caller, request } = context;
  for (const name of ['patient', 'subject']) for (const value of valuesOf(search, name)) checkOwnPatient(name, value, patientIdOf(context), request.baseUrl);
  const all = (await fromCareRecord(context, type, () => resourcesOf(context, type))).filter(matches);
  const resources = all.slice(search.offset, search.offset + search.count);
  await recordAppAccess(
    db,
    caller,
    { action: 'view', category: SECTIONS[type].category, interaction: 'search', resourceType: type, matches: resources.length },
    request.now,
  );
  return { status: 200, body: searchBundle({ baseUrl: request.baseUrl, type, search, total: all.length, resources, now: request.now }) };
}

/** Read and search for a type that only the care record holds. */
export function careRecordRoutes(type: Exclude<CareRecordType, 'Observation'>) {
  return {
    read: async (context: FhirContext, id: string) => {
      requireScope(context, type, 'r');
      return readFromCareRecord(context, type, id);
    },
    search: async (context: FhirContext, query: URLSearchParams) => {
      requireScope(context, type, 's');
      return searchCareRecord(context, type, readSearch(query, CARE_RECORD_SEARCH_PARAMETERS[type]));
    },
  };
}

// --- Observation: test results ---

/** A search for test results: every category given is laboratory (the code alone, or with its system). */
export function asksForTestResults(search: Search): boolean {
  const categories = valuesOf(search, 'category');
  return (
    categories.length > 0 &&
    categories.every((value) =>
      readTokens('category', value).every((token) => token.code === laboratory.code && (token.system === undefined || token.system === laboratory.system)),
    )
  );
}

/** Test results by code (any of the result's codings) and date (when the sample was taken). */
export function searchTestResults(context: FhirContext, search: Search): Promise<FhirResponse> {
  const codes = valuesOf(search, 'code').map((value) => readTokens('code', value));
  const window = intersect(valuesOf(search, 'date').map((value) => readDate('date', value)));
  return searchCareRecord(context, 'Observation', search, (resource) => {
    const observation = resource as Observation;
    if (!codes.every((tokens) => tokenMatches(tokens, observation.code.coding ?? []))) return false;
    if (window.from === undefined && window.before === undefined) return true;
    if (isEmpty(window)) return false;
    const taken = dateRange(observation.effectiveDateTime ?? observation.effectivePeriod?.start ?? '')?.start;
    return !!taken && (!window.from || taken >= window.from) && (!window.before || taken < window.before);
  });
}
