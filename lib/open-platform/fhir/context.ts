import type { CareRecordClient } from '@/lib/care-record/public';
import type { Db } from '@/lib/platform/db';
import { refuse } from './outcome';
import { allows, type Permission } from './scopes';

/** Who is calling: the app, with the citizen's consent, for that citizen's record only. */
export type ApiCaller = {
  /** The PHR user the token is for: their Patient (its id is this) and nothing else. */
  userId: string;
  /** The app's client id. */
  appId: string;
  /** Shown to the citizen in "Who has viewed your information". */
  appName: string;
  /** Granted SMART v2 scopes, e.g. patient/Observation.rs, patient/Observation.c, patient/*.rs. */
  scopes: ReadonlySet<string>;
};

export type FhirRequest = {
  /** GET or POST; anything else is a 405. */
  method: string;
  /** The segments after /fhir/r4: ['Observation'], ['Observation', '<id>']. */
  path: string[];
  query: URLSearchParams;
  /** The body as text (the route limits it to 64 KB; checked again here). */
  body?: string;
  contentType?: string | null;
  /** Absolute, e.g. http://localhost:3000/fhir/r4. */
  baseUrl: string;
  now: Date;
};

/** What the API reaches besides the database; tests pass their own. */
export type FhirServices = {
  /** The shared care record's client; default: the process's one (its cache and breaker shared with the pages). */
  careRecord?: CareRecordClient;
};

/** What one request is handled with. */
export type FhirContext = { db: Db; caller: ApiCaller; request: FhirRequest } & FhirServices;

const ACTIONS: Record<Permission, string> = { c: 'add', r: 'read', u: 'change', d: 'delete', s: 'search' };

/** Refuses (403) unless the app was given this permission for this type of resource. */
export function requireScope(context: FhirContext, type: string, ...permissions: Permission[]): void {
  if (permissions.some((permission) => allows(context.caller.scopes, type, permission))) return;
  const needed = permissions.map((permission) => `patient/${type}.${permission}`).join(' or ');
  throw refuse.forbidden(`This app has not been allowed to ${ACTIONS[permissions[0]!]} ${type} resources: that needs the scope ${needed}`);
}

/** The caller's own Patient's id: their PHR user id. */
export const patientIdOf = (context: FhirContext) => context.caller.userId;
