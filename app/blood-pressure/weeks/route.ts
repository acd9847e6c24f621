import { weeksPage } from '@/lib/blood-pressure/pages';

export const GET = weeksPage;
