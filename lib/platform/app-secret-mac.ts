import { createHmac } from 'node:crypto';
import { config } from '@/lib/platform/config';

/**
 * A keyed hash of `value` with the app's secret (the same on every instance), for one purpose:
 * the purpose is part of what is hashed, so a value made for one use (a CSRF token, a signed
 * cookie, a rate-limit key) is never valid for another.
 */
export function appSecretMac(purpose: string, value: string): string {
  return createHmac('sha256', config().appSecret).update(`${purpose}:${value}`).digest('base64url');
}
