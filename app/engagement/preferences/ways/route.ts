import { methodsPage } from '@/lib/engagement/citizen-pages';

export const GET = methodsPage.GET;
export const POST = methodsPage.POST;
