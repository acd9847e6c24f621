import { deletePage } from '@/lib/blood-pressure/pages';

export const { GET, POST } = deletePage;
