import { inviteSentPage } from '@/lib/proxy/people-pages';

export const GET = inviteSentPage;
