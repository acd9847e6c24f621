import { findByNamePage } from '@/lib/sharing/staff-pages';

export const GET = findByNamePage.GET;
export const POST = findByNamePage.POST;
