import { sentPage } from '@/lib/proxy/request-pages';

export const GET = sentPage;
