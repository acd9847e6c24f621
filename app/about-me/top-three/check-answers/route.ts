import { topThreeCheckPage } from '@/lib/about-me/pages';

export const { GET, POST } = topThreeCheckPage;
