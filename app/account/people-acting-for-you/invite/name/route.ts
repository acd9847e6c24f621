import { inviteNamePage } from '@/lib/proxy/people-pages';

export const { GET, POST } = inviteNamePage;
