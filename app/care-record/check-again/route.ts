import { checkAgainPage } from '@/lib/care-record/pages';

export const POST = checkAgainPage.POST;
