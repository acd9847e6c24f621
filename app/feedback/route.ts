import { feedbackPage } from '@/lib/feedback/feedback-page';

const page = feedbackPage();

export const GET = page.GET;
export const POST = page.POST;
