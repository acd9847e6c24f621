import { reviewPage } from '@/lib/proxy/verify-pages';

export const { GET, POST } = reviewPage;
