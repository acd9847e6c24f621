import { changedPage } from '@/lib/blood-pressure/pages';

export const GET = changedPage;
