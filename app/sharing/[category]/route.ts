import { changeSharingPage } from '@/lib/sharing/citizen-pages';

export const GET = changeSharingPage.GET;
export const POST = changeSharingPage.POST;
