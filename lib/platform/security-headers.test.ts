import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { identityProviderOrigins } from './identity-defaults';
import { renderView } from './render';
import { reloadConfig } from './config';
import { securityHeaders } from './security-headers';

describe('script-src', () => {
  it('allows the one inline script of each brand’s page template, by its hash, and no other inline script', () => {
    const csp = securityHeaders({ production: true })['Content-Security-Policy'];
    const { BRAND: _brand, ...env } = process.env;
    for (const brand of ['council', 'nhs']) {
      reloadConfig({ ...env, BRAND: brand });
      const inline = [...renderView('pages/start.njk').matchAll(/<script>([^<]+)<\/script>/g)].map((match) => match[1]!);
      expect(inline, brand).toHaveLength(1);
      expect(csp, brand).toContain(`'sha256-${createHash('sha256').update(inline[0]!).digest('base64')}'`);
    }
    reloadConfig(env);
    expect(csp?.match(/'sha256-/g)).toHaveLength(2);
    expect(csp).not.toContain('unsafe-inline');
  });
});

describe('form-action', () => {
  it('lets sign-in and sign-out posts end at the identity providers, and nowhere else', () => {
    const origins = identityProviderOrigins({
      ONELOGIN_ISSUER: 'https://oidc.account.gov.uk/',
      NHSLOGIN_ISSUER: 'https://auth.login.nhs.uk',
      STAFF_ISSUER: 'https://am.nhsidentity.spineservices.nhs.uk/openam/oauth2/realms/root/realms/NHSIdentity/realms/Healthcare',
    });
    expect(origins).toEqual(['https://oidc.account.gov.uk', 'https://auth.login.nhs.uk', 'https://am.nhsidentity.spineservices.nhs.uk']);
    const csp = securityHeaders({ production: true, formActionOrigins: origins })['Content-Security-Policy'];
    expect(csp).toContain("form-action 'self' https://oidc.account.gov.uk https://auth.login.nhs.uk https://am.nhsidentity.spineservices.nhs.uk;");
  });

  it('built without issuers (demo and tests), allows the demo providers on any localhost port', () => {
    expect(identityProviderOrigins({})).toEqual(['http://localhost:*']);
  });

  it('names each configured provider origin once', () => {
    expect(identityProviderOrigins({ ONELOGIN_ISSUER: 'http://localhost:3200/onelogin' })).toEqual(['http://localhost:3200']);
  });
});
