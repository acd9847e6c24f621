import { formPage } from '@/lib/platform/page';
import { MAX_COMMENT_LENGTH, feedbackSchema, ratingOptions, type FeedbackStore } from './feedback';
import { databaseFeedbackStore } from './feedback-store';
import { paths } from '@/lib/platform/paths';

/** "Give feedback": the service's first form. The store is a parameter so tests can watch what is kept. */
export function feedbackPage(store: FeedbackStore = databaseFeedbackStore) {
  return formPage({
    view: 'feedback/feedback.njk',
    access: 'public',
    schema: feedbackSchema,
    context: () => ({ ratingOptions: ratingOptions(), maxCommentLength: MAX_COMMENT_LENGTH }),
    onValid: async (feedback) => {
      await store.save(feedback);
      return paths.feedbackSent;
    },
  });
}
