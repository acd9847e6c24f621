import type { CapabilityStatement, CapabilityStatementRestResource } from '@medplum/fhirtypes';
import { config } from '@/lib/platform/config';
import { RESOURCES } from './resources';

/**
 * What /fhir/r4/metadata says: FHIR R4 in JSON, SMART App Launch v2 with the authorisation
 * server's addresses, and for each resource type what can be done and searched (from the
 * same list the router uses).
 */

/** When what this statement says last changed. */
const STATEMENT_DATE = '2026-12-02';

const OAUTH_URIS = 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris';

function resourceCapability(type: string): CapabilityStatementRestResource {
  const routes = RESOURCES[type]!;
  const interactions = [
    ...(routes.read ? [{ code: 'read' as const }] : []),
    ...(routes.search ? [{ code: 'search-type' as const }] : []),
    ...(routes.create ? [{ code: 'create' as const }] : []),
  ];
  return {
    type: type as CapabilityStatementRestResource['type'],
    documentation: routes.documentation,
    interaction: interactions,
    versioning: 'no-version',
    readHistory: false,
    updateCreate: false,
    searchParam: routes.searchParameters.map((parameter) => ({ ...parameter })),
  };
}

export function capabilityStatement(baseUrl: string, oauth: { authorize: string; token: string; revoke: string }): CapabilityStatement {
  const { name: serviceName, organisationName } = config().service;
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: STATEMENT_DATE,
    publisher: organisationName,
    kind: 'instance',
    implementation: { description: `${serviceName}: the FHIR API for apps a citizen connects to their record`, url: baseUrl },
    fhirVersion: '4.0.1',
    format: ['application/fhir+json', 'json'],
    rest: [
      {
        mode: 'server',
        documentation:
          'Each access token is for one citizen, with the scopes they agreed to; only their own record can be reached. Every read, search and create is recorded and shown to the citizen. Errors are OperationOutcomes.',
        security: {
          extension: [
            {
              url: OAUTH_URIS,
              extension: [
                { url: 'authorize', valueUri: oauth.authorize },
                { url: 'token', valueUri: oauth.token },
                { url: 'revoke', valueUri: oauth.revoke },
              ],
            },
          ],
          service: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/restful-security-service', code: 'SMART-on-FHIR' }] }],
          description: 'SMART App Launch v2 (OAuth 2.0 with PKCE); scopes patient/<Type>.<cruds>.',
        },
        resource: Object.keys(RESOURCES).map(resourceCapability),
      },
    ],
  };
}
