import { joinConfirmationPage } from '@/lib/identity/sign-in-methods-pages';

export const GET = joinConfirmationPage;
