import { checkPage } from '@/lib/blood-pressure/pages';

export const { GET, POST } = checkPage;
