import { datesStepPage } from '@/lib/engagement/staff-pages';

export const GET = datesStepPage.GET;
export const POST = datesStepPage.POST;
