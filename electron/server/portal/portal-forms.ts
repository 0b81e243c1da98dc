import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { z } from 'zod';
import type { FormDue } from '../../../shared/api/portal-http';
import { isIsoDate } from '../../../shared/domain/dates';
import { INSTRUMENTS, scoreInstrument, type InstrumentAnswer } from '../../../shared/domain/instruments';
import {
  intakeFormFile,
  reportedAddress,
  reportedAllergy,
  reportedInsurance,
  reportedMedication,
  type FormQuestion,
  type IntakeForm,
  type PortalSettings,
  type ReportedKind,
} from '../../../shared/domain/portal';
import type { Sql } from '../db/open';
import { serverLogger } from '../logging';
import { ServerError } from '../server-error';

/**
 * The portal's intake forms (resources/portal/forms/*.json) and settings
 * (resources/portal/portal-settings.json): loading them, which forms a patient is asked to fill in
 * before their visits, and checking a patient's answers against each question's type, turning them
 * into the patient-reported items staff review at check-in.
 */

/** What a broken data file is reported to (the server log by default). */
export type Warn = (message: string) => void;
const logWarn: Warn = (message) => serverLogger().warn({ event: 'portal.data_file' }, message);

const issuesText = (e: z.ZodError): string => e.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`).join('; ');

/** What the schema cannot say: ids unique and named like the file, choices where needed, instruments whole and in their published wording. */
export function formProblems(form: IntakeForm, fileName: string): string[] {
  const out: string[] = [];
  if (`${form.id}.json` !== fileName) out.push(`its id "${form.id}" must be its file name (${form.id}.json)`);
  const seen = new Set<string>();
  for (const q of form.questions) {
    if (seen.has(q.id)) out.push(`question "${q.id}" is listed twice`);
    seen.add(q.id);
    if (q.type === 'choice' && (q.choices ?? []).length < 2) out.push(`question "${q.id}" is a choice with fewer than 2 choices`);
    if (q.chartField !== undefined && q.chartField !== q.type) out.push(`question "${q.id}" of type ${q.type} cannot update the chart's ${q.chartField}`);
    if (q.type !== 'instrument') continue;
    const def = q.instrument ? INSTRUMENTS[q.instrument] : undefined;
    if (!def) {
      out.push(`question "${q.id}" is an instrument without "instrument" (phq9 or gad7)`);
      continue;
    }
    const items = q.items ?? [];
    if (items.length !== def.items.length) out.push(`question "${q.id}" gives ${items.length} items; ${def.shortName} has ${def.items.length}`);
    items.forEach((it, i) => {
      if (def.items[i] !== undefined && it.en !== def.items[i]) out.push(`question "${q.id}" item ${i + 1} is not ${def.shortName}'s published wording`);
    });
    const values = (q.choices ?? []).map((c) => c.value).join(',');
    if (values !== '0,1,2,3') out.push(`question "${q.id}" must offer the four answers "0", "1", "2", "3" as its choices`);
  }
  return out;
}

/** Every valid form by id. A broken file is logged by name and skipped; the others still load. */
export function loadForms(resourcesDir: string, warn: Warn = logWarn): Map<string, IntakeForm> {
  const dir = join(resourcesDir, 'portal', 'forms');
  const out = new Map<string, IntakeForm>();
  let names: string[];
  try {
    names = readdirSync(dir)
      .filter((n) => n.endsWith('.json'))
      .sort();
  } catch (e) {
    warn(`no intake forms: ${dir} could not be read (${(e as Error).message})`);
    return out;
  }
  for (const name of names) {
    try {
      const parsed = intakeFormFile.safeParse(JSON.parse(readFileSync(join(dir, name), 'utf8')));
      if (!parsed.success) {
        warn(`intake form ${name} skipped: ${issuesText(parsed.error)}`);
        continue;
      }
      const problems = formProblems(parsed.data, basename(name));
      if (problems.length > 0) warn(`intake form ${name} skipped: ${problems.join('; ')}`);
      else out.set(parsed.data.id, parsed.data);
    } catch (e) {
      warn(`intake form ${name} skipped: ${(e as Error).message}`);
    }
  }
  return out;
}

/** What formsDue needs (a PortalDeps has it). */
export interface FormsDeps {
  sync: { db: Sql };
  settings: PortalSettings;
  forms: Map<string, IntakeForm>;
  now: () => number;
}

/**
 * The forms asked for each of the patient's upcoming visits (by the visit's type, and "*" for
 * every type), in visit order, each with when it was last sent for that visit (null: not yet).
 */
