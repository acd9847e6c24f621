import { keepAlive } from '@/lib/identity/keep-alive';

export const POST = keepAlive;
