import { getDb } from '@/lib/platform/db';
import { log } from '@/lib/platform/log';
import { paths } from '@/lib/platform/paths';
import { addSignInMethod, joinQuestions, ownerOf, startJoin } from './account-links';
import { currentCitizen } from './citizen';
import { admit, type IdentityResult } from './claims';
import { identitiesAgree, type Disagreement, type LinkableIdentity } from './linking';
import type { LinkIntent } from './sign-in-cookie';

/**
 * The end of "add a way of signing in": next-auth's signIn callback hands over here when the
 * pending sign-in cookie carries a link intent. Whatever happens, the citizen stays signed in to
 * the account they started from (next-auth makes no new session: we answer with an address), and
 * nothing is stored unless the two identities are one person (linking.ts).
 */

/** Why a way of signing in was not added, as the refusal page explains it. */
export type NotAddedReason = Disagreement | 'address' | 'no-address' | 'unavailable' | 'not-proven' | 'session' | 'already-has';

export const NOT_ADDED_REASONS: readonly NotAddedReason[] = [
  'name',
  'birth-date',
  'nhs-number',
  'postcode',
  'address',
  'no-address',
  'unavailable',
  'not-proven',
  'session',
  'already-has',
];

/**
 * The second half of the rule (linking.ts has the first): NHS login proves the NHS number and
 * One Login the address, so the two are one person only when the shared care record's record for
 * that NHS number is the record of the person with that name and birth date at that address.
 */
async function sameAddress(
  person: LinkableIdentity,
  nhsNumber: string | null,
  postcode: string | null,
  samePerson: SamePersonCheck,
): Promise<NotAddedReason | null> {
  if (!nhsNumber) return null;
  if (!postcode) return 'no-address';
  const details = { givenName: person.givenName, familyName: person.familyName, birthDate: person.birthDate };
  const same = await samePerson({ ...details, nhsNumber }, { ...details, postcode });
  return same === 'same' ? null : same === 'unavailable' ? 'unavailable' : 'address';
}

type Details = { givenName: string; familyName: string; birthDate: string };

/** Whether the care record holds one person for this NHS number and this address (tests give their own). */
export type SamePersonCheck = (
  byNhsNumber: Details & { nhsNumber: string },
  byAddress: Details & { postcode: string },
) => Promise<'same' | 'not-same' | 'unavailable'>;

const careRecordCheck: SamePersonCheck = async (byNhsNumber, byAddress) => {
  // Loaded when needed: the care record's client itself uses identity's client assertion.
  const { samePersonInCareRecord } = await import('@/lib/care-record/public');
  return samePersonInCareRecord(byNhsNumber, byAddress);
};

function notAdded(reason: NotAddedReason, provider: string): string {
  log.info('sign-in-method-refused', { provider, reason });
  return `${paths.signInMethodNotAdded}?reason=${reason}`;
}

/** A verified postcode, when the provider gave one (One Login's address claim; NHS login gives none). */
function postcodeOf(identity: object): string | null {
  const postcode = (identity as { postcode?: unknown }).postcode;
  return typeof postcode === 'string' && postcode.trim() ? postcode : null;
}

export async function finishAddingSignInMethod(
  req: Request,
  intent: LinkIntent,
  provider: string,
  subject: string,
  result: IdentityResult,
  now = new Date(),
  samePerson: SamePersonCheck = careRecordCheck,
): Promise<string> {
  const lookup = await currentCitizen(req, now);
  // Only the session that asked, still live, for the provider it asked for.
  if (lookup.state !== 'signed-in' || lookup.citizen.id !== intent.sessionId || lookup.citizen.userId !== intent.userId || intent.provider !== provider) {
    return notAdded('session', provider);
  }
  const admitted = admit(result, now);
  if (!admitted.ok) return notAdded('not-proven', provider);
  const identity = admitted.identity;
  const db = getDb();
  const user = lookup.citizen.user;
  const owner = await ownerOf(db, provider, subject);
  if (owner === user.id) return paths.signInMethods;
  if (await db.userIdentity.findFirst({ where: { userId: user.id, provider } })) return notAdded('already-has', provider);

  const account = { ...user, postcode: user.verifiedPostcode };
  const added = { ...identity, postcode: postcodeOf(identity) };
  const agreement = identitiesAgree(account, added);
  if (!agreement.agree) return notAdded(agreement.reason, provider);
  const addressProblem = await sameAddress(account, account.nhsNumber ?? added.nhsNumber ?? null, account.postcode ?? added.postcode, samePerson);
  if (addressProblem) return notAdded(addressProblem, provider);

  if (!owner) {
    await addSignInMethod(db, user.id, { provider, subject, nhsNumber: identity.nhsNumber, postcode: added.postcode }, now);
    log.info('sign-in-method-added', { provider });
    return `${paths.signInMethods}?added=${provider}`;
  }
  // That way of signing in already has an account here: the same rule for what that account holds.
  const other = await db.user.findUniqueOrThrow({ where: { id: owner } });
  const otherAgreement = identitiesAgree(account, { ...other, postcode: other.verifiedPostcode });
  if (!otherAgreement.agree) return notAdded(otherAgreement.reason, provider);
  await startJoin(db, user.id, { otherUserId: owner, provider, subject }, now);
  const [first] = await joinQuestions(db, user.id, owner);
  log.info('join-accounts-started', { provider, questions: first ? 'some' : 'none' });
  return first ? paths.joinAccounts.question(first.key) : paths.joinAccounts.checkAnswers;
}
