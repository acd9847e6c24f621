import type { CodeableConcept, Condition as FhirCondition, Patient, Reference } from '@medplum/fhirtypes';
import { addConditionInTransaction, findCondition, LISTED_CONDITIONS, listConditions, validateCondition, type Condition } from '@/lib/about-me/public';
import { auditedTransaction } from '@/lib/audit/public';
import { log } from '@/lib/platform/log';
import { appendAppAccess, recordAppAccess } from './app-audit';
import { readResource } from './body';
import { patientIdOf, requireScope, type FhirContext } from './context';
import { refuse, type FhirResponse, type Issue } from './outcome';
import { checkOwnPatient, readSearch, readTokens, searchBundle, tokenMatches, valuesOf } from './search';
import { checkSubject } from './subject';

/**
 * Condition: the long-term conditions the citizen told us about (about me), in the order they
 * added them. Each is active, on their problem list, asserted and recorded by the patient
 * themselves (no clinician confirmed it here, so there is no verificationStatus), coded with
 * SNOMED CT when it came from our list and in the citizen's own words otherwise.
 *
 * An app may add one (patient/Condition.c) under the web form's rules and messages: a SNOMED CT
 * code from our list, or its name in code.text (100 characters at most); one already on the
 * list is refused.
 */

const TYPE = 'Condition';
const SNOMED = 'http://snomed.info/sct';
const CLINICAL = 'http://terminology.hl7.org/CodeSystem/condition-clinical';
const CATEGORY = 'http://terminology.hl7.org/CodeSystem/condition-category';

const active: CodeableConcept = { coding: [{ system: CLINICAL, code: 'active', display: 'Active' }] };
const problemList: CodeableConcept[] = [{ coding: [{ system: CATEGORY, code: 'problem-list-item', display: 'Problem List Item' }] }];

export const CONDITION_SEARCH_PARAMETERS = ['code', 'category', 'clinical-status', 'patient', 'subject'] as const;

function asCondition(condition: Condition, patientId: string): FhirCondition {
  const patient: Reference<Patient> = { reference: `Patient/${patientId}`, type: 'Patient' };
  return {
    resourceType: 'Condition',
    id: condition.id,
    clinicalStatus: active,
    category: problemList,
    code: condition.code ? { coding: [{ system: SNOMED, code: condition.code, display: condition.name }], text: condition.name } : { text: condition.name },
    subject: patient,
    recordedDate: condition.addedAt.toISOString(),
    recorder: patient,
    asserter: patient,
  };
}

export async function readCondition(context: FhirContext, id: string): Promise<FhirResponse> {
  requireScope(context, TYPE, 'r');
  const { db, caller, request } = context;
  const condition = await findCondition(db, caller.userId, id);
  if (!condition) throw refuse.notFound(TYPE, id);
  const resource = asCondition(condition, patientIdOf(context));
  await recordAppAccess(db, caller, { action: 'view', category: 'conditions', interaction: 'read', resourceType: TYPE, id }, request.now);
  return { status: 200, body: resource };
}

