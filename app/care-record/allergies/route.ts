import { allergiesPage } from '@/lib/care-record/pages';

export const GET = allergiesPage.GET;
