import { staffFeedbackCsv } from '@/lib/feedback/staff-pages';

export const GET = staffFeedbackCsv;
