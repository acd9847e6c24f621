/**
 * What the demo care record accepts from us: the resources citizens add (their home blood
 * pressure readings, top three things, communication needs), written with PUT at an id we
 * choose (update-as-create), kept in memory and returned by reads and searches, so a
 * clinician's system sees them. Only Observation and Flag, about a patient the record knows;
 * anything else is refused with an OperationOutcome, as a real FHIR server would.
 */
import type { OperationOutcome, Reference, Resource } from '@medplum/fhirtypes';

type IssueCode = OperationOutcome['issue'][number]['code'];

export class WriteRefused extends Error {
  constructor(
    readonly status: number,
    readonly code: IssueCode,
    message: string,
  ) {
    super(message);
  }
}

export const WRITABLE_TYPES: ReadonlySet<string> = new Set(['Observation', 'Flag']);

const ID_PATTERN = /^[A-Za-z0-9\-.]{1,64}$/;
const STATUSES: Record<string, readonly string[]> = {
  Observation: ['registered', 'preliminary', 'final', 'amended', 'corrected', 'cancelled', 'entered-in-error', 'unknown'],
  Flag: ['active', 'inactive', 'entered-in-error'],
};

type Loose = Record<string, unknown>;

const isObject = (value: unknown): value is Loose => typeof value === 'object' && value !== null && !Array.isArray(value);

function hasCode(concept: unknown): boolean {
  if (!isObject(concept)) return false;
  const codings = Array.isArray(concept.coding) ? concept.coding : [];
  const codingsSound = codings.every((coding) => isObject(coding) && typeof coding.system === 'string' && typeof coding.code === 'string');
  return codingsSound && (codings.length > 0 || (typeof concept.text === 'string' && concept.text.length > 0));
}

/** Every reference to a Patient inside the resource (subject, performer, author…). */
function patientReferences(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) patientReferences(item, found);
  else if (isObject(value)) {
    if (typeof value.reference === 'string' && value.reference.startsWith('Patient/')) found.push(value.reference);
    for (const item of Object.values(value)) patientReferences(item, found);
  }
  return found;
}

/** Why this cannot be stored as {type}/{id}; throws WriteRefused. */
function check(type: string, id: string, body: unknown, patientExists: (id: string) => boolean): Resource {
  if (!ID_PATTERN.test(id)) throw new WriteRefused(400, 'invalid', 'The id must be 1 to 64 letters, digits, "-" or "."');
  if (!isObject(body)) throw new WriteRefused(400, 'structure', 'The body must be a FHIR resource in JSON');
  if (body.resourceType !== type) throw new WriteRefused(400, 'invalid', `resourceType must be ${type}, as in the URL`);
  if (body.id !== id) throw new WriteRefused(400, 'invalid', 'The resource id must match the id in the URL');
  if (typeof body.status !== 'string' || !STATUSES[type]!.includes(body.status)) {
    throw new WriteRefused(422, 'required', `status must be one of ${STATUSES[type]!.join(', ')}`);
  }
  if (!hasCode(body.code)) throw new WriteRefused(422, 'required', 'code must have a coding with a system and a code, or text');
  const subject = body.subject as Reference | undefined;
  const subjectId = /^Patient\/([A-Za-z0-9\-.]{1,64})$/.exec(subject?.reference ?? '')?.[1];
  if (!subjectId) throw new WriteRefused(422, 'required', 'subject must refer to a Patient (Patient/{id})');
  if (!patientExists(subjectId)) throw new WriteRefused(422, 'not-found', `${subject!.reference} is not known here`);
  if (patientReferences(body).some((reference) => reference !== subject!.reference)) {
    throw new WriteRefused(422, 'invalid', 'Every Patient reference must be the subject');
  }
  return body as unknown as Resource;
}

export function createWrittenStore(options: { patientExists: (id: string) => boolean; isTheirs: (type: string, id: string) => boolean; now: () => number }) {
  const written = new Map<string, Resource>();
  return {
    /** Creates or replaces {type}/{id}; a new version each time. */
    put(type: string, id: string, body: unknown): { resource: Resource; created: boolean } {
      if (!WRITABLE_TYPES.has(type)) throw new WriteRefused(405, 'not-supported', `${type} cannot be written here (only ${[...WRITABLE_TYPES].join(', ')})`);
      // The record's own resources are not ours to replace.
      if (options.isTheirs(type, id)) throw new WriteRefused(409, 'conflict', `${type}/${id} belongs to the care record`);
      const resource = check(type, id, body, options.patientExists);
      const key = `${type}/${id}`;
      const previous = written.get(key);
      const version = Number(previous?.meta?.versionId ?? 0) + 1;
      const stored = { ...resource, meta: { ...resource.meta, versionId: String(version), lastUpdated: new Date(options.now()).toISOString() } } as Resource;
      written.set(key, stored);
      return { resource: stored, created: !previous };
    },
    get: (type: string, id: string): Resource | undefined => written.get(`${type}/${id}`),
    all: (): Resource[] => [...written.values()],
  };
}
