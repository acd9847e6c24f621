import { yourInformationPage } from '@/lib/identity/registration-pages';

export const { GET, POST } = yourInformationPage;
