import { readingsListPage } from '@/lib/blood-pressure/pages';

export const GET = readingsListPage;
