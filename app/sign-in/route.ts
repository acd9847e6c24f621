import { signInPage } from '@/lib/identity/sign-in-page';

export const { GET, POST } = signInPage();
