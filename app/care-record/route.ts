import { summaryPage } from '@/lib/care-record/pages';

export const GET = summaryPage.GET;
