import { INSTRUMENTS } from '../../../../../shared/domain/instruments';
import type { FormQuestion, IntakeForm } from '../../../../../shared/domain/portal';
import type { MessageKey } from '../../i18n/i18n';

/** What a question's field holds while the patient fills the form. */
export interface Address {
  line1: string;
  line2: string;
  city: string;
  state: string;
  postalCode: string;
}
export interface Insurance {
  payerName: string;
  memberId: string;
  groupNumber: string;
  subscriberName: string;
}
export interface Medication {
  name: string;
  dose: string;
  howOften: string;
  stopped: boolean;
}
export interface Allergy {
  substance: string;
  reaction: string;
}
/** A list question: its rows, or the patient's explicit "none" (an empty list is an answer only when said). */
export interface ListValue<T> {
  none: boolean;
  rows: T[];
}
export type FieldValue = string | Address | Insurance | ListValue<Medication> | ListValue<Allergy> | (number | null)[];
export type Values = Record<string, FieldValue>;
/** Problems by path: "q" for the question, "q.city" for a part, "q.2.name" for a list row's field. */
export type Problems = Record<string, MessageKey>;

export const EMPTY_ADDRESS: Address = { line1: '', line2: '', city: '', state: '', postalCode: '' };
export const EMPTY_INSURANCE: Insurance = { payerName: '', memberId: '', groupNumber: '', subscriberName: '' };
export const EMPTY_MEDICATION: Medication = { name: '', dose: '', howOften: '', stopped: false };
export const EMPTY_ALLERGY: Allergy = { substance: '', reaction: '' };

/** How many items an instrument question asks (PHQ-9: 9, GAD-7: 7). */
export function itemCount(q: FormQuestion): number {
  return q.items?.length ?? (q.instrument ? INSTRUMENTS[q.instrument].items.length : 0);
}

export function emptyValue(q: FormQuestion): FieldValue {
  switch (q.type) {
    case 'address':
      return { ...EMPTY_ADDRESS };
    case 'insurance':
      return { ...EMPTY_INSURANCE };
    case 'medications':
    case 'allergies':
      return { none: false, rows: [] };
    case 'instrument':
      return Array<number | null>(itemCount(q)).fill(null);
    case 'text':
    case 'longtext':
    case 'date':
    case 'yesno':
    case 'choice':
    case 'phone':
    case 'email':
      return '';
  }
}

export function emptyValues(form: IntakeForm): Values {
  return Object.fromEntries(form.questions.map((q) => [q.id, emptyValue(q)]));
}

const filled = (s: string): boolean => s.trim() !== '';
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Rows the patient started (an untouched blank row is not an answer). */
function rows<T extends object>(list: T[]): T[] {
  return list.filter((r) => Object.values(r).some((v) => typeof v === 'string' && filled(v)));
}

/** Every problem with the answers, before anything is sent; an empty object when the form may go. */
export function checkValues(form: IntakeForm, values: Values): Problems {
  const p: Problems = {};
  for (const q of form.questions) {
    const v = values[q.id] ?? emptyValue(q);
    if (typeof v === 'string') {
      if (!filled(v)) {
        if (q.required) p[q.id] = 'forms.missing';
      } else if (q.type === 'email' && !EMAIL.test(v.trim())) p[q.id] = 'forms.invalidEmail';
      else if (q.type === 'phone' && v.replace(/\D/g, '').length < 7) p[q.id] = 'forms.invalidPhone';
      else if (q.type === 'date' && !DAY.test(v)) p[q.id] = 'forms.invalidDate';
    } else if (q.type === 'address') {
      const a = v as Address;
      if (q.required || Object.values(a).some(filled)) {
        for (const k of ['line1', 'city', 'state', 'postalCode'] as const) if (!filled(a[k])) p[`${q.id}.${k}`] = 'forms.missing';
      }
    } else if (q.type === 'insurance') {
      const i = v as Insurance;
      if (q.required || Object.values(i).some(filled)) {
        for (const k of ['payerName', 'memberId'] as const) if (!filled(i[k])) p[`${q.id}.${k}`] = 'forms.missing';
      }
    } else if (q.type === 'medications' || q.type === 'allergies') {
      const list = v as ListValue<Medication | Allergy>;
      const key = q.type === 'medications' ? 'name' : 'substance';
      if (!list.none) {
        list.rows.forEach((r, n) => {
          const started = Object.values(r).some((x) => typeof x === 'string' && filled(x));
          if (started && !filled((r as unknown as Record<string, string>)[key]!)) p[`${q.id}.${n}.${key}`] = 'forms.missing';
        });
        if (q.required && rows(list.rows).length === 0) p[q.id] = q.type === 'medications' ? 'form.meds.missing' : 'form.allergy.missing';
      }
    } else if (q.type === 'instrument') {
      const items = v as (number | null)[];
      if (q.required || items.some((x) => x !== null)) items.forEach((x, n) => x === null && (p[`${q.id}.${n}`] = 'forms.missing'));
    }
  }
  return p;
}

/**
 * The answers as formAnswersInput carries them (shapes in shared/api/portal-http.ts): trimmed,
 * unanswered optional questions left out, blank list rows dropped.
 */
export function toAnswers(form: IntakeForm, values: Values): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const q of form.questions) {
    const v = values[q.id] ?? emptyValue(q);
    if (typeof v === 'string') {
      if (!filled(v)) continue;
      out[q.id] = q.type === 'yesno' ? v === 'yes' : v.trim();
    } else if (q.type === 'address' || q.type === 'insurance') {
      const o = v as unknown as Record<string, string>;
      if (Object.values(o).some(filled)) out[q.id] = Object.fromEntries(Object.entries(o).map(([k, x]) => [k, x.trim()]));
    } else if (q.type === 'medications') {
      const list = v as ListValue<Medication>;
      const given = rows(list.rows).map((m) => ({ name: m.name.trim(), dose: m.dose.trim(), howOften: m.howOften.trim(), stopped: m.stopped }));
      // An empty list says "none": sent only when the patient said so.
      if (list.none) out[q.id] = [];
      else if (given.length > 0) out[q.id] = given;
    } else if (q.type === 'allergies') {
      const list = v as ListValue<Allergy>;
      const given = rows(list.rows).map((a) => ({ substance: a.substance.trim(), reaction: a.reaction.trim() }));
      if (list.none) out[q.id] = [];
      else if (given.length > 0) out[q.id] = given;
    } else if (q.type === 'instrument') {
      const items = v as (number | null)[];
      if (items.every((x) => x !== null)) out[q.id] = items;
    }
  }
  return out;
}
