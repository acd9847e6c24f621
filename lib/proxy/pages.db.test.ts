// Acting for someone else, page by page in-process (a Request in, a Response out): the invite
// journey, every form's bad input (422, nothing stored), the person's own accesses only, the
// invitation page's answers and refusals, and choosing whom this browser acts for.
import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { getDb } from '@/lib/platform/db';
import { citizenSessionCookie, makeCitizen, useDatabaseUnderTest } from '@/lib/platform/db-test-support';
import { paths } from '@/lib/platform/paths';
import { browserCsrf, formPost } from '@/lib/platform/testing/requests';
import { actingForListPage, invitationPage, startActingAction, stopActingAction } from './acting-for-pages';
import { answerInvitation, invite } from './invitations';
import {
  accessEndPage,
  accessPage,
  accessPermissionsPage,
  inviteCheckAnswersPage,
  inviteContactPage,
  inviteHowLongPage,
  inviteNamePage,
  invitePermissionsPage,
  inviteSentPage,
  listPage,
} from './people-pages';

useDatabaseUnderTest();

const PATHS = paths.peopleActingForYou;
const noParams = { params: Promise.resolve({}) };
const params = (values: Record<string, string>) => ({ params: Promise.resolve(values) });

type Signed = { id: string; givenName: string; familyName: string; identityLevel: string; cookie: string };

async function citizen(givenName: string, details: Parameters<typeof makeCitizen>[0] = {}): Promise<Signed> {
  const id = await makeCitizen({ givenName, ...details });
  const user = await getDb().user.findUniqueOrThrow({ where: { id } });
  return { id, givenName, familyName: user.familyName, identityLevel: user.identityLevel, cookie: await citizenSessionCookie(id) };
}

const get = (path: string, who: Signed) => new Request(`http://localhost:3000${path}`, { headers: { cookie: who.cookie } });

function post(path: string, who: Signed, fields: Record<string, string | string[]>): Request {
  const csrf = browserCsrf();
  return formPost(path, fields, { csrf, headers: { cookie: `${csrf.cookie}; ${who.cookie}` } });
}

async function expectRefused(response: Response, fieldMessages: Record<string, string>) {
  expect(response.status).toBe(422);
  const html = await response.text();
  expect(html).toMatch(/<title>Error: /);
  for (const [field, message] of Object.entries(fieldMessages)) expect(html, field).toContain(`<a href="#${field}">${message}</a>`);
}

const draftOf = async (who: Signed) =>
  (await getDb().draft.findUnique({ where: { userId_journey: { userId: who.id, journey: 'proxy/invite' } } }))?.answers ?? null;
const accessesOf = (who: Signed) => getDb().proxyAccess.findMany({ where: { personId: who.id } });

const answers = {
  name: 'Walt Helpwell',
  contact: { channel: 'email' as const, email: 'walt@example.com' },
  permissions: ['care-record' as const],
  howLong: { until: 'stopped' as const },
};

