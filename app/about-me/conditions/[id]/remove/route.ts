import { removeConditionPage } from '@/lib/about-me/pages';

export const { GET, POST } = removeConditionPage;
