import { describe, expect, it } from 'vitest';
import type { OperationOutcome } from '@medplum/fhirtypes';
import { r4Problems } from '@/lib/platform/testing/fhir-validation';
import { operationOutcome, refuse } from './outcome';

describe('OperationOutcome', () => {
  it('is a valid R4 resource with one error issue', async () => {
    const response = operationOutcome(404, 'not-found', 'Observation/x is not known');
    expect(response).toEqual({
      status: 404,
      body: { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'not-found', diagnostics: 'Observation/x is not known' }] },
    });
    expect(await r4Problems(response.body as OperationOutcome)).toEqual([]);
  });

  it('carries every refusal the API makes, each valid, with its status and headers', async () => {
    const refusals = [
      [refuse.invalid('bad', 'Observation.status'), 400],
      [refuse.notSupported('no'), 400],
      [refuse.forbidden('no'), 403],
      [refuse.notFound('Observation', 'x'), 404],
      [refuse.unknownType('Banana'), 404],
      [refuse.method('DELETE', ['GET', 'POST']), 405],
      [refuse.tooLarge(65536), 413],
      [refuse.mediaType('application/fhir+json'), 415],
      [
        refuse.unprocessable([
          { code: 'business-rule', diagnostics: 'a' },
          { code: 'value', diagnostics: 'b' },
        ]),
        422,
      ],
      [refuse.unavailable('later'), 503],
    ] as const;
    for (const [error, status] of refusals) {
      const response = error.response();
      expect(response.status).toBe(status);
      expect(await r4Problems(response.body as OperationOutcome), error.message).toEqual([]);
    }
    expect(refuse.method('DELETE', ['GET', 'POST']).response().headers).toEqual({ allow: 'GET, POST' });
    expect(refuse.tooLarge(65536).message).toContain('64 KB');
    expect((refuse.invalid('bad', 'Observation.status').response().body as OperationOutcome).issue[0]!.expression).toEqual(['Observation.status']);
  });
});
