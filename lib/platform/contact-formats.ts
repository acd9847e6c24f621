/**
 * An email address and a UK mobile number, checked the same way wherever someone gives one: their
 * own (lib/contact-details) or someone else's (an invitation to act for them, lib/proxy).
 */

/** A UK mobile number written the usual way ("07700 900982"), or null when it is not one. */
export function normaliseUkMobile(input: string): string | null {
  const compact = input.replace(/[\s\-().]+/g, '');
  const national = compact.replace(/^(?:\+44|0044|44)(?=7)/, '0');
  if (!/^07[0-9]{9}$/.test(national)) return null;
  return `${national.slice(0, 5)} ${national.slice(5)}`;
}

// Practical check, as GOV.UK services do: something@something.tld, no spaces.
const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:".]{2,}$/;

/** Whether `text` is an email address by the service's practical check. */
export function isEmailAddress(text: string): boolean {
  return EMAIL.test(text);
}
