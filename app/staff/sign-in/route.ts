import { staffSignInPage } from '@/lib/identity/staff-pages';

export const { GET, POST } = staffSignInPage;
