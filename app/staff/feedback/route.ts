import { staffFeedbackPage } from '@/lib/feedback/staff-pages';

export const GET = staffFeedbackPage;
