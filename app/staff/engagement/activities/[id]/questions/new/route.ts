import { newQuestionPage } from '@/lib/engagement/staff-pages';

export const GET = newQuestionPage.GET;
export const POST = newQuestionPage.POST;
