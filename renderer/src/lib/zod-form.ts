import type { z } from 'zod';
import type { FieldIssue } from '../../../shared/api/result';

/**
 * A Mantine form `validate` function from the channel's own zod schema, so the form and the
 * backend can never disagree about what is valid.
 */
export function zodValidate<S extends z.ZodType>(schema: S): (values: unknown) => Record<string, string> {
  return (values) => {
    const r = schema.safeParse(values);
    if (r.success) return {};
    const errors: Record<string, string> = {};
    for (const i of r.error.issues) {
      const key = i.path.map(String).join('.');
      errors[key] ??= i.message;
    }
    return errors;
  };
}

/** Backend field issues onto form fields. */
export function issuesToErrors(issues: FieldIssue[] | undefined): Record<string, string> {
  return Object.fromEntries((issues ?? []).filter((i) => i.path).map((i) => [i.path, i.message]));
}
