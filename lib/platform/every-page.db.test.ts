// Every page, in-process (a Request in, a Response out), generated from app/: signed out, as a
// citizen and as a member of staff with every role, in both brands (BRAND=council, GOV.UK
// Frontend; BRAND=nhs, NHS.UK Frontend). Fast checks a browser adds nothing to: never a 5xx,
// every HTML page valid (html-validate), drawn with its brand's components only, and sent no-store. (The CSP and other
// security headers are added by next.config.ts to every response: e2e/security.spec.ts checks
// them.) Journeys, JavaScript and axe stay in the browser suite (e2e/).
import path from 'node:path';
import { HtmlValidate } from 'html-validate';
import * as sass from 'sass';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addReadings } from '@/lib/blood-pressure/store';
import { askToSendInvitations } from '@/lib/engagement/invitation-sends';
import { addNewQuestion, createActivity, publish, updateDraft } from '@/lib/engagement/store';
import { londonDay } from '@/lib/platform/london-time';
import { startWeek } from '@/lib/blood-pressure/weeks';
import { endAccess } from '@/lib/proxy/accesses';
import { answerInvitation, invite } from '@/lib/proxy/invitations';
import { decideRequest } from '@/lib/proxy/request-store';
import { ask, bornBefore, completeRequest } from '@/lib/proxy/test-support';
import { saveDraft } from './drafts';
import type { Brand } from './config';
import { reloadConfig } from './config';
import { getDb } from './db';
import { citizenSessionCookie, makeCitizen, staffSessionCookie, useDatabaseUnderTest } from './db-test-support';
import type { Access } from './page';
import { actingSession } from '@/lib/proxy/test-support';
import { addressOf, appRoutes, paramsFor, type RouteHandler } from './testing/routes';

const ENV = {
  // Nothing listens there: the care-record pages must show their "unavailable" page, fast.
  CARE_RECORD_BASE_URL: 'http://127.0.0.1:9',
  CARE_RECORD_RETRIES: '0',
  CARE_RECORD_TIMEOUT_MS: '500',
};
const { provider, url } = useDatabaseUnderTest(ENV);

/** next-auth's own endpoints: not our pages (the sign-in journeys cover them). */
const NOT_OURS = new Set(['/api/auth/[...nextauth]']);

const validator = new HtmlValidate({
  extends: ['html-validate:recommended'],
  rules: {
    // Checkboxes in a group share their name: that is how a form sends several answers.
    'form-dup-name': ['error', { shared: ['radio', 'checkbox', 'button', 'reset', 'submit'] }],
    // Written this way by the official govuk-frontend macros and template, which we never
    // hand-copy: role="button" on link buttons, role="group" on fieldsets, role="presentation"
    // on the header's and footer's decorative parts.
    'prefer-native-element': 'off',
    'no-redundant-role': 'off',
    'presentation-role-style': 'off',
    // GOV.UK titles name the page, the service and the organisation (over 70 characters).
    'long-title': 'off',
    // Template whitespace: how the HTML looks, not what it means.
    'no-trailing-whitespace': 'off',
  },
});

/** NHS.UK Frontend's header draws its menu button (shown by its script) without a type; it is in no form. */
const LIBRARY_MARKUP = [{ ruleId: 'no-implicit-button-type', selector: '#toggle-menu' }];

async function problemsIn(html: string): Promise<string[]> {
  const report = await validator.validateString(html);
  return report.results.flatMap((result) =>
    result.messages
      .filter((message) => !LIBRARY_MARKUP.some((known) => known.ruleId === message.ruleId && known.selector === message.selector))
      .map((message) => `${message.ruleId} (line ${message.line}): ${message.message}`),
  );
}

const GOVUK_SIGN_IN_WORDS = /.{0,40}\b[Ss]ign(s|ed|ing)? (in|out)\b.{0,20}/;

