import { failedDeliveriesPage } from '@/lib/contact-details/staff-pages';

export const GET = failedDeliveriesPage;
