import { connectedAppsPage } from '@/lib/open-platform/consent-pages';

export const GET = connectedAppsPage;
