// Changes that did not reach an organisation, listed for staff and sent again, on the database under test.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { makeCitizen, useDatabaseUnderTest } from '@/lib/platform/db-test-support';
import { getDb } from '@/lib/platform/db';
import { failedDeliveries, retryDelivery } from './failed-deliveries';

const { provider } = useDatabaseUnderTest();

async function message(userId: string, status: string, extra: { attempts?: number; lastError?: string; createdAt?: Date } = {}) {
  const row = await getDb().outboxMessage.create({
    data: {
      idempotencyKey: randomUUID(),
      destination: 'council',
      topic: 'address-changed',
      userId,
      subjectId: randomUUID(),
      payload: '{}',
      status,
      attempts: extra.attempts ?? 0,
      lastError: extra.lastError ?? null,
      createdAt: extra.createdAt ?? new Date(),
    },
  });
  return row.id;
}

describe(`changes not delivered on ${provider}`, () => {
  it('lists failed changes only, oldest first, with who and where; sending one again puts it back in the queue', async () => {
    const userId = await makeCitizen({ givenName: 'Nadia', familyName: `<b>Undelivered</b>-${randomUUID().slice(0, 6)}` });
    const older = await message(userId, 'failed', { attempts: 8, lastError: 'HTTP 500', createdAt: new Date('2020-01-01T09:00:00Z') });
    const newer = await message(userId, 'failed', { attempts: 1, lastError: 'HTTP 400', createdAt: new Date('2020-01-02T09:00:00Z') });
    await message(userId, 'pending');
    await message(userId, 'delivered');

    const listed = (await failedDeliveries(getDb())).rows.filter((row) => row.citizen.startsWith('Nadia'));
    expect(listed.map((row) => row.id)).toEqual([older, newer]);
    expect(listed[0]).toMatchObject({ organisation: 'Leeds City Council', what: 'Change of address', attempts: 8, lastError: 'HTTP 500' });
    expect(listed[0]!.citizen).toContain('<b>Undelivered</b>');

    const now = new Date('2026-12-01T12:00:00Z');
    expect(await retryDelivery(getDb(), older, now)).toBe(true);
    const again = await getDb().outboxMessage.findUniqueOrThrow({ where: { id: older } });
    expect(again).toMatchObject({ status: 'pending', attempts: 0, nextAttemptAt: now, lastError: null, lockedBy: null });
    // Only once, and only failed ones; nonsense ids are refused before any query.
    expect(await retryDelivery(getDb(), older, now)).toBe(false);
    expect(await retryDelivery(getDb(), 'not a real id!', now)).toBe(false);
    expect((await failedDeliveries(getDb())).rows.map((row) => row.id)).not.toContain(older);
  });
});
