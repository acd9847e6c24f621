import type { NextConfig } from 'next';
import { identityProviderOrigins } from './lib/platform/identity-defaults';
import { securityHeaders } from './lib/platform/security-headers';

// Headers are fixed at build time: the identity providers' addresses must be set when building.
const headers = securityHeaders({ production: process.env.NODE_ENV === 'production', formActionOrigins: identityProviderOrigins() });

const nextConfig: NextConfig = {
  poweredByHeader: false,
  // Answers are gzipped by scripts/server/compression.cjs, loaded before the server (scripts/start.sh):
  // pages at a cheaper level than Next's, built files at the same.
  compress: false,
  output: 'standalone',
  // Views and the govuk-frontend and nhsuk-frontend templates (BRAND) are read from disk at run time.
  outputFileTracingIncludes: {
    '/**': [
      './views/**/*.njk',
      './node_modules/govuk-frontend/dist/govuk/**/*.njk',
      './node_modules/govuk-frontend/dist/govuk/template.njk',
      './node_modules/nhsuk-frontend/dist/nhsuk/**/*.njk',
    ],
  },
  serverExternalPackages: ['nunjucks', 'better-sqlite3', 'oidc-provider'],
  async headers() {
    return [
      // Every path. Written as an unnamed group, which Next drops from the match: with a named
      // parameter (/:path*) Next compiles each header value with a ':' in it (the CSP) with
      // path-to-regexp on every request, in case it names the parameter.
      { source: '/(.*)', headers: Object.entries(headers).map(([key, value]) => ({ key, value })) },
      {
        // Built assets have fixed names, so they may be cached only briefly.
        source: '/(stylesheets|javascripts|assets)/:path*',
        headers: [{ key: 'Cache-Control', value: 'public, max-age=3600' }],
      },
    ];
  },
};

export default nextConfig;
