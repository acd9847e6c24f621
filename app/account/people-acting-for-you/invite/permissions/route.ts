import { invitePermissionsPage } from '@/lib/proxy/people-pages';

export const { GET, POST } = invitePermissionsPage;
