import type { Db } from '../platform/db';
import { registerApp } from './apps';

/** The example market app (scripts/market-app): a blood pressure diary, registered for the demo and the tests. */
export const DEMO_APP_ID = 'bp-diary';

/** Registers the example app with its address, or updates its address; safe to run again. */
export async function seedDemoApp(db: Db, marketAppUrl: string, now = new Date()): Promise<string> {
  const redirectUris = [`${marketAppUrl.replace(/\/$/, '')}/callback`];
  const existing = await db.app.findUnique({ where: { id: DEMO_APP_ID } });
  if (existing) {
    await db.app.update({ where: { id: DEMO_APP_ID }, data: { redirectUris: JSON.stringify(redirectUris) } });
    return `Demo app ${DEMO_APP_ID}: already registered, sent back to ${redirectUris[0]}.`;
  }
  await registerApp(
    db,
    {
      id: DEMO_APP_ID,
      name: 'Blood pressure diary',
      publisher: 'Example Health Apps Ltd (a demo app)',
      redirectUris,
      scopes: ['launch/patient', 'openid', 'fhirUser', 'offline_access', 'patient/Patient.r', 'patient/Observation.rs', 'patient/Observation.c'],
      privacyPolicyUrl: `${marketAppUrl.replace(/\/$/, '')}/privacy`,
      clientType: 'public',
    },
    'demo seed',
    now,
  );
  return `Demo app ${DEMO_APP_ID}: registered, sent back to ${redirectUris[0]}.`;
}