describe('inviting someone, page by page', () => {
  it('asks one question a page, checks the answers, sends the invitation once and shows it sent', async () => {
    const amelia = await citizen('Amelia');
    const next = async (response: Response) => {
      expect(response.status).toBe(303);
      return response.headers.get('location');
    };
    expect((await inviteNamePage.GET(get(PATHS.inviteName, amelia), noParams)).status).toBe(200);
    expect(await next(await inviteNamePage.POST(post(PATHS.inviteName, amelia, { name: 'Walt Helpwell' }), noParams))).toBe(PATHS.inviteContact);
    // Check answers before every answer is given: back to the first one missing.
    const early = await inviteCheckAnswersPage.GET(get(PATHS.inviteCheckAnswers, amelia), noParams);
    expect(early.headers.get('location')).toBe(PATHS.inviteContact);
    expect(await (await inviteContactPage.GET(get(PATHS.inviteContact, amelia), noParams)).text()).toContain(
      'How should we send the invitation to Walt Helpwell?',
    );
    expect(await next(await inviteContactPage.POST(post(PATHS.inviteContact, amelia, { channel: 'text', mobile: '07700 900 982', email: '' }), noParams))).toBe(
      PATHS.invitePermissions,
    );
    expect(
      await next(await invitePermissionsPage.POST(post(PATHS.invitePermissions, amelia, { permissions: ['blood-pressure', 'care-record'] }), noParams)),
    ).toBe(PATHS.inviteHowLong);
    const endsOn = { until: 'date', 'endsOn-day': '31', 'endsOn-month': '12', 'endsOn-year': String(new Date().getUTCFullYear() + 1) };
    expect(await next(await inviteHowLongPage.POST(post(PATHS.inviteHowLong, amelia, endsOn), noParams))).toBe(PATHS.inviteCheckAnswers);
    // Shown again as given.
    expect(await (await inviteHowLongPage.GET(get(PATHS.inviteHowLong, amelia), noParams)).text()).toMatch(/id="endsOn-day" name="endsOn-day"[^>]*value="31"/);

    const check = await inviteCheckAnswersPage.GET(get(PATHS.inviteCheckAnswers, amelia), noParams);
    expect(check.status).toBe(200);
    const checkHtml = await check.text();
    expect(checkHtml).toContain('Text message to 07700 900982');
    expect(checkHtml).toContain('See your care record');
    expect(checkHtml).toContain(`Until 31 December ${endsOn['endsOn-year']}`);
    expect(await accessesOf(amelia)).toEqual([]);

    expect(await next(await inviteCheckAnswersPage.POST(post(PATHS.inviteCheckAnswers, amelia, {}), noParams))).toBe(PATHS.inviteSent);
    // A second click sends nothing more.
    expect(await next(await inviteCheckAnswersPage.POST(post(PATHS.inviteCheckAnswers, amelia, {}), noParams))).toBe(PATHS.inviteSent);
    const [access, ...others] = await accessesOf(amelia);
    expect(others).toEqual([]);
    expect(access).toMatchObject({
      invitedName: 'Walt Helpwell',
      invitedMobile: '07700 900982',
      invitedEmail: null,
      permissions: 'care-record,blood-pressure',
      status: 'invited',
    });
    expect(await draftOf(amelia)).toBeNull();
    expect(await getDb().outboxMessage.count({ where: { subjectId: access!.id, topic: 'proxy-invitation' } })).toBe(1);

    const sent = await inviteSentPage(get(PATHS.inviteSent, amelia), noParams);
    expect(sent.status).toBe(200);
    expect(await sent.text()).toContain('We sent it to 07700 900982');
    const list = await (await listPage(get(PATHS.list, amelia), noParams)).text();
    expect(list).toContain('Invitations waiting for an answer');
    expect(list).toContain('Walt Helpwell');
  });

  it('refuses each question without a good answer (422) and keeps nothing of it', async () => {
    const amelia = await citizen('Amelia', {
      contactPreference: { create: { channel: 'email', email: 'amelia@example.com', mobile: null, changeId: randomUUID() } },
    });
    const before = JSON.stringify({ name: 'Walt Helpwell' });
    await getDb().draft.create({ data: { userId: amelia.id, journey: 'proxy/invite', answers: before, expiresAt: new Date(Date.now() + 3_600_000) } });

    await expectRefused(await inviteNamePage.POST(post(PATHS.inviteName, amelia, {}), noParams), { name: 'Enter their full name' });
    await expectRefused(await inviteNamePage.POST(post(PATHS.inviteName, amelia, { name: 'Walt 1234' }), noParams), {
      name: 'Full name must only include letters, spaces, hyphens and apostrophes',
    });
    await expectRefused(await inviteContactPage.POST(post(PATHS.inviteContact, amelia, {}), noParams), { channel: 'Select how we should send the invitation' });
    await expectRefused(await inviteContactPage.POST(post(PATHS.inviteContact, amelia, { channel: 'email', email: 'not-an-email' }), noParams), {
      email: 'Enter an email address in the correct format, like name@example.com',
    });
    await expectRefused(await inviteContactPage.POST(post(PATHS.inviteContact, amelia, { channel: 'text', mobile: '0113 496 0000' }), noParams), {
      mobile: 'Enter a UK mobile phone number, like 07700 900 982',
    });
    // Their own address (their contact preferences).
    await expectRefused(await inviteContactPage.POST(post(PATHS.inviteContact, amelia, { channel: 'email', email: 'Amelia@Example.com' }), noParams), {
      email: 'Enter their email address, not your own',
    });
    // An address already invited.
    await invite(getDb(), amelia, { ...answers, contact: { channel: 'email', email: 'walt@example.com' } }, new Date());
    const response = await inviteContactPage.POST(post(PATHS.inviteContact, amelia, { channel: 'email', email: 'walt@example.com' }), noParams);
    expect(response.status).toBe(422);
    expect(await response.text()).toContain('You have already invited someone at this address');
    await expectRefused(await invitePermissionsPage.POST(post(PATHS.invitePermissions, amelia, {}), noParams), {
      permissions: 'Select what they can do for you',
    });
    await expectRefused(await invitePermissionsPage.POST(post(PATHS.invitePermissions, amelia, { permissions: 'close-account' }), noParams), {
      permissions: 'Select what they can do for you',
    });
    await expectRefused(await inviteHowLongPage.POST(post(PATHS.inviteHowLong, amelia, {}), noParams), { until: 'Select how long they can act for you' });
    await expectRefused(
      await inviteHowLongPage.POST(post(PATHS.inviteHowLong, amelia, { until: 'date', 'endsOn-day': '1', 'endsOn-year': '2030' }), noParams),
      {
        'endsOn-month': 'The date their access ends must include a month',
      },
    );
    await expectRefused(
      await inviteHowLongPage.POST(
        post(PATHS.inviteHowLong, amelia, { until: 'date', 'endsOn-day': '1', 'endsOn-month': '1', 'endsOn-year': '2020' }),
        noParams,
      ),
      {
        'endsOn-day': 'The date their access ends must be in the future',
      },
    );
    await expectRefused(
      await inviteHowLongPage.POST(
        post(PATHS.inviteHowLong, amelia, { until: 'date', 'endsOn-day': '1', 'endsOn-month': '1', 'endsOn-year': '2099' }),
        noParams,
      ),
      {
        'endsOn-year': 'The date their access ends must be within 5 years',
      },
    );
    expect(await draftOf(amelia)).toBe(before);
    expect(await accessesOf(amelia)).toHaveLength(1);
  });

  it("sends nothing from check answers without every answer, nor past the day's limit", async () => {
    const amelia = await citizen('Amelia');
    const incomplete = await inviteCheckAnswersPage.POST(post(PATHS.inviteCheckAnswers, amelia, {}), noParams);
    expect(incomplete.status).toBe(303);
    expect((await inviteSentPage(get(PATHS.inviteSent, amelia), noParams)).headers.get('location')).toBe(PATHS.list);

    for (let n = 0; n < 10; n += 1) await invite(getDb(), amelia, { ...answers, contact: { channel: 'email', email: `walt${n}@example.com` } }, new Date());
    await getDb().draft.create({
      data: { userId: amelia.id, journey: 'proxy/invite', answers: JSON.stringify(answers), expiresAt: new Date(Date.now() + 3_600_000) },
    });
    const refused = await inviteCheckAnswersPage.POST(post(PATHS.inviteCheckAnswers, amelia, {}), noParams);
    expect(refused.status).toBe(429);
    expect(await refused.text()).toContain('You have sent too many invitations today');
    expect(await accessesOf(amelia)).toHaveLength(10);
    expect(await draftOf(amelia)).not.toBeNull();
  });
});

