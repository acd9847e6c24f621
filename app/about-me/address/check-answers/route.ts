import { addressCheckPage } from '@/lib/contact-details/pages';

export const { GET, POST } = addressCheckPage;
