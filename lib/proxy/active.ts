import { ageOn, OWN_ACCOUNT_AGE } from '@/lib/platform/age';

/**
 * Whether an access lets its proxy act for the person now. Pure, so that every place that asks
 * (acting on every request, the lists people read, the turning-16 sweep) gives the same answer
 * for the same moment: a parent's access stops the day the child turns 16, before any sweep has
 * marked it ended.
 */

type Access = { status: string; endsAt: Date | null; basis: string };

export function accessIsActive(access: Access, person: { birthDate: string }, now: Date): boolean {
  if (access.status !== 'active') return false;
  if (access.endsAt && access.endsAt.getTime() <= now.getTime()) return false;
  if (access.basis === 'parent' && ageOn(person.birthDate, now) >= OWN_ACCOUNT_AGE) return false;
  return true;
}

/** Whether a parent's access has ended (or would now end) because the child has turned 16. */
export function childHasTurned16(access: { basis: string }, person: { birthDate: string }, now: Date): boolean {
  return access.basis === 'parent' && ageOn(person.birthDate, now) >= OWN_ACCOUNT_AGE;
}
