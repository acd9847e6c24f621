import { letterPage } from '@/lib/care-record/pages';

export const GET = letterPage.GET;
