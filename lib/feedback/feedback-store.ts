import { getDb } from '@/lib/platform/db';
import type { FeedbackStore } from './feedback';

export const databaseFeedbackStore: FeedbackStore = {
  async save(feedback) {
    await getDb().feedback.create({
      data: { rating: feedback.rating, comments: feedback.comments, email: feedback.email ?? null },
    });
  },
};
