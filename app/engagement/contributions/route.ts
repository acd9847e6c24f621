import { contributionsPage } from '@/lib/engagement/citizen-pages';

export const GET = contributionsPage;
