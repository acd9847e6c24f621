// The benefits report on the database under test (SQLite and PostgreSQL): each measure with rows
// in two months, small numbers kept back, the CSV, and who may see the page.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { countSignInStart } from '@/lib/identity/sign-in-starts';
import { getDb } from '@/lib/platform/db';
import { makeCitizen, staffSessionCookie, useDatabaseUnderTest } from '@/lib/platform/db-test-support';
import { benefitsCsv, benefitsReport, type BenefitsMonth } from './benefits';
import { benefitsCsvDownload, benefitsPage } from './benefits-page';
import { citizen, farFuture, resetRollup, signIn } from './test-support';

// Letters are counted by lib/letters (its own tests): here only how the report shows them.
const letters = vi.hoisted(() => ({ byMonth: {} as Record<string, { deliveredDigitally: number; posted: number }> }));
vi.mock('@/lib/letters/public', () => ({
  lettersByMonth: async (_db: unknown, months: string[]) =>
    Object.fromEntries(months.filter((month) => letters.byMonth[month]).map((month) => [month, letters.byMonth[month]])),
}));

const { provider } = useDatabaseUnderTest();
beforeAll(resetRollup);
afterAll(resetRollup);

const times = <T>(count: number, make: (index: number) => Promise<T>) => Promise.all(Array.from({ length: count }, (_, index) => make(index)));

async function deliveredAddressChange(userId: string, destination: string, deliveredAt: Date, status = 'delivered', topic = 'address-changed') {
  await getDb().outboxMessage.create({
    data: { idempotencyKey: randomUUID(), destination, topic, userId, subjectId: randomUUID(), payload: '{}', status, deliveredAt, createdAt: deliveredAt },
  });
}

async function reading(userId: string, createdAt: Date, deletedAt: Date | null = null) {
  await getDb().bloodPressureReading.create({
    data: { userId, createdAt, measuredAt: createdAt, systolic: 120, diastolic: 80, arm: 'left', sitting: true, deletedAt },
  });
}

/** An engagement response sent at `submittedAt` with `reused` answers reused from an earlier one and one typed afresh. */
async function responseWithReusedAnswers(userId: string, submittedAt: Date, reused: number) {
  const db = getDb();
  const activity = await db.engagementActivity.create({
    data: {
      organisationCode: 'ZZ0001',
      organisationName: 'Demo Lane Surgery',
      createdBy: 'test',
      title: 'Buses',
      purpose: 'To plan buses',
      status: 'published',
    },
  });
  const response = await db.engagementResponse.create({ data: { activityId: activity.id, userId, submittedAt } });
  for (let index = 0; index <= reused; index += 1) {
    const question = await db.engagementQuestion.create({ data: { organisationCode: 'ZZ0001', text: `Question ${index}`, kind: 'text' } });
    await db.engagementAnswer.create({
      data: { responseId: response.id, questionId: question.id, value: '"yes"', reusedFromId: index < reused ? `earlier-${randomUUID()}` : null },
    });
  }
}

