import { emergencyReportPage } from '@/lib/sharing/staff-pages';

export const GET = emergencyReportPage;
