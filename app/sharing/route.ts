import { sharingPage } from '@/lib/sharing/citizen-pages';

export const GET = sharingPage;
