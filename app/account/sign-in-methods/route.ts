import { signInMethodsPage } from '@/lib/identity/sign-in-methods-pages';

export const { GET, POST } = signInMethodsPage;
