import { wantsInvitationsPage } from '@/lib/engagement/citizen-pages';

export const GET = wantsInvitationsPage.GET;
export const POST = wantsInvitationsPage.POST;
