import type { OperationOutcome } from '@medplum/fhirtypes';

/** FHIR issue types used here (a subset of http://hl7.org/fhir/issue-type). */
export type IssueCode =
  'invalid' | 'not-found' | 'login' | 'expired' | 'forbidden' | 'not-supported' | 'too-costly' | 'exception' | 'processing' | 'value' | 'security';

/** An error the FHIR API answers with: an HTTP status and an OperationOutcome. */
export class FhirError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 405 | 406 | 410 | 413 | 422 | 500 | 503,
    readonly code: IssueCode,
    message: string,
  ) {
    super(message);
  }
}

/** An OperationOutcome with one issue. */
export function outcome(severity: 'error' | 'information' | 'warning' | 'fatal', code: IssueCode, text: string): OperationOutcome {
  return { resourceType: 'OperationOutcome', issue: [{ severity, code, details: { text } }] };
}
