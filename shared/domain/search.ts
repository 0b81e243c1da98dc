import { parseTypedDate } from './dates';

/** How a search box text is read. */
export type SearchQuery = { kind: 'empty' } | { kind: 'birthDate'; date: string } | { kind: 'digits'; digits: string } | { kind: 'text'; terms: string[] };

/**
 * Classifies what a person typed: a birth date (1980-03-04 or 03/04/1980), a run of digits
 * (MRN or phone, punctuation ignored), or name words. Pure, so the renderer can show
 * "searching by birth date" with the same rule the backend uses.
 */
export function classifySearch(text: string): SearchQuery {
  const t = text.trim();
  if (t === '') return { kind: 'empty' };
  const date = parseTypedDate(t);
  if (date) return { kind: 'birthDate', date };
  if (/^[\d\s()+.-]+$/.test(t)) {
    const digits = t.replace(/\D/g, '');
    if (digits.length > 0) return { kind: 'digits', digits };
  }
  // Split on anything that is not a letter or digit in any script, as FTS5's unicode61 tokenizer does.
  const terms = t
    .split(/[^\p{L}\p{N}]+/u)
    .map((s) => s.toLowerCase())
    .filter((s) => s.length > 0)
    .slice(0, 6);
  return terms.length === 0 ? { kind: 'empty' } : { kind: 'text', terms };
}
