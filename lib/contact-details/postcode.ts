/**
 * UK postcodes: people type them in any case, with or without the space. We keep them
 * one way: upper case, one space before the last three characters ("LS1 4AP").
 */

// The outward code (area, district, optional sub-district) then the inward code (sector, unit).
// Letters never used in a given position are left out, as in the Royal Mail rules; GIR 0AA is special.
const POSTCODE = /^(GIR0AA|[A-PR-UWYZ](?:[0-9]{1,2}|[A-HK-Y][0-9]{1,2}|[0-9][A-HJKPSTUW]|[A-HK-Y][0-9][ABEHMNPRVWXY])[0-9][ABD-HJLNP-UW-Z]{2})$/;

/** The postcode written the standard way, or null when it is not a full UK postcode. */
export function normalisePostcode(input: string): string | null {
  const compact = input.replace(/[\s\u00A0-]+/g, '').toUpperCase();
  if (!POSTCODE.test(compact)) return null;
  return `${compact.slice(0, -3)} ${compact.slice(-3)}`;
}
