import { savedPage } from '@/lib/blood-pressure/pages';

export const GET = savedPage;
