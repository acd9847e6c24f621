import { inviteHowLongPage } from '@/lib/proxy/people-pages';

export const { GET, POST } = inviteHowLongPage;
