import { addPage } from '@/lib/blood-pressure/pages';

export const { GET, POST } = addPage;
