import { randomUUID } from 'node:crypto';
import type { Db } from '@/lib/platform/db';
import type { ChosenAddress } from './address';
import { changeAddress, saveDraft } from './store';

/** A registered citizen of their own, for database tests. */
export async function makeCitizen(db: Db, givenName = 'Test'): Promise<string> {
  const user = await db.user.create({
    data: { givenName, familyName: `Citizen-${randomUUID().slice(0, 8)}`, birthDate: '1980-01-01', nhsNumber: '9990012377', identityLevel: 'P9', registeredAt: new Date() },
  });
  return user.id;
}

export const SAMPLE_ADDRESS: ChosenAddress = { line1: '3 Sample Street', town: 'Leeds', postcode: 'LS1 6ZZ', source: 'lookup', uprn: '990000102' };

/** Goes through the journey's last step: a draft, then the confirmed change. */
export async function confirmAddress(db: Db, userId: string, address: ChosenAddress = SAMPLE_ADDRESS, now = new Date()): Promise<string> {
  await saveDraft(db, userId, 'address', { address });
  const id = await changeAddress(db, userId, address, now);
  if (!id) throw new Error('address change not made');
  return id;
}
