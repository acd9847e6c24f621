import { preferenceConfirmationPage } from '@/lib/contact-details/pages';

export const GET = preferenceConfirmationPage;
