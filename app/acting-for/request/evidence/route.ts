import { evidencePage } from '@/lib/proxy/request-pages';

export const { GET, POST } = evidencePage;
