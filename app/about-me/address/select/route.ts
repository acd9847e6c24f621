import { selectPage } from '@/lib/contact-details/pages';

export const { GET, POST } = selectPage;
