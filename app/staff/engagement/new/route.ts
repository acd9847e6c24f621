import { newActivityPage } from '@/lib/engagement/staff-pages';

export const GET = newActivityPage.GET;
export const POST = newActivityPage.POST;
