// The service as production runs it at city scale: two instances of the production build and two
// workers on one PostgreSQL database (the throwaway test cluster). Checks what must be shared
// between instances: a session made on one works on the other, a form shown by one is accepted
// by the other, the sign-in rate limit counts attempts on both together, and each outbox message
// is delivered exactly once although two workers claim from the same table.
//
// Needs the production build (npm run build) and PostgreSQL 15 (scripts/db/pg-test-cluster.sh);
// scripts/test.sh runs it after the build: npx vitest run -c vitest.instances.config.ts
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as contactOutbox from '@/lib/contact-details/outbox';
import { DEVELOPMENT_PARTNER_KEYS, reloadConfig } from '@/lib/platform/config';
import { disconnectDb, getDb } from '@/lib/platform/db';
import { citizenSessionCookie, makeCitizen } from '@/lib/platform/testing/people';
import { deploy } from '@/scripts/db/lib/commands';
import { ensureDevClientKeys } from '@/scripts/oidc-provider/dev-keys';
import { resolveTarget } from '@/scripts/db/lib/target';
import { freePort } from '../lib/free-port';

const root = path.resolve(__dirname, '../..');
const logs = path.join(root, '.tmp/instances');
const HOST = '127.0.0.1';
const APP_SECRET = 'instances-test-only-secret-never-used-elsewhere-0123456789';
// A small global sign-in limit, so that the test can use it up across the two instances.
const SIGN_IN_LIMIT = 4;
const MESSAGES = 40;

const children: ChildProcess[] = [];
let databaseUrl = '';
let oidcUrl = '';
let apps: string[] = [];

function start(name: string, command: string, args: string[], env: Record<string, string | undefined>, cwd = root): ChildProcess {
  const out = fs.openSync(path.join(logs, `${name}.log`), 'w');
  const child = spawn(command, args, {
    cwd,
    env: { PATH: process.env.PATH, ...env } as unknown as NodeJS.ProcessEnv,
    stdio: ['ignore', out, out],
    detached: true,
  });
  fs.closeSync(out);
  children.push(child);
  return child;
}

async function waitFor(name: string, child: ChildProcess, url: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited (${child.exitCode}): see ${path.join(logs, `${name}.log`)}`);
    const ok = await fetch(url).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${name} did not answer ${url}: see ${path.join(logs, `${name}.log`)}`);
}

/** A receiver that counts every delivery by its idempotency key (the demo receivers drop repeats silently). */
const deliveries = new Map<string, number>();
let receiver: http.Server | undefined;
async function startReceiver(): Promise<string> {
  receiver = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const key = String(req.headers['idempotency-key'] ?? '');
      deliveries.set(key, (deliveries.get(key) ?? 0) + 1);
      res.writeHead(201).end();
    });
  });
  await new Promise<void>((resolve) => receiver!.listen(0, HOST, resolve));
  return `http://${HOST}:${(receiver.address() as net.AddressInfo).port}`;
}

function appEnv(port: number, receiverUrl: string): Record<string, string> {
  return {
    NODE_ENV: 'production',
    NEXT_TELEMETRY_DISABLED: '1',
    HOSTNAME_BIND: HOST,
    PORT: String(port),
    PUBLIC_URL: `http://${HOST}:${port}`,
    DATABASE_URL: databaseUrl,
    APP_SECRET,
    AUDIT_HMAC_KEY: 'instances-test-only-audit-key-never-used-elsewhere-01',
    AUDIT_ANCHOR_FILE: path.join(logs, 'audit-anchors.jsonl'),
    ONELOGIN_ISSUER: `${oidcUrl}/onelogin`,
    NHSLOGIN_ISSUER: `${oidcUrl}/nhslogin`,
    STAFF_ISSUER: `${oidcUrl}/staff`,
    DEV_KEYS_DIR: path.join(logs, 'dev-keys'),
    IDENTITY_CLIENT_KEY: fs.readFileSync(path.join(logs, 'dev-keys/phr-client.es256.private.jwk.json'), 'utf8'),
    ADDRESS_RECEIVERS: `care-record=${receiverUrl},council=${receiverUrl}`,
    // Production requires a key for each organisation (this test's receiver does not check them).
    PARTNER_KEYS: Object.entries(DEVELOPMENT_PARTNER_KEYS)
      .map(([organisation, secret]) => `${organisation}=${secret}`)
      .join(','),
    // Production refuses the demo address lookup unless told this is a test.
    ALLOW_DEMO_ADDRESS_LOOKUP: '1',
    SIGN_IN_RATE_LIMIT: '1000',
    SIGN_IN_RATE_LIMIT_GLOBAL: String(SIGN_IN_LIMIT),
    LOG_LEVEL: 'warn',
  };
}

function cookiesOf(response: Response): string {
  return response.headers
    .getSetCookie()
    .map((cookie) => cookie.split(';')[0]!)
    .join('; ');
}

