import { closePage } from '@/lib/engagement/staff-pages';

export const GET = closePage.GET;
export const POST = closePage.POST;
