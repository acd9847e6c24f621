import { authRoute } from '@/lib/identity/next-auth-flow';

export const GET = authRoute;
