// Parents' and attorneys' requests on the database under test (SQLite and PostgreSQL): whom a
// request is for (a record found by NHS number and date of birth, or one made for it), the
// decision (grant, or refuse with a reason; once), the record held for the person, the audit
// entries, and the turning-16 round with the clock moved to the birthday.
import { describe, expect, it } from 'vitest';
import { getDb } from '@/lib/platform/db';
import { makeCitizen, useDatabaseUnderTest } from '@/lib/platform/db-test-support';
import { readDraft } from '@/lib/platform/drafts';
import { accessIsActive } from './active';
import { requestDraftSchema } from './request';
import { decideRequest, DRAFT_JOURNEY, requestsOf, sendRequest, waitingRequests, type Decider, type Requester } from './request-store';
import { ask, bornBefore, completeRequest, madeUpNhsNumber } from './test-support';
import { endParentAccessAt16, removeUnusedRequestRecords, turning16Round } from './turning-16';

const { provider } = useDatabaseUnderTest();

const now = new Date('2026-12-03T10:00:00Z');
const verifier: Decider = {
  subject: 'verifier-1',
  givenName: 'Vera',
  familyName: 'Checkley',
  organisationName: 'Demo Lane Surgery',
  organisationCode: 'ZZ0001',
  jobRole: 'Practice manager',
};

async function requester(givenName = 'Nora'): Promise<Requester> {
  const nhsNumber = madeUpNhsNumber();
  const id = await makeCitizen({ givenName, nhsNumber });
  return { id, givenName, familyName: 'Parentwell', nhsNumber };
}

const accessOf = (id: string) => getDb().proxyAccess.findUniqueOrThrow({ where: { id }, include: { person: true } });
const auditOf = (citizenId: string) => getDb().auditEntry.findMany({ where: { citizenId }, orderBy: { seq: 'asc' } });

async function sent(from: Requester, request = completeRequest('parent', { birthDate: bornBefore(now, 9) })) {
  const outcome = await ask(from, request, now);
  if (!outcome.sent) throw new Error(`not sent: ${outcome.why}`);
  return { id: outcome.id, request };
}

