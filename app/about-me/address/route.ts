import { citizenPage } from '@/lib/identity/public';
import { paths } from '@/lib/platform/paths';
import { redirect } from '@/lib/platform/render';

// The address journey starts at the postcode question (for signed-in citizens only, like every page here).
export const GET = citizenPage(() => redirect(paths.contactDetails.postcode), 'citizen-or-proxy:contact-details');
