import { actingForListPage } from '@/lib/proxy/acting-for-pages';

export const GET = actingForListPage;
