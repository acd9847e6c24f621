import { disconnectAppPage } from '@/lib/open-platform/consent-pages';

export const { GET, POST } = disconnectAppPage;
