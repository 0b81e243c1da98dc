import { describe, expect, it } from 'vitest';
import { FILED_ON_IMPORT_NOTE, fileImportedAsReviewed, IMPORTED_RESULT_REVIEW_DAYS } from '../../../../shared/domain/lab-review';

describe('imported results filed as reviewed', () => {
  const importedAt = '2026-03-31T12:00:00.000Z';
  const daysBefore = (d: number): string => new Date(Date.parse(importedAt) - d * 86_400_000).toISOString();

  it(`files what was collected more than ${IMPORTED_RESULT_REVIEW_DAYS} days before the import; a recent result waits for review`, () => {
    expect(IMPORTED_RESULT_REVIEW_DAYS).toBe(30);
    expect(fileImportedAsReviewed('2019-05-02T08:00:00Z', importedAt)).toBe(true);
    expect(fileImportedAsReviewed(daysBefore(31), importedAt)).toBe(true);
    expect(fileImportedAsReviewed(daysBefore(30), importedAt)).toBe(false);
    expect(fileImportedAsReviewed(daysBefore(3), importedAt)).toBe(false);
    // Collected "after" the import (a clock ahead, a future date in the file): a person looks at it.
    expect(fileImportedAsReviewed(daysBefore(-2), importedAt)).toBe(false);
  });

  it('leaves a result whose time cannot be read for a person', () => {
    expect(fileImportedAsReviewed('not a date', importedAt)).toBe(false);
    expect(fileImportedAsReviewed('2019-05-02', 'garbage')).toBe(false);
  });

  it('says why in the acknowledgement note', () => {
    expect(FILED_ON_IMPORT_NOTE).toContain('more than 30 days before import');
  });
});
