import { findByNhsNumberPage } from '@/lib/sharing/staff-pages';

export const GET = findByNhsNumberPage.GET;
export const POST = findByNhsNumberPage.POST;
