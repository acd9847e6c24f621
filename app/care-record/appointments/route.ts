import { appointmentsPage } from '@/lib/care-record/pages';

export const GET = appointmentsPage.GET;
