/**
 * The FHIR R4 searches the demo care record supports, with R4 semantics:
 * - string: case- and accent-insensitive "starts with" (`:exact` for a whole, exact match);
 *   postcodes also ignore spaces, as postcode matching always should;
 * - token: `system|code`, `code`, `|code` (no system) or `system|`;
 * - reference: `Patient/{id}`, `{id}` or an absolute URL ending in `Patient/{id}`;
 * - date: prefixes eq ne gt lt ge le sa eb, with the implicit range of the precision given
 *   (2026 means the whole year), compared with the resource's own range.
 * Commas OR values, repeated parameters AND them. One table drives both the search and the
 * CapabilityStatement, so what is advertised is what is implemented.
 */
import type { Coding, Identifier, Period, Reference, Resource } from '@medplum/fhirtypes';

export class SearchError extends Error {}

type ParamType = 'token' | 'string' | 'reference' | 'date';

export interface SearchParamDefinition {
  name: string;
  type: ParamType;
  documentation: string;
  /** The values this parameter compares for one resource. */
  values(resource: Resource): unknown[];
}

// Resource fields are reached through this loose view: each definition knows its own type.
type Loose = Record<string, any>;

const id: SearchParamDefinition = { name: '_id', type: 'token', documentation: 'Logical id', values: (resource) => [{ code: resource.id }] };
const identifier: SearchParamDefinition = {
  name: 'identifier',
  type: 'token',
  documentation: 'Business identifier, e.g. https://fhir.nhs.uk/Id/nhs-number|9990012377',
  values: (resource) => ((resource as Loose).identifier ?? []).map((item: Identifier) => ({ system: item.system, code: item.value })),
};

function patientParams(field: (resource: Loose) => Reference | Reference[] | undefined, documentation: string): SearchParamDefinition[] {
  const values = (resource: Resource) => [field(resource as Loose)].flat().filter(Boolean);
  return [
    { name: 'patient', type: 'reference', documentation, values },
    { name: 'subject', type: 'reference', documentation: `${documentation} (same as patient)`, values },
  ];
}

function dateParam(name: string, documentation: string, field: (resource: Loose) => string | Period | undefined): SearchParamDefinition {
  return { name, type: 'date', documentation, values: (resource) => [field(resource as Loose)].filter(Boolean) };
}

function categoryParam(): SearchParamDefinition {
  return {
    name: 'category',
    type: 'token',
    documentation: 'Category, e.g. laboratory',
    values: (resource) => [(resource as Loose).category ?? []].flat().flatMap((concept: Loose) => concept.coding ?? []),
  };
}

const subjectReference = (resource: Loose) => resource.subject;

const codeParam: SearchParamDefinition = {
  name: 'code',
  type: 'token',
  documentation: 'Code, e.g. http://loinc.org|85354-9',
  values: (resource) => (resource as Loose).code?.coding ?? [],
};
const statusParam: SearchParamDefinition = {
  name: 'status',
  type: 'token',
  documentation: 'Status, e.g. final or entered-in-error',
  values: (resource) => [{ code: (resource as Loose).status }],
};

