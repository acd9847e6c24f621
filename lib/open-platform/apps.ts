import type { App, AppConnection } from '../generated/sqlite/client';
import type { Db, Tx } from '../platform/db';
import { revokeGrant } from './oauth-store';

/**
 * The app registry (apps that programme administrators registered) and citizens' connections
 * to them (their consent: what each app may do for them, until they disconnect it).
 */

export type { App, AppConnection };

/** The SMART scopes an app can be given, and what each lets it do, in the words the consent page uses. */
export const SCOPE_WORDS: Record<string, { kind: 'see' | 'add' | 'other'; words: string }> = {
  'patient/Patient.r': { kind: 'see', words: 'Your name, date of birth, NHS number, address and contact details' },
  'patient/Observation.rs': { kind: 'see', words: 'Your blood pressure readings and test results' },
  'patient/Observation.c': { kind: 'add', words: 'Blood pressure readings' },
  'patient/Condition.rs': { kind: 'see', words: 'Your long-term conditions' },
  'patient/Condition.c': { kind: 'add', words: 'Long-term conditions' },
  'patient/Consent.rs': { kind: 'see', words: 'Your choices about what you share with professionals' },
  'patient/AuditEvent.rs': { kind: 'see', words: 'Who has looked at your record' },
  'patient/AllergyIntolerance.rs': { kind: 'see', words: 'Your allergies' },
  'patient/MedicationStatement.rs': { kind: 'see', words: 'Your medicines' },
  'patient/Immunization.rs': { kind: 'see', words: 'Your vaccinations' },
  'patient/Appointment.rs': { kind: 'see', words: 'Your appointments' },
  'patient/DocumentReference.rs': { kind: 'see', words: 'Letters about your care' },
  'launch/patient': { kind: 'other', words: 'know which record is yours' },
  openid: { kind: 'other', words: 'know it is you' },
  fhirUser: { kind: 'other', words: 'know it is you' },
  offline_access: { kind: 'other', words: 'keep its access until you disconnect it, without asking you again' },
};

export const SUPPORTED_SCOPES = Object.keys(SCOPE_WORDS);
/** Scopes of OpenID Connect itself; the others are for the FHIR API. */
export const OIDC_SCOPES = ['openid', 'fhirUser', 'offline_access'];

export function redirectUrisOf(app: App): string[] {
  return JSON.parse(app.redirectUris) as string[];
}

export async function findApp(db: Db, id: string): Promise<App | null> {
  return db.app.findUnique({ where: { id } });
}

/** The app as an OAuth client (oidc-provider's client metadata). */
export function appClientMetadata(app: App): Record<string, unknown> {
  const common = {
    client_id: app.id,
    client_name: app.name,
    redirect_uris: redirectUrisOf(app),
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    // OpenID Connect's scopes only: the API's are checked against the registry by the server.
    scope: app.scopes
      .split(' ')
      .filter((scope) => OIDC_SCOPES.includes(scope))
      .join(' '),
    policy_uri: app.privacyPolicyUrl,
    id_token_signed_response_alg: 'ES256',
  };
  return app.clientType === 'confidential'
    ? { ...common, token_endpoint_auth_method: 'private_key_jwt', jwks: JSON.parse(app.jwks ?? '{"keys":[]}') }
    : { ...common, token_endpoint_auth_method: 'none' };
}

export type NewApp = {
  id: string;
  name: string;
  publisher: string;
  redirectUris: string[];
  scopes: string[];
  privacyPolicyUrl: string;
  clientType: 'public' | 'confidential';
  jwks?: { keys: unknown[] };
};

export async function registerApp(db: Db, app: NewApp, registeredBy: string, now = new Date()): Promise<App> {
  return db.app.create({
    data: {
      id: app.id,
      name: app.name,
      publisher: app.publisher,
      redirectUris: JSON.stringify(app.redirectUris),
      scopes: app.scopes.join(' '),
      privacyPolicyUrl: app.privacyPolicyUrl,
      clientType: app.clientType,
      jwks: app.jwks ? JSON.stringify(app.jwks) : null,
      registeredAt: now,
      registeredBy,
    },
  });
}

export async function listApps(db: Db): Promise<App[]> {
  return db.app.findMany({ orderBy: { name: 'asc' } });
}

/** The citizen's consent, recorded when they allow an app on the consent page. */
export async function recordConnection(db: Db, connection: { userId: string; appId: string; grantId: string; scopes: string[] }, now = new Date()) {
  return db.appConnection.create({
    data: { userId: connection.userId, appId: connection.appId, grantId: connection.grantId, scopes: connection.scopes.join(' '), connectedAt: now },
  });
}

