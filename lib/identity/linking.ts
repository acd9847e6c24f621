import { firstWord, sameName } from '@/lib/platform/names';
import { nhsNumberDigits } from '@/lib/platform/nhs-number';
import { normalisePostcode } from '@/lib/platform/postcode';

/**
 * When a second way of signing in may be added to an account: the one rule, in one place.
 *
 * Both identities were verified by their provider (One Login P2, NHS login P9) and the citizen
 * has just signed in with both in the same browser. They are taken to be one person when:
 * - the first given name, the family name and the date of birth are the same (names compared as
 *   the care record link compares them: case, accents and spacing around hyphens and apostrophes
 *   do not count, and only the first given name, as providers differ on middle names);
 * - the NHS numbers are the same whenever both have one (only NHS login gives one): an account
 *   never gets a second NHS number;
 * - the verified postcodes are the same whenever both have one (only One Login gives one).
 *
 * NHS login gives no postcode and One Login no NHS number, so between the two providers one more
 * thing must hold (link-callback.ts, sameAddress): the shared care record's record for the NHS
 * number NHS login proved is the record of the person with that name and date of birth at the
 * address One Login checked. If One Login gave no address, or the care record cannot be asked,
 * nothing is joined (the refusal page says which, and that they can try again later).
 */

export type LinkableIdentity = {
  givenName: string;
  familyName: string;
  /** YYYY-MM-DD */
  birthDate: string;
  nhsNumber?: string | null;
  postcode?: string | null;
};

/** What did not agree, in the order the refusal page explains it. */
export type Disagreement = 'name' | 'birth-date' | 'nhs-number' | 'postcode';

export type Agreement = { agree: true } | { agree: false; reason: Disagreement };

export function identitiesAgree(account: LinkableIdentity, added: LinkableIdentity): Agreement {
  if (!sameName(firstWord(account.givenName), firstWord(added.givenName)) || !sameName(account.familyName, added.familyName)) {
    return { agree: false, reason: 'name' };
  }
  if (account.birthDate !== added.birthDate) return { agree: false, reason: 'birth-date' };
  if (account.nhsNumber && added.nhsNumber && nhsNumberDigits(account.nhsNumber) !== nhsNumberDigits(added.nhsNumber)) {
    return { agree: false, reason: 'nhs-number' };
  }
  const [first, second] = [account.postcode, added.postcode].map((postcode) => (postcode ? normalisePostcode(postcode) : null));
  if (first && second && first !== second) return { agree: false, reason: 'postcode' };
  return { agree: true };
}