/** What a page says: its text without its markup. */
function visibleText(html: string): string {
  return html
    .replace(/<(script|style)\b[\s\S]*?<\/\1>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ');
}

/** Each brand's pages are drawn with its own design system's classes only, and its own header. */
const BRANDS: { brand: Brand; header: string; other: RegExp }[] = [
  { brand: 'council', header: 'class="govuk-generic-header"', other: /class="[^"]*\bnhsuk-/ },
  { brand: 'nhs', header: 'class="nhsuk-header', other: /class="[^"]*\bgovuk-/ },
];

/**
 * The NHS brand's pages give GOV.UK's names for type and spacing NHS.UK Frontend's
 * (lib/platform/nhsuk.ts): each class on a page must be one its stylesheet styles, but for
 * NHS.UK Frontend's script hooks and markers (an icon's name, such as the pagination's arrows,
 * is a marker: only nhsuk-icon is styled), and our letters' wrapper.
 */
const UNSTYLED = /^(nhsuk-js-.*|nhsuk-header__navigation-item--current|nhsuk-icon--arrow-(left|right)|app-letter)$/;
let nhsStyled = new Set<string>();

function unstyledClasses(html: string): string[] {
  const classes = [...html.matchAll(/\bclass="([^"]*)"/g)].flatMap((match) => match[1]!.split(/\s+/).filter(Boolean));
  return [...new Set(classes.filter((name) => !nhsStyled.has(name) && !UNSTYLED.test(name)))];
}

const pages = appRoutes().filter((route) => route.methods.includes('GET') && !NOT_OURS.has(route.pattern));

let actors: { name: string; cookie: string }[] = [];
/** Made-up ids, and ids of rows the signed-in citizen owns, for routes with an [id]. */
let ids: string[] = ['abc123'];

