// The FHIR API's request limits (fhir-route.ts), counted in the database under test as every
// instance counts them: per app across all its tokens, per token, and what happens when the
// database cannot count.
import { randomUUID } from 'node:crypto';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { getDb } from '@/lib/platform/db';
import { makeCitizen, useDatabaseUnderTest } from '@/lib/platform/db-test-support';
import { SharedTokenBucket } from '@/lib/platform/rate-limit';
import { api, connect, register } from './test-support';

useDatabaseUnderTest({ PUBLIC_URL: 'http://localhost:3000', API_RATE_LIMIT_PER_TOKEN: '3', API_RATE_LIMIT_PER_APP: '5' });

const run = randomUUID().slice(0, 8);
const SCOPE = 'launch/patient openid patient/Patient.r';
let ana: string;
let ben: string;

beforeAll(async () => {
  ana = await makeCitizen({ givenName: 'Ana' });
  ben = await makeCitizen({ givenName: 'Ben' });
});
afterEach(() => vi.restoreAllMocks());

describe('FHIR API rate limits', () => {
  it('limits each token, and each app across all its tokens, with 429, Retry-After and an OperationOutcome', async () => {
    const app = `limited-${run}`;
    await register(app, SCOPE.split(' '));
    const forAna = await connect(app, ana, SCOPE);
    const forBen = await connect(app, ben, SCOPE);
    for (let i = 0; i < 3; i += 1) expect((await api(forAna.access_token, `Patient/${ana}`)).status).toBe(200);
    const tooMany = await api(forAna.access_token, `Patient/${ana}`);
    expect(tooMany.status).toBe(429);
    expect(Number(tooMany.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await tooMany.json()).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'throttled' }] });
    // Ben's token has its own allowance, but the app as a whole has 5 a minute: 4 used by Ana's
    // (the refused one counted for the app), so Ben's gets one.
    expect((await api(forBen.access_token, `Patient/${ben}`)).status).toBe(200);
    expect((await api(forBen.access_token, `Patient/${ben}`)).status).toBe(429);
  });

  it('keeps no access token in the database: tokens are known by a keyed hash', async () => {
    const app = `hashed-${run}`;
    await register(app, SCOPE.split(' '));
    const tokens = await connect(app, ana, SCOPE);
    expect((await api(tokens.access_token, `Patient/${ana}`)).status).toBe(200);
    const keys = (await getDb().rateLimitBucket.findMany({ where: { key: { startsWith: 'api:' } }, select: { key: true } })).map((row) => row.key);
    expect(keys).toContain(`api:app:${app}`);
    expect(keys.some((key) => key.startsWith('api:token:'))).toBe(true);
    expect(keys.join(' ')).not.toContain(tokens.access_token);
  });

  it('answers 503 with Retry-After when the database cannot count (fails closed), never a 500', async () => {
    const app = `unavailable-${run}`;
    await register(app, SCOPE.split(' '));
    const tokens = await connect(app, ana, SCOPE);
    vi.spyOn(SharedTokenBucket.prototype, 'take').mockRejectedValue(new Error('connection lost'));
    const refused = await api(tokens.access_token, `Patient/${ana}`);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('60');
    expect(await refused.json()).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'transient' }] });
    vi.restoreAllMocks();
    expect((await api(tokens.access_token, `Patient/${ana}`)).status).toBe(200);
  });
});
