import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/lib/platform/db';
import { citizenSessionCookie, makeCitizen, useDatabaseUnderTest } from '@/lib/platform/db-test-support';
import { DEVELOPMENT_PARTNER_KEYS } from '@/lib/platform/config';
import { paths } from '@/lib/platform/paths';
import { RETENTION_RULES } from '@/lib/platform/retention';
import { signRequest } from '@/lib/platform/signed-requests';
import { letterResource, lettersCollection } from './api';
import { MAX_BODY_BYTES } from './config';
import { inboxPage, letterPage, letterPdf } from './pages';
import { samplePdf } from './sample-pdf';
import { lettersByMonth, lettersToPost, rememberNonce, removeOldNonces, requestPostForUnread } from './store';
import { letterBody, postLetter, SENDER, signedRequest } from './test-support';

useDatabaseUnderTest();

/** A made-up, valid NHS number of its own (Modulus 11), so tests never find each other's citizens. */
function newNhsNumber(): string {
  for (;;) {
    const digits = `9${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
    const total = [...digits].reduce((sum, digit, index) => sum + Number(digit) * (10 - index), 0);
    const check = 11 - (total % 11);
    if (check !== 10) return `${digits}${check === 11 ? 0 : check}`;
  }
}

const DAY = 86_400_000;
const db = () => getDb();

async function citizen(channel?: 'email' | 'post' | 'service-only'): Promise<{ id: string; nhsNumber: string; cookie: string }> {
  const nhsNumber = newNhsNumber();
  const id = await makeCitizen({ nhsNumber, givenName: 'Amelia' });
  if (channel) {
    await db().contactPreference.create({ data: { userId: id, channel, email: channel === 'email' ? 'amelia@example.com' : null, changeId: randomUUID() } });
  }
  return { id, nhsNumber, cookie: await citizenSessionCookie(id) };
}

const lettersOf = (userId: string) => db().letter.count({ where: { userId } });
const get = (path: string, cookie: string) => new Request(`http://localhost:3000${path}`, { headers: { cookie } });
const params = (id: string) => ({ params: Promise.resolve({ id }) });

async function deliver(nhsNumber: string, overrides: Record<string, unknown> = {}, options: Parameters<typeof postLetter>[1] = {}) {
  const response = await lettersCollection.POST(postLetter(letterBody({ nhsNumber, ...overrides }), options));
  return { response, body: (await response.json()) as Record<string, unknown> };
}

describe('delivering a letter through the API', () => {
  it('stores it for the citizen with that NHS number, tells them by the channel they chose, and answers 201', async () => {
    const amelia = await citizen('email');
    const { response, body } = await deliver(amelia.nhsNumber);
    expect(response.status).toBe(201);
    expect(body).toMatchObject({ status: 'delivered', readAt: null, postRequestedAt: null, kind: 'appointment' });
    expect(response.headers.get('location')).toBe(paths.letters.apiLetter(body.id as string));
    const stored = await db().letter.findUniqueOrThrow({ where: { id: body.id as string } });
    expect(stored).toMatchObject({ userId: amelia.id, senderId: SENDER, postRequestedAt: null });
    expect(Buffer.from(stored.pdf).subarray(0, 5).toString()).toBe('%PDF-');
    const notification = await db().outboxMessage.findFirst({ where: { userId: amelia.id, topic: 'new-letter' } });
    expect(notification?.payload).toContain('Leeds Teaching Hospitals');
    expect(notification?.payload).not.toContain('eye clinic');
  });

  it('is idempotent: the same key and letter again is the same letter; the same key with another letter is refused', async () => {
    const amelia = await citizen();
    const key = `same-key-${randomUUID()}`;
    const first = await deliver(amelia.nhsNumber, {}, { idempotencyKey: key });
    const again = await deliver(amelia.nhsNumber, {}, { idempotencyKey: key });
    expect(again.response.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);
    expect(again.response.headers.get('idempotent-replayed')).toBe('true');
    const other = await deliver(amelia.nhsNumber, { title: 'Another letter' }, { idempotencyKey: key });
    expect(other.response.status).toBe(422);
    expect(other.body.type).toBe('urn:phr:letters:problem:idempotency-key-reused');
    expect(await lettersOf(amelia.id)).toBe(1);
  });

  it('refuses a request sent again as it was (its nonce was used), and logs nothing stored', async () => {
    const amelia = await citizen();
    const text = JSON.stringify(letterBody({ nhsNumber: amelia.nhsNumber }));
    const headers = {
      ...signRequest({ organisationId: SENDER, secret: DEVELOPMENT_PARTNER_KEYS[SENDER]!, method: 'POST', url: paths.letters.api, body: text }),
      'content-type': 'application/json',
      'idempotency-key': `replay-${randomUUID()}`,
    };
    const send = () => lettersCollection.POST(new Request(`http://localhost:3000${paths.letters.api}`, { method: 'POST', headers, body: text }));
    expect((await send()).status).toBe(201);
    const replay = await send();
    expect(replay.status).toBe(409);
    expect(((await replay.json()) as { type: string }).type).toBe('urn:phr:letters:problem:replayed');
    expect(await lettersOf(amelia.id)).toBe(1);
  });

  it('refuses signatures that are missing, wrong, too old, or from an organisation we do not know', async () => {
    const amelia = await citizen();
    const body = letterBody({ nhsNumber: amelia.nhsNumber });
    const unsigned = await lettersCollection.POST(
      new Request(`http://localhost:3000${paths.letters.api}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': 'k' },
        body: JSON.stringify(body),
      }),
    );
    expect(unsigned.status).toBe(401);
    const wrongKey = await lettersCollection.POST(postLetter(body, { secret: 'x'.repeat(40) }));
    expect(wrongKey.status).toBe(401);
    expect(((await wrongKey.json()) as { type: string }).type).toBe('urn:phr:letters:problem:signature-bad-signature');
    const stale = await lettersCollection.POST(postLetter(body, { now: new Date(Date.now() - 10 * 60_000) }));
    expect(((await stale.json()) as { type: string }).type).toBe('urn:phr:letters:problem:signature-stale');
    const unknown = await lettersCollection.POST(postLetter({ ...body, sender: 'acme' }, { organisationId: 'acme', secret: 'y'.repeat(40) }));
    expect(unknown.status).toBe(401);
    expect(((await unknown.json()) as { type: string }).type).toBe('urn:phr:letters:problem:signature-unknown-organisation');
    // The body changed after signing.
    const request = postLetter(body);
    const tampered = new Request(request.url, { method: 'POST', headers: request.headers, body: JSON.stringify({ ...body, title: 'Changed' }) });
    expect((await lettersCollection.POST(tampered)).status).toBe(401);
    expect(await lettersOf(amelia.id)).toBe(0);
  });

  it('lets an organisation send only as itself, and only an organisation that sends letters', async () => {
    const amelia = await citizen();
    const asAnother = await lettersCollection.POST(
      postLetter(letterBody({ nhsNumber: amelia.nhsNumber }), { organisationId: 'council', secret: DEVELOPMENT_PARTNER_KEYS.council }),
    );
    expect(asAnother.status).toBe(403);
    expect(((await asAnother.json()) as { type: string }).type).toBe('urn:phr:letters:problem:wrong-sender');
    const notASender = await lettersCollection.POST(
      postLetter(letterBody({ nhsNumber: amelia.nhsNumber, sender: 'care-record' }), {
        organisationId: 'care-record',
        secret: DEVELOPMENT_PARTNER_KEYS['care-record'],
      }),
    );
    expect(notASender.status).toBe(403);
    const asItself = await lettersCollection.POST(
      postLetter(letterBody({ nhsNumber: amelia.nhsNumber, sender: 'council' }), { organisationId: 'council', secret: DEVELOPMENT_PARTNER_KEYS.council }),
    );
    expect(asItself.status).toBe(201);
    expect(await lettersOf(amelia.id)).toBe(1);
  });

  it('answers bad letters with clear errors and stores nothing', async () => {
    const amelia = await citizen('email');
    const notPdf = Buffer.from('GIF89a this is not a pdf at all, just some bytes').toString('base64');
    const cases: [string, Request, number, string][] = [
      ['wrong NHS number', postLetter(letterBody({ nhsNumber: '9990012378' })), 422, 'nhsNumber'],
      ['missing PDF', postLetter(letterBody({ nhsNumber: amelia.nhsNumber, pdf: undefined })), 422, 'pdf'],
      ['not a PDF', postLetter(letterBody({ nhsNumber: amelia.nhsNumber, pdf: { contentType: 'application/pdf', data: notPdf } })), 422, 'pdf.data'],
      [
        'labelled as something else',
        postLetter(letterBody({ nhsNumber: amelia.nhsNumber, pdf: { contentType: 'text/html', data: notPdf } })),
        422,
        'pdf.contentType',
      ],
      ['not JSON', postLetter('{"sender":', {}), 400, ''],
      ['sent as a form', postLetter('a=b', { contentType: 'application/x-www-form-urlencoded' }), 415, ''],
      ['no Idempotency-Key', postLetter(letterBody({ nhsNumber: amelia.nhsNumber }), { idempotencyKey: null }), 400, ''],
    ];
    for (const [what, request, status, field] of cases) {
      const response = await lettersCollection.POST(request);
      expect(response.status, what).toBe(status);
      expect(response.headers.get('content-type'), what).toContain('application/problem+json');
      const body = (await response.json()) as { title: string; errors?: { field: string; message: string }[] };
      expect(body.title, what).toBeTruthy();
      if (field)
        expect(
          body.errors?.map((error) => error.field),
          what,
        ).toEqual([field]);
    }
    expect(await lettersOf(amelia.id)).toBe(0);
    expect(await db().outboxMessage.count({ where: { userId: amelia.id } })).toBe(0);
  });

  it('refuses a body over the limit before reading it all', async () => {
    const huge = 'x'.repeat(MAX_BODY_BYTES + 10);
    const response = await lettersCollection.POST(postLetter(huge));
    expect(response.status).toBe(413);
    // Even without a Content-Length (a stream), it stops reading at the limit.
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 8; i += 1) controller.enqueue(new Uint8Array(1024 * 1024));
        controller.close();
      },
    });
    const streamed = new Request(`http://localhost:3000${paths.letters.api}`, {
      method: 'POST',
      body: stream,
      headers: { 'content-type': 'application/json' },
      duplex: 'half',
    } as RequestInit);
    expect((await lettersCollection.POST(streamed)).status).toBe(413);
  });

  it('says so when nobody with the NHS number has an account (a record held for a child is not one), and stores nothing', async () => {
    const unregistered = newNhsNumber();
    await makeCitizen({ nhsNumber: unregistered, registeredAt: null });
    const held = newNhsNumber();
    await makeCitizen({ nhsNumber: held, registeredAt: new Date(), heldForPersonSince: new Date() });
    for (const nhsNumber of [newNhsNumber(), unregistered, held]) {
      const { response, body } = await deliver(nhsNumber);
      expect(response.status).toBe(404);
      expect(body).toMatchObject({ type: 'urn:phr:letters:problem:no-account', title: 'No account for this person' });
    }
    expect(await db().letter.count({ where: { user: { nhsNumber: { in: [unregistered, held] } } } })).toBe(0);
  });
});

describe('a letter from the council, naming the person by its own reference', () => {
  const asCouncil = { organisationId: 'council', secret: DEVELOPMENT_PARTNER_KEYS.council };
  const newReference = () => `LCC-${randomUUID().slice(0, 8).toUpperCase()}`;

  /** A citizen the council knows by its reference (its receiver gave it when it accepted a change: lib/contact-details). */
  async function knownToTheCouncil() {
    const person = await citizen();
    const reference = newReference();
    await db().organisationReference.create({ data: { organisation: 'council', reference, userId: person.id, updatedAt: new Date() } });
    return { ...person, reference };
  }

  const byReference = (councilReference: string, overrides: Record<string, unknown> = {}) =>
    letterBody({ sender: 'council', nhsNumber: undefined, councilReference, title: 'Your council tax bill', ...overrides });

  it('is delivered to the citizen the council knows by that reference; the same key and letter again is the same letter', async () => {
    const rosa = await knownToTheCouncil();
    const key = `council-${randomUUID()}`;
    const response = await lettersCollection.POST(postLetter(byReference(rosa.reference), { ...asCouncil, idempotencyKey: key }));
    expect(response.status).toBe(201);
    const body = (await response.json()) as Record<string, unknown>;
    expect(await db().letter.findUniqueOrThrow({ where: { id: body.id as string } })).toMatchObject({ userId: rosa.id, senderId: 'council' });
    const again = await lettersCollection.POST(postLetter(byReference(rosa.reference), { ...asCouncil, idempotencyKey: key }));
    expect(again.status).toBe(201);
    expect(((await again.json()) as { id: string }).id).toBe(body.id);
    // The key covers who the letter is for: the same letter by NHS number under that key is another letter.
    const byNhsNumber = await lettersCollection.POST(
      postLetter(letterBody({ sender: 'council', nhsNumber: rosa.nhsNumber, title: 'Your council tax bill' }), { ...asCouncil, idempotencyKey: key }),
    );
    expect(byNhsNumber.status).toBe(422);
    expect(((await byNhsNumber.json()) as { type: string }).type).toBe('urn:phr:letters:problem:idempotency-key-reused');
    expect(await lettersOf(rosa.id)).toBe(1);
  });

  it('is refused (422, on councilReference) from any other sender, and nothing is stored', async () => {
    const rosa = await knownToTheCouncil();
    const response = await lettersCollection.POST(postLetter(byReference(rosa.reference, { sender: SENDER })));
    expect(response.status).toBe(422);
    const body = (await response.json()) as { type: string; errors: { field: string; message: string }[] };
    expect(body.type).toBe('urn:phr:letters:problem:invalid-letter');
    expect(body.errors).toEqual([{ field: 'councilReference', message: expect.stringMatching(/Only the council/) }]);
    expect(await lettersOf(rosa.id)).toBe(0);
  });

  it('answers 404 "post the letter" for a reference nobody has (or another organisation’s), and stores nothing', async () => {
    const rosa = await knownToTheCouncil();
    const hospitalsReference = newReference();
    await db().organisationReference.create({ data: { organisation: 'care-record', reference: hospitalsReference, userId: rosa.id, updatedAt: new Date() } });
    for (const reference of [newReference(), hospitalsReference]) {
      const key = `unknown-${randomUUID()}`;
      const response = await lettersCollection.POST(postLetter(byReference(reference), { ...asCouncil, idempotencyKey: key }));
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({
        type: 'urn:phr:letters:problem:no-account',
        title: 'No account for this person',
        detail: expect.stringMatching(/council reference .*post the letter/),
      });
      expect(await db().letter.count({ where: { senderId: 'council', idempotencyKey: key } })).toBe(0);
    }
    expect(await lettersOf(rosa.id)).toBe(0);
    expect(await db().outboxMessage.count({ where: { userId: rosa.id } })).toBe(0);
  });

  it('must name the person once: both the NHS number and the reference, or neither, is refused (422) and nothing is stored', async () => {
    const rosa = await knownToTheCouncil();
    const cases: [Record<string, unknown>, string][] = [
      [byReference(rosa.reference, { nhsNumber: rosa.nhsNumber }), 'councilReference'],
      [byReference(rosa.reference, { councilReference: undefined }), 'nhsNumber'],
      [byReference('not a reference!'), 'councilReference'],
    ];
    for (const [body, field] of cases) {
      const response = await lettersCollection.POST(postLetter(body, asCouncil));
      expect(response.status, field).toBe(422);
      expect(((await response.json()) as { errors: { field: string }[] }).errors.map((error) => error.field)).toEqual([field]);
    }
    expect(await lettersOf(rosa.id)).toBe(0);
  });
});

describe('what the sender is told', () => {
  it('shows the sender its own letter: delivered, then read; another sender cannot see it', async () => {
    const amelia = await citizen();
    const { body } = await deliver(amelia.nhsNumber);
    const id = body.id as string;
    const status = async (options = {}) => {
      const response = await letterResource.GET(signedRequest('GET', paths.letters.apiLetter(id), undefined, options), params(id));
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    expect((await status()).body).toMatchObject({ status: 'delivered', readAt: null });
    await letterPage(new Request(`http://localhost:3000${paths.letters.letter(id)}`, { headers: { cookie: amelia.cookie } }), params(id));
    const afterReading = await status();
    expect(afterReading.body.status).toBe('read');
    expect(afterReading.body.readAt).not.toBeNull();
    expect((await status({ organisationId: 'council', secret: DEVELOPMENT_PARTNER_KEYS.council })).status).toBe(404);
    const unsigned = await letterResource.GET(new Request(`http://localhost:3000${paths.letters.apiLetter(id)}`), params(id));
    expect(unsigned.status).toBe(401);
  });

  it('posts at once to a citizen who chose letters by post, and still shows it in their inbox', async () => {
    const rosa = await citizen('post');
    const { response, body } = await deliver(rosa.nhsNumber);
    expect(response.status).toBe(201);
    expect(body).toMatchObject({ status: 'post-requested', postedReason: 'by-post-choice' });
    expect(await db().outboxMessage.count({ where: { userId: rosa.id } })).toBe(0);
    const inbox = await (await inboxPage(get(paths.letters.inbox, rosa.cookie))).text();
    expect(inbox).toContain('Your eye clinic appointment');
  });

  it('after the configured time, marks unread letters for posting (read ones are not), and lists them for the sender', async () => {
    const amelia = await citizen();
    const t0 = new Date('2020-01-10T09:00:00Z');
    const unread = (await deliver(amelia.nhsNumber, { title: 'Unread one' })).body.id as string;
    const read = (await deliver(amelia.nhsNumber, { title: 'Read one' })).body.id as string;
    // Delivered now (a signature must be recent): the clock under test starts when they arrived.
    await db().letter.updateMany({ where: { id: { in: [unread, read] } }, data: { receivedAt: t0 } });
    await db().letter.update({ where: { id: read }, data: { readAt: new Date(t0.getTime() + DAY) } });
    // (Other tests' letters share the table: only these two are looked at.)
    await requestPostForUnread(db(), new Date(t0.getTime() + 4.9 * DAY), 5);
    expect((await db().letter.findUniqueOrThrow({ where: { id: unread } })).postRequestedAt).toBeNull();
    const at = new Date(t0.getTime() + 5 * DAY);
    expect(await requestPostForUnread(db(), at, 5)).toBeGreaterThanOrEqual(1);
    const [u, r] = await Promise.all([db().letter.findUniqueOrThrow({ where: { id: unread } }), db().letter.findUniqueOrThrow({ where: { id: read } })]);
    expect(u).toMatchObject({ postRequestedAt: at, postedReason: 'unread' });
    expect(r.postRequestedAt).toBeNull();
    // Running again changes nothing.
    await requestPostForUnread(db(), new Date(at.getTime() + DAY), 5);
    expect((await db().letter.findUniqueOrThrow({ where: { id: unread } })).postRequestedAt).toEqual(at);
    const list = await lettersCollection.GET(signedRequest('GET', `${paths.letters.api}?postRequestedSince=${encodeURIComponent(at.toISOString())}`));
    expect(list.status).toBe(200);
    const ids = ((await list.json()) as { letters: { id: string; status: string }[] }).letters.map((letter) => letter.id);
    expect(ids).toContain(unread);
    expect(ids).not.toContain(read);
  });

  it('never posts a letter to someone who chose "only through this service"', async () => {
    const sam = await citizen('service-only');
    const t0 = new Date('2020-02-10T09:00:00Z');
    const id = (await deliver(sam.nhsNumber, { title: 'Not by post' })).body.id as string;
    await db().letter.update({ where: { id }, data: { receivedAt: t0 } });
    await requestPostForUnread(db(), new Date(t0.getTime() + 30 * DAY), 5);
    expect((await db().letter.findUniqueOrThrow({ where: { id } })).postRequestedAt).toBeNull();
  });

  it('lists letters to post page by page, even when many were marked at the same instant', async () => {
    const amelia = await citizen();
    const at = new Date('2020-03-01T09:00:00Z');
    const ids: string[] = [];
    for (let index = 0; index < 3; index += 1) ids.push((await deliver(amelia.nhsNumber, { title: `Paged ${index}` })).body.id as string);
    await db().letter.updateMany({ where: { id: { in: ids } }, data: { postRequestedAt: at, postedReason: 'unread' } });
    // (Other tests' letters share the table: pages are read until these three have been seen.)
    const seen: string[] = [];
    let page = await lettersToPost(db(), SENDER, at, 2);
    for (let guard = 0; page.length > 0 && guard < 1_000; guard += 1) {
      seen.push(...page.map((letter) => letter.id));
      const last = page.at(-1)!;
      page = await lettersToPost(db(), SENDER, last.postRequestedAt!, 2, last.id);
    }
    expect(seen.filter((id) => ids.includes(id)).sort()).toEqual([...ids].sort());
    expect(new Set(seen).size).toBe(seen.length);
    // Through the API: a bad cursor is refused.
    const bad = await lettersCollection.GET(
      signedRequest('GET', `${paths.letters.api}?postRequestedSince=${encodeURIComponent(at.toISOString())}&after=${encodeURIComponent("x' OR 1=1")}`),
    );
    expect(bad.status).toBe(400);
    const first = await lettersCollection.GET(signedRequest('GET', `${paths.letters.api}?postRequestedSince=${encodeURIComponent(at.toISOString())}`));
    expect(((await first.json()) as { next: string | null }).next).toBeNull();
  });
});

describe('the citizen’s letters', () => {
  it('lists unread first, shows the letter (marking it read) and downloads the PDF; another citizen gets Page not found', async () => {
    const amelia = await citizen();
    const other = await citizen();
    const first = (await deliver(amelia.nhsNumber, { title: 'First letter' })).body.id as string;
    const second = (await deliver(amelia.nhsNumber, { title: 'Second letter', html: '<p>Hello <script>alert(1)</script><b onclick="x">there</b></p>' })).body
      .id as string;
    await db().letter.update({ where: { id: second }, data: { readAt: new Date() } });
    const inbox = await inboxPage(get(paths.letters.inbox, amelia.cookie));
    expect(inbox.status).toBe(200);
    const html = await inbox.text();
    expect(html.indexOf('First letter')).toBeLessThan(html.indexOf('Second letter'));
    expect(html).toContain('1 unread letter');

    const page = await letterPage(get(paths.letters.letter(second), amelia.cookie), params(second));
    const letterHtml = await page.text();
    expect(page.status).toBe(200);
    expect(letterHtml).toContain('<p class="govuk-body">Hello <b>there</b></p>');
    expect(letterHtml).not.toContain('alert(1)');
    expect(letterHtml).not.toContain('onclick');

    expect((await db().letter.findUniqueOrThrow({ where: { id: first } })).readAt).toBeNull();
    await letterPage(get(paths.letters.letter(first), amelia.cookie), params(first));
    const readAt = (await db().letter.findUniqueOrThrow({ where: { id: first } })).readAt;
    expect(readAt).not.toBeNull();
    // A second view keeps the first time.
    await letterPage(get(paths.letters.letter(first), amelia.cookie), params(first));
    expect((await db().letter.findUniqueOrThrow({ where: { id: first } })).readAt).toEqual(readAt);

    const pdf = await letterPdf(get(paths.letters.pdf(first), amelia.cookie), params(first));
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(pdf.headers.get('content-disposition')).toBe('attachment; filename="letter-2026-12-01.pdf"');
    expect(pdf.headers.get('cache-control')).toContain('no-store');
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');

    for (const route of [letterPage, letterPdf]) {
      expect((await route(get(paths.letters.letter(first), other.cookie), params(first))).status).toBe(404);
      expect((await route(get(paths.letters.letter('x'), amelia.cookie), params('../x'))).status).toBe(404);
    }
    expect(await (await inboxPage(get(paths.letters.inbox, other.cookie))).text()).toContain('You have no letters yet');
    // The other citizen's look did not mark it (it was already read), nor make anything.
    expect(await lettersOf(other.id)).toBe(0);
  });
});

describe('the benefits report and retention', () => {
  it('counts letters received each UK month, delivered digitally or posted', async () => {
    const amelia = await citizen();
    // A year of its own, so that letters of earlier runs on the same database are not counted.
    const y = 2100 + Math.floor(Math.random() * 800);
    const made = async (receivedAt: string, posted: boolean) => {
      const { body } = await deliver(amelia.nhsNumber, { title: `Letter ${receivedAt}` });
      await db().letter.update({
        where: { id: body.id as string },
        data: { receivedAt: new Date(receivedAt), ...(posted ? { postRequestedAt: new Date(receivedAt), postedReason: 'unread' } : {}) },
      });
    };
    await made(`${y}-03-01T00:30:00Z`, false); // 1 March (GMT)
    await made(`${y}-03-31T23:30:00Z`, true); // 1 April 00:30 in London (BST)
    await made(`${y}-04-15T12:00:00Z`, false);
    await made(`${y}-02-28T23:59:00Z`, true);
    expect(await lettersByMonth(db(), [`${y}-02`, `${y}-03`, `${y}-04`, `${y}-05`])).toEqual({
      [`${y}-02`]: { deliveredDigitally: 0, posted: 1 },
      [`${y}-03`]: { deliveredDigitally: 1, posted: 0 },
      [`${y}-04`]: { deliveredDigitally: 1, posted: 1 },
      [`${y}-05`]: { deliveredDigitally: 0, posted: 0 },
    });
    await expect(lettersByMonth(db(), [`${y}-13`])).rejects.toThrow();
  });

  it('removes nonces once they are too old to be accepted again, and refuses a used one meanwhile', async () => {
    const now = new Date('2032-01-01T12:00:00Z');
    const [oldNonce, newNonce] = [`nonce-old-${randomUUID()}`, `nonce-new-${randomUUID()}`];
    expect(await rememberNonce(db(), 'council', oldNonce, new Date(now.getTime() - 2 * 3_600_000))).toBe(true);
    expect(await rememberNonce(db(), 'council', newNonce, now)).toBe(true);
    expect(await rememberNonce(db(), 'council', newNonce, now)).toBe(false);
    expect(RETENTION_RULES.map((rule) => rule.name)).toContain('used-nonces');
    await removeOldNonces(db(), now, 1000);
    const left = (await db().usedNonce.findMany({ where: { nonce: { in: [oldNonce, newNonce] } } })).map((row) => row.nonce);
    expect(left).toEqual([newNonce]);
    expect(samplePdf(['x']).length).toBeGreaterThan(100);
  });
});
