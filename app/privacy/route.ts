import { contentPage } from '@/lib/platform/content-page';
import { privacyNoticeContext } from '@/lib/platform/retention';

export const GET = contentPage('pages/privacy.njk', privacyNoticeContext);
