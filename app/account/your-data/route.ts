import { startPage } from '@/lib/your-data/pages';

export const { GET, POST } = startPage;
