/**
 * Prescribing checks: drug–drug, drug–allergy, duplicate therapy and dose range, computed offline
 * from the knowledge in resources/drugs (callers load and parse the files and pass them in).
 *
 * The checks only see what is coded. Anything they could not check (free-text medications,
 * allergies that match nothing in the catalogue) is returned by name in `uncodedNotChecked`, so the
 * UI can say so plainly instead of implying "no alerts" means "safe".
 */

export * from './check.types';
export { indexKnowledge } from './knowledge-index';
export * from './checks';
