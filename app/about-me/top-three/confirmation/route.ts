import { topThreeConfirmationPage } from '@/lib/about-me/pages';

export const GET = topThreeConfirmationPage;
