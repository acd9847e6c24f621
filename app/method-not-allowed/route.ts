import { errorPage, pageRoute } from '@/lib/platform/page';

/** Requests with other methods than GET, HEAD and POST are sent here by scripts/server/method-guard.cjs. */
export const GET = pageRoute(() => errorPage(405), 'public');
