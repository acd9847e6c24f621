import { appRegistryPage } from '@/lib/open-platform/registry-pages';

export const GET = appRegistryPage;
