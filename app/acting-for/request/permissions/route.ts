import { permissionsPage } from '@/lib/proxy/request-pages';

export const { GET, POST } = permissionsPage;
