import { invitationPage } from '@/lib/proxy/acting-for-pages';

export const { GET, POST } = invitationPage;
