import { fhirDownload } from '@/lib/your-data/pages';

export const GET = fhirDownload;
