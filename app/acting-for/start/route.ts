import { startActingAction } from '@/lib/proxy/acting-for-pages';

export const POST = startActingAction;
