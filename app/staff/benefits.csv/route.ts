import { benefitsCsvDownload } from '@/lib/reporting/benefits-page';

export const GET = benefitsCsvDownload;