describe("the person's accesses", () => {
  async function activeAccess() {
    const amelia = await citizen('Amelia');
    const walt = await citizen('Walt');
    const { id, token } = await invite(getDb(), amelia, answers, new Date());
    await answerInvitation(getDb(), token, walt, 'accept', new Date());
    return { amelia, walt, id };
  }

  it('shows, changes and ends their own, and stops a session acting under it', async () => {
    const { amelia, walt, id } = await activeAccess();
    const page = await accessPage(get(PATHS.access(id), amelia), params({ id }));
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(`Walt ${walt.familyName}`);
    expect(html).toContain('See your care record');

    await expectRefused(await accessPermissionsPage.POST(post(PATHS.permissions(id), amelia, {}), params({ id })), {
      permissions: 'Select what they can do for you',
    });
    expect((await getDb().proxyAccess.findUniqueOrThrow({ where: { id } })).permissions).toBe('care-record');
    const changed = await accessPermissionsPage.POST(post(PATHS.permissions(id), amelia, { permissions: ['sharing', 'care-record'] }), params({ id }));
    expect(changed.headers.get('location')).toBe(`${PATHS.access(id)}?changed=permissions`);
    expect((await getDb().proxyAccess.findUniqueOrThrow({ where: { id } })).permissions).toBe('care-record,sharing');

    const waltsSession = await getDb().session.findFirstOrThrow({ where: { userId: walt.id } });
    await getDb().session.update({ where: { id: waltsSession.id }, data: { actingForId: id } });
    expect(await (await accessEndPage.GET(get(PATHS.end(id), amelia), params({ id }))).text()).toContain(
      `Are you sure you want to stop Walt ${walt.familyName} acting for you?`,
    );
    const ended = await accessEndPage.POST(post(PATHS.end(id), amelia, {}), params({ id }));
    expect(ended.headers.get('location')).toBe(`${PATHS.list}?ended=${id}`);
    expect((await getDb().session.findUniqueOrThrow({ where: { id: waltsSession.id } })).actingForId).toBeNull();
    expect(await (await listPage(get(`${PATHS.list}?ended=${id}`, amelia), noParams)).text()).toContain(`Walt ${walt.familyName} can no longer act for you.`);
    // Ended: nothing left to change or end.
    expect((await accessEndPage.GET(get(PATHS.end(id), amelia), params({ id }))).headers.get('location')).toBe(PATHS.access(id));
    expect((await accessPermissionsPage.GET(get(PATHS.permissions(id), amelia), params({ id }))).headers.get('location')).toBe(PATHS.access(id));
  });

  it("answers another person's access, or a made-up id, with page not found, and changes nothing", async () => {
    const { walt, id } = await activeAccess();
    for (const someone of [walt, await citizen('Ben')]) {
      expect((await accessPage(get(PATHS.access(id), someone), params({ id }))).status).toBe(404);
      expect((await accessPermissionsPage.GET(get(PATHS.permissions(id), someone), params({ id }))).status).toBe(404);
      expect((await accessPermissionsPage.POST(post(PATHS.permissions(id), someone, { permissions: 'sharing' }), params({ id }))).status).toBe(404);
      expect((await accessEndPage.GET(get(PATHS.end(id), someone), params({ id }))).status).toBe(404);
      expect((await accessEndPage.POST(post(PATHS.end(id), someone, {}), params({ id }))).status).toBe(404);
    }
    expect((await accessPage(get(PATHS.access('made-up'), walt), params({ id: 'made-up' }))).status).toBe(404);
    expect(await getDb().proxyAccess.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: 'active', permissions: 'care-record' });
  });
});

