import { questionPage } from '@/lib/engagement/citizen-pages';

export const GET = questionPage.GET;
export const POST = questionPage.POST;
