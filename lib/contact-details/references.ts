import type { Db } from '@/lib/platform/db';
import { log } from '@/lib/platform/log';
import type { OrganisationId } from './organisations';

/**
 * An organisation's own reference for a citizen (table OrganisationReference). Its receiver may
 * answer a change we send with `{ "reference": "…" }` (outbox.ts reads it); we keep it only for
 * the organisations that name people by it when they send letters (today the council: the
 * letters API's councilReference), and only the latest: one per organisation and person, and a
 * reference the organisation now gives another person moves to that person.
 */

/** The organisations whose references we keep: those that send letters naming the person by them. */
export const REFERENCE_ORGANISATIONS: readonly OrganisationId[] = ['council'];

/** What a reference may look like: anything else an organisation answers is ignored. */
export const REFERENCE_PATTERN = /^[A-Za-z0-9-]{1,40}$/;

export function isReference(value: unknown): value is string {
  return typeof value === 'string' && REFERENCE_PATTERN.test(value);
}

/**
 * Keeps the organisation's reference for the citizen. Returns false (and keeps nothing) for an
 * organisation we do not keep references for, a malformed reference, or a citizen whose account
 * no longer exists.
 */
export async function rememberReference(db: Db, organisation: string, reference: string, userId: string, now: Date): Promise<boolean> {
  if (!(REFERENCE_ORGANISATIONS as readonly string[]).includes(organisation) || !isReference(reference)) return false;
  const save = () =>
    db.$transaction(async (tx) => {
      if (!(await tx.user.findUnique({ where: { id: userId }, select: { id: true } }))) return false;
      // The organisation's word is the latest: its reference for this person replaces the one
      // before, and a reference it gave someone else before is now this person's.
      await tx.organisationReference.deleteMany({
        where: { organisation, OR: [{ reference }, { userId }], NOT: { reference, userId } },
      });
      await tx.organisationReference.upsert({
        where: { organisation_reference: { organisation, reference } },
        create: { organisation, reference, userId, updatedAt: now },
        update: { updatedAt: now },
      });
      return true;
    });
  try {
    return await save();
  } catch (error) {
    const code = (error as { code?: string }).code;
    // Two deliveries storing at once (another worker): the other wrote first; once more decides.
    if (code === 'P2002' || code === 'P2034') return save();
    // The account was closed while the change was on its way.
    if (code === 'P2003') {
      log.info('organisation-reference-not-kept', { organisation, reason: 'no-account' });
      return false;
    }
    throw error;
  }
}

/** The registered citizen the organisation knows by this reference, or null. */
export async function citizenByReference(db: Db, organisation: string, reference: string): Promise<string | null> {
  if (!isReference(reference)) return null;
  const row = await db.organisationReference.findUnique({
    where: { organisation_reference: { organisation, reference } },
    select: { userId: true, user: { select: { registeredAt: true } } },
  });
  return row?.user.registeredAt ? row.userId : null;
}
