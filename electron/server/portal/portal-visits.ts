import type { VisitSummaryView } from '../../../shared/api/portal-http';
import { renderNoteText } from '../../../shared/domain/templates';
import { VITAL_KINDS } from '../../../shared/domain/vitals';
import { vitalLines } from '../../../shared/domain/visit-vitals';
import { clinicDate } from '../../../shared/domain/dates';
import type { PortalCatalog } from './portal-catalog';
import { n, s, type Row } from './portal-row';

/**
 * Visit summaries on the portal: signed notes (never drafts), their signed addenda, and the visit's
 * vitals, as the desktop's printed visit summary says them.
 */

/** What rendering a note needs: the note templates. */
type Catalogued = { catalog: PortalCatalog };

/** The vital signs by LOINC code: their kind, label and unit (shared/domain/vitals). */
export const VITAL_BY_LOINC = new Map(Object.entries(VITAL_KINDS).map(([kind, v]) => [v.loinc, { kind, label: v.display, unit: String(v.unit) }]));

function parseContent(v: unknown): Record<string, unknown> {
  if (typeof v !== 'string') return {};
  try {
    const parsed: unknown = JSON.parse(v);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/**
 * Rendered texts of signed notes. A signed note never changes (corrections are addenda, their own
 * rows), so its text is rendered once per server process; keyed by id and content hash all the same.
 */
const renderedNotes = new Map<string, string>();
const RENDERED_NOTES_MAX = 20_000;

/** A note's text as the desktop prints it (its template's rendering), or its fields one per line. */
function noteText(d: Catalogued, note: Row): string {
  const key = `${String(note['id'])}:${s(note['content_hash']) ?? s(note['updated_at']) ?? ''}`;
  const known = renderedNotes.get(key);
  if (known !== undefined) return known;
  const text = renderText(d, note);
  if (renderedNotes.size >= RENDERED_NOTES_MAX) renderedNotes.delete(renderedNotes.keys().next().value!);
  renderedNotes.set(key, text);
  return text;
}

function renderText(d: Catalogued, note: Row): string {
  const content = parseContent(note['content']);
  const template = s(note['template_id']) ? d.catalog.templates.get(String(note['template_id'])) : undefined;
  if (template) {
    try {
      return renderNoteText(template, content)
        .sections.map((sec) => [sec.title, ...sec.lines].join('\n'))
        .join('\n\n');
    } catch {
      // Content from another version of the template: shown field by field below.
    }
  }
  if (typeof content['text'] === 'string') return content['text'];
  return Object.entries(content)
    .filter(([, v]) => typeof v === 'string' || typeof v === 'number')
    .map(([k, v]) => `${k.replace(/[-_]/g, ' ')}: ${String(v)}`)
    .join('\n');
}

/** Signed notes (not addenda), newest first, with their signed addenda appended. */
export function signedNotes(rows: Row[]): { note: Row; addenda: Row[] }[] {
  const signed = rows.filter((r) => r['status'] === 'signed');
  const addenda = new Map<string, Row[]>();
  for (const r of signed) {
    const of = s(r['amends_note_id']);
    if (of) addenda.set(of, [...(addenda.get(of) ?? []), r]);
  }
  return signed
    .filter((r) => !s(r['amends_note_id']))
    .map((note) => ({ note, addenda: (addenda.get(String(note['id'])) ?? []).sort((x, y) => String(x['signed_at']).localeCompare(String(y['signed_at']))) }))
    .sort((x, y) => String(y.note['signed_at']).localeCompare(String(x.note['signed_at'])));
}

/** The vitals taken at each visit, as its summary says them (shared/domain/visit-vitals.ts). */
export function vitalsByEncounter(vitals: Row[]): Map<string, string[]> {
  const out = new Map<string, Row[]>();
  for (const r of vitals) {
    const enc = s(r['encounter_id']);
    if (enc && n(r['value_num']) !== null) out.set(enc, [...(out.get(enc) ?? []), r]);
  }
  const order = Object.keys(VITAL_KINDS);
  const rank = (r: Row): number => order.indexOf(VITAL_BY_LOINC.get(String(r['loinc']))?.kind ?? '');
  return new Map(
    [...out].map(([enc, rows]) => [
      enc,
      vitalLines(
        rows
          .sort((x, y) => rank(x) - rank(y))
          .map((r) => ({
            loinc: String(r['loinc']),
            value: n(r['value_num'])!,
            unit: s(r['unit']) ?? '',
            enteredAs: s(r['entered_as']),
            display: s(r['display']) ?? String(r['loinc']),
            interpretation: s(r['interpretation']),
          })),
      ),
    ]),
  );
}

export function visitViews(
  d: Catalogued,
  notes: { note: Row; addenda: Row[] }[],
  encounters: Map<string, Row>,
  names: Map<string, string>,
  vitals: Map<string, string[]>,
): VisitSummaryView[] {
  return notes.map(({ note, addenda }) => {
    const enc = s(note['encounter_id']) ? encounters.get(String(note['encounter_id'])) : undefined;
    const taken = vitals.get(String(note['encounter_id'] ?? '')) ?? [];
    const who = (r: Row): string | null => names.get(String(r['signed_by'] ?? '')) ?? names.get(String(r['author_id'] ?? '')) ?? null;
    const extra = addenda.map(
      (a) => `Addendum by ${who(a) ?? 'the care team'} (${a['signed_at'] ? clinicDate(String(a['signed_at']), d.catalog.timeZone) : ''}):\n${noteText(d, a)}`,
    );
    return {
      noteId: String(note['id']),
      // The clinic's day of the visit: a 19:30 visit is not dated tomorrow (UTC's date).
      date: clinicDate(s(enc?.['start_at']) ?? s(note['signed_at']) ?? String(note['created_at']), d.catalog.timeZone),
      title: s(note['title']) ?? 'Visit',
      clinician: who(note),
      text: [noteText(d, note), taken.length > 0 ? ['Vitals', ...taken].join('\n') : '', ...extra].filter((t) => t !== '').join('\n\n'),
    };
  });
}
