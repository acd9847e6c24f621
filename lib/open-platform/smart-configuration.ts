import { SUPPORTED_SCOPES } from './apps';
import { oauthEndpoints } from './authorisation-server';

/**
 * SMART App Launch v2's discovery document (/fhir/r4/.well-known/smart-configuration): where an
 * app sends the citizen to consent, where it gets and revokes tokens, and what we support.
 */
export function smartConfiguration() {
  const endpoints = oauthEndpoints();
  return {
    issuer: endpoints.issuer,
    jwks_uri: endpoints.jwks,
    authorization_endpoint: endpoints.authorize,
    token_endpoint: endpoints.token,
    revocation_endpoint: endpoints.revoke,
    grant_types_supported: ['authorization_code', 'refresh_token'],
    response_types_supported: ['code'],
    token_endpoint_auth_methods_supported: ['none', 'private_key_jwt'],
    token_endpoint_auth_signing_alg_values_supported: ['ES256', 'RS256', 'PS256'],
    code_challenge_methods_supported: ['S256'],
    scopes_supported: SUPPORTED_SCOPES,
    capabilities: [
      'launch-standalone',
      'client-public',
      'client-confidential-asymmetric',
      'context-standalone-patient',
      'permission-patient',
      'permission-offline',
      'permission-v2',
      'sso-openid-connect',
    ],
  };
}
