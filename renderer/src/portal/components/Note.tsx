import { Alert, type AlertProps } from '@mantine/core';
import type { ReactElement } from 'react';

/**
 * A message that is not an error. Mantine's Alert is role="alert" (interrupting); a confirmation is a
 * polite `status`, a standing explanation a `note`.
 */
export function Note({ kind = 'note', ...props }: AlertProps & { kind?: 'status' | 'note' }): ReactElement {
  return <Alert role={kind} color={kind === 'status' ? 'teal' : 'blue'} my="sm" {...props} />;
}
