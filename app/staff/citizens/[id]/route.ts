import { citizenViewPage } from '@/lib/sharing/staff-pages';

export const GET = citizenViewPage;
