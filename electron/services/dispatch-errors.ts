import type { z } from 'zod';
import type { FieldIssue } from '../../shared/api/result';

/** zod issues as field issues with dotted paths. */
export function zodIssues(e: z.ZodError): FieldIssue[] {
  return e.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
}

/** One line a person can act on: "birthDate: invalid date …; phone: …". */
export function summarize(issues: FieldIssue[]): string {
  return issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ');
}
