import { requestsPage } from '@/lib/proxy/request-pages';

export const GET = requestsPage;
