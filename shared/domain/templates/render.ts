import { z } from 'zod';
import { INSTRUMENTS, answeredCount, scoreInstrument } from '../instruments';
import {
  blank,
  isEmptyValue,
  noteContentSchema,
  valueShape,
  type ExamValue,
  type FieldValue,
  type InstrumentValue,
  type LesionValue,
  type NoteContent,
  type RosValue,
} from './content.schema';
import type { Field, FieldOfKind, NoteTemplate } from './template.schema';
import { fmt, withUnit } from './units';
import { LESION_VALUE_LABELS, ROS_SYSTEM_LABELS, type RosStatus, type RosSystemId } from './vocabulary';

// Rendering to plain text (signed note view, printable PDF).

export interface RenderedNote {
  title: string;
  sections: { title: string; lines: string[] }[];
}

/** Whitespace (newlines included) collapsed to single spaces. */
const inline = (s: string): string => s.trim().replace(/\s+/g, ' ');
/** Ends with a full stop unless it already ends with punctuation. */
const sentence = (s: string): string => (/[.!?]$/.test(s) ? s : `${s}.`);

/** What each ROS system reads as, the "all others negative" switch applied. */
export function resolveRos(
  f: FieldOfKind<'ros'>,
  value: RosValue,
): { system: RosSystemId; label: string; status: RosStatus; text: string; implied: boolean }[] {
  return f.systems.map((system) => {
    const e = value.systems[system];
    const stated = e?.status ?? 'not_reviewed';
    const implied = stated === 'not_reviewed' && value.allOthersNegative;
    return { system, label: ROS_SYSTEM_LABELS[system], status: implied ? 'negative' : stated, text: inline(e?.text ?? ''), implied };
  });
}

function findingSentence(name: string, status: string, text: string): string {
  return sentence(text ? `${name}: ${status} — ${text}` : `${name}: ${status}`);
}

function renderRos(f: FieldOfKind<'ros'>, value: RosValue): string[] {
  const systems = resolveRos(f, value);
  const stated = systems.filter((s) => !s.implied && s.status !== 'not_reviewed').map((s) => findingSentence(s.label, s.status, s.text));
  const anyImplied = systems.some((s) => s.implied);
  if (anyImplied) stated.push(stated.length === 0 ? 'All systems negative.' : 'All other systems negative.');
  return stated.length === 0 ? [] : [`${f.label}: ${stated.join(' ')}`];
}

function renderExam(f: FieldOfKind<'exam'>, value: ExamValue): string[] {
  const parts = f.systems.flatMap((s) => {
    const e = Object.hasOwn(value.systems, s.id) ? value.systems[s.id] : undefined;
    if (!e || e.status === 'not_examined') return [];
    return [findingSentence(s.label, e.status, inline(e.text ?? ''))];
  });
  return parts.length === 0 ? [] : [`${f.label}: ${parts.join(' ')}`];
}

function renderInstrument(f: FieldOfKind<'instrument'>, value: InstrumentValue): string[] {
  const def = INSTRUMENTS[f.instrument];
  const result = scoreInstrument(f.instrument, value.answers);
  const n = answeredCount(value.answers);
  const lines: string[] = [];
  if (result.score !== null && result.severity !== null) lines.push(`${def.shortName}: ${result.score} (${result.severity} ${def.construct})`);
  else if (n > 0) lines.push(`${def.shortName}: incomplete, ${n} of ${def.items.length} items answered (not scored)`);
  for (const flag of result.flags) lines.push(`${def.shortName} ${flag}`);
  if (value.difficulty !== undefined) {
    const opt = def.difficultyOptions.find((o) => o.value === value.difficulty);
    if (opt) lines.push(`${def.shortName} functional difficulty: ${opt.label.toLowerCase()}`);
  }
  return lines;
}

const lesionWord = (v: string): string => LESION_VALUE_LABELS[v] ?? v;

