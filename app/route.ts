import { contentPage } from '@/lib/platform/content-page';

export const GET = contentPage('pages/start.njk');
