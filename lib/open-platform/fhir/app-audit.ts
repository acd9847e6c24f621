import { appendAuditEntry, auditedTransaction, type AuditActor, type Tx } from '@/lib/audit/public';
import type { Db } from '@/lib/platform/db';
import type { ApiCaller } from './api';

/**
 * Every read, search and create by an app goes in the audit log, as the app (actorKind `app`,
 * its client id and name), so the citizen sees it under "Who has viewed your information".
 * The entry is written before the answer is sent: if it cannot be written, the app gets an
 * error, never the data.
 */

/**
 * What the API's audit entries are about (AuditEntry.category), each worded for the citizen in
 * lib/sharing/access-log.ts. The care record's sections are told apart, as the citizen's pages
 * tell them apart.
 */
export type AppAuditCategory =
  | 'patient'
  | 'blood-pressure'
  | 'conditions'
  | 'sharing'
  | 'access-log'
  | 'care-record'
  | 'care-record-allergies'
  | 'care-record-medicines'
  | 'care-record-vaccinations'
  | 'care-record-test-results'
  | 'care-record-appointments'
  | 'care-record-letters';

export type AppAccess = {
  /** view: read or searched; add: created. */
  action: 'view' | 'add';
  category: AppAuditCategory;
  interaction: 'read' | 'search' | 'create';
  resourceType: string;
  /** The resource read or created. */
  id?: string;
  /** How many resources a search returned. */
  matches?: number;
};

export function appActor(caller: ApiCaller): AuditActor {
  return { actorKind: 'app', actorId: caller.appId, actorName: caller.appName, actorOrganisation: null, actorRole: null };
}

function entry(caller: ApiCaller, access: AppAccess) {
  return {
    ...appActor(caller),
    citizenId: caller.userId,
    action: access.action,
    category: access.category,
    detail: {
      interaction: access.interaction,
      resourceType: access.resourceType,
      ...(access.id === undefined ? {} : { id: access.id }),
      ...(access.matches === undefined ? {} : { matches: access.matches }),
    },
  };
}

/** Records one access on its own. */
export async function recordAppAccess(db: Db, caller: ApiCaller, access: AppAccess, now: Date): Promise<void> {
  await auditedTransaction(db, (tx) => appendAuditEntry(tx, entry(caller, access), now));
}

/** Records one access inside the transaction that did it (a create). */
export async function appendAppAccess(tx: Tx, caller: ApiCaller, access: AppAccess, now: Date): Promise<void> {
  await appendAuditEntry(tx, entry(caller, access), now);
}
