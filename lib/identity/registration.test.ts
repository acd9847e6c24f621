import { describe, expect, it } from 'vitest';
import { canOpen, nextStep, readyToConfirm, TERMS_VERSION, type RegistrationProgress } from './registration';

const fresh: RegistrationProgress = { termsVersion: null, detailsConfirmedAt: null };
const agreed: RegistrationProgress = { termsVersion: TERMS_VERSION, detailsConfirmedAt: null };
const done: RegistrationProgress = { termsVersion: TERMS_VERSION, detailsConfirmedAt: new Date() };

describe('the registration journey', () => {
  it('starts with what the service does with their information', () => {
    expect(nextStep(fresh)).toBe('your-information');
    expect(readyToConfirm(fresh)).toBe(false);
  });

  it('goes on to their details once they agree to the terms', () => {
    expect(nextStep(agreed)).toBe('check-your-details');
    expect(readyToConfirm(agreed)).toBe(false);
  });

  it('ends at check your answers when every answer is in', () => {
    expect(nextStep(done)).toBe('check-answers');
    expect(readyToConfirm(done)).toBe(true);
  });

  it('asks again when they agreed to terms that have since changed', () => {
    const older = { ...done, termsVersion: '2020-01-01' };
    expect(nextStep(older)).toBe('your-information');
    expect(readyToConfirm(older)).toBe(false);
  });

  it('does not count confirmed details without agreed terms', () => {
    expect(nextStep({ termsVersion: null, detailsConfirmedAt: new Date() })).toBe('your-information');
  });

  it('lets people go back to earlier steps but never skip ahead', () => {
    expect(canOpen('your-information', fresh)).toBe(true);
    expect(canOpen('check-your-details', fresh)).toBe(false);
    expect(canOpen('check-answers', fresh)).toBe(false);
    expect(canOpen('check-your-details', agreed)).toBe(true);
    expect(canOpen('check-answers', agreed)).toBe(false);
    expect(canOpen('your-information', done)).toBe(true);
    expect(canOpen('check-your-details', done)).toBe(true);
    expect(canOpen('check-answers', done)).toBe(true);
  });
});
