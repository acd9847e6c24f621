import { sendAgainAction } from '@/lib/contact-details/staff-pages';

export const POST = sendAgainAction;
