// The gzip level each answer is sent at (scripts/server/compression.cjs compresses them; the page
// weight tests measure at the same levels).
// - Pages and every other answer made for the request: level 3. Next gzips everything at zlib's
//   default, level 6, which for the readings page (77 KB of HTML) took about 0.6 ms of CPU a
//   request, a fifth of what that page costs the server; level 3 takes about half that and sends
//   about 10% more (9.3 KB against 8.5). Levels 1 to 3 are zlib's fast ones; 3 packs the most.
// - Built files (stylesheets, scripts, images): level 6, as before. They are the same for
//   everyone and browsers keep them, so their bytes count for more than their CPU.
'use strict';

const PAGE_LEVEL = 3;
const BUILT_FILE_LEVEL = 6;
// The built files' paths (next.config.ts gives the same ones a Cache-Control of their own).
const BUILT_FILES = /^\/(?:stylesheets|javascripts|assets|_next\/static)\//;

/** The gzip level an answer to this path (and query) is sent at. */
function gzipLevelFor(path) {
  return BUILT_FILES.test(path) ? BUILT_FILE_LEVEL : PAGE_LEVEL;
}

module.exports = { gzipLevelFor, PAGE_LEVEL, BUILT_FILE_LEVEL };
