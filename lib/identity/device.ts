/**
 * The kind of device a sign-in came from, for the sign-in history. Only this word is
 * kept: the user agent itself would help fingerprint people.
 */
export type DeviceKind = 'mobile' | 'tablet' | 'computer';

export function deviceKind(userAgent: string | null): DeviceKind {
  const ua = userAgent ?? '';
  if (/iPad|Tablet|PlayBook|Silk|Kindle/i.test(ua) || (/Android/i.test(ua) && !/Mobile/i.test(ua))) return 'tablet';
  if (/Mobi|iPhone|iPod|Android|Windows Phone/i.test(ua)) return 'mobile';
  return 'computer';
}
