import { accessPermissionsPage } from '@/lib/proxy/people-pages';

export const { GET, POST } = accessPermissionsPage;
