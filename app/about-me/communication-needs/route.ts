import { communicationNeedsPage } from '@/lib/about-me/pages';

export const { GET, POST } = communicationNeedsPage;
