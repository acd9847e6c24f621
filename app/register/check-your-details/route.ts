import { checkYourDetailsPage } from '@/lib/identity/registration-pages';

export const { GET, POST } = checkYourDetailsPage;
