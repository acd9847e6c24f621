import { coordinatorActivityPage } from '@/lib/engagement/staff-pages';

export const GET = coordinatorActivityPage;
