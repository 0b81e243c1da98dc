import type { ReconcileItemView } from '../../../../shared/api/ccda.contract';
import type { ReconcileSection } from '../../../../shared/domain/records';

/** A section as the chart names it (the heading, and the "Accept all in …" buttons). */
export const SECTION_LABELS: Readonly<Record<ReconcileSection, string>> = {
  problems: 'Problems',
  medications: 'Medications',
  allergies: 'Allergies',
  immunizations: 'Immunizations',
  results: 'Results',
  vitals: 'Vitals',
  encounters: 'Encounters',
  procedures: 'Procedures',
  smoking: 'Smoking status',
  demographics: 'Demographics',
};

/** How an item stands beside the chart, in words and colour. */
export const MATCH_BADGES: Readonly<Record<ReconcileItemView['match'], { label: string; color: string }>> = {
  new: { label: 'New', color: 'blue' },
  same: { label: 'Already in chart', color: 'gray' },
  different: { label: 'Different', color: 'orange' },
};
