import { inboxPage } from '@/lib/letters/pages';

export const GET = inboxPage;
