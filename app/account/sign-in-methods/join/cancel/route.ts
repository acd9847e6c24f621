import { joinCancelPage } from '@/lib/identity/sign-in-methods-pages';

export const POST = joinCancelPage;
