import { conditionsPage } from '@/lib/about-me/pages';

export const GET = conditionsPage;
