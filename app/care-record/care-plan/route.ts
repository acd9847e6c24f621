import { carePlanPage } from '@/lib/care-record/pages';

export const GET = carePlanPage.GET;
