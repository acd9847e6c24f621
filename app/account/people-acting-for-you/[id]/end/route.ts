import { accessEndPage } from '@/lib/proxy/people-pages';

export const { GET, POST } = accessEndPage;
