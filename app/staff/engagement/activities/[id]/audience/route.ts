import { audienceStepPage } from '@/lib/engagement/staff-pages';

export const GET = audienceStepPage.GET;
export const POST = audienceStepPage.POST;
