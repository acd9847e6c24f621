import { preferenceCheckPage } from '@/lib/contact-details/pages';

export const { GET, POST } = preferenceCheckPage;
