import { oauthRoute } from '@/lib/open-platform/oauth-route';

/** The OAuth server for apps (SMART App Launch): not a page; oidc-provider answers. */
export const GET = oauthRoute;
export const POST = oauthRoute;
