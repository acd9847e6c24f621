import { termsOfUsePage } from '@/lib/identity/registration-pages';

export const GET = termsOfUsePage;
