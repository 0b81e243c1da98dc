import { z } from 'zod';
import { INSTRUMENTS, PHQ9_ITEM9_FLAG } from '../../../shared/domain/instruments';
import { reportedAddress, reportedAllergy, reportedInsurance, reportedMedication, reportedScore, type ReportedKind } from '../../../shared/domain/portal';

// What a patient-reported item's JSON value holds, read as the intake review needs it. The clinic
// server writes the values (shared/domain/portal.ts reported* schemas); a value that does not read
// as its kind is shown as given and cannot be accepted into the chart (only declined).

export type DemographicField = 'phone' | 'email' | 'address';
export type ReportedAddress = z.output<typeof reportedAddress>;
export type Demographic = { field: 'phone' | 'email'; value: string } | { field: 'address'; value: ReportedAddress };

const FIELDS: readonly DemographicField[] = ['phone', 'email', 'address'];

/**
 * A demographic answer: `{ field, value }`, or a bare value whose field is told by the question id
 * (`phone`, `home-email`…) or, failing that, by its shape (an address object, an email's @).
 */
export function readDemographic(itemId: string, raw: unknown): Demographic | null {
  const wrapped = z.object({ field: z.enum(['phone', 'email', 'address']), value: z.unknown() }).safeParse(raw);
  const field = wrapped.success ? wrapped.data.field : FIELDS.find((f) => itemId.toLowerCase().includes(f));
  const value = wrapped.success ? wrapped.data.value : raw;
  const address = reportedAddress.safeParse(value);
  if ((field === 'address' || field === undefined) && address.success) return { field: 'address', value: address.data };
  if (typeof value !== 'string' || value.trim() === '') return null;
  const text = value.trim();
  if (field === 'email' || (field === undefined && text.includes('@'))) return { field: 'email', value: text };
  if (field === 'phone' || field === undefined) return { field: 'phone', value: text };
  return null;
}

export function addressText(a: {
  line1?: string | null | undefined;
  line2?: string | null | undefined;
  city?: string | null | undefined;
  state?: string | null | undefined;
  postalCode?: string | null | undefined;
}): string {
  const street = [a.line1, a.line2].filter((s) => s).join(', ');
  const town = [a.city, [a.state, a.postalCode].filter((s) => s).join(' ')].filter((s) => s).join(', ');
  return [street, town].filter((s) => s).join(', ');
}

/** Several medications or allergies may arrive in one item (a list question): each is accepted. */
function listOf<T extends z.ZodType>(schema: T, raw: unknown): z.output<T>[] | null {
  const many = z.array(schema).min(1).safeParse(raw);
  if (many.success) return many.data;
  const one = schema.safeParse(raw);
  return one.success ? [one.data] : null;
}

export const readMedications = (raw: unknown): z.output<typeof reportedMedication>[] | null => listOf(reportedMedication, raw);
export const readAllergies = (raw: unknown): z.output<typeof reportedAllergy>[] | null => listOf(reportedAllergy, raw);
export const readInsurance = (raw: unknown): z.output<typeof reportedInsurance> | null => {
  const r = reportedInsurance.safeParse(raw);
  return r.success ? r.data : null;
};
export const readScore = (raw: unknown): z.output<typeof reportedScore> | null => {
  const r = reportedScore.safeParse(raw);
  return r.success ? r.data : null;
};

function answerText(raw: unknown): string {
  if (typeof raw === 'string') return raw;
  if (typeof raw === 'boolean') return raw ? 'yes' : 'no';
  if (typeof raw === 'number') return String(raw);
  if (Array.isArray(raw) && raw.every((x) => typeof x === 'string')) return raw.join(', ');
  return JSON.stringify(raw);
}

const medText = (m: z.output<typeof reportedMedication>): string =>
  [m.name, m.dose, m.howOften].filter((s) => s).join(', ') + (m.stopped ? ' (stopped taking it)' : '');

/** The answer in plain words, as the review screen lists it. */
export function reportedText(kind: ReportedKind, itemId: string, raw: unknown): string {
  switch (kind) {
    case 'demographics': {
      const d = readDemographic(itemId, raw);
      if (!d) return answerText(raw);
      return d.field === 'address' ? `Address: ${addressText(d.value)}` : `${d.field === 'phone' ? 'Phone' : 'Email'}: ${d.value}`;
    }
    case 'insurance': {
      const i = readInsurance(raw);
      if (!i) return answerText(raw);
      return [i.payerName, `member ${i.memberId}`, i.groupNumber && `group ${i.groupNumber}`, i.subscriberName && `subscriber ${i.subscriberName}`]
        .filter((s) => s)
        .join(', ');
    }
    case 'medication':
      return readMedications(raw)?.map(medText).join('; ') ?? answerText(raw);
    case 'allergy':
      return (
        readAllergies(raw)
          ?.map((a) => (a.reaction ? `${a.substance} (${a.reaction})` : a.substance))
          .join('; ') ?? answerText(raw)
      );
    case 'score': {
      const s = readScore(raw);
      if (!s) return answerText(raw);
      const flag = s.instrument === 'phq9' && (s.answers[8] ?? 0) > 0 ? `. ${PHQ9_ITEM9_FLAG}` : '';
      return `${INSTRUMENTS[s.instrument].shortName} total ${s.total} (${s.severity})${flag}`;
    }
    case 'answer':
      return answerText(raw);
  }
}
