import type { OperationOutcome, OperationOutcomeIssue } from '@medplum/fhirtypes';

/**
 * Every refusal of the FHIR API is an OperationOutcome: one issue per problem, severity error,
 * with a FHIR issue type code and words an app's developer (and, for a reading the form's
 * rules refuse, the citizen) can act on. Nothing in them says whether another citizen's
 * information exists.
 */

export type FhirResponse = { status: number; body: unknown; headers?: Record<string, string> };

/** The issue types we use (FHIR R4 issue-type, a required binding). */
export type IssueCode = OperationOutcomeIssue['code'];

export type Issue = { code: IssueCode; diagnostics: string; expression?: string };

export function outcomeResource(issues: readonly Issue[]): OperationOutcome {
  return {
    resourceType: 'OperationOutcome',
    issue: issues.map((issue) => ({
      severity: 'error',
      code: issue.code,
      diagnostics: issue.diagnostics,
      ...(issue.expression ? { expression: [issue.expression] } : {}),
    })),
  };
}

/** One problem as an answer with this status. */
export function operationOutcome(status: number, code: string, diagnostics: string): FhirResponse {
  return { status, body: outcomeResource([{ code: code as IssueCode, diagnostics }]) };
}

/**
 * Thrown anywhere under handleFhir to refuse the request; handleFhir answers with its
 * OperationOutcome. `headers`: for example Allow with a 405.
 */
export class FhirError extends Error {
  readonly issues: readonly Issue[];
  constructor(
    readonly status: number,
    issues: Issue | readonly Issue[],
    readonly headers?: Record<string, string>,
  ) {
    const list = Array.isArray(issues) ? (issues as readonly Issue[]) : [issues as Issue];
    super(list.map((issue) => issue.diagnostics).join('; '));
    this.name = 'FhirError';
    this.issues = list;
  }

  response(): FhirResponse {
    return { status: this.status, body: outcomeResource(this.issues), ...(this.headers ? { headers: this.headers } : {}) };
  }
}

/** The refusals the API gives, each with its status and issue type. */
export const refuse = {
  invalid: (diagnostics: string, expression?: string) => new FhirError(400, { code: 'invalid', diagnostics, expression }),
  notSupported: (diagnostics: string) => new FhirError(400, { code: 'not-supported', diagnostics }),
  forbidden: (diagnostics: string) => new FhirError(403, { code: 'forbidden', diagnostics }),
  /** The same words for an id that never existed and another citizen's: nothing is revealed. */
  notFound: (type: string, id: string) => new FhirError(404, { code: 'not-found', diagnostics: `${type}/${id} is not known` }),
  unknownType: (type: string) => new FhirError(404, { code: 'not-supported', diagnostics: `${type} is not a resource type this server has` }),
  method: (method: string, allow: readonly string[]) =>
    new FhirError(405, { code: 'not-supported', diagnostics: `${method} is not allowed here: use ${allow.join(' or ')}` }, { allow: allow.join(', ') }),
  tooLarge: (limit: number) => new FhirError(413, { code: 'too-costly', diagnostics: `The request body is too large: send at most ${limit / 1024} KB` }),
  mediaType: (expected: string) => new FhirError(415, { code: 'not-supported', diagnostics: `Send the body as ${expected}` }),
  /** Several problems with what was sent: 400 when it is not a sound resource, 422 when it breaks our rules. */
  badRequest: (issues: readonly Issue[]) => new FhirError(400, issues),
  unprocessable: (issues: readonly Issue[]) => new FhirError(422, issues),
  unavailable: (diagnostics: string) => new FhirError(503, { code: 'transient', diagnostics }, { 'retry-after': '60' }),
};
