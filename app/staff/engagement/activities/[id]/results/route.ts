import { resultsPage } from '@/lib/engagement/staff-pages';

export const GET = resultsPage;
