/**
 * The identity providers' default addresses: the demo providers (scripts/oidc-provider).
 * Free of other imports, because next.config.ts needs them too (see security-headers.ts).
 */
export const DEFAULT_ISSUERS = {
  onelogin: 'http://localhost:3200/onelogin',
  nhslogin: 'http://localhost:3200/nhslogin',
  staff: 'http://localhost:3200/staff',
} as const;

/** The providers' origins, from the same environment variables lib/platform/config.ts reads. */
export function identityProviderOrigins(env: Record<string, string | undefined> = process.env): string[] {
  const issuers = [
    env.ONELOGIN_ISSUER ?? DEFAULT_ISSUERS.onelogin,
    env.NHSLOGIN_ISSUER ?? DEFAULT_ISSUERS.nhslogin,
    env.STAFF_ISSUER ?? DEFAULT_ISSUERS.staff,
  ];
  return [...new Set(issuers.map((issuer) => new URL(issuer).origin))];
}
