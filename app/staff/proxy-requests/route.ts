import { requestListPage } from '@/lib/proxy/verify-pages';

export const GET = requestListPage;
