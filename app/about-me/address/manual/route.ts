import { manualPage } from '@/lib/contact-details/pages';

export const { GET, POST } = manualPage;
