import { medicinesPage } from '@/lib/care-record/pages';

export const GET = medicinesPage.GET;