beforeAll(async () => {
  const citizen = await makeCitizen({ givenName: 'Paige' });
  const db = getDb();
  const now = new Date();
  const [reading] = (
    await addReadings(db, citizen, [{ systolic: 185, diastolic: 95, measuredAt: new Date(now.getTime() - 3_600_000), arm: 'left', sitting: true }], now)
  ).readings;
  const week = await startWeek(db, citizen, londonDay(new Date(now.getTime() - 7 * 86_400_000)), now);
  const condition = await db.longTermCondition.create({ data: { userId: citizen, name: 'Asthma' } });
  // A letter (lib/letters), so the inbox's table and a letter's page are checked with something in them.
  const letter = await db.letter.create({
    data: {
      userId: citizen,
      senderId: 'leeds-teaching-hospitals',
      idempotencyKey: `every-page-${citizen}`,
      requestHash: 'x',
      kind: 'appointment',
      title: 'Your clinic appointment',
      letterDate: '2026-12-01',
      receivedAt: now,
      html: '<h2>Clinic</h2><p>Dear Paige, <a href="https://www.nhs.uk">NHS website</a></p><ul><li>One</li></ul>',
      pdf: new Uint8Array(Buffer.from('%PDF-1.4\n%%EOF\n')),
      pdfBytes: 15,
    },
  });
  // A change not delivered and a registered app, so the staff lists are checked with rows in them.
  await db.outboxMessage.create({
    data: {
      idempotencyKey: `every-page-${citizen}`,
      destination: 'council',
      topic: 'address-changed',
      userId: citizen,
      subjectId: 'address',
      payload: '{}',
      status: 'failed',
      attempts: 3,
      lastError: 'HTTP 500',
    },
  });
  await db.app.create({
    data: {
      id: `every-page-${citizen}`,
      name: 'Every Page Health',
      publisher: 'Every Page Ltd',
      redirectUris: JSON.stringify(['https://app.example.org/callback']),
      scopes: 'launch/patient patient/Observation.rs',
      privacyPolicyUrl: 'https://app.example.org/privacy',
      clientType: 'public',
      registeredAt: now,
      registeredBy: 'every-page',
    },
  });
  // Acting for someone else (lib/proxy): Paige has someone acting for her, an invitation waiting and
  // one withdrawn; she acts for someone herself; and someone has invited her (the invitation page's token).
  const paige = await db.user.findUniqueOrThrow({ where: { id: citizen } });
  const hamid = await db.user.findUniqueOrThrow({ where: { id: await makeCitizen({ givenName: 'Hamid' }) } });
  const olga = await db.user.findUniqueOrThrow({ where: { id: await makeCitizen({ givenName: 'Olga' }) } });
  const proxyAnswers = { name: 'Hamid Helper', permissions: ['care-record' as const], howLong: { until: 'stopped' as const } };
  const acting = await invite(db, paige, { ...proxyAnswers, contact: { channel: 'email', email: 'hamid@example.com' } }, now);
  await answerInvitation(db, acting.token, hamid, 'accept', now);
  const waiting = await invite(db, paige, { ...proxyAnswers, contact: { channel: 'text', mobile: '07700 900123' } }, now);
  const withdrawn = await invite(db, paige, { ...proxyAnswers, contact: { channel: 'email', email: 'old@example.com' } }, now);
  await endAccess(db, paige, withdrawn.id, now);
  const forOlga = await invite(db, olga, { ...proxyAnswers, contact: { channel: 'email', email: 'paige@example.com' } }, now);
  await answerInvitation(db, forOlga.token, paige, 'accept', now);
  const toPaige = await invite(
    db,
    hamid,
    { ...proxyAnswers, howLong: { until: 'date', lastDay: '2099-01-01' }, contact: { channel: 'email', email: 'p@example.com' } },
    now,
  );
  // Requests to act for someone (lib/proxy): one waiting, one granted and one refused, so the
  // citizen's list and the proxy verifier's pages are checked with each; and the answers of another
  // waiting at check answers.
  const asker = { id: citizen, givenName: 'Paige', familyName: 'Citizen', nhsNumber: null };
  const verifier = {
    subject: 'every-page',
    givenName: 'Vera',
    familyName: 'Checkley',
    organisationName: 'Demo Lane Surgery',
    organisationCode: 'ZZ0001',
    jobRole: '',
  };
  const proxyRequests = [];
  for (const relationship of ['parent', 'parent', 'attorney'] as const) {
    const asked = await ask(asker, completeRequest(relationship, { birthDate: bornBefore(now, relationship === 'parent' ? 9 : 80) }), now);
    if (asked.sent) proxyRequests.push(asked.id);
  }
  await decideRequest(db, proxyRequests[1]!, verifier, { decision: 'grant', permissions: ['care-record'] }, now);
  await decideRequest(
    db,
    proxyRequests[2]!,
    verifier,
    { decision: 'refuse', reason: 'The lasting power of attorney was for property and financial affairs' },
    now,
  );
  await saveDraft(db, citizen, 'proxy/request', completeRequest('parent', { birthDate: bornBefore(now, 4) }), now);
  // An open activity of the staff member's organisation whose invitations are being sent (lib/engagement):
  // its page is checked with the banner that says so.
  const activity = await createActivity(
    { organisationCode: 'ZZ0001', organisationName: 'Demo Lane Surgery', subject: 'every-page' },
    { title: 'Buses', purpose: 'To plan buses' },
  );
  await updateDraft(activity, 'ZZ0001', { topics: 'transport', startsOn: '2026-01-01', endsOn: '2099-12-31', method: 'online-survey' });
  await addNewQuestion(activity, 'ZZ0001', { text: 'How do you travel?', kind: 'text', options: [] });
  await publish(activity, 'ZZ0001', now);
  await askToSendInvitations(activity, 'ZZ0001', 'every-page', now);
  ids = [
    'abc123',
    reading!.id,
    week.ok ? week.week.id : 'none',
    condition.id,
    citizen,
    letter.id,
    acting.id,
    waiting.id,
    withdrawn.id,
    forOlga.id,
    toPaige.token,
    ...proxyRequests,
    activity,
  ];
  actors = [
    { name: 'signed out', cookie: '' },
    { name: 'citizen', cookie: await citizenSessionCookie(citizen) },
    { name: 'staff', cookie: await staffSessionCookie('care-professional,engagement-coordinator,programme-admin,proxy-verifier') },
    // Someone acting for Paige with every permission (lib/proxy): her pages, with the acting banner; the rest 404.
    { name: 'acting for the citizen', cookie: (await actingSession(citizen)).cookie },
  ];
});