describe(`benefits report on ${provider}`, () => {
  it('counts each measure in its UK month, and keeps small numbers back', async () => {
    const now = farFuture('06-15T12:00:00Z');
    const year = now.getUTCFullYear();
    const june = (day: number) => new Date(`${year}-06-${String(day).padStart(2, '0')}T10:00:00Z`);
    const may = (day: number) => new Date(`${year}-05-${String(day).padStart(2, '0')}T10:00:00Z`);
    const [juneKey, mayKey] = [`${year}-06`, `${year}-05`];
    letters.byMonth = { [juneKey]: { deliveredDigitally: 12, posted: 3 }, [mayKey]: { deliveredDigitally: 0, posted: 6 } };

    // Identity proven: seven accounts made in June (five finished registering in June), two in May.
    // Active: the June five signed in in June (one of them twice); one of the May three in May.
    const juneCitizens = await times(5, (index) => citizen(june(2), [june(3 + index)]));
    await signIn(juneCitizens[0]!, june(10)); // a second sign-in makes no second person
    await getDb().user.updateMany({ where: { id: { in: juneCitizens } }, data: { createdAt: june(1) } });
    const unfinished = await makeCitizen({ registeredAt: null, createdAt: june(1) });
    // A record held for a child (lib/proxy), made when staff granted a parent's request: nobody's account.
    await makeCitizen({ registeredAt: june(2), createdAt: june(2), heldForPersonSince: june(2) });
    const mayCitizens = await times(2, () => makeCitizen({ registeredAt: may(20), createdAt: may(20) }));
    await citizen(may(20), [may(21)]).then((id) => getDb().user.update({ where: { id }, data: { createdAt: may(20) } }));
    // 31 May 23:30 UTC is 1 June 00:30 in London (BST): June's.
    await getDb().user.update({ where: { id: mayCitizens[1]! }, data: { createdAt: new Date(`${year}-05-31T23:30:00Z`) } });

    // Address changes: five made in June, one in May; delivered to the care record (5 in June) and the council (1 in June).
    for (const userId of juneCitizens) {
      await getDb().postalAddress.create({ data: { userId, createdAt: june(4), line1: '1 Street', town: 'Leeds', postcode: 'LS1 1AA', source: 'lookup' } });
      await deliveredAddressChange(userId, 'care-record', june(5));
    }
    await getDb().postalAddress.create({
      data: { userId: mayCitizens[0]!, createdAt: may(22), line1: '2 Street', town: 'Leeds', postcode: 'LS1 1AA', source: 'manual' },
    });
    await deliveredAddressChange(juneCitizens[0]!, 'council', june(5));
    // Not delivered, or not an address: not counted.
    await deliveredAddressChange(juneCitizens[1]!, 'council', june(5), 'failed');
    await deliveredAddressChange(juneCitizens[1]!, 'council', june(5), 'delivered', 'contact-preferences-changed');

    // Readings: six shared in June; one deleted and one from someone who does not share: not counted.
    for (let index = 0; index < 6; index += 1) await reading(juneCitizens[index % 5]!, june(6));
    await reading(juneCitizens[0]!, june(6), june(7));
    await getDb().sharingConsent.create({ data: { userId: unfinished, category: 'blood-pressure', shared: false } });
    await reading(unfinished, june(6));
    await reading(mayCitizens[0]!, may(23));

    // Engagement: five answers reused in responses sent in June, two in May; a draft's do not count.
    await responseWithReusedAnswers(juneCitizens[0]!, june(8), 3);
    await responseWithReusedAnswers(juneCitizens[1]!, june(9), 2);
    await responseWithReusedAnswers(mayCitizens[0]!, may(24), 2);
    const draft = await getDb().engagementActivity.create({
      data: { organisationCode: 'ZZ0001', organisationName: 'Demo', createdBy: 'test', title: 'Draft', purpose: 'Draft', status: 'published' },
    });
    const unsent = await getDb().engagementResponse.create({ data: { activityId: draft.id, userId: juneCitizens[2]! } });
    const question = await getDb().engagementQuestion.create({ data: { organisationCode: 'ZZ0001', text: 'Unsent', kind: 'text' } });
    await getDb().engagementAnswer.create({
      data: { responseId: unsent.id, questionId: question.id, value: '"no"', reusedFromId: 'earlier', answeredAt: june(9) },
    });

    // Moved from post to digital: five people in June (one twice), none in May.
    for (const userId of juneCitizens) await getDb().postToDigitalSwitch.create({ data: { userId, at: june(11), fromChannel: 'post', toChannel: 'email' } });
    await getDb().postToDigitalSwitch.create({ data: { userId: juneCitizens[0]!, at: june(12), fromChannel: 'text', toChannel: 'email' } });

    // Sign-ins started: nine in June (eight with One Login, one with NHS login), three in May.
    for (let index = 0; index < 8; index += 1) await countSignInStart(getDb(), 'onelogin', june(1));
    await countSignInStart(getDb(), 'nhslogin', june(14));
    await times(3, () => countSignInStart(getDb(), 'onelogin', may(2)));

    const report = await benefitsReport(getDb(), now);
    expect(report.months).toHaveLength(12);
    const month = (key: string) => report.months.find((one) => one.key === key)!;
    expect(month(juneKey)).toEqual<BenefitsMonth>({
      key: juneKey,
      label: `June ${year}`,
      active: 5,
      started: 9,
      identityProven: 7,
      registered: 5,
      deliveredDigitally: 12,
      posted: 3,
      addressChanges: 5,
      addressDeliveries: { 'care-record': 5, council: 1 },
      readingsShared: 6,
      answersReused: 5,
      switchedFromPost: 5,
    });
    expect(month(mayKey)).toEqual<BenefitsMonth>({
      key: mayKey,
      label: `May ${year}`,
      active: 1,
      started: 3,
      identityProven: 2,
      registered: 3,
      deliveredDigitally: 0,
      posted: 6,
      addressChanges: 1,
      addressDeliveries: { 'care-record': 0, council: 0 },
      readingsShared: 1,
      answersReused: 2,
      switchedFromPost: 0,
    });

    const csv = benefitsCsv(report).split('\r\n');
    expect(csv[0]).toBe(
      'month,active_users,sign_ins_started,identity_proven,registered,letters_delivered_digitally,letters_posted,address_changes_made,' +
        'address_changes_delivered_care-record,address_changes_delivered_council,readings_shared_with_care_teams,engagement_answers_reused,moved_from_post_to_digital',
    );
    expect(csv).toHaveLength(14);
    expect(csv[11]).toBe(`${mayKey},fewer than 5,fewer than 5,fewer than 5,fewer than 5,0,6,fewer than 5,0,0,fewer than 5,fewer than 5,0`);
    expect(csv[12]).toBe(`${juneKey},5,9,7,5,12,fewer than 5,5,5,fewer than 5,6,5,5`);
  });

  it('shows every month, oldest first, with nothing to count as 0', async () => {
    const report = await benefitsReport(getDb(), new Date('2990-01-10T00:00:00Z'), 2);
    expect(report.months.map((month) => month.key)).toEqual(['2989-12', '2990-01']);
    expect(benefitsCsv(report).split('\r\n')[1]).toBe('2989-12,0,0,0,0,0,0,0,0,0,0,0,0');
  });
});

