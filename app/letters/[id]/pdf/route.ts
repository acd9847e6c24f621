import { letterPdf } from '@/lib/letters/pages';

export const GET = letterPdf;
