/**
 * UK postcodes: people type them in any case, with or without the space. We keep them
 * one way: upper case, one space before the inward code (the last three characters), "LS1 4AP".
 */

// Area, district and optional sub-district, leaving out the letters Royal Mail never uses in each position.
const OUTWARD = '[A-PR-UWYZ](?:[0-9]{1,2}|[A-HK-Y][0-9]{1,2}|[0-9][A-HJKPSTUW]|[A-HK-Y][0-9][ABEHMNPRVWXY])';
// Sector then unit; GIR 0AA (Girobank) is the one postcode outside the pattern.
const POSTCODE = new RegExp(`^(?:GIR0AA|${OUTWARD}[0-9][ABD-HJLNP-UW-Z]{2})$`);
const DISTRICT = new RegExp(`^${OUTWARD}$`);

// Spaces (including no-break spaces pasted from documents) and hyphens are typing, not part of the code.
const compact = (input: string) => input.replace(/[\s\u00A0-]+/g, '').toUpperCase();

/** The postcode written the standard way, or null when it is not a full UK postcode. */
export function normalisePostcode(input: string): string | null {
  const code = compact(input);
  if (!POSTCODE.test(code)) return null;
  return `${code.slice(0, -3)} ${code.slice(-3)}`;
}

/** Both real postcodes and the same one, however each is written. */
export function samePostcode(a: string, b: string): boolean {
  const first = normalisePostcode(a);
  return first !== null && first === normalisePostcode(b);
}

/** The first part of a postcode (the district, "LS6", "SW1A") written the standard way, or null when it is not one. */
export function normalisePostcodeDistrict(input: string): string | null {
  const code = compact(input);
  return DISTRICT.test(code) ? code : null;
}

/** Both real postcode districts and the same one, however each is written. */
export function samePostcodeDistrict(a: string, b: string): boolean {
  const first = normalisePostcodeDistrict(a);
  return first !== null && first === normalisePostcodeDistrict(b);
}
