import { confirmationPage } from '@/lib/identity/registration-pages';

export const GET = confirmationPage;
