import { readReceived } from './address-receiver';

/**
 * Shows what a demo receiver kept (its GET /received needs a signed request):
 *
 *   npx tsx scripts/receivers/received.ts http://localhost:3600 [organisation]
 *
 * Signed with the organisation's key from RECEIVER_KEY, or its development key (default: council).
 */
async function main() {
  const [url, organisationId = 'council'] = process.argv.slice(2);
  if (!url) throw new Error('Usage: npx tsx scripts/receivers/received.ts <receiver URL> [organisation]');
  const secret = process.env.RECEIVER_KEY?.trim();
  const received = await readReceived(url, { organisationId, ...(secret ? { secret } : {}) });
  process.stdout.write(`${JSON.stringify(received, null, 2)}\n`);
}

main().catch((error: Error) => {
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
});
