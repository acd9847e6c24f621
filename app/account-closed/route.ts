import { accountClosedPage } from '@/lib/identity/close-account-pages';

export const GET = accountClosedPage;
