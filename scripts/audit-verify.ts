// Checks the audit log's hash chain: prints "OK" and exits 0, or names the first broken link
// and exits 1. Usage: DATABASE_URL=... npx tsx scripts/audit-verify.ts
import { verifyAuditChain } from '../lib/audit/audit-log';
import { disconnectDb, getDb } from '../lib/platform/db';

const EXPLANATIONS = {
  edited: 'its content does not match its hash (it was changed after it was written)',
  unlinked: 'it does not follow from the entry before it (an entry was deleted, added or changed)',
  gap: 'a sequence number is missing before it',
} as const;

async function main(): Promise<number> {
  try {
    const result = await verifyAuditChain(getDb());
    if (result.ok) {
      console.log(`OK: ${result.entries} audit ${result.entries === 1 ? 'entry' : 'entries'}, chain intact`);
      return 0;
    }
    console.log(`BROKEN at seq ${result.seq}: ${EXPLANATIONS[result.problem]}`);
    return 1;
  } finally {
    await disconnectDb();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`Could not check the audit log: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  },
);
