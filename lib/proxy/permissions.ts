/**
 * What someone acting for another person may do (lib/proxy). Each permission opens a set of
 * pages, declared where each page is made (`citizen-or-proxy:<permission>` access, see
 * lib/platform/page.ts); every other citizen page is closed to them (404, and 403 for a post).
 */
export const PROXY_PERMISSIONS = ['care-record', 'blood-pressure', 'about-me', 'contact-details', 'sharing'] as const;

export type ProxyPermission = (typeof PROXY_PERMISSIONS)[number];

/** Each permission in plain English: what the person lets them do, as the person reads it. */
export const PERMISSION_TEXT: Record<ProxyPermission, { label: string; hint: string }> = {
  'care-record': {
    label: 'See your care record',
    hint: 'Your GP record: medicines, allergies, test results, appointments and letters.',
  },
  'blood-pressure': {
    label: 'See and add your blood pressure readings',
    hint: 'They can add, change and delete readings. Your care team will see who added each one.',
  },
  'about-me': {
    label: 'Change your top 3 things, conditions and communication needs',
    hint: 'What your care team should know about you.',
  },
  'contact-details': {
    label: 'Change your contact details and address',
    hint: 'Your email address, mobile number, address and how we contact you.',
  },
  sharing: {
    label: 'Manage who you share your information with',
    hint: 'They can choose what your care team can see, and see who has looked at your record.',
  },
};

export function isProxyPermission(value: unknown): value is ProxyPermission {
  return PROXY_PERMISSIONS.includes(value as ProxyPermission);
}

/** The permissions kept on a ProxyAccess row, read back in their usual order; anything unknown grants nothing. */
export function parsePermissions(stored: string): ProxyPermission[] {
  const given = new Set(stored.split(','));
  return PROXY_PERMISSIONS.filter((permission) => given.has(permission));
}

/** The permissions as a ProxyAccess row keeps them. */
export function storedPermissions(permissions: readonly ProxyPermission[]): string {
  return PROXY_PERMISSIONS.filter((permission) => permissions.includes(permission)).join(',');
}

/** How the relationship is named to the person, to professionals and in the audit log. */
export const BASIS_TEXT: Record<string, string> = {
  invited: 'Someone you invited',
  parent: 'Parent or guardian',
  attorney: 'Lasting power of attorney or deputy',
};
