import { contentPage } from '@/lib/platform/content-page';

export const GET = contentPage('feedback/thank-you.njk');
