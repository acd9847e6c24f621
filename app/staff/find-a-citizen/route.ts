import { staffAreaPage } from '@/lib/identity/staff-pages';

export const GET = staffAreaPage('/staff/find-a-citizen');
