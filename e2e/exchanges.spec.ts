import { randomUUID } from 'node:crypto';
import { signRequest } from '../lib/platform/signed-requests';
import { receivedBy, receivedUnsigned } from './support/contact-details';
import { COUNCIL_RECEIVER_URL } from './support/site';
import { expect, test } from './support/test';

/**
 * Exchanges with other organisations are authenticated (lib/platform/signed-requests.ts): the demo
 * receivers keep only changes signed with the key they share with us, and show what they kept
 * only to a signed request. That the service's own changes get through signed is shown by every
 * journey that waits for "Received" (contact-details.spec.ts, failed-deliveries.spec.ts).
 */

const FORGED = JSON.stringify({
  type: 'address-changed',
  citizen: { nhsNumber: '9990012377' },
  address: { line1: '1 Forged Street', town: 'Leeds', postcode: 'LS1 6ZZ' },
});

async function postChange(headers: Record<string, string>): Promise<number> {
  const response = await fetch(`${COUNCIL_RECEIVER_URL}/address-changes`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: FORGED,
  });
  await response.body?.cancel();
  return response.status;
}

test('a receiver shows what it received only to a signed request, and keeps no unsigned or wrongly signed change', async ({ javaScriptEnabled }) => {
  test.skip(!javaScriptEnabled, 'no browser involved: once is enough');
  expect(await receivedUnsigned('council')).toBe(401);
  expect(await receivedUnsigned('care-record')).toBe(401);

  const unsigned = randomUUID();
  expect(await postChange({ 'idempotency-key': unsigned })).toBe(401);
  const wrongKey = randomUUID();
  const url = `${COUNCIL_RECEIVER_URL}/address-changes`;
  const forged = signRequest({ organisationId: 'council', secret: 'a-key-the-council-does-not-share-with-anyone', method: 'POST', url, body: FORGED });
  expect(await postChange({ 'idempotency-key': wrongKey, ...forged })).toBe(401);

  const kept = (await receivedBy('council')).map((change) => change.key);
  expect(kept).not.toContain(unsigned);
  expect(kept).not.toContain(wrongKey);
});
