import { startWeekPage } from '@/lib/blood-pressure/pages';

export const { GET, POST } = startWeekPage;
