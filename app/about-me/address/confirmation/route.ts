import { addressConfirmationPage } from '@/lib/contact-details/pages';

export const GET = addressConfirmationPage;
