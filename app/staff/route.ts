import { staffHomePage } from '@/lib/identity/staff-pages';

export const GET = staffHomePage;