export async function formsDue(deps: FormsDeps, patientId: string): Promise<FormDue[]> {
  const visits = await deps.sync.db.query<{ id: string; type: string; start: string }>(
    `SELECT entity_id AS id, data->>'appointment_type' AS type, data->>'start_at' AS start FROM sync_rows
     WHERE entity = 'appointment' AND patient_id = $1 AND data->>'status' = 'scheduled' AND data->>'deleted_at' IS NULL
       AND (data->>'start_at')::timestamptz > $2::timestamptz
     ORDER BY (data->>'start_at')::timestamptz, entity_id`,
    [patientId, new Date(deps.now()).toISOString()],
  );
  if (visits.length === 0) return [];
  const sent = await deps.sync.db.query<{ form: string; appointment: string | null; at: string }>(
    `SELECT data->>'form_id' AS form, data->>'appointment_id' AS appointment, max(data->>'submitted_at') AS at FROM sync_rows
     WHERE entity = 'patient_reported_item' AND patient_id = $1 AND data->>'deleted_at' IS NULL GROUP BY 1, 2`,
    [patientId],
  );
  const sentAt = new Map(sent.map((s) => [`${s.form}\u0000${s.appointment ?? ''}`, s.at]));
  const out: FormDue[] = [];
  for (const v of visits) {
    const ids = [...new Set([...(deps.settings.intake['*'] ?? []), ...(deps.settings.intake[v.type] ?? [])])];
    for (const formId of ids) {
      const form = deps.forms.get(formId);
      if (!form) continue;
      out.push({ formId, title: form.title, appointmentId: v.id, appointmentStart: v.start, submittedAt: sentAt.get(`${formId}\u0000${v.id}`) ?? null });
    }
  }
  return out;
}

// ---- Answers ------------------------------------------------------------------------------------

/** One patient-reported item before it becomes a row: what it is, the question's label, its value as JSON. */
export interface ReportedDraft {
  itemId: string;
  kind: ReportedKind;
  label: string;
  value: unknown;
}

const TEXT_MAX = { text: 500, longtext: 4000 } as const;
const LIST_MAX = 50;
const PHONE = /^\+?[0-9 ().-]{7,25}$/;

function refuse(q: FormQuestion, what: string): never {
  throw new ServerError(400, 'invalid_answer', `"${q.label.en}": ${what}`);
}

/** A value shaped by a zod schema, or a refusal naming the question and the part that is wrong. */
function shaped<T>(q: FormQuestion, schema: z.ZodType<T>, v: unknown, hint: string): T {
  const r = schema.safeParse(v);
  if (r.success) return r.data;
  const first = r.error.issues[0];
  const where = first && first.path.length > 0 ? ` (${first.path.join('.')}: ${first.message})` : '';
  return refuse(q, `${hint}${where}`);
}

const isBlank = (v: unknown): boolean => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

function textAnswer(q: FormQuestion, v: unknown, max: number): string {
  if (typeof v !== 'string') return refuse(q, 'the answer must be text');
  const t = v.trim();
  if (t.length > max) return refuse(q, `the answer is ${t.length} characters long; at most ${max} are accepted`);
  return t;
}

/** An instrument's answers: one 0–3 per item, every item answered (a partial questionnaire cannot be scored). */
function instrumentDraft(q: FormQuestion, v: unknown): ReportedDraft {
  const def = INSTRUMENTS[q.instrument!];
  if (!Array.isArray(v)) return refuse(q, `give one answer per ${def.shortName} question (0, 1, 2 or 3)`);
  if (v.length !== def.items.length) return refuse(q, `${def.shortName} has ${def.items.length} questions; ${v.length} answers were sent`);
  const answers = v.map((a: unknown, i): InstrumentAnswer => {
    const n = typeof a === 'string' && /^\d$/.test(a) ? Number(a) : a;
    if (n === 0 || n === 1 || n === 2 || n === 3) return n;
    const item = q.items?.[i]?.en ?? def.items[i]!;
    const got = a === null || a === undefined ? 'no answer' : JSON.stringify(a).slice(0, 20);
    throw new ServerError(400, 'invalid_answer', `${def.shortName} question ${i + 1} ("${item}"): choose one of the four answers (0, 1, 2 or 3); got ${got}`);
  });
  const s = scoreInstrument(def.id, answers);
  const flags = s.flags;
  return {
    itemId: q.id,
    kind: 'score',
    label: `${def.shortName} total${flags.length > 0 ? ` (${flags.join('; ')})` : ''}`,
    value: { instrument: def.id, answers, total: s.score, severity: s.severity, flags },
  };
}

