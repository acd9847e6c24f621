import { changePage } from '@/lib/blood-pressure/pages';

export const { GET, POST } = changePage;
