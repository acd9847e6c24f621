import { sendInvitationsAction } from '@/lib/engagement/staff-pages';

export const POST = sendInvitationsAction;