export const SEARCH_PARAMS: Record<string, SearchParamDefinition[]> = {
  Patient: [
    id,
    identifier,
    { name: 'family', type: 'string', documentation: 'Family name', values: (resource) => ((resource as Loose).name ?? []).map((name: Loose) => name.family) },
    {
      name: 'given',
      type: 'string',
      documentation: 'Given name',
      values: (resource) => ((resource as Loose).name ?? []).flatMap((name: Loose) => name.given ?? []),
    },
    dateParam('birthdate', 'Date of birth', (resource) => resource.birthDate),
    {
      name: 'address-postalcode',
      type: 'string',
      documentation: 'Postcode (spaces ignored)',
      values: (resource) => ((resource as Loose).address ?? []).map((address: Loose) => address.postalCode),
    },
  ],
  Condition: [id, ...patientParams(subjectReference, 'The patient'), categoryParam()],
  MedicationStatement: [
    id,
    ...patientParams(subjectReference, 'The patient'),
    dateParam('effective', 'When the medicine was taken', (resource) => resource.effectivePeriod ?? resource.effectiveDateTime),
  ],
  AllergyIntolerance: [
    id,
    ...patientParams((resource) => resource.patient, 'The patient'),
    dateParam('date', 'When recorded', (resource) => resource.recordedDate),
  ],
  Immunization: [
    id,
    ...patientParams((resource) => resource.patient, 'The patient'),
    dateParam('date', 'When given', (resource) => resource.occurrenceDateTime),
  ],
  Observation: [
    id,
    identifier,
    ...patientParams(subjectReference, 'The patient'),
    categoryParam(),
    codeParam,
    statusParam,
    dateParam('date', 'When taken', (resource) => resource.effectiveDateTime ?? resource.effectivePeriod),
  ],
  Flag: [
    id,
    identifier,
    ...patientParams(subjectReference, 'The patient'),
    statusParam,
    dateParam('date', 'Period the flag applies to', (resource) => resource.period),
  ],
  Encounter: [id, ...patientParams(subjectReference, 'The patient'), dateParam('date', 'When it took place', (resource) => resource.period)],
  Appointment: [
    id,
    ...patientParams(
      (resource) =>
        (resource.participant ?? [])
          .map((participant: Loose) => participant.actor)
          .filter((actor: Reference | undefined) => actor?.reference?.startsWith('Patient/')),
      'The patient taking part',
    ),
    dateParam('date', 'Start of the appointment', (resource) => resource.start),
  ],
  DocumentReference: [id, ...patientParams(subjectReference, 'The patient'), dateParam('date', 'When the document was created', (resource) => resource.date)],
  CarePlan: [id, ...patientParams(subjectReference, 'The patient'), dateParam('date', 'Period the plan covers', (resource) => resource.period)],
  CareTeam: [id, ...patientParams(subjectReference, 'The patient'), dateParam('date', 'Period the team covers', (resource) => resource.period)],
  Organization: [id, identifier],
  Practitioner: [id],
  Location: [id],
};

/** Parameters that are fine to send and change nothing here (JSON is all this server speaks). */
const IGNORED = new Set(['_format']);

/**
 * Types that hold one person's care: a search must name the patient (or ids), so that no
 * query lists everybody's records. Patient search needs an identifier, or family name and
 * birth date, for the same reason.
 */
const PATIENT_COMPARTMENT = new Set([
  'Condition',
  'MedicationStatement',
  'AllergyIntolerance',
  'Immunization',
  'Observation',
  'Flag',
  'Encounter',
  'Appointment',
  'DocumentReference',
  'CarePlan',
  'CareTeam',
]);

export function search(type: string, resources: readonly Resource[], query: URLSearchParams): Resource[] {
  const definitions = SEARCH_PARAMS[type];
  if (!definitions) throw new SearchError(`Search is not supported for ${type}`);

  const criteria: { definition: SearchParamDefinition; modifier?: string; value: string }[] = [];
  for (const [key, value] of query) {
    if (IGNORED.has(key)) continue;
    const [name, modifier] = key.split(':');
    const definition = definitions.find((candidate) => candidate.name === name);
    if (!definition) {
      throw new SearchError(`Unknown search parameter "${key}" for ${type}. Supported: ${definitions.map((candidate) => candidate.name).join(', ')}`);
    }
    if (modifier !== undefined && !(modifier === 'exact' && definition.type === 'string')) {
      throw new SearchError(`Modifier ":${modifier}" is not supported on "${name}"`);
    }
    if (!value) throw new SearchError(`Search parameter "${key}" has no value`);
    if (definition.type === 'date') parseDate(value);
    criteria.push({ definition, modifier, value });
  }

  const names = new Set(criteria.map((criterion) => criterion.definition.name));
  if (PATIENT_COMPARTMENT.has(type) && !['patient', 'subject', '_id'].some((name) => names.has(name))) {
    throw new SearchError(`A ${type} search needs patient (or subject), e.g. ?patient=Patient/{id}`);
  }
  if (type === 'Patient' && !names.has('_id') && !names.has('identifier') && !(names.has('family') && names.has('birthdate'))) {
    throw new SearchError('A Patient search needs identifier, or family and birthdate (with given and address-postalcode to narrow it)');
  }

  return resources.filter(
    (resource) =>
      resource.resourceType === type &&
      criteria.every(({ definition, modifier, value }) => {
        const candidates = definition.values(resource);
        const alternatives = definition.type === 'date' ? [value] : value.split(',');
        return alternatives.some((alternative) => candidates.some((candidate) => matches(definition, candidate, alternative, modifier)));
      }),
  );
}

