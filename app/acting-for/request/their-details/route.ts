import { theirDetailsPage } from '@/lib/proxy/request-pages';

export const { GET, POST } = theirDetailsPage;
