import { inviteContactPage } from '@/lib/proxy/people-pages';

export const { GET, POST } = inviteContactPage;
