import { connectAppPage } from '@/lib/open-platform/consent-pages';

export const { GET, POST } = connectAppPage;
