import { emergencyAccessPage } from '@/lib/sharing/staff-pages';

export const GET = emergencyAccessPage.GET;
export const POST = emergencyAccessPage.POST;
