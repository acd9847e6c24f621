import { communicationConfirmationPage } from '@/lib/about-me/pages';

export const GET = communicationConfirmationPage;
