// Sending invitations in the background (EngagementInvitationSend) on the database under test
// (SQLite and PostgreSQL, see scripts/db/test-both.sh): the coordinator's request only asks, once
// however often it is pressed; the worker claims each send once, runs it, records it, and takes
// over a send whose worker died; the page says where the send is.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { makeCitizen, staffSessionCookie, useDatabaseUnderTest } from '@/lib/platform/db-test-support';
import { getDb } from '@/lib/platform/db';
import { browserCsrf, formPost } from '@/lib/platform/testing/requests';
import { askToSendInvitations, claimAskedSends, MAX_ATTEMPTS, runClaimedSend, SEND_LEASE_MS, sendAskedInvitations } from './invitation-sends';
import { engagementPaths as paths } from './paths';
import { coordinatorActivityPage, sendInvitationsAction } from './staff-pages';
import { addNewQuestion, close, createActivity, invitationCounts, publish, savePreference, updateDraft } from './store';

const { provider } = useDatabaseUnderTest();

/** staffSessionCookie's organisation, so that the page tests can open the activity. */
const ORG = 'ZZ0001';
const OTHER_ORG = 'ZZ9999';
const NOW = new Date('2026-12-10T12:00:00Z');
const MINUTE = 60_000;
const at = (minutes: number) => new Date(NOW.getTime() + minutes * MINUTE);
/** Any send waiting in the database (other tests' too) is claimed: each test looks for its own. */
const ALL = 1_000;

/**
 * An activity for a topic and postcode district of its own, so that only this test's citizens can
 * be invited (citizens of other tests who chose no topics are interested in everything).
 */
async function draft(org = ORG) {
  const topic = `topic-${randomUUID().slice(0, 8)}`;
  const district = `ZY${Math.floor(Math.random() * 90) + 10}`;
  const id = await createActivity(
    { organisationCode: org, organisationName: 'Test Lane Surgery', subject: 'coordinator' },
    { title: `Sends ${randomUUID()}`, purpose: 'To test' },
  );
  await updateDraft(id, org, {
    topics: topic,
    audienceKind: 'area',
    audienceValue: district,
    startsOn: '2026-12-01',
    endsOn: '2026-12-31',
    method: 'online-survey',
  });
  await addNewQuestion(id, org, { text: 'How do you travel?', kind: 'choice', options: ['Bus', 'Car'] });
  return { id, topic, district };
}

/** A published activity and `people` citizens who can be invited to it. */
async function published(people: number, org = ORG) {
  const activity = await draft(org);
  for (let i = 0; i < people; i += 1) {
    const userId = await makeCitizen();
    await savePreference(userId, { wantsInvitations: true, topics: [activity.topic], postcodeDistrict: activity.district, monthlyLimit: 5 });
  }
  await publish(activity.id, org, NOW);
  return activity.id;
}

const sendOf = (activityId: string) => getDb().engagementInvitationSend.findUnique({ where: { activityId } });
const invitedTo = (activityId: string) => getDb().engagementInvitation.count({ where: { activityId } });
const claimedIds = (claims: { activityId: string }[]) => claims.map((claim) => claim.activityId);

