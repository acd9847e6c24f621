import { errorPage } from '@/lib/platform/page';

// Anything no other route matched: our own "Page not found", not the framework's React page.
// Not a pageRoute: there is no form here to check, so any method gets "not found".
const notFound = async () => errorPage(404);

export const GET = notFound;
export const HEAD = notFound;
export const POST = notFound;
export const PUT = notFound;
export const PATCH = notFound;
export const DELETE = notFound;
