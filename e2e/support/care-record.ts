import Database from 'better-sqlite3';
import { CARE_RECORD_URL, DATABASE_FILE } from './site';

/** For the care-record journeys: the demo care record's fault switch, and forgetting a citizen's link. */

export type CareRecordFault = { mode: 'normal' } | { mode: 'slow'; delayMs: number } | { mode: 'error500' } | { mode: 'down' };

/** Changes how the demo care record behaves for every request, from now on (every test using it sees this). */
export async function setCareRecordFault(fault: CareRecordFault): Promise<void> {
  const response = await fetch(`${CARE_RECORD_URL}/_faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(fault) });
  if (!response.ok) throw new Error(`Setting the care record's fault mode failed: ${response.status}`);
}

/** Forgets which care record is theirs, so their next visit links again (the person with this given name at this provider). */
export function forgetCareRecordLink(givenName: string, provider: string): void {
  const db = new Database(DATABASE_FILE, { fileMustExist: true });
  try {
    db.prepare(
      'DELETE FROM "CareRecordLink" WHERE "userId" IN (SELECT u.id FROM "User" u JOIN "UserIdentity" i ON i."userId" = u.id WHERE u."givenName" = ? AND i.provider = ?)',
    ).run(givenName, provider);
  } finally {
    db.close();
  }
}