describe(`asking for invitations to be sent, on ${provider}`, () => {
  it('records one send however often it is asked, invites no one in the request, and records a new one once it has finished', async () => {
    const id = await published(2);
    expect(await askToSendInvitations(id, ORG, 'coordinator-a', at(1))).toBe('asked');
    expect(await sendOf(id)).toMatchObject({ status: 'pending', askedAt: at(1), askedBy: 'coordinator-a', attempts: 0, invited: null, claimedUntil: null });
    expect(await invitedTo(id)).toBe(0);

    // Pressed again, and by two coordinators at once: still the one send, as first asked.
    expect(await askToSendInvitations(id, ORG, 'coordinator-a', at(2))).toBe('already-asked');
    const again = await Promise.all([askToSendInvitations(id, ORG, 'coordinator-b', at(3)), askToSendInvitations(id, ORG, 'coordinator-c', at(3))]);
    expect(again).toEqual(['already-asked', 'already-asked']);
    expect(await sendOf(id)).toMatchObject({ status: 'pending', askedAt: at(1), askedBy: 'coordinator-a' });

    // Also while a worker is sending it.
    await claimAskedSends(at(4), ALL);
    expect((await sendOf(id))?.status).toBe('sending');
    expect(await askToSendInvitations(id, ORG, 'coordinator-b', at(4))).toBe('already-asked');

    // Once it has been sent, asking again records a new send.
    await getDb().engagementInvitationSend.update({ where: { activityId: id }, data: { status: 'sent', invited: 2, finishedAt: at(5), claimedUntil: null } });
    expect(await askToSendInvitations(id, ORG, 'coordinator-b', at(6))).toBe('asked');
    expect(await sendOf(id)).toMatchObject({
      status: 'pending',
      askedAt: at(6),
      askedBy: 'coordinator-b',
      attempts: 0,
      invited: null,
      finishedAt: null,
      startedAt: null,
    });
  });

  it('asked for by several at once for the first time, records one send', async () => {
    const id = await published(1);
    const answers = await Promise.all(Array.from({ length: 5 }, (_, i) => askToSendInvitations(id, ORG, `coordinator-${i}`, NOW)));
    expect(answers.filter((answer) => answer === 'asked')).toHaveLength(1);
    expect(answers.filter((answer) => answer === 'already-asked')).toHaveLength(4);
    expect(await getDb().engagementInvitationSend.count({ where: { activityId: id } })).toBe(1);
  });

  it("refuses another organisation's activity (not found) and one not published, recording nothing", async () => {
    const theirs = await published(1, OTHER_ORG);
    await expect(askToSendInvitations(theirs, ORG, 'coordinator', NOW)).rejects.toMatchObject({ status: 404 });
    const unpublished = (await draft()).id;
    await expect(askToSendInvitations(unpublished, ORG, 'coordinator', NOW)).rejects.toMatchObject({ status: 409 });
    const closed = await published(1);
    await close(closed, ORG, { whatWeHeard: 'Buses', whatWeChanged: 'More buses' }, NOW);
    await expect(askToSendInvitations(closed, ORG, 'coordinator', NOW)).rejects.toMatchObject({ status: 409 });
    for (const id of [theirs, unpublished, closed]) expect(await sendOf(id)).toBeNull();
  });
});

