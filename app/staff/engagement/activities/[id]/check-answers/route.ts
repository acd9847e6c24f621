import { activityCheckAnswersPage } from '@/lib/engagement/staff-pages';

export const GET = activityCheckAnswersPage.GET;
export const POST = activityCheckAnswersPage.POST;
