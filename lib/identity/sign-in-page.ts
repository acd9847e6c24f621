import { z } from 'zod';
import { config, type IdentityProviderId } from '@/lib/platform/config';
import { choice } from '@/lib/platform/form-fields';
import { formPage } from '@/lib/platform/page';
import { PROVIDER_NAMES } from './auth';
import { nextAuthCsrfCookies, startSignIn } from './next-auth-flow';
import { safeReturnTo } from './return-to';

const MESSAGES = {
  provider: 'Select how you want to sign in',
  sharedDevice: 'Select yes if you are using a shared or public computer',
};

const HINTS: Record<IdentityProviderId, string> = {
  onelogin: 'Use the account you use for other government services, like renewing a passport.',
  nhslogin: 'Use the account you use for the NHS App or to book GP appointments online.',
};

function enabledProviders(): [IdentityProviderId, ...IdentityProviderId[]] {
  return config().identity.providers.map((provider) => provider.id) as [IdentityProviderId, ...IdentityProviderId[]];
}

function schema() {
  return z.object({
    provider: choice(enabledProviders(), { required: MESSAGES.provider }),
    sharedDevice: choice(['yes', 'no'], { required: MESSAGES.sharedDevice }),
    // Optional: a form sent without it (an old page, a script) signs in to the account page.
    returnTo: z.unknown().optional().transform(safeReturnTo),
  });
}

function createSignInPage() {
  return formPage({
    view: 'identity/sign-in.njk',
    access: 'public',
    schema: schema(),
    context: (page) => ({
      returnTo: safeReturnTo(page.url.searchParams.get('returnTo') ?? undefined),
      providerOptions: enabledProviders().map((id) => ({ value: id, text: PROVIDER_NAMES[id], hint: { text: HINTS[id] } })),
    }),
    cookies: (page) => nextAuthCsrfCookies(page.req),
    onValid: (answers, page) => startSignIn(page.req, answers.provider, { sharedDevice: answers.sharedDevice === 'yes', returnTo: answers.returnTo }),
  });
}

/**
 * "How do you want to sign in?": one question page, then on to the chosen provider.
 * Made on first request: the choices come from configuration, which is not there at build.
 */
export function signInPage() {
  let page: ReturnType<typeof createSignInPage> | undefined;
  const current = () => (page ??= createSignInPage());
  const access = 'public' as const;
  return {
    GET: Object.assign((req: Request) => current().GET(req), { access }),
    POST: Object.assign((req: Request) => current().POST(req), { access }),
  };
}
