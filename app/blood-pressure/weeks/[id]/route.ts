import { weekPage } from '@/lib/blood-pressure/pages';

export const GET = weekPage;
