import { topThreePage } from '@/lib/about-me/pages';

export const { GET, POST } = topThreePage;
