import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { runAsCommand } from '../dev-server';

/**
 * A demo receiver for changes of contact details: stands in for one organisation's system
 * (the care record system, the council's customer record), as its own process and port.
 *
 *   POST /address-changes, POST /contact-preferences   a change, with an Idempotency-Key header:
 *        the first with a key is kept (201); a repeat is answered 200 and kept no more.
 *   GET  /received          what was kept, for tests and the demo
 *   POST /_faults           {"mode": "none|down|slow|error500", "count": n, "slowMs": n}:
 *                           misbehave for the next n changes (all of them when no count)
 *   GET  /health
 *
 * Fault modes: down (the connection is dropped, as if nothing listened), slow (keeps the change,
 * then answers after slowMs: a response lost to a timeout), error500 (keeps nothing, answers 500).
 * Development and tests only: it has no authentication.
 */

export type FaultMode = 'none' | 'down' | 'slow' | 'error500';
export type Fault = { mode: FaultMode; count?: number; slowMs?: number };
export type ReceivedChange = { key: string; path: string; receivedAt: string; body: unknown };

const PATHS = new Set(['/address-changes', '/contact-preferences']);
const MAX_BODY = 64 * 1024;

export function parseFault(value: string): Fault {
  const [mode = 'none', slowMs] = value.split(':');
  if (!['none', 'down', 'slow', 'error500'].includes(mode)) throw new Error(`Unknown fault mode ${mode}`);
  return { mode: mode as FaultMode, ...(slowMs ? { slowMs: Number(slowMs) } : {}) };
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) reject(new Error('too large'));
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function json(res: http.ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

export function createAddressReceiver(options: { name: string; fault?: Fault; storeFile?: string }) {
  let fault: Fault = options.fault ?? { mode: 'none' };
  const received = new Map<string, ReceivedChange>();
  let requests = 0;
  if (options.storeFile && fs.existsSync(options.storeFile)) {
    for (const change of JSON.parse(fs.readFileSync(options.storeFile, 'utf8')) as ReceivedChange[]) received.set(change.key, change);
  }
  const persist = () => {
    if (options.storeFile) fs.writeFileSync(options.storeFile, JSON.stringify([...received.values()], null, 2));
  };

  /** The fault for this change, counting it down. */
  function takeFault(): Fault {
    const current = fault;
    if (current.mode !== 'none' && current.count !== undefined) {
      fault = current.count > 1 ? { ...current, count: current.count - 1 } : { mode: 'none' };
    }
    return current;
  }

  const server = http.createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://receiver');
      if (req.method === 'GET' && url.pathname === '/health') return json(res, 200, { status: 'ok', name: options.name });
      if (req.method === 'GET' && url.pathname === '/received') return json(res, 200, [...received.values()]);
      if (req.method === 'POST' && url.pathname === '/_faults') {
        const next = JSON.parse(await readBody(req)) as Fault;
        fault = parseFault(next.mode ?? 'none');
        if (next.count !== undefined) fault.count = next.count;
        if (next.slowMs !== undefined) fault.slowMs = next.slowMs;
        return json(res, 200, fault);
      }
      if (req.method !== 'POST' || !PATHS.has(url.pathname)) return json(res, 404, { error: 'not found' });

      requests += 1;
      const current = takeFault();
      if (current.mode === 'down') {
        req.socket.destroy();
        return;
      }
      const key = req.headers['idempotency-key'];
      if (typeof key !== 'string' || !/^[\w-]{8,100}$/.test(key)) return json(res, 400, { error: 'Idempotency-Key header required' });
      let body: unknown;
      try {
        body = JSON.parse(await readBody(req));
      } catch {
        return json(res, 400, { error: 'body must be JSON' });
      }
      if (current.mode === 'error500') return json(res, 500, { error: 'simulated failure' });

      const repeat = received.has(key);
      if (!repeat) {
        received.set(key, { key, path: url.pathname, receivedAt: new Date().toISOString(), body });
        persist();
      }
      if (current.mode === 'slow') await new Promise((resolve) => setTimeout(resolve, current.slowMs ?? 10_000));
      return json(res, repeat ? 200 : 201, { received: true, repeat });
    } catch {
      if (!res.headersSent) json(res, 400, { error: 'bad request' });
    }
  });

  return {
    server,
    received: () => [...received.values()],
    /** How many changes were sent to it (repeats and refused ones included). */
    requests: () => requests,
    setFault(next: Fault) {
      fault = next;
    },
    async listen(port = 0, host = '127.0.0.1'): Promise<string> {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => resolve());
      });
      return `http://${host}:${(server.address() as AddressInfo).port}`;
    },
    close(): Promise<void> {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

async function main() {
  const name = process.env.RECEIVER_NAME ?? 'demo receiver';
  const port = Number(process.env.RECEIVER_PORT ?? 3500);
  const fault = process.env.RECEIVER_FAULT ? parseFault(process.env.RECEIVER_FAULT) : undefined;
  const receiver = createAddressReceiver({ name, fault, storeFile: process.env.RECEIVER_STORE_FILE });
  const url = await receiver.listen(port, process.env.RECEIVER_HOST ?? 'localhost');
  process.stdout.write(`${name}: receiving contact detail changes at ${url}${fault ? ` (fault mode ${fault.mode})` : ''}\n`);
  return receiver;
}

runAsCommand(import.meta.filename, 'the demo receiver', main);
