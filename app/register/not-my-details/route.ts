import { notMyDetailsPage } from '@/lib/identity/registration-pages';

export const GET = notMyDetailsPage;
