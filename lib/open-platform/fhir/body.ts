import { refuse } from './outcome';

/** The most a request body may hold: a blood pressure Observation is well under 4 KB. */
export const MAX_BODY_BYTES = 64 * 1024;

const JSON_TYPES = ['application/fhir+json', 'application/json'];

/** The media type without its parameters (charset, fhirVersion), in lower case. */
const mediaTypeOf = (contentType: string | null | undefined) => (contentType ?? '').split(';')[0]!.trim().toLowerCase();

/**
 * The resource a create sends, in the order a server should refuse it: too big (413), not FHIR
 * JSON (415), not JSON or not one JSON object (400), not the resource type of the address (400).
 */
export function readResource(body: string | undefined, contentType: string | null | undefined, type: string): Record<string, unknown> {
  if (body !== undefined && Buffer.byteLength(body, 'utf8') > MAX_BODY_BYTES) throw refuse.tooLarge(MAX_BODY_BYTES);
  if (!JSON_TYPES.includes(mediaTypeOf(contentType))) throw refuse.mediaType('application/fhir+json');
  if (body === undefined || body.trim() === '') throw refuse.invalid(`The request has no body: send a ${type} resource as JSON`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw refuse.invalid('The body is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw refuse.invalid(`The body must be one ${type} resource, as a JSON object`);
  const resourceType = (parsed as { resourceType?: unknown }).resourceType;
  if (resourceType !== type) {
    throw refuse.invalid(
      `resourceType must be ${type} at this address${typeof resourceType === 'string' ? `, not ${resourceType.slice(0, 64)}` : ''}`,
      'resourceType',
    );
  }
  return parsed as Record<string, unknown>;
}

/** The form a POST search sends (`<Type>/_search`): application/x-www-form-urlencoded, at most MAX_BODY_BYTES. */
export function readSearchForm(body: string | undefined, contentType: string | null | undefined): URLSearchParams {
  if (body !== undefined && Buffer.byteLength(body, 'utf8') > MAX_BODY_BYTES) throw refuse.tooLarge(MAX_BODY_BYTES);
  if (body !== undefined && body.trim() !== '' && mediaTypeOf(contentType) !== 'application/x-www-form-urlencoded') {
    throw refuse.mediaType('application/x-www-form-urlencoded');
  }
  return new URLSearchParams(body ?? '');
}