export async function searchConditions(context: FhirContext, query: URLSearchParams): Promise<FhirResponse> {
  requireScope(context, TYPE, 's');
  const { db, caller, request } = context;
  const search = readSearch(query, CONDITION_SEARCH_PARAMETERS);
  for (const name of ['patient', 'subject']) for (const value of valuesOf(search, name)) checkOwnPatient(name, value, patientIdOf(context), request.baseUrl);
  const matching = (await listConditions(db, caller.userId)).map((condition) => asCondition(condition, patientIdOf(context)));
  const tokens = (name: string) => valuesOf(search, name).map((value) => readTokens(name, value));
  const [codes, categories, statuses] = [tokens('code'), tokens('category'), tokens('clinical-status')];
  const all = matching.filter(
    (condition) =>
      codes.every((token) => tokenMatches(token, condition.code!.coding ?? [])) &&
      categories.every((token) => tokenMatches(token, condition.category![0]!.coding!)) &&
      statuses.every((token) => tokenMatches(token, condition.clinicalStatus!.coding!)),
  );
  const resources = all.slice(search.offset, search.offset + search.count);
  await recordAppAccess(
    db,
    caller,
    { action: 'view', category: 'conditions', interaction: 'search', resourceType: TYPE, matches: resources.length },
    request.now,
  );
  return { status: 200, body: searchBundle({ baseUrl: request.baseUrl, type: TYPE, search, total: all.length, resources, now: request.now }) };
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const codingsOf = (concept: unknown): Json[] => (isObject(concept) && Array.isArray(concept.coding) ? concept.coding.filter(isObject) : []);
const hasCode = (concept: unknown, system: string, code: string) => codingsOf(concept).some((coding) => coding.system === system && coding.code === code);

/** The form's answers a sent Condition stands for: a condition from our list, or the words for one. */
function formValuesOf(sent: Json): Record<string, string> {
  if (!isObject(sent.code)) throw refuse.invalid('code is required: the condition, as a SNOMED CT code or in words (code.text)', 'Condition.code');
  const problems: Issue[] = [];
  if (sent.clinicalStatus !== undefined && !hasCode(sent.clinicalStatus, CLINICAL, 'active')) {
    problems.push({
      code: 'business-rule',
      diagnostics: 'Only a condition the person has now can be added: clinicalStatus active',
      expression: 'Condition.clinicalStatus',
    });
  }
  const verification = codingsOf(sent.verificationStatus).map((coding) => coding.code);
  if (verification.includes('refuted') || verification.includes('entered-in-error')) {
    problems.push({
      code: 'business-rule',
      diagnostics: 'A refuted or entered-in-error condition cannot be added',
      expression: 'Condition.verificationStatus',
    });
  }
  if (problems.length > 0) throw refuse.unprocessable(problems);
  const listed = LISTED_CONDITIONS.find((condition) => hasCode(sent.code, SNOMED, condition.code));
  if (listed) return { condition: listed.code };
  const words = typeof sent.code.text === 'string' ? sent.code.text : codingsOf(sent.code).find((coding) => typeof coding.display === 'string')?.display;
  if (typeof words === 'string' && words.trim() !== '') return { otherCondition: words };
  throw refuse.unprocessable([
    {
      code: 'required',
      diagnostics: 'code must name the condition: a SNOMED CT code from the list in the CapabilityStatement, or its name in code.text',
      expression: 'Condition.code',
    },
  ]);
}

export async function createCondition(context: FhirContext): Promise<FhirResponse> {
  requireScope(context, TYPE, 'c');
  const { db, caller, request } = context;
  const sent = readResource(request.body, request.contentType, TYPE);
  await checkSubject(context, sent.subject);
  const values = formValuesOf(sent);
  const held = await listConditions(db, caller.userId);
  const checked = validateCondition(values, held);
  if (!checked.ok) throw refuse.unprocessable(checked.errors.summary.map((error) => ({ code: 'business-rule', diagnostics: error.text })));

  const added = await auditedTransaction(db, async (tx) => {
    const condition = await addConditionInTransaction(tx, caller.userId, checked.data, request.now);
    if (condition) {
      await appendAppAccess(tx, caller, { action: 'add', category: 'conditions', interaction: 'create', resourceType: TYPE, id: condition.id }, request.now);
    }
    return condition;
  });
  // Added by another request in the meantime: the same answer the form's rule gives.
  if (!added) throw refuse.unprocessable([{ code: 'duplicate', diagnostics: `You have already added ${checked.data.name}` }]);
  log.info('condition-added', { appId: caller.appId });
  return { status: 201, headers: { location: `${request.baseUrl}/${TYPE}/${added.id}` }, body: asCondition(added, patientIdOf(context)) };
}
