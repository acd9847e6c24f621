import { makeCitizen as makeRegisteredCitizen } from '@/lib/platform/db-test-support';
import type { Db } from '@/lib/platform/db';
import type { ChosenAddress } from './address';
import { changeAddress, saveDraft } from './store';

/** A registered citizen of their own with an NHS number (the care record system knows people by it). */
export function makeCitizen(db: Db, givenName = 'Test'): Promise<string> {
  return makeRegisteredCitizen({ givenName, nhsNumber: '9990012377' }, db);
}

export const SAMPLE_ADDRESS: ChosenAddress = { line1: '3 Sample Street', town: 'Leeds', postcode: 'LS1 6ZZ', source: 'lookup', uprn: '990000102' };

/** Goes through the journey's last step: a draft, then the confirmed change. */
export async function confirmAddress(db: Db, userId: string, address: ChosenAddress = SAMPLE_ADDRESS, now = new Date()): Promise<string> {
  await saveDraft(db, userId, 'address', { address });
  const id = await changeAddress(db, userId, address, now);
  if (!id) throw new Error('address change not made');
  return id;
}
