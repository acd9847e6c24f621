import { coordinatorHomePage } from '@/lib/engagement/staff-pages';

export const GET = coordinatorHomePage;
