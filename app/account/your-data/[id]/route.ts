import { statusPage } from '@/lib/your-data/pages';

export const GET = statusPage;
