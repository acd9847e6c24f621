import { letterPage } from '@/lib/letters/pages';

export const GET = letterPage;
