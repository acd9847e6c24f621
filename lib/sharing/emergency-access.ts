import { z } from 'zod';
import { choice, requiredText } from '@/lib/platform/form-fields';

/** Emergency access: a professional with no care relationship says why they need to look. */

export const EMERGENCY_REASONS = [
  { value: 'urgent-care', text: 'I am giving them urgent or emergency care' },
  { value: 'new-to-care', text: 'They have just come into my care and the care record does not show it yet' },
  { value: 'safeguarding', text: 'There is a safeguarding concern' },
  { value: 'other', text: 'Another reason' },
] as const;

export const DETAILS_MAX = 500;

export const emergencyAccessSchema = z.object({
  reason: choice(['urgent-care', 'new-to-care', 'safeguarding', 'other'], { required: 'Select why you need emergency access' }),
  details: requiredText(
    { required: 'Enter details of why you need emergency access', tooLong: `Details must be ${DETAILS_MAX} characters or fewer` },
    DETAILS_MAX,
  ),
});
