/**
 * The identity providers' default addresses: the demo providers (scripts/oidc-provider).
 * Free of other imports, because next.config.ts needs them too (see security-headers.ts).
 */
export const DEFAULT_ISSUERS = {
  onelogin: 'http://localhost:3200/onelogin',
  nhslogin: 'http://localhost:3200/nhslogin',
  staff: 'http://localhost:3200/staff',
} as const;

/**
 * The providers' origins, from the same environment variables lib/platform/config.ts reads.
 * Built without them (the demo and the tests), the demo providers may be on any localhost port
 * (e2e runs in several checkouts at once move them: e2e/support/site.ts), so that build allows
 * http://localhost:* — never the case when real issuers are set at build time.
 */
export function identityProviderOrigins(env: Record<string, string | undefined> = process.env): string[] {
  const configured = [env.ONELOGIN_ISSUER, env.NHSLOGIN_ISSUER, env.STAFF_ISSUER];
  if (configured.every((issuer) => !issuer)) return ['http://localhost:*'];
  const issuers = [env.ONELOGIN_ISSUER ?? DEFAULT_ISSUERS.onelogin, env.NHSLOGIN_ISSUER ?? DEFAULT_ISSUERS.nhslogin, env.STAFF_ISSUER ?? DEFAULT_ISSUERS.staff];
  return [...new Set(issuers.map((issuer) => new URL(issuer).origin))];
}
