import { benefitsPage } from '@/lib/reporting/benefits-page';

export const GET = benefitsPage;
