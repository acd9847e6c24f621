import { aboutPage } from '@/lib/engagement/staff-pages';

export const GET = aboutPage.GET;
export const POST = aboutPage.POST;
