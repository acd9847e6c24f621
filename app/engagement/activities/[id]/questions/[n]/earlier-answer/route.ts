import { earlierAnswerPage } from '@/lib/engagement/citizen-pages';

export const GET = earlierAnswerPage.GET;
export const POST = earlierAnswerPage.POST;
