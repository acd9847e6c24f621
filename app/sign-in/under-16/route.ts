import { contentPage } from '@/lib/platform/content-page';

export const GET = contentPage('identity/under-16.njk');