function renderLesions(f: FieldOfKind<'lesion'>, lesions: LesionValue[]): string[] {
  const sites = new Map(f.bodySites.map((s) => [s.value, s.label]));
  const filled = lesions.filter(
    (l) =>
      l.bodySite !== undefined ||
      l.lengthMm !== undefined ||
      l.widthMm !== undefined ||
      l.morphology !== undefined ||
      l.color !== undefined ||
      l.border !== undefined ||
      !blank(l.description),
  );
  return filled.map((l, i) => {
    const site = l.bodySite !== undefined ? (sites.get(l.bodySite) ?? l.bodySite) : 'site not recorded';
    const size =
      l.lengthMm !== undefined && l.widthMm !== undefined
        ? `${fmt(l.lengthMm)} × ${fmt(l.widthMm)} mm`
        : l.lengthMm !== undefined || l.widthMm !== undefined
          ? `${fmt(l.lengthMm ?? l.widthMm ?? 0)} mm`
          : undefined;
    const features = [
      l.morphology,
      size,
      l.color !== undefined ? lesionWord(l.color) : undefined,
      l.border !== undefined ? `${lesionWord(l.border)} border` : undefined,
    ].filter((x): x is string => x !== undefined);
    let line = `Lesion ${i + 1}: ${site}`;
    if (features.length > 0) line += ` — ${features.join(', ')}`;
    if (!blank(l.description)) line += `; ${inline(l.description ?? '')}`;
    return sentence(line);
  });
}

/** A textarea's paragraphs: first line after the label, later lines as they are (runs of blank lines kept as one). */
function renderMultiline(labelText: string, value: string): string[] {
  const raw = value.split(/\r?\n/).map((l) => l.trimEnd());
  while (raw.length > 0 && raw[0]?.trim() === '') raw.shift();
  while (raw.length > 0 && raw[raw.length - 1]?.trim() === '') raw.pop();
  const lines: string[] = [];
  for (const l of raw) if (!(l === '' && lines[lines.length - 1] === '')) lines.push(l);
  const [first = '', ...rest] = lines;
  return [`${labelText}: ${first.trim()}`, ...rest];
}

function renderField(f: Field, raw: FieldValue | undefined): string[] {
  if (raw === undefined || isEmptyValue(f, raw)) return [];
  switch (f.kind) {
    case 'text':
      return [`${f.label}: ${inline(valueShape.text.parse(raw))}`];
    case 'textarea':
      return renderMultiline(f.label, valueShape.textarea.parse(raw));
    case 'number':
      return [`${f.label}: ${withUnit(valueShape.number.parse(raw), f.unit)}`];
    case 'select': {
      const v = valueShape.select.parse(raw);
      return [`${f.label}: ${f.options.find((o) => o.value === v)?.label ?? v}`];
    }
    case 'multiselect': {
      const vs = valueShape.multiselect.parse(raw);
      return [`${f.label}: ${vs.map((v) => f.options.find((o) => o.value === v)?.label ?? v).join(', ')}`];
    }
    case 'checkbox':
      return [`${f.label}: yes`];
    case 'date':
      return [`${f.label}: ${valueShape.date.parse(raw)}`];
    case 'ros':
      return renderRos(f, valueShape.ros.parse(raw));
    case 'exam':
      return renderExam(f, valueShape.exam.parse(raw));
    case 'instrument':
      return renderInstrument(f, valueShape.instrument.parse(raw));
    case 'lesion':
      return renderLesions(f, valueShape.lesion.parse(raw));
  }
}

/**
 * The schema a stored note is read back with, built once per loaded template: building it (one zod
 * schema per field) costs far more than checking a note with it, and a chart shows many notes.
 */
const viewSchemas = new WeakMap<NoteTemplate, z.ZodType<NoteContent>>();
function viewSchema(template: NoteTemplate): z.ZodType<NoteContent> {
  let schema = viewSchemas.get(template);
  if (!schema) {
    schema = noteContentSchema(template, { forSigning: false });
    viewSchemas.set(template, schema);
  }
  return schema;
}

/**
 * Plain, readable text of a note for the signed view and the PDF: one entry per section that has
 * something to say, one line per filled field (empty fields and empty sections are skipped).
 * Takes stored content as read back (it is validated here first) and throws when it does not fit
 * the template (it was validated on save, so that is corruption or the wrong template version).
 */
export function renderNoteText(template: NoteTemplate, content: NoteContent | Readonly<Record<string, unknown>>): RenderedNote {
  const checked = viewSchema(template).safeParse(content);
  if (!checked.success) {
    throw new Error(`note content does not fit template "${template.id}" version ${template.version}:\n${z.prettifyError(checked.error)}`);
  }
  const data = checked.data;
  const sections = template.sections
    .map((s) => ({
      title: s.title,
      lines: s.fields.flatMap((f) => renderField(f, Object.hasOwn(data, f.id) ? data[f.id] : undefined)),
    }))
    .filter((s) => s.lines.length > 0);
  return { title: template.title, sections };
}
