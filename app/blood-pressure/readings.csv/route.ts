import { csvDownload } from '@/lib/blood-pressure/pages';

export const GET = csvDownload;
