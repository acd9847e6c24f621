import { signInMethodNotAddedPage } from '@/lib/identity/sign-in-methods-pages';

export const GET = signInMethodNotAddedPage;
