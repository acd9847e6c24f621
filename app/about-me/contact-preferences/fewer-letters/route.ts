import { fewerLettersPage } from '@/lib/contact-details/pages';

export const { GET, POST } = fewerLettersPage;
