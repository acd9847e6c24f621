import { overviewPage } from '@/lib/blood-pressure/pages';

export const GET = overviewPage;
