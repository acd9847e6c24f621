import { conditionConfirmationPage } from '@/lib/about-me/pages';

export const GET = conditionConfirmationPage;
