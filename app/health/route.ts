import { checkDatabase } from '@/lib/platform/db';

/** For the load balancer and monitoring: is this instance able to serve, including its database? */
export async function GET(): Promise<Response> {
  const database = await checkDatabase();
  return Response.json(
    { status: database ? 'ok' : 'unavailable', checks: { database: database ? 'ok' : 'unavailable' } },
    { status: database ? 200 : 503, headers: { 'cache-control': 'no-store' } },
  );
}
