// The app registry on the database under test: registering (and refusing a client ID already
// taken), withdrawing (every connection ended, its grant and tokens gone), and the programme
// administrators' pages in-process, a Request in and a Response out.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { getDb } from '../platform/db';
import { citizenSessionCookie, makeCitizen, staffSessionCookie, useDatabaseUnderTest } from '../platform/db-test-support';
import { paths } from '../platform/paths';
import { browserCsrf, formPost } from '../platform/testing/requests';
import { findApp, recordConnection, withdrawApp, type NewApp } from './apps';
import { registeredApps, registerNewApp } from './registry';
import { appRegistryPage, registerAppPage, withdrawAppPage } from './registry-pages';

useDatabaseUnderTest();

const newApp = (id: string): NewApp => ({
  id,
  name: `Diary ${id}`,
  publisher: 'Example Health Apps Ltd',
  redirectUris: ['https://diary.example/callback'],
  scopes: ['openid', 'patient/Observation.rs'],
  privacyPolicyUrl: 'https://diary.example/privacy',
  clientType: 'public',
});

const uniqueId = () => `app-${randomUUID().slice(0, 8)}`;

/** A citizen's connection to the app, with the OAuth server's records for its grant (the grant, a token, a refresh token). */
async function connect(appId: string, userId: string): Promise<string> {
  const db = getDb();
  const grantId = randomUUID();
  await recordConnection(db, { userId, appId, grantId, scopes: ['openid', 'patient/Observation.rs'] });
  await db.oAuthRecord.create({ data: { id: `Grant:${grantId}`, model: 'Grant', payload: '{}' } });
  for (const model of ['AccessToken', 'RefreshToken']) {
    await db.oAuthRecord.create({ data: { id: `${model}:${randomUUID()}`, model, payload: '{}', grantId } });
  }
  return grantId;
}

const recordsOf = (grantId: string) => getDb().oAuthRecord.count({ where: { OR: [{ grantId }, { id: `Grant:${grantId}` }] } });

describe('registering an app', () => {
  it('stores it as the registry keeps it, and refuses a second app with the same client ID', async () => {
    const id = uniqueId();
    const now = new Date('2026-12-02T10:00:00Z');
    const app = await registerNewApp(getDb(), { ...newApp(id), redirectUris: ['https://a.example/cb', 'http://localhost:3700/cb'] }, 'Pat Admin', now);
    expect(app).toMatchObject({
      id,
      redirectUris: '["https://a.example/cb","http://localhost:3700/cb"]',
      scopes: 'openid patient/Observation.rs',
      registeredBy: 'Pat Admin',
    });
    expect((await findApp(getDb(), id))?.registeredAt).toEqual(now);

    expect(await registerNewApp(getDb(), { ...newApp(id), name: 'Another app' }, 'Someone else')).toBe('client-id-taken');
    expect((await findApp(getDb(), id))?.name).toBe(`Diary ${id}`);
  });
});

describe('withdrawing an app', () => {
  it("ends every citizen's connection to it (grants and tokens gone), and no other app's", async () => {
    const db = getDb();
    const [id, other] = [uniqueId(), uniqueId()];
    await registerNewApp(db, newApp(id), 'Pat Admin');
    await registerNewApp(db, newApp(other), 'Pat Admin');
    const [amelia, chloe] = [await makeCitizen(), await makeCitizen()];
    // Amelia connected twice (two grants); Chloe once, and the other app too.
    const grants = [await connect(id, amelia), await connect(id, amelia), await connect(id, chloe)];
    const othersGrant = await connect(other, chloe);
    expect((await registeredApps(db)).find((entry) => entry.app.id === id)?.connectedCitizens).toBe(2);

    const now = new Date();
    expect(await withdrawApp(db, id, now)).toBe(3);

    expect((await findApp(db, id))?.withdrawnAt).toEqual(now);
    for (const grantId of grants) expect(await recordsOf(grantId)).toBe(0);
    expect(await db.appConnection.count({ where: { appId: id, disconnectedAt: now } })).toBe(3);
    expect((await registeredApps(db)).find((entry) => entry.app.id === id)?.connectedCitizens).toBe(0);

    expect(await recordsOf(othersGrant)).toBe(3);
    expect(await db.appConnection.count({ where: { appId: other, disconnectedAt: null } })).toBe(1);
    expect((await findApp(db, other))?.withdrawnAt).toBeNull();

    // Again: nothing more to end, and the first withdrawal's time stays.
    expect(await withdrawApp(db, id, new Date(now.getTime() + 60_000))).toBe(0);
    expect((await findApp(db, id))?.withdrawnAt).toEqual(now);
    expect(await withdrawApp(db, 'no-such-app')).toBeNull();
  });
});

const get = (path: string, cookie: string) => new Request(`http://localhost:3000${path}`, { headers: { cookie } });

function post(path: string, cookie: string, fields: Record<string, string | string[]>): Request {
  const csrf = browserCsrf();
  return formPost(path, fields, { csrf, headers: { cookie: `${csrf.cookie}; ${cookie}` } });
}

const params = (id = '') => ({ params: Promise.resolve({ id }) });

const form = (id: string) => ({
  name: 'Step counter',
  publisher: 'Example Apps <Ltd>',
  privacyPolicyUrl: 'https://steps.example/privacy',
  clientId: id,
  redirectUris: 'https://steps.example/callback',
  clientType: 'public',
  scopes: ['openid', 'fhirUser', 'patient/Patient.r'],
});

