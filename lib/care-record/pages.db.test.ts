// The care-record pages in-process, on the database under test, against the demo care record:
// a record is found only with what the identity provider verified. A postcode the citizen
// sends is never read, and there is no page that asks for one.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as summary } from '@/app/care-record/route';
import { POST as checkAgain } from '@/app/care-record/check-again/route';
import { GET as medicines } from '@/app/care-record/medicines/route';
import { reloadConfig } from '@/lib/platform/config';
import { getDb } from '@/lib/platform/db';
import { citizenSessionCookie, makeCitizen, useDatabaseUnderTest } from '@/lib/platform/db-test-support';
import { paths } from '@/lib/platform/paths';
import { browserCsrf, formPost } from '@/lib/platform/testing/requests';
import { findLink } from './link-store';
import { startTestCareRecord, type TestCareRecord } from './test-support';

const { url, provider } = useDatabaseUnderTest();
let careRecord: TestCareRecord;

beforeAll(async () => {
  careRecord = await startTestCareRecord();
  // The app's own client (made on first use) talks to this care record, with its key.
  const { jwk } = careRecord.settings().clientKey() as { jwk: object };
  reloadConfig({
    ...process.env,
    DATABASE_URL: url,
    CARE_RECORD_BASE_URL: careRecord.server.url,
    CARE_RECORD_CLIENT_KEY: JSON.stringify(jwk),
    CARE_RECORD_CACHE_SECONDS: '0',
    CARE_RECORD_RETRIES: '0',
  });
});

afterAll(async () => {
  await careRecord?.close();
});

const patientIdOf = (key: string) => careRecord.server.dataset.demoPatients.find((patient) => patient.key === key)!.patientId;

/** A registered One Login citizen (no NHS number) with this verified postcode, signed in. */
async function oneLoginCitizen(verifiedPostcode: string | null, person = { givenName: 'Amelia', familyName: 'Testwell', birthDate: '1984-03-17' }) {
  const userId = await makeCitizen({ ...person, nhsNumber: null, verifiedPostcode, identityLevel: 'P2' });
  const csrf = browserCsrf();
  const cookie = `${csrf.cookie}; ${await citizenSessionCookie(userId)}`;
  return {
    userId,
    get: (handler: (req: Request) => Promise<Response>, address: string) => handler(new Request(`http://localhost:3000${address}`, { headers: { cookie } })),
    checkAgain: (fields: Record<string, string>) => checkAgain(formPost(paths.careRecord.checkAgain, fields, { csrf, headers: { cookie } })),
  };
}

const h1 = async (response: Response) => /<h1[^>]*>([^<]*)<\/h1>/.exec(await response.text())?.[1]?.trim();

describe(`the care-record pages on ${provider}`, () => {
  it('show a One Login citizen their record found by the postcode One Login verified, asking for nothing', async () => {
    const amelia = await oneLoginCitizen('LS6 2QR');
    const page = await amelia.get(summary, paths.careRecord.summary);
    expect(page.status).toBe(200);
    expect(await h1(page)).toBe('Your care record');
    expect(await findLink(getDb(), amelia.userId)).toMatchObject({ outcome: 'matched', patientId: patientIdOf('amelia'), method: 'demographics' });
    expect((await amelia.get(medicines, paths.careRecord.medicines)).status).toBe(200);
  });

  it('never link on a postcode the citizen sends', async () => {
    for (const verifiedPostcode of [null, 'LS15 8QG']) {
      const citizen = await oneLoginCitizen(verifiedPostcode);
      const page = await citizen.get(summary, paths.careRecord.summary);
      expect(page.status).toBe(200);
      expect(await h1(page)).toBe('We could not find your care record');
      // Amelia's real postcode, sent with "check again": not read, nothing linked.
      const answer = await citizen.checkAgain({ postcode: 'LS6 2QR' });
      expect(answer.status).toBe(200);
      expect(await h1(answer)).toBe('We could not find your care record');
      expect(await findLink(getDb(), citizen.userId)).toMatchObject({ outcome: 'no-match', patientId: null });
      const section = await citizen.get(medicines, paths.careRecord.medicines);
      expect(section.status).toBe(303);
      expect(section.headers.get('location')).toBe(paths.careRecord.summary);
    }
    // No page asks for a postcode to find a record.
    expect(fs.existsSync(path.join(process.cwd(), 'app/care-record/find-your-record'))).toBe(false);
    expect(JSON.stringify(paths.careRecord)).not.toContain('find-your-record');
  });

  it('show someone with the same name and birth date, verified at another address, no record at all', async () => {
    const otherNadia = await oneLoginCitizen('LS15 8QG', { givenName: 'Nadia', familyName: 'Blankley', birthDate: '2001-08-23' });
    const page = await otherNadia.get(summary, paths.careRecord.summary);
    const html = await page.text();
    expect(html).toContain('We could not find your care record');
    expect(html).toContain('add NHS login to your account');
    expect(html).not.toContain('Your care record</h1>');
    expect(await findLink(getDb(), otherNadia.userId)).toMatchObject({ outcome: 'no-match', patientId: null });
  });
});
