/**
 * Age, one rule for the whole service: who may have their own account (lib/identity) and when a
 * parent's access to a child's record ends (lib/proxy) must agree to the day.
 */

/** The age at which someone may use the service on their own, and a parent's access to their record ends. */
export const OWN_ACCOUNT_AGE = 16;

/** Age in whole years on `today` (UTC dates; birthDate YYYY-MM-DD). A 29 February birthday counts from 1 March in other years. */
export function ageOn(birthDate: string, today: Date): number {
  const [year, month, day] = birthDate.split('-').map(Number) as [number, number, number];
  let age = today.getUTCFullYear() - year;
  const beforeBirthday = today.getUTCMonth() + 1 < month || (today.getUTCMonth() + 1 === month && today.getUTCDate() < day);
  if (beforeBirthday) age -= 1;
  return age;
}
