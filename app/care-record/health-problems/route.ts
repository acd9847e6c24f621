import { healthProblemsPage } from '@/lib/care-record/pages';

export const GET = healthProblemsPage.GET;
