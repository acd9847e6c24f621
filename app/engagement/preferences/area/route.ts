import { areaPage } from '@/lib/engagement/citizen-pages';

export const GET = areaPage.GET;
export const POST = areaPage.POST;
