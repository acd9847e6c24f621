import { whoHasViewedPage } from '@/lib/sharing/citizen-pages';

export const GET = whoHasViewedPage;
