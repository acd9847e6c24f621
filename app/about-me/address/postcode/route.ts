import { postcodePage } from '@/lib/contact-details/pages';

export const { GET, POST } = postcodePage;