function listDrafts(q: FormQuestion, v: unknown, kind: 'medication' | 'allergy'): ReportedDraft[] {
  if (!Array.isArray(v)) return refuse(q, 'the answer must be a list (an empty list says there are none)');
  if (v.length > LIST_MAX) return refuse(q, `at most ${LIST_MAX} entries are accepted; bring a longer list to the visit`);
  const schema: z.ZodType<object> = kind === 'medication' ? reportedMedication : reportedAllergy;
  const what = kind === 'medication' ? 'each medicine needs its name (dose and how often are optional)' : 'each allergy needs what you are allergic to';
  const entries = v.map((e: unknown, i) => shaped(q, schema, e, `entry ${i + 1}: ${what}`));
  if (entries.length === 0) return [{ itemId: q.id, kind: 'answer', label: q.label.en, value: kind === 'medication' ? 'none taken' : 'no known allergies' }];
  return entries.map((value, i) => ({ itemId: `${q.id}-${i + 1}`, kind, label: q.label.en, value }));
}

/** A demographic question updates a chart field if staff accept it; without one it is kept as an answer. */
function demographic(q: FormQuestion, value: unknown): ReportedDraft {
  return q.chartField
    ? { itemId: q.id, kind: 'demographics', label: q.label.en, value: { field: q.chartField, value } }
    : { itemId: q.id, kind: 'answer', label: q.label.en, value };
}

function draftsFor(q: FormQuestion, v: unknown): ReportedDraft[] {
  const answer = (value: unknown): ReportedDraft[] => [{ itemId: q.id, kind: 'answer', label: q.label.en, value }];
  switch (q.type) {
    case 'text':
    case 'longtext':
      return answer(textAnswer(q, v, TEXT_MAX[q.type]));
    case 'date': {
      const t = textAnswer(q, v, 10);
      return isIsoDate(t) ? answer(t) : refuse(q, 'enter a real date as YYYY-MM-DD');
    }
    case 'yesno':
      if (v === true || v === 'yes') return answer('yes');
      if (v === false || v === 'no') return answer('no');
      return refuse(q, 'answer yes or no');
    case 'choice': {
      const c = (q.choices ?? []).find((x) => x.value === v);
      return c ? answer(c.label.en) : refuse(q, `choose one of: ${(q.choices ?? []).map((x) => x.label.en).join(', ')}`);
    }
    case 'phone': {
      const t = textAnswer(q, v, 25);
      const digits = t.replace(/\D/g, '').length;
      return PHONE.test(t) && digits >= 7 && digits <= 15 ? [demographic(q, t)] : refuse(q, 'enter a phone number with its area code, like 555-201-0142');
    }
    case 'email':
      return [demographic(q, shaped(q, z.email().max(200), typeof v === 'string' ? v.trim() : v, 'enter an email address like name@example.com'))];
    case 'address':
      return [demographic(q, shaped(q, reportedAddress, v, 'give the street, city, state and postal code'))];
    case 'insurance':
      return [
        { itemId: q.id, kind: 'insurance', label: q.label.en, value: shaped(q, reportedInsurance, v, 'give the insurer and the member id on your card') },
      ];
    case 'medications':
      return listDrafts(q, v, 'medication');
    case 'allergies':
      return listDrafts(q, v, 'allergy');
    case 'instrument':
      return [instrumentDraft(q, v)];
  }
}

/**
 * Checks every answer against its question and returns the items to store. Refuses (400, naming
 * the question) an unknown question, a required question left out, or an answer of the wrong shape.
 * Lists may be empty when required (it says "none"); other blank answers count as not answered.
 */
export function checkAnswers(form: IntakeForm, answers: Record<string, unknown>): ReportedDraft[] {
  const known = new Set(form.questions.map((q) => q.id));
  const stray = Object.keys(answers).find((k) => !known.has(k));
  if (stray !== undefined) throw new ServerError(400, 'invalid_answer', `the form "${form.title.en}" has no question "${stray.slice(0, 60)}"`);
  const out: ReportedDraft[] = [];
  for (const q of form.questions) {
    const v = answers[q.id];
    if (isBlank(v)) {
      if (q.required) refuse(q, 'this question needs an answer');
      continue;
    }
    out.push(...draftsFor(q, v));
  }
  if (out.length === 0) throw new ServerError(400, 'invalid_answer', `the form "${form.title.en}" was sent without any answer`);
  return out;
}