function matches(definition: SearchParamDefinition, candidate: unknown, value: string, modifier: string | undefined): boolean {
  switch (definition.type) {
    case 'string': {
      if (typeof candidate !== 'string') return false;
      if (modifier === 'exact') return candidate === value;
      const fold = definition.name === 'address-postalcode' ? foldPostcode : foldString;
      return fold(candidate).startsWith(fold(value));
    }
    case 'token':
      return tokenMatches(candidate as Coding, value);
    case 'reference':
      return referenceMatches(candidate as Reference, value);
    case 'date':
      return dateMatches(candidate as string | Period, value);
  }
}

function foldString(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();
}

function foldPostcode(text: string): string {
  return text.replace(/\s+/g, '').toUpperCase();
}

function tokenMatches(coding: Coding, value: string): boolean {
  const bar = value.indexOf('|');
  if (bar === -1) return coding.code === value;
  const system = value.slice(0, bar);
  const code = value.slice(bar + 1);
  if (!system) return !coding.system && coding.code === code;
  return coding.system === system && (!code || coding.code === code);
}

function referenceMatches(reference: Reference, value: string): boolean {
  const target = reference.reference;
  if (!target) return false;
  const [type, targetId] = target.split('/');
  if (!value.includes('/')) return targetId === value;
  return value === target || value.endsWith(`/${type}/${targetId}`);
}

// ---------------------------------------------------------------------------------------
// Dates

interface Range {
  start: number;
  /** Exclusive. */
  end: number;
}

const PREFIXES = ['eq', 'ne', 'gt', 'lt', 'ge', 'le', 'sa', 'eb'] as const;
type Prefix = (typeof PREFIXES)[number];

function parseDate(raw: string): { prefix: Prefix; range: Range } {
  const prefixed = /^[a-z]{2}/.test(raw);
  const prefix = (prefixed ? raw.slice(0, 2) : 'eq') as Prefix;
  if (!PREFIXES.includes(prefix)) throw new SearchError(`Date prefix "${raw.slice(0, 2)}" is not supported`);
  const range = dateRange(prefixed ? raw.slice(2) : raw);
  if (!range) throw new SearchError(`"${raw}" is not a FHIR date`);
  return { prefix, range };
}

/** The span a FHIR date or dateTime covers at the precision it was written with (UTC). */
function dateRange(text: string): Range | undefined {
  const partial = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(text);
  if (partial) {
    const [, year, month, day] = partial;
    const start = Date.UTC(Number(year), month ? Number(month) - 1 : 0, day ? Number(day) : 1);
    const end = day
      ? Date.UTC(Number(year), Number(month) - 1, Number(day) + 1)
      : month
        ? Date.UTC(Number(year), Number(month), 1)
        : Date.UTC(Number(year) + 1, 0, 1);
    // Date.UTC rolls 2026-13-45 over into 2027; a real date reads back the same.
    const valid = new Date(start).toISOString().slice(0, text.length) === text;
    return valid ? { start, end } : undefined;
  }
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(text)) return undefined;
  const instant = Date.parse(text);
  if (Number.isNaN(instant)) return undefined;
  const seconds = /:\d{2}:\d{2}/.test(text);
  return { start: instant, end: instant + (seconds ? 1000 : 60_000) };
}

function resourceRange(value: string | Period): Range | undefined {
  if (typeof value === 'string') return dateRange(value);
  const start = value.start ? dateRange(value.start)?.start : -Infinity;
  const end = value.end ? dateRange(value.end)?.end : Infinity;
  return start === undefined || end === undefined ? undefined : { start, end };
}

function dateMatches(value: string | Period, raw: string): boolean {
  const target = resourceRange(value);
  if (!target) return false;
  const { prefix, range } = parseDate(raw);
  switch (prefix) {
    case 'eq':
      return target.start >= range.start && target.end <= range.end;
    case 'ne':
      return !(target.start >= range.start && target.end <= range.end);
    case 'gt':
      return target.end > range.end;
    case 'lt':
      return target.start < range.start;
    case 'ge':
      return target.end > range.start;
    case 'le':
      return target.start < range.end;
    case 'sa':
      return target.start >= range.end;
    case 'eb':
      return target.end <= range.start;
  }
}