describe(`the worker sending what was asked, on ${provider}`, () => {
  it('gives a send to one of two workers claiming at once, with a lease', async () => {
    const id = await published(1);
    await askToSendInvitations(id, ORG, 'coordinator', NOW);
    const [first, second] = await Promise.all([claimAskedSends(at(1), ALL), claimAskedSends(at(1), ALL)]);
    expect([...claimedIds(first), ...claimedIds(second)].filter((claimed) => claimed === id)).toHaveLength(1);
    expect(await sendOf(id)).toMatchObject({ status: 'sending', attempts: 1, startedAt: at(1), claimedUntil: new Date(at(1).getTime() + SEND_LEASE_MS) });
    // No one else takes it while the lease lasts.
    expect(claimedIds(await claimAskedSends(at(4), ALL))).not.toContain(id);
  });

  it('invites everyone eligible at the time it runs, and records how many', async () => {
    const id = await published(7);
    const eligible = (await invitationCounts(await getDb().engagementActivity.findUniqueOrThrow({ where: { id } }), at(2))).eligible;
    expect(eligible).toBe(7);
    await askToSendInvitations(id, ORG, 'coordinator', at(1));
    expect(await sendAskedInvitations(() => at(2), ALL)).toBeGreaterThanOrEqual(1);

    expect(await sendOf(id)).toMatchObject({ status: 'sent', invited: 7, finishedAt: at(2), claimedUntil: null, attempts: 1 });
    expect(await invitedTo(id)).toBe(7);
    expect(await getDb().engagementInvitation.count({ where: { activityId: id, sentAt: at(2) } })).toBe(7);
    // The page's counts were made again right after: no one is left to invite.
    expect((await getDb().engagementInvitationCount.findUniqueOrThrow({ where: { activityId: id } })).eligible).toBe(0);
    // Nothing is left for the next round.
    expect(claimedIds(await claimAskedSends(at(3), ALL))).not.toContain(id);
  });

  it('takes over a send whose worker died once its lease has run out, and gives up after the last try', async () => {
    const id = await published(3);
    await askToSendInvitations(id, ORG, 'coordinator', NOW);
    // A worker claims it, then dies without a word.
    expect(claimedIds(await claimAskedSends(at(1), ALL))).toContain(id);
    const leaseEnds = at(1).getTime() + SEND_LEASE_MS;
    expect(claimedIds(await claimAskedSends(new Date(leaseEnds - 1), ALL))).not.toContain(id);

    // After its lease, the next round takes it over and sends it.
    const later = new Date(leaseEnds + 1);
    expect(await sendAskedInvitations(() => later, ALL)).toBeGreaterThanOrEqual(1);
    expect(await sendOf(id)).toMatchObject({ status: 'sent', invited: 3, attempts: 2, finishedAt: later });
    expect(await invitedTo(id)).toBe(3);

    // One whose workers die every time is marked failed after MAX_ATTEMPTS tries, inviting no one.
    const doomed = await published(1);
    await askToSendInvitations(doomed, ORG, 'coordinator', NOW);
    let when = at(1).getTime();
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
      expect(claimedIds(await claimAskedSends(new Date(when), ALL))).toContain(doomed);
      when += SEND_LEASE_MS + 1;
    }
    expect(claimedIds(await claimAskedSends(new Date(when), ALL))).not.toContain(doomed);
    await sendAskedInvitations(() => new Date(when), ALL);
    expect(await sendOf(doomed)).toMatchObject({ status: 'failed', attempts: MAX_ATTEMPTS, finishedAt: new Date(when), claimedUntil: null });
    expect(await invitedTo(doomed)).toBe(0);
  });

  it('marks a send that fails as failed, and records nothing for a worker that has lost its claim', async () => {
    const id = await published(2);
    await askToSendInvitations(id, ORG, 'coordinator', NOW);
    // Closed after it was asked for: there is nothing to send any more.
    await close(id, ORG, { whatWeHeard: 'Buses', whatWeChanged: 'More buses' }, NOW);
    const [claim] = (await claimAskedSends(at(1), ALL)).filter((claimed) => claimed.activityId === id);
    expect(await runClaimedSend(claim!, () => at(2))).toBe('failed');
    expect(await sendOf(id)).toMatchObject({ status: 'failed', finishedAt: at(2), claimedUntil: null, invited: null });
    expect(await invitedTo(id)).toBe(0);

    // A worker whose lease ran out and was taken over does not overwrite the taker's record.
    const other = await published(2);
    await askToSendInvitations(other, ORG, 'coordinator', NOW);
    const [lost] = (await claimAskedSends(at(1), ALL)).filter((claimed) => claimed.activityId === other);
    const [taken] = (await claimAskedSends(new Date(lost!.lease.getTime() + 1), ALL)).filter((claimed) => claimed.activityId === other);
    expect(taken).toBeDefined();
    await runClaimedSend(lost!, () => at(7));
    expect(await sendOf(other)).toMatchObject({ status: 'sending', claimedUntil: taken!.lease, finishedAt: null });
  });
});

