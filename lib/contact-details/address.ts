import { z } from 'zod';
import { optionalText, requiredText } from '@/lib/platform/form-fields';
import { normalisePostcode } from '@/lib/platform/postcode';

/** A UK postal address as the citizen gave it (GOV.UK address pattern), and how we check it. */

export const ADDRESS_LINE_MAX = 100;
export const TOWN_MAX = 60;
export const BUILDING_MAX = 60;

export const MESSAGES = {
  postcode: 'Enter a postcode',
  postcodeInvalid: 'Enter a full UK postcode, like LS1 6AB',
  postcodeTooLong: 'Postcode must be 10 characters or less',
  building: 'Building number or name must be 60 characters or less',
  line1: 'Enter address line 1, typically the building and street',
  line1TooLong: `Address line 1 must be ${ADDRESS_LINE_MAX} characters or less`,
  line2TooLong: `Address line 2 must be ${ADDRESS_LINE_MAX} characters or less`,
  town: 'Enter town or city',
  townTooLong: `Town or city must be ${TOWN_MAX} characters or less`,
  countyTooLong: `County must be ${TOWN_MAX} characters or less`,
  address: 'Select your address',
} as const;

export const postcodeField = requiredText({ required: MESSAGES.postcode, tooLong: MESSAGES.postcodeTooLong }, 10).transform((value, context) => {
  const postcode = normalisePostcode(value);
  if (!postcode) {
    context.addIssue({ code: 'custom', message: MESSAGES.postcodeInvalid });
    return z.NEVER;
  }
  return postcode;
});

/** "Find your address": a postcode, and optionally the building to narrow the list. */
export const findAddressSchema = z.object({
  postcode: postcodeField,
  building: optionalText({ tooLong: MESSAGES.building }, BUILDING_MAX),
});
export type FindAddress = z.output<typeof findAddressSchema>;

/** "Enter your address" (manual entry: always available). */
export const manualAddressSchema = z.object({
  line1: requiredText({ required: MESSAGES.line1, tooLong: MESSAGES.line1TooLong }, ADDRESS_LINE_MAX),
  line2: optionalText({ tooLong: MESSAGES.line2TooLong }, ADDRESS_LINE_MAX),
  town: requiredText({ required: MESSAGES.town, tooLong: MESSAGES.townTooLong }, TOWN_MAX),
  county: optionalText({ tooLong: MESSAGES.countyTooLong }, TOWN_MAX),
  postcode: postcodeField,
});
export type ManualAddress = z.output<typeof manualAddressSchema>;

export type Address = { line1: string; line2?: string; town: string; county?: string; postcode: string };

/** The address journey's answers before check answers (kept as a draft). */
export const addressDraftSchema = z.object({
  search: z.object({ postcode: z.string(), building: z.string().optional() }).optional(),
  address: z
    .object({
      line1: z.string(),
      line2: z.string().optional(),
      town: z.string(),
      county: z.string().optional(),
      postcode: z.string(),
      source: z.enum(['lookup', 'manual']),
      uprn: z.string().optional(),
    })
    .optional(),
});
export type AddressDraft = z.infer<typeof addressDraftSchema>;
export type ChosenAddress = NonNullable<AddressDraft['address']>;

/** The address as lines, for check answers and the summary (each line escaped when shown). */
export function addressLines(address: Address): string[] {
  return [address.line1, address.line2, address.town, address.county, address.postcode].filter((line): line is string => Boolean(line));
}