describe("the programme administrators' pages", () => {
  it('registers an app from the form and lists it with a banner that names it', async () => {
    const admin = await staffSessionCookie('programme-admin');
    const id = uniqueId();
    const sent = await registerAppPage.POST(post(paths.apps.staffRegister, admin, form(id)), params());
    expect(sent.status).toBe(303);
    expect(sent.headers.get('location')).toBe(`${paths.apps.staffList}?registered=${id}`);
    expect(await findApp(getDb(), id)).toMatchObject({ name: 'Step counter', clientType: 'public', registeredBy: 'Test Staff' });

    const list = await appRegistryPage(get(sent.headers.get('location')!, admin), params());
    expect(list.status).toBe(200);
    const html = await list.text();
    expect(html).toContain('Step counter has been registered.');
    expect(html).toContain('Example Apps &lt;Ltd&gt;');
    expect(html).toContain('See your name, date of birth, NHS number, address and contact details (<code>patient/Patient.r</code>)');
    expect(html).toContain(`href="${paths.apps.staffWithdraw(id)}"`);
  });

  it('shows the form again with every mistake (422, nothing stored), keeping what was typed and ticked', async () => {
    const admin = await staffSessionCookie('programme-admin');
    const id = uniqueId();
    const refused = await registerAppPage.POST(
      post(paths.apps.staffRegister, admin, {
        ...form(id),
        name: '',
        scopes: ['fhirUser', 'patient/Patient.r'],
        clientType: 'confidential',
        jwks: '{"keys": []}',
      }),
      params(),
    );
    expect(refused.status).toBe(422);
    const html = await refused.text();
    expect(html).toMatch(/<title>Error: Register an app/);
    expect(html).toContain('<a href="#name">Enter the app’s name</a>');
    expect(html).toContain('<a href="#jwks">JSON Web Key Set must have a &quot;keys&quot; list with at least one key in it</a>');
    expect(html).toContain('<a href="#scopes">Select openid as well as fhirUser</a>');
    expect(html).toMatch(/name="scopes" type="checkbox" value="patient\/Patient.r" checked/);
    expect(html).toMatch(/name="clientType" type="radio" value="confidential" checked/);
    expect(await findApp(getDb(), id)).toBeNull();

    await registerNewApp(getDb(), newApp(id), 'Pat Admin');
    const taken = await registerAppPage.POST(post(paths.apps.staffRegister, admin, form(id)), params());
    expect(taken.status).toBe(422);
    expect(await taken.text()).toContain('<a href="#clientId">An app with this client ID is already registered</a>');
  });

  it('asks before withdrawing, then withdraws the app and ends its connections', async () => {
    const admin = await staffSessionCookie('programme-admin');
    const id = uniqueId();
    await registerNewApp(getDb(), newApp(id), 'Pat Admin');
    const grantId = await connect(id, await makeCitizen());

    const asked = await withdrawAppPage.GET(get(paths.apps.staffWithdraw(id), admin), params(id));
    expect(asked.status).toBe(200);
    const question = await asked.text();
    expect(question).toContain(`Are you sure you want to withdraw Diary ${id}?`);
    expect(question).toContain('1 citizen has it connected now.');

    const done = await withdrawAppPage.POST(post(paths.apps.staffWithdraw(id), admin, {}), params(id));
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe(`${paths.apps.staffList}?withdrawn=${id}`);
    expect((await findApp(getDb(), id))?.withdrawnAt).not.toBeNull();
    expect(await recordsOf(grantId)).toBe(0);

    const list = await (await appRegistryPage(get(done.headers.get('location')!, admin), params())).text();
    expect(list).toContain(`Diary ${id} has been withdrawn.`);
    expect(list).toContain(`Diary ${id} (withdrawn)`);
    expect(list).not.toContain(`href="${paths.apps.staffWithdraw(id)}"`);

    // Withdrawn already: back to the list; no such app: not found.
    expect((await withdrawAppPage.GET(get(paths.apps.staffWithdraw(id), admin), params(id))).headers.get('location')).toBe(paths.apps.staffList);
    expect((await withdrawAppPage.POST(post(paths.apps.staffWithdraw('nope'), admin, {}), params('nope'))).status).toBe(404);
  });

  it('are for programme administrators only: other staff and citizens are refused, and nothing changes', async () => {
    const id = uniqueId();
    await registerNewApp(getDb(), newApp(id), 'Pat Admin');
    const careProfessional = await staffSessionCookie('care-professional,engagement-coordinator');
    const citizen = await citizenSessionCookie(await makeCitizen());

    expect((await appRegistryPage(get(paths.apps.staffList, careProfessional), params())).status).toBe(403);
    expect((await registerAppPage.POST(post(paths.apps.staffRegister, careProfessional, form(uniqueId())), params())).status).toBe(403);
    expect((await withdrawAppPage.POST(post(paths.apps.staffWithdraw(id), careProfessional, {}), params(id))).status).toBe(403);
    const asCitizen = await withdrawAppPage.POST(post(paths.apps.staffWithdraw(id), citizen, {}), params(id));
    expect(asCitizen.status).toBe(303);
    expect(asCitizen.headers.get('location')).toBe(paths.staff.signIn);
    expect((await findApp(getDb(), id))?.withdrawnAt).toBeNull();
  });
});
