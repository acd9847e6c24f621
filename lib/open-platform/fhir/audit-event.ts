import type { AuditEvent, AuditEventAgent } from '@medplum/fhirtypes';
import { config } from '@/lib/platform/config';
import { accessAt, accessesWindow, type AccessRow } from '@/lib/sharing/public';
import { recordAppAccess } from './app-audit';
import { patientIdOf, requireScope, type FhirContext } from './context';
import { refuse, type FhirResponse } from './outcome';
import { checkOwnPatient, readSearch, searchBundle, valuesOf } from './search';

/**
 * AuditEvent: "Who has viewed your information", exactly what that page lists (lib/sharing),
 * newest first: each look, download and emergency access by a professional, and each read and
 * addition by an app the citizen connected. The id is the entry's place in the audit log.
 * What was seen is in the citizen's own words (entity.description), as on the page.
 */

const TYPE = 'AuditEvent';
const DCM = 'http://dicom.nema.org/resources/ontology/DCM';

function agentOf(row: AccessRow): AuditEventAgent {
  return {
    type: row.app
      ? { coding: [{ system: DCM, code: '110150', display: 'Application' }] }
      : { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/extra-security-role-type', code: 'humanuser', display: 'human user' }] },
    who: { display: row.organisation ? `${row.who}, ${row.organisation}` : row.who },
    name: row.who,
    ...(row.role ? { role: [{ text: row.role }] } : {}),
    requestor: true,
    ...(row.reason ? { purposeOfUse: [{ text: row.reason }] } : {}),
  };
}

function asAuditEvent(row: AccessRow, patientId: string): AuditEvent {
  return {
    resourceType: 'AuditEvent',
    id: String(row.seq),
    type: { system: DCM, code: '110110', display: 'Patient Record' },
    action: row.action === 'add' ? 'C' : row.action === 'proxy-changed' ? 'U' : row.action.startsWith('emergency-access') ? 'E' : 'R',
    recorded: row.at.toISOString(),
    outcome: '0',
    ...(row.emergency
      ? { purposeOfEvent: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActReason', code: 'ETREAT', display: 'Emergency Treatment' }] }] }
      : {}),
    agent: [agentOf(row)],
    source: { observer: { display: config().service.name } },
    entity: [{ what: { reference: `Patient/${patientId}` }, description: row.what }],
  };
}

export async function readAuditEvent(context: FhirContext, id: string): Promise<FhirResponse> {
  requireScope(context, TYPE, 'r');
  const { db, caller, request } = context;
  const row = /^[1-9]\d{0,9}$/.test(id) ? await accessAt(db, caller.userId, Number(id)) : null;
  if (!row) throw refuse.notFound(TYPE, id);
  await recordAppAccess(db, caller, { action: 'view', category: 'access-log', interaction: 'read', resourceType: TYPE, id }, request.now);
  return { status: 200, body: asAuditEvent(row, patientIdOf(context)) };
}

export const AUDIT_EVENT_SEARCH_PARAMETERS = ['patient'] as const;

export async function searchAuditEvents(context: FhirContext, query: URLSearchParams): Promise<FhirResponse> {
  requireScope(context, TYPE, 's');
  const { db, caller, request } = context;
  const search = readSearch(query, AUDIT_EVENT_SEARCH_PARAMETERS);
  for (const value of valuesOf(search, 'patient')) checkOwnPatient('patient', value, patientIdOf(context), request.baseUrl);
  const found = await accessesWindow(db, caller.userId, { skip: search.offset, take: search.count });
  const resources = found.rows.map((row) => asAuditEvent(row, patientIdOf(context)));
  await recordAppAccess(
    db,
    caller,
    { action: 'view', category: 'access-log', interaction: 'search', resourceType: TYPE, matches: resources.length },
    request.now,
  );
  return { status: 200, body: searchBundle({ baseUrl: request.baseUrl, type: TYPE, search, total: found.total, resources, now: request.now }) };
}
