import { communicationCheckPage } from '@/lib/about-me/pages';

export const { GET, POST } = communicationCheckPage;
