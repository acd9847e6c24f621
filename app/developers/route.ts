import { developersPage } from '@/lib/open-platform/developers-page';

export const GET = developersPage;