export type ConnectedApp = { connection: AppConnection; app: App };

/**
 * The apps a citizen has connected and not disconnected, one entry per app (connecting again
 * makes a new grant: the newest stands for the app, and disconnecting ends them all).
 */
export async function connectedApps(db: Db, userId: string): Promise<ConnectedApp[]> {
  const connections = await db.appConnection.findMany({ where: { userId, disconnectedAt: null }, orderBy: { connectedAt: 'desc' } });
  const apps = new Map((await db.app.findMany({ where: { id: { in: connections.map((c) => c.appId) } } })).map((app) => [app.id, app]));
  const byApp = new Map<string, ConnectedApp>();
  for (const connection of connections) {
    const app = apps.get(connection.appId);
    if (!app || byApp.has(app.id)) continue;
    const lastUsedAt = maxDate(connections.filter((c) => c.appId === app.id).map((c) => c.lastUsedAt));
    byApp.set(app.id, { app, connection: { ...connection, lastUsedAt } });
  }
  return [...byApp.values()].sort((a, b) => a.app.name.localeCompare(b.app.name));
}

function maxDate(dates: (Date | null)[]): Date | null {
  return dates.reduce<Date | null>((latest, date) => (date && (!latest || date > latest) ? date : latest), null);
}

/** Disconnects an app from a citizen: every grant ends and its tokens stop working at once. */
export async function disconnectApp(db: Db, userId: string, appId: string, now = new Date()): Promise<boolean> {
  const connections = await db.appConnection.findMany({ where: { userId, appId, disconnectedAt: null } });
  for (const connection of connections) await revokeGrant(db, connection.grantId);
  const { count } = await db.appConnection.updateMany({ where: { userId, appId, disconnectedAt: null }, data: { disconnectedAt: now } });
  return count > 0;
}

/**
 * Withdraws an app from the registry: from now no one can connect it (the OAuth client lookup
 * and the FHIR API refuse a withdrawn app), and every citizen's connection to it ends, its grants
 * and tokens removed. Marked withdrawn first, so that nothing can connect while the grants go.
 * Returns how many connections it ended, or null when there is no such app. Running it again
 * ends nothing more, and keeps the first withdrawal's time.
 */
export async function withdrawApp(db: Db, appId: string, now = new Date()): Promise<number | null> {
  if (!(await findApp(db, appId))) return null;
  await db.app.updateMany({ where: { id: appId, withdrawnAt: null }, data: { withdrawnAt: now } });
  const connections = await db.appConnection.findMany({ where: { appId, disconnectedAt: null } });
  for (const connection of connections) await revokeGrant(db, connection.grantId);
  const { count } = await db.appConnection.updateMany({ where: { id: { in: connections.map((c) => c.id) } }, data: { disconnectedAt: now } });
  return count;
}

/**
 * A closed account (lib/identity/close-account.ts): every app loses access to the citizen at
 * once, inside the caller's transaction. Each connection's grant goes with every code and token
 * made under it, then the connections themselves; and any other OAuth record made for this
 * citizen (a grant whose consent was still being given, the authorisation server's own sign-in
 * session) whose payload names them as its account. Returns how many connections there were.
 */
export async function removeAppAccessOf(tx: Tx, userId: string): Promise<number> {
  const connections = await tx.appConnection.findMany({ where: { userId }, select: { grantId: true } });
  const grants = connections.map((connection) => connection.grantId);
  if (grants.length > 0) {
    await tx.oAuthRecord.deleteMany({ where: { OR: [{ grantId: { in: grants } }, { id: { in: grants.map((grant) => `Grant:${grant}`) } }] } });
  }
  // oidc-provider's payloads are JSON.stringify'd: the account is "accountId":"<user id>" (ids are cuids, nothing to escape).
  await tx.oAuthRecord.deleteMany({ where: { payload: { contains: `"accountId":${JSON.stringify(userId)}` } } });
  const { count } = await tx.appConnection.deleteMany({ where: { userId } });
  return count;
}

/** The live connection behind a token's grant, or null once disconnected. */
export async function liveConnection(db: Db, grantId: string): Promise<AppConnection | null> {
  return db.appConnection.findFirst({ where: { grantId, disconnectedAt: null } });
}

const TOUCH_EVERY_MS = 60_000;

/** "Last used": written at most once a minute per connection, so API calls do not all write. */
export async function touchConnection(db: Db, connection: AppConnection, now = new Date()): Promise<void> {
  if (connection.lastUsedAt && now.getTime() - connection.lastUsedAt.getTime() < TOUCH_EVERY_MS) return;
  await db.appConnection.update({ where: { id: connection.id }, data: { lastUsedAt: now } });
}
