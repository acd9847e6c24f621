// The demo's one ready-made citizen: Amelia Testwell, as NHS login (P9, NHS number) knows her,
// registered, with what a citizen typically adds (top three things, a condition, communication
// needs), so the care professional Grace (same GP practice) sees a real record at once; and the
// council's reference for her, as the demo council's receiver gives it when it receives a change
// (scripts/receivers/address-receiver.ts), so the council can send her letters by it at once.
// Fixed ids: running it again changes nothing. Signing in as Amelia with One Login still makes
// a separate account (the service does not link accounts across providers yet).
import type { Db } from '../lib/platform/db';
import { TERMS_VERSION } from '../lib/identity/registration';
import { citizens } from './oidc-provider/users';
import { councilReferenceFor } from './receivers/address-receiver';

/** The demo citizen's user id (fixed, so seeding twice finds her). */
export const DEMO_CITIZEN_ID = 'demo-citizen-amelia';
const USER_ID = DEMO_CITIZEN_ID;

export async function seedDemoCitizen(db: Db, now = new Date()): Promise<string> {
  const amelia = citizens.find((person) => person.email === 'amelia.testwell@example.com');
  if (!amelia || amelia.kind !== 'citizen') throw new Error('The demo provider has no Amelia');
  const existing = await db.userIdentity.findUnique({ where: { provider_subject: { provider: 'nhslogin', subject: amelia.nhsLoginSub } } });
  if (existing) return 'Demo citizen: Amelia (NHS login) already present.';

  await db.$transaction(async (tx) => {
    await tx.user.create({
      data: {
        id: USER_ID,
        givenName: amelia.givenName,
        familyName: amelia.familyName,
        birthDate: amelia.birthDate,
        nhsNumber: amelia.nhsNumber ?? null,
        identityLevel: 'P9',
        registeredAt: now,
        consentVersion: TERMS_VERSION,
        consentedAt: now,
        identities: { create: { provider: 'nhslogin', subject: amelia.nhsLoginSub } },
      },
    });
    await tx.topThingsVersion.create({
      data: {
        userId: USER_ID,
        items: JSON.stringify([
          {
            title: 'I care for my mum',
            description:
              'My mum lives with me and has dementia. If I am unwell or in hospital, please call my brother Sam on 0113 496 0999 so she is not left alone.',
          },
          {
            title: 'I find phone calls hard',
            description: 'I have some hearing loss. Please text or email me, or give me a longer appointment if we speak in person.',
          },
        ]),
      },
    });
    await tx.longTermCondition.create({ data: { userId: USER_ID, code: '38341003', name: 'High blood pressure (hypertension)' } });
    await tx.communicationNeeds.create({
      data: { userId: USER_ID, formats: 'large-print', otherNeeds: 'Please speak clearly and face me: I lip-read a little.' },
    });
    const councilReference = councilReferenceFor({ nhsNumber: amelia.nhsNumber });
    if (councilReference) {
      // (A reference the council gave someone else before is hers now, as the service would keep it.)
      await tx.organisationReference.deleteMany({ where: { organisation: 'council', reference: councilReference } });
      await tx.organisationReference.create({ data: { organisation: 'council', reference: councilReference, userId: USER_ID, updatedAt: now } });
    }
  });
  return 'Demo citizen: Amelia (NHS login) registered, with top three things, a condition, communication needs and the council’s reference for her.';
}