describe(`the coordinator's page, on ${provider}`, () => {
  const params = (id: string) => ({ params: Promise.resolve({ id }) });
  const get = async (path: string, cookie: string, id: string) => {
    const response = await coordinatorActivityPage(new Request(`http://localhost:3000${path}`, { headers: { cookie } }), params(id));
    expect(response.status).toBe(200);
    return response.text();
  };
  const post = (path: string, cookie: string) => {
    const csrf = browserCsrf();
    return formPost(path, {}, { csrf, headers: { cookie: `${csrf.cookie}; ${cookie}` } });
  };

  it('"Send invitations" asks once and says the invitations are being sent, with no button until they have been; then how many', async () => {
    const id = await published(6);
    const staff = await staffSessionCookie('engagement-coordinator');
    const path = paths.coordinator.invitations(id);
    const before = await get(paths.coordinator.activity(id), staff, id);
    expect(before).toContain('Send invitations');
    expect(before).not.toContain('being sent');

    const asked = await sendInvitationsAction(post(path, staff), params(id));
    expect(asked.status).toBe(303);
    expect(asked.headers.get('location')).toBe(paths.coordinator.sending(id));
    const send = await sendOf(id);
    expect(send).toMatchObject({ status: 'pending' });
    expect(send?.askedBy).toMatch(/^test-staff-/);
    // Pressed again (another tab, or before the page came back): the same one send.
    const twice = await sendInvitationsAction(post(path, staff), params(id));
    expect(twice.status).toBe(303);
    expect(await sendOf(id)).toEqual(send);
    expect(await invitedTo(id)).toBe(0);

    const sending = await get(paths.coordinator.sending(id), staff, id);
    expect(sending).toContain('The invitations are being sent');
    expect(sending).toContain(
      `<a class="govuk-notification-banner__link" href="${paths.coordinator.sending(id)}">Refresh the page</a> to see how many people were invited.`,
    );
    expect(sending).not.toContain('Send invitations');
    expect(sending).not.toContain(`action="${path}"`);

    await sendAskedInvitations(() => new Date(), ALL);
    const sent = await get(paths.coordinator.sending(id), staff, id);
    expect(sent).toMatch(/govuk-notification-banner--success[\s\S]*6 people invited/);
    expect(sent).toMatch(/Invitations last sent at [0-9:]+(am|pm): 6 people invited\./);
    expect(sent).not.toContain('being sent');
    // Coming to the page another time: no banner, but when they were last sent and to how many.
    const later = await get(paths.coordinator.activity(id), staff, id);
    expect(later).not.toContain('govuk-notification-banner--success');
    expect(later).toContain(': 6 people invited.');
  });

  it('keeps small numbers out: fewer than 5 people invited', async () => {
    const id = await published(3);
    const staff = await staffSessionCookie('engagement-coordinator');
    await sendInvitationsAction(post(paths.coordinator.invitations(id), staff), params(id));
    await sendAskedInvitations(() => new Date(), ALL);
    const html = await get(paths.coordinator.sending(id), staff, id);
    expect(html).toContain('Fewer than 5 people invited');
    expect(html).toContain(': fewer than 5 people invited.');
    expect(html).not.toMatch(/\b3 people invited/);
  });

  it('says when the invitations could not be sent, and offers to send them again', async () => {
    const id = await published(2);
    const staff = await staffSessionCookie('engagement-coordinator');
    await askToSendInvitations(id, ORG, 'coordinator', NOW);
    await getDb().engagementInvitationSend.update({ where: { activityId: id }, data: { status: 'failed', finishedAt: at(1) } });
    // Offered again even when the counts shown say no one is left (they may be from before the send).
    await getDb().engagementInvitationCount.update({ where: { activityId: id }, data: { eligible: 0 } });
    const html = await get(paths.coordinator.activity(id), staff, id);
    expect(html).toContain('The invitations could not be sent');
    expect(html).toContain('No one was invited this time. Try sending them again.');
    expect(html).toContain('Send invitations');
    const again = await sendInvitationsAction(post(paths.coordinator.invitations(id), staff), params(id));
    expect(again.status).toBe(303);
    expect((await sendOf(id))?.status).toBe('pending');
  });

  it('refuses a post without the form token, from another role, for another organisation or a draft, recording nothing', async () => {
    const id = await published(1);
    const staff = await staffSessionCookie('engagement-coordinator');
    const path = paths.coordinator.invitations(id);
    const noToken = await sendInvitationsAction(formPost(path, {}, { csrf: null, headers: { cookie: staff } }), params(id));
    expect(noToken.status).toBe(403);
    const otherRole = await sendInvitationsAction(post(path, await staffSessionCookie('care-professional')), params(id));
    expect(otherRole.status).toBe(403);
    expect(await sendOf(id)).toBeNull();

    const theirs = await published(1, OTHER_ORG);
    expect((await sendInvitationsAction(post(paths.coordinator.invitations(theirs), staff), params(theirs))).status).toBe(404);
    expect(await sendOf(theirs)).toBeNull();
    const unpublished = (await draft()).id;
    expect((await sendInvitationsAction(post(paths.coordinator.invitations(unpublished), staff), params(unpublished))).status).toBe(409);
    expect(await sendOf(unpublished)).toBeNull();
  });
});
