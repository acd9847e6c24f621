import { signOutPage } from '@/lib/identity/account-pages';

export const { GET, POST } = signOutPage;
