import type { CareTeam, Consent, Patient, Reference } from '@medplum/fhirtypes';
import { PHR_CODE_SYSTEM } from '@/lib/platform/care-record-entries';
import { CATEGORY_TEXT, sharingConsents, type Category } from '@/lib/sharing/public';
import { recordAppAccess } from './app-audit';
import { patientIdOf, requireScope, type FhirContext } from './context';
import { refuse, type FhirResponse } from './outcome';
import { checkOwnPatient, readSearch, readTokens, searchBundle, tokenMatches, valuesOf } from './search';

/**
 * Consent: the citizen's sharing choices (/sharing), one per kind of information they add,
 * each permitting or denying the professionals caring for them to see it, for their care.
 * A category they never chose is shared by default and says so (no dateTime: never chosen).
 * Read and search only: choices are changed by the citizen on the sharing page.
 */

const TYPE = 'Consent';

const consentId = (userId: string, category: Category) => `sharing-${category}-${userId}`;

const PROFESSIONALS_CARING: Reference<CareTeam> = { display: 'The professionals caring for this person' };

function asConsent(choice: Awaited<ReturnType<typeof sharingConsents>>[number], patientId: string): Consent {
  const patient: Reference<Patient> = { reference: `Patient/${patientId}`, type: 'Patient' };
  return {
    resourceType: 'Consent',
    id: consentId(patientId, choice.category),
    status: 'active',
    scope: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'patient-privacy', display: 'Privacy Consent' }] },
    category: [{ coding: [{ system: 'http://loinc.org', code: '59284-0', display: 'Patient Consent' }] }],
    patient,
    ...(choice.chosenAt ? { dateTime: choice.chosenAt.toISOString(), performer: [patient] } : {}),
    policyRule: {
      coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: choice.shared ? 'OPTIN' : 'OPTOUT' }],
      text: choice.chosenAt ? 'Chosen by the person' : 'Shared by default: the person has not chosen',
    },
    provision: {
      type: choice.shared ? 'permit' : 'deny',
      actor: [
        {
          role: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-RoleClass', code: 'PROV', display: 'healthcare provider' }] },
          reference: PROFESSIONALS_CARING,
        },
      ],
      action: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentaction', code: 'access' }] }],
      purpose: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActReason', code: 'TREAT', display: 'treatment' }],
      code: [{ coding: [{ system: PHR_CODE_SYSTEM, code: choice.category }], text: CATEGORY_TEXT[choice.category].name }],
    },
  };
}

export async function readConsent(context: FhirContext, id: string): Promise<FhirResponse> {
  requireScope(context, TYPE, 'r');
  const { db, caller, request } = context;
  const choice = (await sharingConsents(db, caller.userId)).find((one) => consentId(caller.userId, one.category) === id);
  if (!choice) throw refuse.notFound(TYPE, id);
  await recordAppAccess(db, caller, { action: 'view', category: 'sharing', interaction: 'read', resourceType: TYPE, id }, request.now);
  return { status: 200, body: asConsent(choice, patientIdOf(context)) };
}

export const CONSENT_SEARCH_PARAMETERS = ['patient', 'status'] as const;

export async function searchConsents(context: FhirContext, query: URLSearchParams): Promise<FhirResponse> {
  requireScope(context, TYPE, 's');
  const { db, caller, request } = context;
  const search = readSearch(query, CONSENT_SEARCH_PARAMETERS);
  for (const value of valuesOf(search, 'patient')) checkOwnPatient('patient', value, patientIdOf(context), request.baseUrl);
  const active = valuesOf(search, 'status').every((value) =>
    tokenMatches(readTokens('status', value), [{ system: 'http://hl7.org/fhir/consent-state-codes', code: 'active' }]),
  );
  const all = active ? (await sharingConsents(db, caller.userId)).map((choice) => asConsent(choice, patientIdOf(context))) : [];
  const resources = all.slice(search.offset, search.offset + search.count);
  await recordAppAccess(db, caller, { action: 'view', category: 'sharing', interaction: 'search', resourceType: TYPE, matches: resources.length }, request.now);
  return { status: 200, body: searchBundle({ baseUrl: request.baseUrl, type: TYPE, search, total: all.length, resources, now: request.now }) };
}
