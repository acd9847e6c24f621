import { activeUsersPage } from '@/lib/reporting/active-users-page';

export const GET = activeUsersPage;
