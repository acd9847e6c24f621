import { withdrawAppPage } from '@/lib/open-platform/registry-pages';

export const { GET, POST } = withdrawAppPage;
