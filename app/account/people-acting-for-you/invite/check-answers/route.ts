import { inviteCheckAnswersPage } from '@/lib/proxy/people-pages';

export const { GET, POST } = inviteCheckAnswersPage;
