import { vaccinationsPage } from '@/lib/care-record/pages';

export const GET = vaccinationsPage.GET;
