/** NHS numbers: 10 digits, the last a modulus 11 check digit (NHS Data Dictionary). */

/** The FHIR identifier system for NHS numbers. */
export const NHS_NUMBER_SYSTEM = 'https://fhir.nhs.uk/Id/nhs-number';

/** The digits alone, from what people type ("999 001 2377", "999-001-2377"). */
export function nhsNumberDigits(text: string): string {
  return text.replace(/[\s-]/g, '');
}

/**
 * A real NHS number. People may type spaces or hyphens; `digitsOnly` refuses them, for
 * values other systems send us (they send 10 digits, so anything else is a fault, not typing).
 */
export function isValidNhsNumber(text: string, options: { digitsOnly?: boolean } = {}): boolean {
  const digits = options.digitsOnly ? text : nhsNumberDigits(text);
  if (!/^\d{10}$/.test(digits)) return false;
  const total = [...digits.slice(0, 9)].reduce((sum, digit, index) => sum + Number(digit) * (10 - index), 0);
  const check = 11 - (total % 11);
  // A check digit of 10 is never issued.
  if (check === 10) return false;
  return (check === 11 ? 0 : check) === Number(digits[9]);
}

/** "999 001 2377": how the NHS writes them, easier to check by eye. Anything not 10 digits is left as it is. */
export function formatNhsNumber(text: string): string {
  const digits = nhsNumberDigits(text);
  return /^\d{10}$/.test(digits) ? `${digits.slice(0, 3)} ${digits.slice(3, 6)} ${digits.slice(6)}` : text;
}
