import { monthlyLimitPage } from '@/lib/engagement/citizen-pages';

export const GET = monthlyLimitPage.GET;
export const POST = monthlyLimitPage.POST;