describe('the invitation, as its invitee sees it', () => {
  it('asks yes or no (422 without an answer), accepts, and then says the link is used', async () => {
    const amelia = await citizen('Amelia');
    const walt = await citizen('Walt');
    const { id, token } = await invite(getDb(), amelia, answers, new Date());
    const path = paths.actingFor.invitation(token);
    const shown = await invitationPage.GET(get(path, walt), params({ token }));
    expect(shown.status).toBe(200);
    const html = await shown.text();
    expect(html).toContain(`Amelia ${amelia.familyName} has invited you to act for them`);
    expect(html).toContain('See your care record');

    await expectRefused(await invitationPage.POST(post(path, walt, {}), params({ token })), {
      answer: `Select yes if you want to act for Amelia ${amelia.familyName}`,
    });
    await expectRefused(await invitationPage.POST(post(path, walt, { answer: 'maybe' }), params({ token })), {
      answer: `Select yes if you want to act for Amelia ${amelia.familyName}`,
    });
    expect((await getDb().proxyAccess.findUniqueOrThrow({ where: { id } })).status).toBe('invited');

    const accepted = await invitationPage.POST(post(path, walt, { answer: 'accept' }), params({ token }));
    expect(accepted.headers.get('location')).toBe(`${paths.actingFor.list}?accepted=${id}`);
    const list = await (await actingForListPage(get(`${paths.actingFor.list}?accepted=${id}`, walt), noParams)).text();
    expect(list).toContain(`You can now act for Amelia ${amelia.familyName}.`);
    expect(list).toContain(`Act for Amelia ${amelia.familyName}`);

    const again = await invitationPage.GET(get(path, walt), params({ token }));
    expect(again.status).toBe(410);
    expect(await again.text()).toContain('This invitation has already been used');
  });

  it('says plainly why it cannot be answered, and changes nothing', async () => {
    const amelia = await citizen('Amelia');
    const { id, token } = await invite(getDb(), amelia, answers, new Date());
    const path = paths.actingFor.invitation(token);

    const own = await invitationPage.GET(get(path, amelia), params({ token }));
    expect(own.status).toBe(403);
    expect(await own.text()).toContain('You cannot accept your own invitation');
    expect((await invitationPage.POST(post(path, amelia, { answer: 'accept' }), params({ token }))).status).toBe(403);

    const unproven = await citizen('Una', { identityLevel: 'P5' });
    expect(await (await invitationPage.GET(get(path, unproven), params({ token }))).text()).toContain('You need to prove your identity first');
    expect((await getDb().proxyAccess.findUniqueOrThrow({ where: { id } })).status).toBe('invited');

    expect((await invitationPage.GET(get(paths.actingFor.invitation('made-up'), amelia), params({ token: 'made-up' }))).status).toBe(404);

    // Withdrawn (declined looks the same to the next person: used).
    const walt = await citizen('Walt');
    await accessEndPage.POST(post(PATHS.end(id), amelia, {}), params({ id }));
    const withdrawn = await invitationPage.POST(post(path, walt, { answer: 'accept' }), params({ token }));
    expect(withdrawn.status).toBe(410);
    expect(await withdrawn.text()).toContain('This invitation has been withdrawn');
  });

  it('sends someone signed out to sign in and back', async () => {
    const amelia = await citizen('Amelia');
    const { token } = await invite(getDb(), amelia, answers, new Date());
    const path = paths.actingFor.invitation(token);
    const response = await invitationPage.GET(new Request(`http://localhost:3000${path}`), params({ token }));
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(paths.signInFor(path));
  });
});

