import { accessPage } from '@/lib/proxy/people-pages';

export const GET = accessPage;
