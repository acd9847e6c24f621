import { sentPage } from '@/lib/engagement/citizen-pages';

export const GET = sentPage;
