import type { Db } from '@/lib/platform/db';
import { log } from '@/lib/platform/log';
import { readSearchForm } from './body';
import type { ApiCaller, FhirContext, FhirRequest, FhirServices } from './context';
import { FhirError, refuse, type FhirResponse } from './outcome';
import { RESOURCES } from './resources';

/**
 * The FHIR R4 API's resource layer: a request from an app (already authenticated by its access
 * token, lib/open-platform/fhir-route.ts) in, a FHIR answer out. Each app reaches only the
 * record of the citizen who connected it, with the scopes they agreed to; every refusal is an
 * OperationOutcome (400, 403, 404, 405, 413, 415, 422), never a 500 for what was sent; the
 * care record's resources, when the care record cannot answer, are a 503 (care-record.ts).
 *
 * Addresses: `<Type>` (GET search, POST create), `<Type>/_search` (POST search, as a form),
 * `<Type>/<id>` (GET read). History, operations and other methods are refused.
 */

export type { ApiCaller, FhirRequest, FhirServices } from './context';
export type { FhirResponse } from './outcome';
export { operationOutcome } from './outcome';
export { capabilityStatement } from './capability-statement';

async function route(context: FhirContext): Promise<FhirResponse> {
  const { method, path, query, body, contentType } = context.request;
  if (method !== 'GET' && method !== 'POST') throw refuse.method(method, ['GET', 'POST']);
  const [type, id, ...rest] = path;
  if (type === undefined) throw refuse.notSupported('Name a resource type, like Observation: this server has no whole-system interactions');
  const routes = Object.hasOwn(RESOURCES, type) ? RESOURCES[type] : undefined;
  if (!routes) throw refuse.unknownType(type);

  if (id === undefined) {
    if (method === 'GET' && routes.search) return routes.search(context, query);
    if (method === 'POST' && routes.create) return routes.create(context);
    throw refuse.method(method, [...(routes.search ? ['GET'] : []), ...(routes.create ? ['POST'] : [])]);
  }
  if (id === '_search' && rest.length === 0) {
    if (method !== 'POST' || !routes.search) throw refuse.method(method, ['POST']);
    // A POST search's parameters are in its form, and may be in its address too.
    const form = readSearchForm(body, contentType);
    return routes.search(context, new URLSearchParams([...query, ...form]));
  }
  if (rest.length > 0) throw refuse.notSupported(`${path.join('/')}: history and operations are not supported`);
  if (method !== 'GET' || !routes.read) throw refuse.method(method, ['GET']);
  return routes.read(context, id);
}

export async function handleFhir(db: Db, caller: ApiCaller, request: FhirRequest, services: FhirServices = {}): Promise<FhirResponse> {
  try {
    return await route({ db, caller, request, ...services });
  } catch (error) {
    if (!(error instanceof FhirError)) throw error;
    // The app and what was refused, never the citizen or what they hold.
    log.info('fhir-api-refused', { appId: caller.appId, method: request.method, resourceType: request.path[0]?.slice(0, 64), status: error.status });
    return error.response();
  }
}
