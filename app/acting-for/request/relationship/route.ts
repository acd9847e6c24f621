import { relationshipPage } from '@/lib/proxy/request-pages';

export const { GET, POST } = relationshipPage;
