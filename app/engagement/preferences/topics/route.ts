import { topicsPage } from '@/lib/engagement/citizen-pages';

export const GET = topicsPage.GET;
export const POST = topicsPage.POST;
