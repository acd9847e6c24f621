import { methodStepPage } from '@/lib/engagement/staff-pages';

export const GET = methodStepPage.GET;
export const POST = methodStepPage.POST;
