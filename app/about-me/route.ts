import { summaryPage } from '@/lib/about-me/pages';

export const GET = summaryPage;
