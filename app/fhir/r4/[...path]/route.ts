import { fhirRoute } from '@/lib/open-platform/fhir-route';

/** The FHIR R4 API for apps the citizen connected: not a page; answers are FHIR JSON. */
export const GET = fhirRoute;
export const POST = fhirRoute;
