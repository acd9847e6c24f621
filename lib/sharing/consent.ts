import { appendAuditEntry, auditedTransaction, citizenActor, type Tx } from '@/lib/audit/public';
import { queueCategory, SYNCED_CATEGORIES, type SyncedCategory } from '@/lib/care-record/public';
import type { Db } from '@/lib/platform/db';
import { CATEGORIES, SHARED_BY_DEFAULT, type Category } from './categories';

export type SharingChoices = Record<Category, boolean>;

/** What the citizen shares, category by category (no row: the default). Works inside a transaction too. */
export async function sharingChoices(db: Db | Tx, userId: string): Promise<SharingChoices> {
  const rows = await db.sharingConsent.findMany({ where: { userId } });
  const chosen = new Map(rows.map((row) => [row.category, row.shared]));
  return Object.fromEntries(CATEGORIES.map((category) => [category, chosen.get(category) ?? SHARED_BY_DEFAULT])) as SharingChoices;
}

/** Each category's choice and when the citizen made it (null: never chosen, so the default), for the open platform API's Consent. */
export async function sharingConsents(db: Db, userId: string): Promise<{ category: Category; shared: boolean; chosenAt: Date | null }[]> {
  const rows = await db.sharingConsent.findMany({ where: { userId } });
  return CATEGORIES.map((category) => {
    const row = rows.find((one) => one.category === category);
    return { category, shared: row?.shared ?? SHARED_BY_DEFAULT, chosenAt: row?.updatedAt ?? null };
  });
}

const isSynced = (category: Category): category is SyncedCategory => (SYNCED_CATEGORIES as readonly string[]).includes(category);

export type CitizenActor = { userId: string; givenName: string; familyName: string };

/**
 * The citizen's choice for one category: it applies from the next request on (every view
 * reads it afresh) and is recorded in the audit log in the same transaction.
 */
export async function changeSharing(db: Db, citizen: CitizenActor, category: Category, shared: boolean, now = new Date()): Promise<void> {
  await auditedTransaction(db, async (tx) => {
    const before = (await sharingChoices(tx, citizen.userId))[category];
    await tx.sharingConsent.upsert({
      where: { userId_category: { userId: citizen.userId, category } },
      create: { userId: citizen.userId, category, shared },
      update: { shared },
    });
    await appendAuditEntry(tx, {
      citizenId: citizen.userId,
      ...citizenActor({ id: citizen.userId, givenName: citizen.givenName, familyName: citizen.familyName }),
      action: 'consent-changed',
      category,
      detail: { shared, before },
    });
    // What was sent to the care record is withdrawn (turned off) or sent again (turned on).
    if (before !== shared && isSynced(category)) await queueCategory(tx, citizen.userId, category, now);
  });
}
