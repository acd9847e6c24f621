import { resultsCsv } from '@/lib/engagement/staff-pages';

export const GET = resultsCsv;
