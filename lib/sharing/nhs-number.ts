/** NHS numbers: 10 digits, the last a Modulus 11 check digit (NHS Data Dictionary). */

/** The digits alone, from what people type ("999 001 2377", "999-001-2377"). */
export function nhsNumberDigits(text: string): string {
  return text.replace(/[\s-]/g, '');
}

export function isValidNhsNumber(text: string): boolean {
  const digits = nhsNumberDigits(text);
  if (!/^\d{10}$/.test(digits)) return false;
  const total = [...digits.slice(0, 9)].reduce((sum, digit, index) => sum + Number(digit) * (10 - index), 0);
  const check = 11 - (total % 11);
  if (check === 10) return false;
  return (check === 11 ? 0 : check) === Number(digits[9]);
}

/** "999 001 2377": how the NHS writes them. */
export function formatNhsNumber(digits: string): string {
  return `${digits.slice(0, 3)} ${digits.slice(3, 6)} ${digits.slice(6)}`;
}
