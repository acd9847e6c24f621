import type { Coding, Observation } from '@medplum/fhirtypes';
import { auditedTransaction } from '@/lib/audit/public';
import { addReadingsInTransaction, bloodPressureCoding as bp, bloodPressureObservation, findOwnReading, findReadings } from '@/lib/blood-pressure/public';
import { log } from '@/lib/platform/log';
import { deliverSoon } from '@/lib/platform/outbox';
import { appendAppAccess, recordAppAccess } from './app-audit';
import { readResource } from './body';
import { requireScope, patientIdOf, type FhirContext } from './context';
import { refuse, type FhirResponse } from './outcome';
import { checkOwnPatient, intersect, isEmpty, readDate, readSearch, readTokens, searchBundle, tokenMatches, valuesOf } from './search';
import { readingFromObservation } from './blood-pressure-input';
import { asksForTestResults, isCareRecordId, readFromCareRecord, searchTestResults } from './care-record';
import { checkSubject } from './subject';

/**
 * Observation: the citizen's blood pressure readings, as UK Core vital-signs blood pressure
 * Observations (lib/blood-pressure/fhir.ts, the same as the care record receives): read by
 * id, searched, and added by an app under the web form's rules. A search for another code
 * finds nothing. Pulse is not offered here yet (it is its own heart-rate Observation in UK
 * Core, and the API does not serve that yet).
 *
 * Also their test results from the care record (care-record.ts), read only: a search whose
 * every category is laboratory, and a read of a `cr-` id. Any other search is of the
 * readings, as before (with no code and no category: all of them).
 */

const TYPE = 'Observation';

const panelCodings: Coding[] = [
  { system: bp.loinc, code: bp.panel.loinc },
  { system: bp.snomed, code: bp.panel.snomed },
];
const categoryCodings: Coding[] = [{ system: bp.categorySystem, code: 'vital-signs' }];

export const OBSERVATION_SEARCH_PARAMETERS = ['code', 'category', 'date', 'patient', 'subject'] as const;

const asObservation = (reading: Parameters<typeof bloodPressureObservation>[0], context: FhirContext): Observation =>
  bloodPressureObservation(reading, { id: patientIdOf(context) });

export async function readObservation(context: FhirContext, id: string): Promise<FhirResponse> {
  requireScope(context, TYPE, 'r');
  if (isCareRecordId(id)) return readFromCareRecord(context, TYPE, id);
  const { db, caller, request } = context;
  const reading = await findOwnReading(db, caller.userId, id);
  if (!reading) throw refuse.notFound(TYPE, id);
  const resource = asObservation(reading, context);
  await recordAppAccess(db, caller, { action: 'view', category: 'blood-pressure', interaction: 'read', resourceType: TYPE, id }, request.now);
  return { status: 200, body: resource };
}

export async function searchObservations(context: FhirContext, query: URLSearchParams): Promise<FhirResponse> {
  requireScope(context, TYPE, 's');
  const { db, caller, request } = context;
  const search = readSearch(query, OBSERVATION_SEARCH_PARAMETERS);
  if (asksForTestResults(search)) return searchTestResults(context, search);
  for (const name of ['patient', 'subject']) for (const value of valuesOf(search, name)) checkOwnPatient(name, value, patientIdOf(context), request.baseUrl);
  // Each occurrence must match (and), each comma-separated alternative may (or).
  const codeMatches = valuesOf(search, 'code').every((value) => tokenMatches(readTokens('code', value), panelCodings));
  const categoryMatches = valuesOf(search, 'category').every((value) => tokenMatches(readTokens('category', value), categoryCodings));
  const window = intersect(valuesOf(search, 'date').map((value) => readDate('date', value)));

  const found =
    codeMatches && categoryMatches && !isEmpty(window)
      ? await findReadings(db, caller.userId, { ...window, skip: search.offset, take: search.count })
      : { readings: [], total: 0 };
  const resources = found.readings.map((reading) => asObservation(reading, context));
  await recordAppAccess(
    db,
    caller,
    { action: 'view', category: 'blood-pressure', interaction: 'search', resourceType: TYPE, matches: resources.length },
    request.now,
  );
  return { status: 200, body: searchBundle({ baseUrl: request.baseUrl, type: TYPE, search, total: found.total, resources, now: request.now }) };
}

export async function createObservation(context: FhirContext): Promise<FhirResponse> {
  requireScope(context, TYPE, 'c');
  const { db, caller, request } = context;
  const sent = readResource(request.body, request.contentType, TYPE);
  await checkSubject(context, sent.subject);
  const result = readingFromObservation(sent, request.now);
  if (!('reading' in result)) throw result.status === 400 ? refuse.badRequest(result.issues) : refuse.unprocessable(result.issues);

  // The reading, its history and the audit entry are written together, or none of them.
  const saved = await auditedTransaction(db, async (tx) => {
    const added = await addReadingsInTransaction(tx, caller.userId, [result.reading], request.now, { appId: caller.appId });
    const reading = added.readings[0]!;
    await appendAppAccess(tx, caller, { action: 'add', category: 'blood-pressure', interaction: 'create', resourceType: TYPE, id: reading.id }, request.now);
    return { reading, weeksWorkedOutAgain: added.workedOutAgain.length };
  });
  log.info('blood-pressure-reading-added', { readings: 1, weeksWorkedOutAgain: saved.weeksWorkedOutAgain, appId: caller.appId });
  // As after the form: most readings reach the care record before the app's next request.
  await deliverSoon(caller.userId);
  return {
    status: 201,
    headers: { location: `${request.baseUrl}/${TYPE}/${saved.reading.id}` },
    body: asObservation(saved.reading, context),
  };
}