describe('acting for someone in this browser', () => {
  let amelia: Signed;
  let walt: Signed;
  let accessId: string;
  beforeEach(async () => {
    amelia = await citizen('Amelia');
    walt = await citizen('Walt');
    const { id, token } = await invite(getDb(), amelia, answers, new Date());
    await answerInvitation(getDb(), token, walt, 'accept', new Date());
    accessId = id;
  });
  const sessionsOf = (who: Signed) => getDb().session.findMany({ where: { userId: who.id } });

  it('starts only under an active access of their own, and stops', async () => {
    const ben = await citizen('Ben');
    expect((await startActingAction(post(paths.actingFor.start, ben, { accessId }), noParams)).status).toBe(404);
    expect((await startActingAction(post(paths.actingFor.start, walt, { accessId: 'made-up' }), noParams)).status).toBe(404);
    expect((await startActingAction(post(paths.actingFor.start, walt, {}), noParams)).status).toBe(404);
    expect((await sessionsOf(ben)).map((session) => session.actingForId)).toEqual([null]);
    expect((await sessionsOf(walt)).map((session) => session.actingForId)).toEqual([null]);

    const started = await startActingAction(post(paths.actingFor.start, walt, { accessId }), noParams);
    expect(started.status).toBe(303);
    expect(started.headers.get('location')).toBe(paths.account);
    expect((await sessionsOf(walt)).map((session) => session.actingForId)).toEqual([accessId]);

    const stopped = await stopActingAction(post(paths.actingFor.stop, walt, {}), noParams);
    expect(stopped.headers.get('location')).toBe(paths.actingFor.list);
    expect((await sessionsOf(walt)).map((session) => session.actingForId)).toEqual([null]);
  });
});
