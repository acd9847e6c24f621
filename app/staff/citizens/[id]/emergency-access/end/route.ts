import { endEmergencyAccessPage } from '@/lib/sharing/staff-pages';

export const POST = endEmergencyAccessPage;
