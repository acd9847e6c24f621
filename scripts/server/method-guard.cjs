// Loaded before the Next.js server (`node --require ./method-guard.cjs server.js`, see
// scripts/start.sh). Pages answer only GET, HEAD and POST. Next.js cannot answer some other
// methods itself: TRACE fails inside it ("'TRACE' HTTP method is unsupported") as a bare 500.
// So every other method is turned, before Next.js sees it, into a GET of /method-not-allowed,
// which answers our own GOV.UK-style 405 page with an Allow header and the usual security
// headers. A proxy in front of the service should refuse TRACE too; this does not rely on one.
'use strict';
const http = require('node:http');

const PAGE_METHODS = new Set(['GET', 'HEAD', 'POST']);
const NOT_ALLOWED_PATH = '/method-not-allowed';
// The FHIR API answers in FHIR (an OperationOutcome), not with a page: lib/open-platform/fhir-route.ts.
const FHIR_PREFIX = '/fhir/';
const FHIR_NOT_ALLOWED_PATH = '/fhir/r4/method-not-allowed';

/** Whether a request must be answered with the 405 page instead of going on. */
function refused(method) {
  return !PAGE_METHODS.has(method);
}

const emit = http.Server.prototype.emit;
http.Server.prototype.emit = function guardedEmit(event, req, ...rest) {
  if (event === 'request' && req && refused(req.method)) {
    const api = typeof req.url === 'string' && req.url.startsWith(FHIR_PREFIX);
    req.method = 'GET';
    req.url = api ? FHIR_NOT_ALLOWED_PATH : NOT_ALLOWED_PATH;
  }
  return emit.call(this, event, req, ...rest);
};

module.exports = { refused, NOT_ALLOWED_PATH, FHIR_NOT_ALLOWED_PATH };
