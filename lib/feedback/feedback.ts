import { z } from 'zod';
import { choice, optionalEmail, requiredText } from '@/lib/platform/form-fields';

export const MAX_COMMENT_LENGTH = 1200;

export const ratings = ['very-satisfied', 'satisfied', 'neither', 'dissatisfied', 'very-dissatisfied'] as const;
export type Rating = (typeof ratings)[number];

const ratingLabels: Record<Rating, string> = {
  'very-satisfied': 'Very satisfied',
  satisfied: 'Satisfied',
  neither: 'Neither satisfied nor dissatisfied',
  dissatisfied: 'Dissatisfied',
  'very-dissatisfied': 'Very dissatisfied',
};

export function ratingOptions() {
  return ratings.map((value) => ({ value, text: ratingLabels[value] }));
}

export const feedbackSchema = z.object({
  rating: choice(ratings, { required: 'Select how you felt about the service' }),
  comments: requiredText(
    {
      required: 'Enter what you thought of this service',
      tooLong: `What you thought of this service must be ${MAX_COMMENT_LENGTH} characters or less`,
    },
    MAX_COMMENT_LENGTH,
  ),
  email: optionalEmail({
    invalid: 'Enter an email address in the correct format, like name@example.com',
    tooLong: 'Email address must be 254 characters or less',
  }),
});

export type Feedback = z.output<typeof feedbackSchema>;

/** Where feedback is kept: the database in the service, a fake in unit tests. */
export type FeedbackStore = {
  save(feedback: Feedback): Promise<void>;
};
