// Preloaded (--require) into a bench server running on another Node.js than the project's own
// (BENCH_NODE, scripts/bench/lib/server-node.ts): better-sqlite3, wherever it is asked for (the
// project's node_modules, or the standalone server's copy under the name Next's build gives it,
// better-sqlite3-<hash>), is the build for this Node in .tmp/node-<major>/better-sqlite3. Nothing
// else is changed.
const { registerHooks } = require('node:module');
const path = require('node:path');
const { pathToFileURL } = require('node:url');

const major = process.versions.node.split('.')[0];
const asked = /^better-sqlite3(-[0-9a-f]+)?$/;
const build = pathToFileURL(path.resolve(__dirname, '../../../.tmp', `node-${major}`, 'better-sqlite3/lib/index.js')).href;

registerHooks({
  resolve(specifier, context, nextResolve) {
    if (asked.test(specifier)) return { url: build, format: 'commonjs', shortCircuit: true };
    return nextResolve(specifier, context);
  },
});
