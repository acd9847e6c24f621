import { addConditionPage } from '@/lib/about-me/pages';

export const { GET, POST } = addConditionPage;