/** Starts a sign-in from the sign-in page of `app`, as a browser would (the form's token and cookie), with no returnTo. */
async function startSignIn(app: string): Promise<number> {
  const form = await fetch(`${app}/sign-in`);
  const html = await form.text();
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
  const response = await fetch(`${app}/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: app, cookie: cookiesOf(form) },
    body: new URLSearchParams({ _csrf: token, provider: 'nhslogin', sharedDevice: 'no' }).toString(),
  });
  await response.arrayBuffer();
  return response.status;
}

beforeAll(async () => {
  fs.rmSync(logs, { recursive: true, force: true });
  fs.mkdirSync(logs, { recursive: true });
  if (!fs.existsSync(path.join(root, '.next/standalone/server.js'))) throw new Error('No production build: run npm run build first');
  execFileSync('bash', ['scripts/db/pg-test-cluster.sh', 'start'], { cwd: root, stdio: 'ignore' });
  const base = execFileSync('bash', ['scripts/db/pg-test-cluster.sh', 'url'], { cwd: root, encoding: 'utf8' }).trim();
  databaseUrl = base.replace(/\/[^/]+$/, '/phr_instances');
  const admin = base.replace(/\/[^/]+$/, '/postgres');
  execFileSync('psql', [admin, '-qc', 'DROP DATABASE IF EXISTS phr_instances WITH (FORCE)', '-c', 'CREATE DATABASE phr_instances'], { stdio: 'ignore' });
  await deploy(resolveTarget(databaseUrl));
  // The instances' cookies are the production ones (__Host-…), as behind a proxy with https.
  reloadConfig({ ...process.env, DATABASE_URL: databaseUrl, APP_SECRET, PUBLIC_URL: 'https://phr.example', LOG_LEVEL: 'silent' });

  const tsx = path.join(root, 'node_modules/.bin/tsx');
  // The development client key: the identity provider registers its public half, the instances sign with it.
  ensureDevClientKeys(path.join(logs, 'dev-keys'));
  const oidcPort = await freePort();
  oidcUrl = `http://${HOST}:${oidcPort}`;
  const [portA, portB] = [await freePort(), await freePort()];
  // The identity provider sends people back to the first instance; this test never finishes a sign-in.
  const oidc = start('oidc', tsx, ['scripts/oidc-provider/server.ts'], {
    OIDC_PORT: String(oidcPort),
    OIDC_APP_URL: `http://${HOST}:${portA}`,
    DEV_KEYS_DIR: path.join(logs, 'dev-keys'),
    LOG_LEVEL: 'silent',
  });
  await waitFor('oidc', oidc, `${oidcUrl}/health`);

  const receiverUrl = await startReceiver();
  apps = [`http://${HOST}:${portA}`, `http://${HOST}:${portB}`];
  // One after the other: start.sh puts the static files beside the build before serving.
  for (const [index, port] of [portA, portB].entries()) {
    const name = `app-${'ab'[index]}`;
    const app = start(name, 'bash', ['scripts/start.sh'], appEnv(port, receiverUrl));
    await waitFor(name, app, `${apps[index]}/health`);
  }
  for (const name of ['worker-1', 'worker-2']) start(name, tsx, ['scripts/worker.ts'], appEnv(portA, receiverUrl));
}, 180_000);

afterAll(async () => {
  for (const child of children) {
    if (child.exitCode === null && child.pid) process.kill(-child.pid, 'SIGTERM');
  }
  await Promise.all(children.map((child) => (child.exitCode === null ? new Promise((resolve) => child.once('exit', resolve)) : null)));
  receiver?.close();
  await disconnectDb();
  execFileSync('bash', ['scripts/db/pg-test-cluster.sh', 'stop'], { cwd: root, stdio: 'ignore' });
}, 60_000);

describe('two instances and two workers on one PostgreSQL', () => {
  it('a session made on one instance works on the other, and so does a form one of them showed', async () => {
    const userId = await makeCitizen({ givenName: 'Shared', familyName: 'Session' });
    const cookie = await citizenSessionCookie(userId);
    for (const app of apps) {
      const response = await fetch(`${app}/account`, { headers: { cookie }, redirect: 'manual' });
      expect(response.status, app).toBe(200);
      expect(await response.text()).toContain('Shared Session');
    }
    // The feedback form from the first, sent to the second: the CSRF secret is the same everywhere.
    const form = await fetch(`${apps[0]}/feedback`);
    const token = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1] ?? '';
    const sent = await fetch(`${apps[1]}/feedback`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: apps[1]!, cookie: cookiesOf(form) },
      body: new URLSearchParams({ _csrf: token, rating: 'satisfied', comments: 'Sent to the other instance' }).toString(),
    });
    expect(sent.status).toBe(303);
  });

  it('counts sign-in attempts on both instances against one limit', async () => {
    const statuses = [];
    for (let i = 0; i < SIGN_IN_LIMIT; i += 1) statuses.push(await startSignIn(apps[i % 2]!));
    expect(statuses).toEqual(Array(SIGN_IN_LIMIT).fill(303));
    // The limit is used up on both together: each instance now refuses.
    expect(await startSignIn(apps[0]!)).toBe(429);
    expect(await startSignIn(apps[1]!)).toBe(429);
  });

  it('delivers each outbox message exactly once, with two workers claiming from one table', async () => {
    const db = getDb();
    const userId = await makeCitizen();
    await db.$transaction(async (tx) => {
      for (let i = 0; i < MESSAGES / 2; i += 1) {
        await contactOutbox.enqueue(tx, { topic: 'address-changed', userId, subjectId: `change-${i}`, payload: { change: i } }, new Date());
      }
    });
    const deadline = Date.now() + 60_000;
    while ((await db.outboxMessage.count({ where: { userId, status: 'pending' } })) > 0) {
      if (Date.now() > deadline) throw new Error('the workers did not deliver every message within a minute');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const sent = await db.outboxMessage.findMany({ where: { userId }, select: { idempotencyKey: true, status: true } });
    expect(sent).toHaveLength(MESSAGES);
    expect(sent.every((message) => message.status === 'delivered')).toBe(true);
    for (const message of sent) expect(deliveries.get(message.idempotencyKey), message.idempotencyKey).toBe(1);
  });
});
