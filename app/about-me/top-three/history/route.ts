import { topThreeHistoryPage } from '@/lib/about-me/pages';

export const GET = topThreeHistoryPage;
