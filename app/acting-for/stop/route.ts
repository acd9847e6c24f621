import { stopActingAction } from '@/lib/proxy/acting-for-pages';

export const POST = stopActingAction;
