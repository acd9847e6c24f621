// Benchmark: audit appends per second with several writers at once, against the app's configured
// database (DATABASE_URL). Each writer is one request after another, each recording one entry for
// a citizen of its own, as many pages recording a view at the same time would. Called by the
// scale benchmark; it writes real audit entries, so point it at a database made for the run.
import { recordAudit } from '../../../lib/audit/audit-log';
import { getDb } from '../../../lib/platform/db';

export async function auditAppendsPerSecond(writers: number, seconds: number): Promise<{ appends: number; perSecond: number }> {
  const db = getDb();
  const run = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  const started = performance.now();
  const until = started + seconds * 1000;
  let appends = 0;
  const writer = async (index: number) => {
    while (performance.now() < until) {
      // A different citizen for every append: which entries share a lane is then up to chance, as in use.
      await recordAudit(db, {
        citizenId: `bench-${run}-${index}-${appends}`,
        actorKind: 'staff',
        actorId: `bench-staff-${index}`,
        actorName: 'Bench Professional',
        actorOrganisation: 'Bench Surgery (ZZ9999)',
        actorRole: 'General Practitioner',
        action: 'view',
        category: 'top-three',
        detail: { writer: index },
      });
      appends += 1;
    }
  };
  await Promise.all(Array.from({ length: writers }, (_, index) => writer(index)));
  const elapsed = (performance.now() - started) / 1000;
  return { appends, perSecond: Math.round((appends / elapsed) * 10) / 10 };
}
