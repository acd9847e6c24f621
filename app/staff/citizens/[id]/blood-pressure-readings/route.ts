import { readingsDownload } from '@/lib/sharing/staff-pages';

export const GET = readingsDownload;
