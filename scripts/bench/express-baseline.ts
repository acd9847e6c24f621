// Baseline for the benchmark: the usual GOV.UK stack (Express 5 + Nunjucks) serving the same two
// pages as the Next.js app, with the same views, Nunjucks options, context, headers and CSRF
// cookie, so the difference measured is the framework's, not the app's.
//
//   HOSTNAME=127.0.0.1 PORT=4100 BASELINE_GZIP=1 node --import tsx scripts/bench/express-baseline.ts
//
// BASELINE_GZIP=1 adds gzip; the bench sets it only when the Next server compresses these pages.
import path from 'node:path';
import express from 'express';
import { MAX_COMMENT_LENGTH, ratingOptions } from '../../lib/feedback/feedback';
import { config } from '../../lib/platform/config';
import { csrfState } from '../../lib/platform/csrf';
import { views } from '../../lib/platform/render';
import { securityHeaders } from '../../lib/platform/security-headers';

const root = path.resolve(__dirname, '../..');
const host = process.env.HOSTNAME ?? '127.0.0.1';
const port = Number(process.env.PORT ?? 4100);

const app = express();
app.disable('x-powered-by');
// Next sends no ETag on route-handler pages; Express would hash every body to make one.
app.set('etag', false);

// The app's own Nunjucks environment (lib/platform/render.ts): the same loaders, options, globals and filters.
const env = views();
env.express(app);

// The same compression as the Next server's (scripts/server/compression.cjs: Next's own
// `compression` middleware, pages at gzip level 3): loading it compresses every answer.
if (process.env.BASELINE_GZIP === '1') require('../server/compression.cjs');

const headers = securityHeaders({ production: config().isProduction, projectRoot: root });
app.use((_req, res, next) => {
  res.set(headers);
  res.set('cache-control', 'no-store');
  next();
});

// As lib/platform/page.ts renderPage: every page gets the CSRF token and, on a first visit, its cookie.
function render(view: string, context: Record<string, unknown> = {}): express.RequestHandler {
  return (req, res) => {
    // csrfState reads only the request's headers.
    const csrf = csrfState(new Request(`http://${host}${req.originalUrl}`, { headers: { cookie: req.headers.cookie ?? '' } }));
    if (csrf.setCookie) res.append('set-cookie', csrf.setCookie);
    res.render(view, { ...context, currentPath: req.path, csrfToken: csrf.token });
  };
}

app.get('/', render('pages/start.njk'));
app.get('/feedback', render('feedback/feedback.njk', { ratingOptions: ratingOptions(), maxCommentLength: MAX_COMMENT_LENGTH, values: {} }));

/**
 * Signed-in pages: the app's own route handlers (session lookup, database, care record, views),
 * called by Express with a Web Request and their Response copied back, so that what differs
 * from the Next server is only the server around the same handler.
 */
function viaRouteHandler(handler: (req: Request) => Promise<Response>): express.RequestHandler {
  return (req, res, next) => {
    const request = new Request(`${config().publicUrl}${req.originalUrl}`, { headers: req.headers as Record<string, string> });
    handler(request)
      .then(async (response) => {
        res.status(response.status);
        response.headers.forEach((value, name) => {
          if (name !== 'set-cookie') res.set(name, value);
        });
        for (const cookie of response.headers.getSetCookie()) res.append('set-cookie', cookie);
        res.send(Buffer.from(await response.arrayBuffer()));
      })
      .catch(next);
  };
}

const signedInPages: Record<string, () => Promise<{ GET: unknown }>> = {
  '/account': () => import('../../app/account/route'),
  '/blood-pressure': () => import('../../app/blood-pressure/route'),
  '/blood-pressure/readings': () => import('../../app/blood-pressure/readings/route'),
  '/about-me': () => import('../../app/about-me/route'),
  '/care-record': () => import('../../app/care-record/route'),
};
for (const [pagePath, route] of Object.entries(signedInPages)) {
  const handler = route().then((module) => module.GET as (req: Request) => Promise<Response>);
  app.get(pagePath, (req, res, next) => {
    handler.then((h) => viaRouteHandler(h)(req, res, next), next);
  });
}

const server = app.listen(port, host, () => console.log(`express baseline on http://${host}:${port}`));

function stop() {
  server.close(() => process.exit(0));
  server.closeAllConnections();
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
