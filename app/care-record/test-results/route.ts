import { testResultsPage } from '@/lib/care-record/pages';

export const GET = testResultsPage.GET;
