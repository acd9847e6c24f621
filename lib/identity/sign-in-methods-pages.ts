import { z } from 'zod';
import { config, type IdentityProviderId } from '@/lib/platform/config';
import { getDb } from '@/lib/platform/db';
import { choice } from '@/lib/platform/form-fields';
import { notFound } from '@/lib/platform/errors';
import { readForm } from '@/lib/platform/forms';
import { log } from '@/lib/platform/log';
import { formPage, renderPage, routeParam } from '@/lib/platform/page';
import { paths } from '@/lib/platform/paths';
import { redirect } from '@/lib/platform/render';
import { formatDate } from '@/lib/platform/uk-time';
import {
  cancelJoin,
  countsToMove,
  identitiesOf,
  joinAccounts,
  joinQuestions,
  linkHistoryOf,
  parseLinkDetail,
  pendingJoin,
  saveJoinChoice,
  type JoinDraft,
  type JoinQuestion,
  type MovedCounts,
  isJoinQuestionKey,
} from './account-links';
import { PROVIDER_NAMES } from './auth';
import { citizenPage, type CitizenPageRequest } from './citizen-page';
import { NOT_ADDED_REASONS, type NotAddedReason } from './link-callback';
import { nextAuthCsrfCookies, startSignIn } from './next-auth-flow';
import { LINK_LIFETIME_SECONDS } from './sign-in-cookie';

/**
 * "Ways you sign in": the providers on the account and their history, adding the other one, and
 * joining the account that other way of signing in already had (questions, check answers,
 * confirmation). The rule for adding is in linking.ts; the database side in account-links.ts;
 * the end of the provider's sign-in in link-callback.ts.
 */

function providerName(id: string): string {
  return PROVIDER_NAMES[id as IdentityProviderId] ?? id;
}

/** Enabled providers the account does not have yet. */
function providersToAdd(have: string[]): IdentityProviderId[] {
  return config()
    .identity.providers.map((provider) => provider.id)
    .filter((id) => !have.includes(id));
}

const COUNT_WORDS: [keyof MovedCounts, string, string][] = [
  ['bloodPressureReadings', 'blood pressure reading', 'blood pressure readings'],
  ['homeMonitoringWeeks', 'week of home monitoring', 'weeks of home monitoring'],
  ['topThreeVersions', 'version of your top three things', 'versions of your top three things'],
  ['conditions', 'condition', 'conditions'],
  ['addresses', 'address', 'addresses'],
  ['signIns', 'sign-in', 'sign-ins'],
  ['surveyResponses', 'survey response', 'survey responses'],
];

/** "12 blood pressure readings, 1 condition and 3 sign-ins", or null when nothing was there. */
export function describeCounts(counts: Partial<MovedCounts>): string | null {
  const parts = COUNT_WORDS.filter(([key]) => (counts[key] ?? 0) > 0).map(([key, one, many]) => `${counts[key]} ${counts[key] === 1 ? one : many}`);
  if (parts.length === 0) return null;
  return parts.length === 1 ? parts[0]! : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
}

/** The link history, as sentences. */
function historyLines(links: Awaited<ReturnType<typeof linkHistoryOf>>): string[] {
  return links.map((link) => {
    const name = providerName(link.provider);
    if (link.kind === 'added') return `${name} added on ${formatDate(link.at)}.`;
    const moved = describeCounts(parseLinkDetail(link.detail).moved ?? {});
    return `Your other account, which you signed in to with ${name}, was joined to this one on ${formatDate(link.at)}${moved ? `, with ${moved}` : ''}.`;
  });
}

export const signInMethodsPage = {
  GET: citizenPage(async (page) => {
    const db = getDb();
    const [identities, links] = await Promise.all([identitiesOf(db, page.citizen.userId), linkHistoryOf(db, page.citizen.userId)]);
    const added = page.url.searchParams.get('added') ?? '';
    return renderPage(
      page,
      'identity/sign-in-methods.njk',
      {
        rows: identities.map((identity) => [{ text: providerName(identity.provider) }, { text: formatDate(identity.createdAt) }]),
        history: historyLines(links),
        toAdd: providersToAdd(identities.map((identity) => identity.provider)).map((id) => ({ id, name: providerName(id) })),
        addedName: identities.some((identity) => identity.provider === added) ? providerName(added) : null,
        joined: page.url.searchParams.get('joined') === '1' && links[0]?.kind === 'merged' ? historyLines([links[0]])[0] : null,
      },
      // Adding a provider hands over to next-auth, whose own CSRF cookie the browser needs first.
      { cookies: nextAuthCsrfCookies(page.req) },
    );
  }),
  /** One button per provider the account does not have: signs in with it, to add it. */
  POST: citizenPage(async (page) => {
    const identities = await identitiesOf(getDb(), page.citizen.userId);
    const asked = (await readForm(page.req)).provider;
    const provider = providersToAdd(identities.map((identity) => identity.provider)).find((id) => id === asked);
    // Already added (a second click, another tab): nothing to do.
    if (!provider) return redirect(paths.signInMethods);
    log.info('sign-in-method-started', { provider });
    return startSignIn(
      page.req,
      provider,
      {
        sharedDevice: page.citizen.sharedDevice,
        returnTo: paths.signInMethods,
        link: { sessionId: page.citizen.id, userId: page.citizen.userId, provider, expiresAt: page.now.getTime() + LINK_LIFETIME_SECONDS * 1000 },
      },
      paths.signInMethods,
    );
  }),
};

