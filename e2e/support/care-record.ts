import Database from 'better-sqlite3';
import { CARE_RECORD_URL, DATABASE_FILE } from './site';

/** For the care-record journeys: the demo care record's fault switch, and finding a signed-in person's account. */

export type CareRecordFault = { mode: 'normal' } | { mode: 'slow'; delayMs: number } | { mode: 'error500' } | { mode: 'down' };

/** Changes how the demo care record behaves for every request, from now on (every test using it sees this). */
export async function setCareRecordFault(fault: CareRecordFault): Promise<void> {
  const response = await fetch(`${CARE_RECORD_URL}/_faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(fault) });
  if (!response.ok) throw new Error(`Setting the care record's fault mode failed: ${response.status}`);
}

/** Our account for the person this identity provider knows by this subject (their `sub`). */
export function accountOf(provider: string, subject: string): string {
  const db = new Database(DATABASE_FILE, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    const row = db.prepare('SELECT "userId" FROM "UserIdentity" WHERE provider = ? AND subject = ?').get(provider, subject) as { userId: string } | undefined;
    if (!row) throw new Error(`No account here for that ${provider} subject`);
    return row.userId;
  } finally {
    db.close();
  }
}
