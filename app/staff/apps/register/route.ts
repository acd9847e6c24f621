import { registerAppPage } from '@/lib/open-platform/registry-pages';

export const { GET, POST } = registerAppPage;
