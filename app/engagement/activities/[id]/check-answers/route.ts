import { checkAnswersPage } from '@/lib/engagement/citizen-pages';

export const GET = checkAnswersPage.GET;
export const POST = checkAnswersPage.POST;
