// Checks the audit log: every entry's keyed hash (AUDIT_HMAC_KEY, and AUDIT_HMAC_PREVIOUS_KEYS
// for entries made before a key was rotated), and every head anchored in AUDIT_ANCHOR_FILE: each
// must still be in the chain, unchanged, and no lane of the chain may end before the furthest of
// them. Prints "OK" and the heads (LANE:LANESEQ:HASH of each lane's newest entry) and exits 0, or
// names the first problem and exits 1 (2 when it could not check).
//
//   DATABASE_URL=... AUDIT_HMAC_KEY=... AUDIT_ANCHOR_FILE=... npx tsx scripts/audit-verify.ts [--anchor] [--head HEADS]
//
// --anchor   after a good check, anchors the heads now (as the app does on its schedule)
// --head     also checks heads kept by hand elsewhere (as printed by an earlier check; a SEQ:HASH
//            printed before lanes is lane 0's)
import { anchoredSeq, readAnchors, type Anchor } from '../lib/audit/anchor';
import { anchorAuditHead, formatHeads, headNotHeld, parseHeads, verifyAuditChain, type ChainBreak, type LanePlaceHash } from '../lib/audit/audit-log';
import { config } from '../lib/platform/config';
import { disconnectDb, getDb } from '../lib/platform/db';

const USAGE = 'Usage: npm run audit:verify [-- [--anchor] [--head HEADS]]';

const ANCHOR_FILE_PROBLEMS = {
  unreadable: 'is not an anchor',
  'unknown-key': 'is signed with a key this check does not have',
  'bad-signature': 'does not carry a valid signature (it was not written with the audit key)',
} as const;

function explain(problem: ChainBreak): string {
  switch (problem.problem) {
    case 'edited':
      return `BROKEN at seq ${problem.seq}: its content does not match its hash (it was changed after it was written, or its hash was made without the audit key)`;
    case 'unlinked':
      return `BROKEN at seq ${problem.seq}: it does not follow from the entry before it in its lane (an entry was deleted, added, changed or moved)`;
    case 'gap':
      return `BROKEN at seq ${problem.seq}: a number in its lane is missing before it`;
    case 'unkeyed':
      return `BROKEN at seq ${problem.seq}: its hash was made without the audit key, where only keyed hashes are accepted (the chain was recomputed)`;
    case 'unknown-key':
      return `BROKEN at seq ${problem.seq}: its hash names a key this check does not have (after a key rotation, set AUDIT_HMAC_PREVIOUS_KEYS)`;
    case 'not-anchored':
      return `BROKEN at seq ${problem.seq}: it is not the entry anchored at ${problem.anchoredAt.toISOString()} (the log was rewritten)`;
    case 'cut-back':
      return problem.lastSeq === 0
        ? `BROKEN: lane ${problem.lane} of the chain is gone, but seq ${problem.seq} in it was anchored at ${problem.anchoredAt.toISOString()} (its entries were deleted)`
        : `BROKEN: lane ${problem.lane} of the chain ends at seq ${problem.lastSeq}, but seq ${problem.seq} in it was anchored at ${problem.anchoredAt.toISOString()} (entries were deleted from the end)`;
  }
}

function parseArgs(args: string[]): { anchor: boolean; kept: LanePlaceHash[] | null } | null {
  let anchor = false;
  let kept: LanePlaceHash[] | null = null;
  for (let index = 0; index < args.length; index += 1) {
    if (args[index] === '--anchor') anchor = true;
    else if (args[index] === '--head' && (kept = parseHeads(args[index + 1] ?? ''))) index += 1;
    else return null;
  }
  return { anchor, kept };
}

async function main(args: string[]): Promise<number> {
  const options = parseArgs(args);
  if (!options) {
    console.error(`${USAGE}\n  HEADS are the heads a previous check printed, like 0:42:hmac:k1:${'0'.repeat(64)},3:7:hmac:k1:${'0'.repeat(64)}`);
    return 2;
  }
  const { anchorFile, key, keys } = config().audit;
  try {
    const read = await readAnchors(anchorFile, keys);
    if ('problem' in read) {
      console.log(`BROKEN: line ${read.line} of the anchor file ${anchorFile} ${ANCHOR_FILE_PROBLEMS[read.problem]}`);
      return 1;
    }
    const anchors: Anchor[] = [...read.anchors];
    const result = await verifyAuditChain(getDb(), { keys, anchors });
    if (!result.ok) {
      console.log(explain(result));
      return 1;
    }
    const notHeld = options.kept && (await headNotHeld(getDb(), options.kept));
    if (notHeld) {
      console.log(
        `BROKEN: entry ${notHeld.laneSeq} of lane ${notHeld.lane} you kept is gone or different (entries were deleted from the end, or the log was replaced)`,
      );
      return 1;
    }
    if (options.anchor) {
      const outcome = await anchorAuditHead(getDb(), { file: anchorFile, key, keys });
      if ('refused' in outcome) {
        console.log(`NOT ANCHORED: the chain changed while it was checked (${outcome.refused.problem}); check again`);
        return 1;
      }
      if ('anchored' in outcome) anchors.push(outcome.anchored);
    }
    if (anchors.length === 0 && result.entries > 0) {
      console.log(
        `NOT ANCHORED: the chain is whole, but no head is anchored in ${anchorFile}, so it cannot show that it was not cut back or rebuilt. ` +
          'The app anchors at start-up and on its schedule; check AUDIT_ANCHOR_FILE, or run this with --anchor.',
      );
      return 1;
    }
    const newest = anchors.reduce<Anchor | undefined>((latest, anchor) => (!latest || anchor.at > latest.at ? anchor : latest), undefined);
    const unkeyed = result.lastUnkeyed > 0 ? `, entries 1 to ${result.lastUnkeyed} from before the key` : '';
    const lanes = result.heads.length > 1 ? ` in ${result.heads.length} lanes` : '';
    const anchored = newest
      ? `, ${anchors.length} anchored ${anchors.length === 1 ? 'head' : 'heads'} still in it (the newest at ${newest.at.toISOString()}, up to seq ${anchoredSeq(newest)})`
      : '';
    console.log(
      `OK: ${result.entries} audit ${result.entries === 1 ? 'entry' : 'entries'}${lanes}, chain intact${unkeyed}${anchored}${options.kept ? ', still holds the heads you kept' : ''}`,
    );
    console.log(`Heads: ${result.heads.length > 0 ? formatHeads(result.heads) : 'none yet'}`);
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
