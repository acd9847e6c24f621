import { joinCheckAnswersPage } from '@/lib/identity/sign-in-methods-pages';

export const { GET, POST } = joinCheckAnswersPage;
