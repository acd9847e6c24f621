import { mobileNumberPage } from '@/lib/contact-details/pages';

export const { GET, POST } = mobileNumberPage;
