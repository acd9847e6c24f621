import { PATHS } from '@/lib/contact-details/pages';
import { pageRoute } from '@/lib/platform/page';
import { redirect } from '@/lib/platform/render';

export const GET = pageRoute(() => redirect(PATHS.postcode));
