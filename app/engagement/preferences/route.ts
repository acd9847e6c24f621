import { preferencesPage } from '@/lib/engagement/citizen-pages';

export const GET = preferencesPage;
