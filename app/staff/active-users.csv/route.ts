import { activeUsersCsvDownload } from '@/lib/reporting/active-users-page';

export const GET = activeUsersCsvDownload;
