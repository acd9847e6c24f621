import { activityPage } from '@/lib/engagement/citizen-pages';

export const GET = activityPage;