export const signInMethodNotAddedPage = citizenPage((page) => {
  const asked = page.url.searchParams.get('reason') ?? '';
  const reason = (NOT_ADDED_REASONS as readonly string[]).includes(asked) ? (asked as NotAddedReason) : null;
  return renderPage(page, 'identity/sign-in-method-not-added.njk', { reason });
});

/** The join waiting for this citizen's answers, or a redirect to their ways of signing in when there is none. */
async function loadJoin(page: CitizenPageRequest): Promise<{ join: JoinDraft; questions: JoinQuestion[] } | Response> {
  const db = getDb();
  const join = await pendingJoin(db, page.citizen.userId, page.now);
  if (!join) return redirect(paths.signInMethods);
  return { join, questions: await joinQuestions(db, page.citizen.userId, join.otherUserId) };
}

type Loaded = { join: JoinDraft; questions: JoinQuestion[]; question: JoinQuestion };

const SIDES = ['this', 'other'] as const;

/** One question page per thing both accounts have and only one can keep. */
export const joinQuestionPage = formPage<{ keep: 'this' | 'other' }, Loaded, CitizenPageRequest>({
  route: citizenPage,
  view: 'identity/join-question.njk',
  load: async (page) => {
    // No such question at all: "page not found", as for any address that names nothing.
    if (!isJoinQuestionKey(routeParam(page, 'question'))) notFound();
    const loaded = await loadJoin(page);
    if (loaded instanceof Response) return loaded;
    const question = loaded.questions.find((one) => one.key === routeParam(page, 'question'));
    if (!question) return redirect(paths.joinAccounts.checkAnswers);
    return { ...loaded, question };
  },
  schema: (loaded) => z.object({ keep: choice(SIDES, { required: loaded.question.error }) }),
  context: (_page, { join, question }) => ({ question, otherProvider: providerName(join.provider) }),
  values: (_page, { join, question }) => ({ keep: join.choices[question.key] }),
  onValid: async (data, page, { join, questions, question }) => {
    await saveJoinChoice(getDb(), page.citizen.userId, join, question.key, data.keep, page.now);
    const answered = { ...join.choices, [question.key]: data.keep };
    const next = questions.find((one) => !answered[one.key]);
    return next ? paths.joinAccounts.question(next.key) : paths.joinAccounts.checkAnswers;
  },
});

export const joinCheckAnswersPage = {
  GET: citizenPage(async (page) => {
    const loaded = await loadJoin(page);
    if (loaded instanceof Response) return loaded;
    const { join, questions } = loaded;
    const unanswered = questions.find((question) => !join.choices[question.key]);
    if (unanswered) return redirect(paths.joinAccounts.question(unanswered.key));
    const otherProvider = providerName(join.provider);
    const counts = await countsToMove(getDb(), join.otherUserId);
    return renderPage(page, 'identity/join-check-answers.njk', {
      otherProvider,
      moved: describeCounts(counts),
      rows: questions.map((question) => {
        const kept = join.choices[question.key] === 'other' ? question.otherAccount : question.thisAccount;
        return {
          key: { text: question.label },
          value: {
            text: `${join.choices[question.key] === 'other' ? `From your ${otherProvider} account` : 'From this account'}: ${kept.join(', ') || 'nothing'}`,
          },
          actions: { items: [{ href: paths.joinAccounts.question(question.key), text: 'Change', visuallyHiddenText: question.label.toLowerCase() }] },
        };
      }),
    });
  }),
  /** Confirm: the join itself, one transaction. */
  POST: citizenPage(async (page) => {
    const result = await joinAccounts(getDb(), page.citizen.userId, page.now);
    if (!result.ok) return redirect(result.question ? paths.joinAccounts.question(result.question) : paths.signInMethods);
    log.info('accounts-joined', {});
    return redirect(paths.joinAccounts.confirmation);
  }),
};

/** "Do not join": nothing changes, and the other way of signing in is not added. */
export const joinCancelPage = citizenPage(async (page) => {
  await cancelJoin(getDb(), page.citizen.userId);
  log.info('join-accounts-cancelled', {});
  return redirect(paths.signInMethods);
});

export const joinConfirmationPage = citizenPage(async (page) => {
  const [latest] = await linkHistoryOf(getDb(), page.citizen.userId);
  if (latest?.kind !== 'merged') return redirect(paths.signInMethods);
  return renderPage(page, 'identity/join-confirmation.njk', {
    otherProvider: providerName(latest.provider),
    moved: describeCounts(parseLinkDetail(latest.detail).moved ?? {}),
  });
});
