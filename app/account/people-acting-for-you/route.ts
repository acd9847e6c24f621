import { listPage } from '@/lib/proxy/people-pages';

export const GET = listPage;
