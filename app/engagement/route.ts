import { engagementHomePage } from '@/lib/engagement/citizen-pages';

export const GET = engagementHomePage;
