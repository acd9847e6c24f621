import { conditionCheckPage } from '@/lib/about-me/pages';

export const { GET, POST } = conditionCheckPage;
