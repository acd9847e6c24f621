import { readablePage } from '@/lib/your-data/pages';

export const GET = readablePage;
