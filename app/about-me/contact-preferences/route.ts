import { summaryPage } from '@/lib/contact-details/pages';

export const GET = summaryPage;
