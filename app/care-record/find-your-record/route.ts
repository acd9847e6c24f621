import { findYourRecordPage } from '@/lib/care-record/pages';

export const GET = findYourRecordPage.GET;
export const POST = findYourRecordPage.POST;
