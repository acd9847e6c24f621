import type { Tx } from '@/lib/platform/db';
import { formatNhsNumber } from '@/lib/platform/nhs-number';
import { endParentAccessOnOwnAccount } from '@/lib/proxy/public';
import type { VerifiedIdentity } from './claims';

/**
 * One person, one record: a record held for someone who had never signed in (a child whose
 * parent's request staff granted, lib/proxy) becomes theirs the first time they sign in with a
 * proven identity that matches it: the same NHS number and date of birth (only NHS login gives an
 * NHS number, so a One Login sign-in never takes one over). It keeps everything in it; it stops
 * being held, and it is not registered until they agree to the terms themselves (the usual
 * registration journey), and every parent's access to it ends (they can invite their parent).
 */
export async function takeOverHeldRecord(
  tx: Tx,
  signIn: { provider: string; subject: string; identity: VerifiedIdentity },
  details: { givenName: string; familyName: string; birthDate: string; nhsNumber: string | null; verifiedPostcode: string | null; identityLevel: string },
  now: Date,
): Promise<string | null> {
  const { nhsNumber, birthDate } = signIn.identity;
  if (!nhsNumber) return null;
  const held = await tx.user.findFirst({
    where: { nhsNumber: { in: [nhsNumber, formatNhsNumber(nhsNumber)] }, birthDate, heldForPersonSince: { not: null }, identities: { none: {} } },
    orderBy: { createdAt: 'asc' },
    select: { id: true },
  });
  if (!held) return null;
  // Only while still held: of two sign-ins at once, one takes it over (the other's retry finds its identity).
  const { count } = await tx.user.updateMany({
    where: { id: held.id, heldForPersonSince: { not: null } },
    data: { ...details, heldForPersonSince: null, registeredAt: null, consentVersion: null, consentedAt: null },
  });
  if (count !== 1) return null;
  await tx.userIdentity.create({ data: { userId: held.id, provider: signIn.provider, subject: signIn.subject } });
  await endParentAccessOnOwnAccount(tx, held.id, now);
  return held.id;
}
