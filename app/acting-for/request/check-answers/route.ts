import { checkAnswersPage } from '@/lib/proxy/request-pages';

export const { GET, POST } = checkAnswersPage;
