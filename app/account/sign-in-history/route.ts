import { signInHistoryPage } from '@/lib/identity/account-pages';

export const { GET, POST } = signInHistoryPage;