describe(`requests to act for someone on ${provider}`, () => {
  it('makes a record for a child the service does not know, not registered and not held until it is granted, and uses the draft up', async () => {
    const nora = await requester();
    const { id, request } = await sent(nora);
    const access = await accessOf(id);
    expect(access).toMatchObject({ proxyId: nora.id, basis: 'parent', status: 'requested', permissions: 'care-record,blood-pressure' });
    expect(access.person).toMatchObject({
      givenName: 'Chloe',
      birthDate: request.person.birthDate,
      nhsNumber: request.person.nhsNumber,
      identityLevel: 'none',
      registeredAt: null,
      heldForPersonSince: null,
    });
    expect(JSON.parse(access.requestDetail!)).toMatchObject({
      relationship: 'parent',
      evidence: 'birth-certificate',
      gpPractice: 'Demo Lane Surgery',
      reference: null,
    });
    expect(await readDraft(getDb(), nora.id, DRAFT_JOURNEY, requestDraftSchema, now)).toBeNull();
    expect((await auditOf(access.personId)).map((entry) => [entry.action, entry.actorKind, entry.actorId])).toEqual([
      ['proxy-access-requested', 'citizen', nora.id],
    ]);

    // A second click: nothing is sent twice (the request is there, and the draft used up).
    expect(await sendRequest(getDb(), nora, request, now)).toEqual({ sent: false, why: 'already-asked' });
    const stranger = await requester('Sam');
    expect(await sendRequest(getDb(), stranger, request, now)).toEqual({ sent: false, why: 'already-sent' });
    expect(await getDb().proxyAccess.count({ where: { proxyId: nora.id } })).toBe(1);
  });

  it('finds the record already in the service by NHS number and date of birth: an adult with their own account, or a record held for a child', async () => {
    const nhsNumber = madeUpNhsNumber();
    const adult = await makeCitizen({ givenName: 'Edith', birthDate: '1938-04-02', nhsNumber: nhsNumber.replace(/^(\d{3})(\d{3})(\d{4})$/, '$1 $2 $3') });
    const attorney = await requester('Adam');
    const { id } = await sent(attorney, completeRequest('attorney', { givenName: 'Edie', birthDate: '1938-04-02', nhsNumber }));
    expect((await accessOf(id)).personId).toBe(adult);

    // The same NHS number with another date of birth is not them.
    const other = await sent(await requester('Otto'), completeRequest('attorney', { birthDate: '1938-04-03', nhsNumber }));
    expect((await accessOf(other.id)).personId).not.toBe(adult);

    // Two parents of one child: one record, held once the first request is granted.
    const child = { birthDate: bornBefore(now, 5), nhsNumber: madeUpNhsNumber() };
    const first = await sent(await requester('Nina'), completeRequest('parent', child));
    expect(await decideRequest(getDb(), first.id, verifier, { decision: 'grant', permissions: ['care-record'] }, now)).toBe('decided');
    const second = await sent(await requester('Nico'), completeRequest('parent', child));
    expect((await accessOf(second.id)).personId).toBe((await accessOf(first.id)).personId);
  });

  it('refuses a request for themselves, and a second one while the first is waiting or granted', async () => {
    const nora = await requester();
    const self = await ask(nora, completeRequest('attorney', { birthDate: '1980-01-01', nhsNumber: nora.nhsNumber! }), now);
    expect(self).toEqual({ sent: false, why: 'themselves' });

    const { request } = await sent(nora);
    expect(await ask(nora, request, now)).toEqual({ sent: false, why: 'already-asked' });
    expect(await getDb().proxyAccess.count({ where: { proxyId: nora.id } })).toBe(1);
  });

  it('grants what was asked or less, holds the record for the child, and records who decided', async () => {
    const nora = await requester();
    const { id } = await sent(nora);
    const at = new Date(now.getTime() + 3_600_000);
    // Never more than was asked for, whatever the form sent.
    expect(await decideRequest(getDb(), id, verifier, { decision: 'grant', permissions: ['blood-pressure', 'sharing'] }, at)).toBe('decided');
    const access = await accessOf(id);
    expect(access).toMatchObject({
      status: 'active',
      permissions: 'blood-pressure',
      decidedAt: at,
      decidedByStaffId: 'verifier-1',
      decidedByName: 'Vera Checkley',
      decidedByOrganisation: 'Demo Lane Surgery (ZZ0001)',
      decisionReason: null,
    });
    expect(access.person).toMatchObject({ heldForPersonSince: at, registeredAt: at });
    expect(accessIsActive(access, access.person, at)).toBe(true);
    const granted = (await auditOf(access.personId)).at(-1)!;
    expect(granted).toMatchObject({
      action: 'proxy-access-granted',
      actorKind: 'staff',
      actorId: 'verifier-1',
      actorName: 'Vera Checkley',
      actorOrganisation: 'Demo Lane Surgery (ZZ0001)',
    });
    expect(JSON.parse(granted.detail!)).toMatchObject({ accessId: id, asked: 'care-record,blood-pressure', granted: 'blood-pressure' });

    // Decided once: a second decision changes nothing.
    expect(await decideRequest(getDb(), id, verifier, { decision: 'refuse', reason: 'Changed my mind' }, at)).toBe('already-decided');
    expect((await accessOf(id)).status).toBe('active');
    expect(await decideRequest(getDb(), 'no-such-request', verifier, { decision: 'refuse', reason: 'x' }, at)).toBe('not-found');
  });

  it("leaves an adult's own account as it is when an attorney's request is granted", async () => {
    const registeredAt = new Date('2026-01-01T00:00:00Z');
    const nhsNumber = madeUpNhsNumber();
    const adult = await makeCitizen({ birthDate: '1941-07-07', nhsNumber, registeredAt });
    const { id } = await sent(await requester('Adam'), completeRequest('attorney', { birthDate: '1941-07-07', nhsNumber }));
    expect(await decideRequest(getDb(), id, verifier, { decision: 'grant', permissions: ['care-record'] }, now)).toBe('decided');
    expect(await getDb().user.findUniqueOrThrow({ where: { id: adult } })).toMatchObject({ registeredAt, heldForPersonSince: null });
  });

  it('refuses only with a reason, which the person asking then reads; the record made for it stays with the refusal', async () => {
    const nora = await requester();
    const { id } = await sent(nora);
    expect(await decideRequest(getDb(), id, verifier, { decision: 'refuse', reason: '  ' }, now)).toBe('no-reason');
    expect((await accessOf(id)).status).toBe('requested');

    expect(await decideRequest(getDb(), id, verifier, { decision: 'refuse', reason: 'The birth certificate did not name you' }, now)).toBe('decided');
    const access = await accessOf(id);
    expect(access).toMatchObject({ status: 'refused', decisionReason: 'The birth certificate did not name you', permissions: 'care-record,blood-pressure' });
    expect(access.person).toMatchObject({ heldForPersonSince: null, registeredAt: null });
    expect((await auditOf(access.personId)).at(-1)).toMatchObject({
      action: 'proxy-access-refused',
      reason: 'The birth certificate did not name you',
      actorKind: 'staff',
    });
    expect((await requestsOf(getDb(), nora.id)).map((row) => [row.status, row.decisionReason])).toEqual([
      ['refused', 'The birth certificate did not name you'],
    ]);
    expect((await waitingRequests(getDb())).map((row) => row.id)).not.toContain(id);

    // A refused request may be asked again.
    expect((await ask(nora, completeRequest('parent', { birthDate: access.person.birthDate, nhsNumber: access.person.nhsNumber! }), now)).sent).toBe(true);
  });

  it("cannot grant a parent's request once the child is 16", async () => {
    const { id } = await sent(await requester(), completeRequest('parent', { birthDate: bornBefore(now, 16, -1) }));
    const birthday = new Date(now.getTime() + 86_400_000);
    expect(await decideRequest(getDb(), id, verifier, { decision: 'grant', permissions: ['care-record'] }, birthday)).toBe('turned-16');
    expect((await accessOf(id)).status).toBe('requested');
  });

  it("ends a parent's access, and a request still waiting, when the child turns 16: the sessions acting under it stop, and it is audited", async () => {
    const nora = await requester();
    // 16 tomorrow.
    const granted = await sent(nora, completeRequest('parent', { birthDate: bornBefore(now, 16, -1) }));
    await decideRequest(getDb(), granted.id, verifier, { decision: 'grant', permissions: ['care-record'] }, now);
    const waiting = await sent(await requester('Nell'), completeRequest('parent', { birthDate: bornBefore(now, 16, -1) }));
    const younger = await sent(await requester('Noel'), completeRequest('parent', { birthDate: bornBefore(now, 16, -2) }));
    await decideRequest(getDb(), younger.id, verifier, { decision: 'grant', permissions: ['care-record'] }, now);
    const session = await getDb().session.create({
      data: {
        id: `acting-${granted.id}`,
        userId: nora.id,
        provider: 'nhslogin',
        idToken: 'x',
        sharedDevice: false,
        idleSeconds: 1800,
        lastSeenAt: now,
        absoluteExpiresAt: new Date(now.getTime() + 3_600_000),
        deviceKind: 'computer',
        actingForId: granted.id,
      },
    });

    // Today nothing ends.
    await endParentAccessAt16(getDb(), now);
    expect((await accessOf(granted.id)).status).toBe('active');

    const birthday = new Date(now.getTime() + 86_400_000);
    const access = await accessOf(granted.id);
    expect(accessIsActive(access, access.person, birthday)).toBe(false);
    expect(await endParentAccessAt16(getDb(), birthday)).toBeGreaterThanOrEqual(2);
    expect(await accessOf(granted.id)).toMatchObject({ status: 'ended', endedReason: 'turned-16', endedAt: birthday });
    expect(await accessOf(waiting.id)).toMatchObject({ status: 'ended', endedReason: 'turned-16' });
    expect((await accessOf(younger.id)).status).toBe('active');
    expect((await getDb().session.findUniqueOrThrow({ where: { id: session.id } })).actingForId).toBeNull();
    expect((await auditOf(access.personId)).at(-1)).toMatchObject({ action: 'proxy-access-ended', actorKind: 'system', reason: 'turned-16' });

    // Once: a second round (a second worker) ends nothing again.
    const entries = (await auditOf(access.personId)).length;
    await turning16Round(getDb(), birthday);
    expect(await auditOf(access.personId)).toHaveLength(entries);
  });

  it('removes a record made for a request once no request names it (the person asking closed their account), and nothing else', async () => {
    const nora = await requester();
    const { id } = await sent(nora);
    const personId = (await accessOf(id)).personId;
    const granted = await sent(await requester('Nina'));
    await decideRequest(getDb(), granted.id, verifier, { decision: 'grant', permissions: ['care-record'] }, now);
    const heldId = (await accessOf(granted.id)).personId;

    await removeUnusedRequestRecords(getDb());
    expect(await getDb().user.count({ where: { id: personId } })).toBe(1);

    await getDb().user.delete({ where: { id: nora.id } });
    await removeUnusedRequestRecords(getDb());
    expect(await getDb().user.count({ where: { id: personId } })).toBe(0);
    expect(await getDb().user.count({ where: { id: heldId } })).toBe(1);
  });
});
