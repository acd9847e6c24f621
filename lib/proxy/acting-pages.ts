import { citizenPage } from '@/lib/identity/public';
import { renderPage } from '@/lib/platform/page';

/**
 * Where someone is sent when the access they were acting under has ended since their last page
 * (the person ended it, its end date passed, or the child turned 16): told so, nothing of the
 * person's shown, and what they had just sent not applied to anyone's record.
 */
export const actingEndedPage = citizenPage((page) => renderPage(page, 'proxy/acting-ended.njk'), 'citizen-or-proxy');
