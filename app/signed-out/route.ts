import { signedOutPage } from '@/lib/identity/account-pages';

export const GET = signedOutPage;