describe.skipIf(provider !== 'sqlite')('every page, in-process', () => {
  it('finds the pages', () => {
    expect(pages.length).toBeGreaterThan(80);
  });
});

describe.skipIf(provider !== 'sqlite').each(BRANDS)('every page, in-process, in the $brand brand', ({ brand, header, other }) => {
  beforeAll(() => {
    reloadConfig({ ...process.env, DATABASE_URL: url, ...ENV, BRAND: brand });
    if (brand === 'nhs') {
      const root = path.resolve(__dirname, '../..');
      const css = sass.compile(path.join(root, 'frontend/application-nhs.scss'), {
        style: 'compressed',
        loadPaths: [path.join(root, 'node_modules')],
        quietDeps: true,
      }).css;
      nhsStyled = new Set([...css.matchAll(/\.(-?[_a-zA-Z][_a-zA-Z0-9-]*)/g)].map((match) => match[1]!));
    }
  });
  afterAll(() => {
    reloadConfig({ ...process.env, DATABASE_URL: url, ...ENV });
  });

  it.each(pages)('$pattern', async ({ pattern, file }) => {
    const { GET } = (await import(file)) as { GET: RouteHandler & { access?: Access } };
    // The access the route declares (docs/routes.md) is what it does: signed out, a citizen's
    // page sends people to sign in, a staff page to staff sign in.
    const signedOut = await GET(new Request(`http://localhost:3000${addressOf(pattern)}`), paramsFor());
    const expected = {
      citizen: /^\/sign-in\?returnTo=/,
      'citizen-or-proxy': /^\/sign-in\?returnTo=/,
      registering: /^\/sign-in\?returnTo=/,
      staff: /^\/staff\/sign-in$/,
    }[GET.access?.split(':')[0] ?? ''];
    if (expected) {
      expect(signedOut.status, `${pattern} signed out`).toBe(303);
      expect(signedOut.headers.get('location'), `${pattern} signed out`).toMatch(expected);
    }
    const attempts = actors.flatMap((actor) => (pattern.includes('[') ? ids : ['abc123']).map((id) => ({ actor, id })));
    for (const { actor, id } of attempts) {
      const request = new Request(`http://localhost:3000${addressOf(pattern, id)}`, { headers: actor.cookie ? { cookie: actor.cookie } : {} });
      const response = await GET(request, paramsFor(id));
      const what = `GET ${addressOf(pattern, id)} (${actor.name}, ${brand} brand)`;
      expect(response.status, what).toBeLessThan(500);
      if (!(response.headers.get('content-type') ?? '').startsWith('text/html')) continue;
      expect(response.headers.get('cache-control'), what).toContain('no-store');
      const html = await response.text();
      expect(await problemsIn(html), what).toEqual([]);
      expect(html, what).toContain(header);
      expect(html, what).not.toMatch(other);
      if (brand === 'nhs') {
        expect(unstyledClasses(html), what).toEqual([]);
        // The NHS's words: "log in" and "log out", never GOV.UK's "sign in" (lib/platform/nhsuk.ts).
        expect(visibleText(html).match(GOVUK_SIGN_IN_WORDS)?.[0], what).toBeUndefined();
        // "GP surgery" for the public; staff pages keep "GP practice", as the NHS writes for staff.
        if (!pattern.startsWith('/staff')) expect(visibleText(html).match(/.{0,40}\bGP practice.{0,20}/)?.[0], what).toBeUndefined();
      }
    }
  });
});
