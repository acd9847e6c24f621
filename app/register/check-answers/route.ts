import { checkAnswersPage } from '@/lib/identity/registration-pages';

export const { GET, POST } = checkAnswersPage;
