import { topicsStepPage } from '@/lib/engagement/staff-pages';

export const GET = topicsStepPage.GET;
export const POST = topicsStepPage.POST;
