// Checks the audit log's hash chain: prints "OK" and the newest entry (the head, as seq:hash)
// and exits 0, or names the first broken link and exits 1.
//
//   DATABASE_URL=... npx tsx scripts/audit-verify.ts [--head SEQ:HASH]
//
// A chain cannot show on its own that its newest entries were deleted: keep the printed head
// somewhere else (another system, a signed email), and pass it with --head next time. The check
// then also fails if that entry is no longer there, or no longer the same.
import { formatHead, holdsHead, parseHead, verifyAuditChain } from '../lib/audit/audit-log';
import { disconnectDb, getDb } from '../lib/platform/db';

const EXPLANATIONS = {
  edited: 'its content does not match its hash (it was changed after it was written)',
  unlinked: 'it does not follow from the entry before it (an entry was deleted, added or changed)',
  gap: 'a sequence number is missing before it',
} as const;

const USAGE = 'Usage: npm run audit:verify [-- --head SEQ:HASH]';

async function main(args: string[]): Promise<number> {
  let kept = null;
  if (args.length > 0) {
    kept = args.length === 2 && args[0] === '--head' ? parseHead(args[1]!) : null;
    if (!kept) {
      console.error(`${USAGE}\n  SEQ:HASH is the head a previous check printed, like 42:${'0'.repeat(64)}`);
      return 2;
    }
  }
  try {
    const result = await verifyAuditChain(getDb());
    if (!result.ok) {
      console.log(`BROKEN at seq ${result.seq}: ${EXPLANATIONS[result.problem]}`);
      return 1;
    }
    if (kept && !(await holdsHead(getDb(), kept))) {
      console.log(`BROKEN: entry ${kept.seq} you kept is gone or different (entries were deleted from the end, or the log was replaced)`);
      return 1;
    }
    console.log(`OK: ${result.entries} audit ${result.entries === 1 ? 'entry' : 'entries'}, chain intact${kept ? `, still holds entry ${kept.seq}` : ''}`);
    console.log(`Head: ${formatHead(result.head)} (keep this elsewhere; next time pass --head ${formatHead(result.head)})`);
    return 0;
  } finally {
    await disconnectDb();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`Could not check the audit log: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  },
);
