import { joinQuestionPage } from '@/lib/identity/sign-in-methods-pages';

export const { GET, POST } = joinQuestionPage;
