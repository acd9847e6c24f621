import { letterPdfPage } from '@/lib/care-record/pages';

export const GET = letterPdfPage.GET;
