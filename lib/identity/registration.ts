import { paths } from '@/lib/platform/paths';

/**
 * The first-time registration journey's rules: which step comes next, which steps may be
 * opened, and when the account may be created. Pure, so the pages and tests share them.
 */

/** The terms of use people agree to now. Change it when the terms change: everyone agrees again. */
export const TERMS_VERSION = '2026-11-23';

export const REGISTRATION_STEPS = ['your-information', 'check-your-details', 'check-answers'] as const;

export type RegistrationStep = (typeof REGISTRATION_STEPS)[number];

export const REGISTRATION_PATHS: Record<RegistrationStep, string> = {
  'your-information': paths.register.yourInformation,
  'check-your-details': paths.register.checkYourDetails,
  'check-answers': paths.register.checkAnswers,
};

/** The answers so far, kept on the session. */
export type RegistrationProgress = { termsVersion: string | null; detailsConfirmedAt: Date | null };

/** The first step not yet done; check answers once every answer is in. */
export function nextStep(progress: RegistrationProgress): RegistrationStep {
  // Agreeing to older terms does not count: the terms they see now are the ones they agree to.
  if (progress.termsVersion !== TERMS_VERSION) return 'your-information';
  if (!progress.detailsConfirmedAt) return 'check-your-details';
  return 'check-answers';
}

/** Any step up to the next one can be opened (going back, or "Change"); none beyond it. */
export function canOpen(step: RegistrationStep, progress: RegistrationProgress): boolean {
  return REGISTRATION_STEPS.indexOf(step) <= REGISTRATION_STEPS.indexOf(nextStep(progress));
}

export function readyToConfirm(progress: RegistrationProgress): boolean {
  return nextStep(progress) === 'check-answers';
}
