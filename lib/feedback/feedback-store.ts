import { getDb, type Db } from '@/lib/platform/db';
import type { FeedbackStore } from './feedback';

export const databaseFeedbackStore: FeedbackStore = {
  async save(feedback) {
    await getDb().feedback.create({
      data: { rating: feedback.rating, comments: feedback.comments, email: feedback.email ?? null },
    });
  },
};

/** What staff read: everything people sent, newest first. */
export type StoredFeedback = { id: string; createdAt: Date; rating: string; comments: string; email: string | null };

const NEWEST_FIRST = [{ createdAt: 'desc' as const }, { id: 'desc' as const }];
const FIELDS = { id: true, createdAt: true, rating: true, comments: true, email: true };

/** One page of feedback, newest first, with how many there are in all. */
export async function feedbackPageOf(db: Db, page: number, pageSize: number): Promise<{ rows: StoredFeedback[]; total: number }> {
  const [total, rows] = await Promise.all([
    db.feedback.count(),
    db.feedback.findMany({ orderBy: NEWEST_FIRST, skip: (page - 1) * pageSize, take: pageSize, select: FIELDS }),
  ]);
  return { rows, total };
}

/** Every piece of feedback, newest first, read a batch at a time (keyset, so late batches cost no more). */
export async function* allFeedback(db: Db, batchSize = 1_000): AsyncGenerator<StoredFeedback> {
  let after: { createdAt: Date; id: string } | undefined;
  for (;;) {
    const rows = await db.feedback.findMany({
      where: after ? { OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }] } : {},
      orderBy: NEWEST_FIRST,
      take: batchSize,
      select: FIELDS,
    });
    yield* rows;
    if (rows.length < batchSize) return;
    after = rows[rows.length - 1]!;
  }
}
