import { contentPage } from '@/lib/platform/content-page';

export const GET = contentPage('identity/prove-your-identity.njk');
