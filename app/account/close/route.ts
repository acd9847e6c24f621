import { closeAccountPage } from '@/lib/identity/close-account-pages';

export const { GET, POST } = closeAccountPage;
