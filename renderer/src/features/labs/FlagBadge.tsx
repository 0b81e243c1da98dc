import { Badge } from '@mantine/core';
import type { CSSProperties, ReactElement } from 'react';
import type { Severity } from '../../../../shared/domain/lab-review';
import { ABNORMAL_FLAGS } from '../../../../shared/domain/lab-results';

const COLOR: Record<Severity, string> = { critical: 'red', abnormal: 'orange', normal: 'gray' };

/** An abnormal flag (H, LL, AA…) with its meaning on hover; critical values in solid red. */
export function FlagBadge({ flag, severity }: { flag: string | null; severity: Severity }): ReactElement | null {
  if (!flag || flag === 'N') return null;
  const title = (ABNORMAL_FLAGS as Record<string, string>)[flag] ?? flag;
  return (
    <Badge color={COLOR[severity]} variant={severity === 'critical' ? 'filled' : 'light'} title={title} data-testid={`flag-${severity}`}>
      {flag}
    </Badge>
  );
}

/** The background of a critical row: the eye goes there first. */
export const criticalRow = (severity: Severity): CSSProperties | undefined =>
  severity === 'critical' ? { backgroundColor: 'var(--mantine-color-red-1)' } : undefined;
