import { lettersPage } from '@/lib/care-record/pages';

export const GET = lettersPage.GET;
