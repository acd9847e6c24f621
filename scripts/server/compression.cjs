// Loaded before the Next.js server (`node --require ./compression.cjs server.js`, see
// scripts/start.sh), with Next's own compression turned off (next.config.ts: compress: false).
// Every answer is compressed here instead, by the same `compression` middleware Next uses, at the
// level gzip-levels.cjs gives its path: pages at a cheaper level than Next's, built files at the
// same. Loading this compresses the answers of every node:http server in the process.
'use strict';
const http = require('node:http');
const compression = require('next/dist/compiled/compression');
// Ends the zlib stream of an answer whose client went away first (else it is never freed).
const { releaseCompressionStream } = require('next/dist/server/lib/release-compression-stream');
const { gzipLevelFor, PAGE_LEVEL, BUILT_FILE_LEVEL } = require('./gzip-levels.cjs');

const atLevel = new Map([PAGE_LEVEL, BUILT_FILE_LEVEL].map((level) => [level, compression({ level })]));

/** Compresses what is written to `res` (when the client takes gzip and it is worth it), as Next's server did. */
function compress(req, res) {
  atLevel.get(gzipLevelFor(typeof req.url === 'string' ? req.url : '/'))(req, res, () => {});
  res.once('close', () => {
    if (!res.writableFinished) releaseCompressionStream(res);
  });
}

const emit = http.Server.prototype.emit;
http.Server.prototype.emit = function compressingEmit(event, req, res, ...rest) {
  if (event === 'request' && req && res) compress(req, res);
  return emit.call(this, event, req, res, ...rest);
};
