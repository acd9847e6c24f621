import { jsonDownload } from '@/lib/your-data/pages';

export const GET = jsonDownload;
