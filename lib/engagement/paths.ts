import { paths } from '@/lib/platform/paths';

/**
 * Open Citizen's page addresses (all of them live in lib/platform/paths.ts), with the few
 * variants only its handlers make: a page with a notice to show, or a question asked again.
 */

const coordinator = paths.staff.engagement;

/** The steps of creating an activity, in order, named as their addresses are. */
export const ACTIVITY_STEPS = ['about', 'topics', 'audience', 'dates', 'method', 'questions', 'checkAnswers'] as const;

export type ActivityStep = (typeof ACTIVITY_STEPS)[number];

export const engagementPaths = {
  ...paths.engagement,
  preferencesSaved: `${paths.engagement.preferences}?saved=1`,
  /** "Change" on check answers: the question asked again (not the earlier answer offered), then back to check answers. */
  changeAnswer: (id: string, n: number) => `${paths.engagement.question(id, n)}?return=check&again=1`,
  coordinator: {
    ...coordinator,
    step: (id: string, step: ActivityStep) => coordinator[step](id),
    published: (id: string) => `${coordinator.activity(id)}?published=1`,
    /** After asking for its invitations to be sent: refreshed, it says how many were invited once they are. */
    sending: (id: string) => `${coordinator.activity(id)}?sending=1`,
    closed: (id: string) => `${coordinator.activity(id)}?closed=1`,
  },
} as const;
