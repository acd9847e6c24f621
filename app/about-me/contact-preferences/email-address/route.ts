import { emailAddressPage } from '@/lib/contact-details/pages';

export const { GET, POST } = emailAddressPage;
