import { howToContactPage } from '@/lib/contact-details/pages';

export const { GET, POST } = howToContactPage;
