import { z } from 'zod';
import { getDb } from '@/lib/platform/db';
import { HttpError } from '@/lib/platform/errors';
import { log } from '@/lib/platform/log';
import { formatNhsNumber } from '@/lib/platform/nhs-number';
import { formPage, pageRoute, renderPage, type PageRequest } from '@/lib/platform/page';
import { redirect } from '@/lib/platform/render';
import { PROVIDER_NAMES } from './auth';
import type { Citizen } from './citizen';
import { citizenPage, notSignedIn } from './citizen-page';
import { canOpen, nextStep, REGISTRATION_PATHS, TERMS_VERSION, type RegistrationStep } from './registration';
import { completeRegistration, registrationProgress, saveDetailsConfirmed, saveTermsAgreed } from './registration-store';
import { paths } from '@/lib/platform/paths';

/**
 * The first-time registration journey, after the first proven sign-in: what we do with
 * their information (agree to the terms), check the details the provider gave us, check
 * answers, confirm. Answers stay on the session; the account is usable only once confirmed.
 */

export const AGREE_MESSAGE = 'Select that you agree to the terms of use to continue';

/** The citizen of a page that passed the guard (a 403 refusal, never a 500, if one did not). */
function citizenOf(page: PageRequest): Citizen {
  if (page.session.state !== 'signed-in') throw new HttpError(403, 'not-signed-in');
  return page.session.citizen;
}

/** Only the signed-in, not yet registered citizen, and only steps they have reached. */
function registrationGuard(step: RegistrationStep) {
  return (page: PageRequest): Response | null => {
    if (page.session.state !== 'signed-in') return notSignedIn(page);
    const { citizen } = page.session;
    if (citizen.user.registeredAt) return redirect(paths.account);
    const progress = registrationProgress(citizen);
    return canOpen(step, progress) ? null : redirect(REGISTRATION_PATHS[nextStep(progress)]);
  };
}

function providerName(citizen: Citizen): string {
  return PROVIDER_NAMES[citizen.provider as keyof typeof PROVIDER_NAMES] ?? citizen.provider;
}

function verifiedDetails(citizen: Citizen) {
  const { user } = citizen;
  return {
    providerName: providerName(citizen),
    fullName: `${user.givenName} ${user.familyName}`,
    birthDate: user.birthDate,
    nhsNumber: user.nhsNumber ? formatNhsNumber(user.nhsNumber) : null,
  };
}

export const yourInformationPage = formPage({
  view: 'identity/registration/your-information.njk',
  schema: z.object({ agree: z.literal('yes', { error: AGREE_MESSAGE }) }),
  access: 'registering',
  guard: registrationGuard('your-information'),
  context: (page) => ({ agreed: citizenOf(page).registrationTermsVersion === TERMS_VERSION }),
  onValid: async (_answers, page) => {
    const citizen = citizenOf(page);
    await saveTermsAgreed(getDb(), citizen.id, TERMS_VERSION);
    return REGISTRATION_PATHS[nextStep({ ...registrationProgress(citizen), termsVersion: TERMS_VERSION })];
  },
});

export const checkYourDetailsPage = formPage({
  view: 'identity/registration/check-your-details.njk',
  schema: z.object({}),
  access: 'registering',
  guard: registrationGuard('check-your-details'),
  context: (page) => verifiedDetails(citizenOf(page)),
  onValid: async (_answers, page) => {
    await saveDetailsConfirmed(getDb(), citizenOf(page).id);
    return REGISTRATION_PATHS['check-answers'];
  },
});

const notMyDetailsGuard = registrationGuard('check-your-details');

export const notMyDetailsPage = pageRoute((page) => {
  const refused = notMyDetailsGuard(page);
  if (refused) return refused;
  return renderPage(page, 'identity/registration/not-my-details.njk', { providerName: providerName(citizenOf(page)) });
}, 'registering');

export const checkAnswersPage = formPage({
  view: 'identity/registration/check-answers.njk',
  schema: z.object({}),
  access: 'registering',
  guard: registrationGuard('check-answers'),
  context: (page) => verifiedDetails(citizenOf(page)),
  onValid: async (_answers, page) => {
    const citizen = citizenOf(page);
    const registered = await completeRegistration(getDb(), citizen.id);
    if (!registered) return paths.account;
    log.info('registered', { provider: citizen.provider, termsVersion: TERMS_VERSION });
    return paths.register.confirmation;
  },
});

export const confirmationPage = citizenPage((page) => renderPage(page, 'identity/registration/confirmation.njk'));

export const termsOfUsePage = pageRoute((page) => renderPage(page, 'pages/terms-of-use.njk', { lastUpdated: TERMS_VERSION }));