describe(`benefits pages on ${provider}`, () => {
  const get = (path: string, cookie?: string) => new Request(`http://localhost:3000${path}`, { headers: cookie ? { cookie } : {} });

  it('shows programme administrators the progress, each chart and its table, and the CSV', async () => {
    const cookie = await staffSessionCookie('programme-admin');
    const response = await benefitsPage(get('/staff/benefits', cookie));
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('<h1 class="govuk-heading-l">Benefits report</h1>');
    expect(html).toMatch(/of break-even \(1,150 active users\) and \d+% of the target \(7,500 active users\)/);
    // The progress bar and five charts, each an image with a title and a description, and a table each.
    expect(html.match(/<svg [^>]*role="img" aria-labelledby="[a-z-]+-title" aria-describedby="[a-z-]+-desc"/g)).toHaveLength(6);
    expect(html.match(/<table class="govuk-table/g)).toHaveLength(5);
    for (const caption of ['Active users each month', 'Registration', 'Letters', 'Changes of address', 'Sharing, engagement and fewer letters']) {
      expect(html).toContain(`${caption}: the figures`);
    }
    expect(html).toContain('href="/staff/benefits.csv"');
    expect(html).toContain('href="/staff/feedback"');

    const csv = await benefitsCsvDownload(get('/staff/benefits.csv', cookie));
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toMatch(/^attachment; filename="benefits-\d{4}-\d{2}-\d{2}\.csv"$/);
    const lines = (await csv.text()).trim().split('\r\n');
    expect(lines).toHaveLength(13);
    for (const line of lines.slice(1)) expect(line).toMatch(/^\d{4}-\d{2}(,(\d+|fewer than 5)){12}$/);
  });

  it('refuses other staff as the active users page does, and sends the signed out to sign in', async () => {
    for (const role of ['care-professional', 'engagement-coordinator']) {
      const cookie = await staffSessionCookie(role);
      const page = await benefitsPage(get('/staff/benefits', cookie));
      expect(page.status, role).toBe(403);
      expect(await page.text()).not.toContain('Benefits report');
      expect((await benefitsCsvDownload(get('/staff/benefits.csv', cookie))).status, role).toBe(403);
    }
    const signedOut = await benefitsPage(get('/staff/benefits'));
    expect(signedOut.status).toBe(303);
    expect(signedOut.headers.get('location')).toBe('/staff/sign-in');
  });
});
