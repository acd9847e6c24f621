import { contentPage } from '@/lib/platform/content-page';

export const GET = contentPage('identity/try-again.njk');
