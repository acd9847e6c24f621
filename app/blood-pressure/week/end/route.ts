import { endWeekPage } from '@/lib/blood-pressure/pages';

export const { GET, POST } = endWeekPage;
