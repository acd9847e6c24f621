import type { NextConfig } from 'next';
import { securityHeaders } from './lib/platform/security-headers';

const headers = securityHeaders({ production: process.env.NODE_ENV === 'production' });

const nextConfig: NextConfig = {
  poweredByHeader: false,
  output: 'standalone',
  // Views and govuk-frontend templates are read from disk at run time.
  outputFileTracingIncludes: {
    '/**': ['./views/**/*.njk', './node_modules/govuk-frontend/dist/govuk/**/*.njk', './node_modules/govuk-frontend/dist/govuk/template.njk'],
  },
  serverExternalPackages: ['nunjucks', 'better-sqlite3'],
  async headers() {
    return [
      { source: '/:path*', headers: Object.entries(headers).map(([key, value]) => ({ key, value })) },
      {
        // Built assets have fixed names, so they may be cached only briefly.
        source: '/(stylesheets|javascripts|assets)/:path*',
        headers: [{ key: 'Cache-Control', value: 'public, max-age=3600' }],
      },
    ];
  },
};

export default nextConfig;
