import { questionsStepPage } from '@/lib/engagement/staff-pages';

export const GET = questionsStepPage.GET;
export const POST = questionsStepPage.POST;
