import { accountPage } from '@/lib/identity/account-pages';

export const GET = accountPage;
