/** Results and vital signs: an organizer (panel) of observations, or a bare observation. */
import { type ReadContext, actStatus, hasContent, readCode, readCoded, referencedText } from './codes';
import { hl7Date, pointInTime } from './dates';
import type { EntryOut, EntryReader } from './entry';
import type { Coded, ObservationEntry, ObservationValue } from './model';
import { attr, child, children, text } from './tree';
import type { XmlElement } from './xml';

export const readObservationEntry: EntryReader<ObservationEntry> = (statement, ctx, out) => {
  if (statement.name === 'observation') return readOne(statement, null, null, ctx, out);
  if (statement.name !== 'organizer') return out.skip(`a <${statement.name}> is not a result organizer or observation`);
  const panelCoded = readCoded(child(statement, 'code'), ctx);
  const panel = hasContent(panelCoded) ? panelCoded : null;
  const when = pointInTime(child(statement, 'effectiveTime'));
  let any = false;
  for (const comp of children(statement, 'component')) {
    for (const obs of children(comp, 'observation')) {
      any = true;
      readOne(obs, panel, when, ctx, out);
    }
    // A panel inside a panel (rare, but sent): its observations keep the inner panel's name.
    for (const inner of children(comp, 'organizer')) {
      any = true;
      readObservationEntry(inner, ctx, out);
    }
  }
  if (!any) out.skip(`the panel "${panel?.name ?? 'unnamed'}" has no observations in it`);
};

function readOne(obs: XmlElement, panel: Coded | null, panelDate: string | null, ctx: ReadContext, out: EntryOut<ObservationEntry>): void {
  const coded = readCoded(child(obs, 'code'), ctx, obs);
  if (!hasContent(coded)) return out.skip('an observation with no code and no name');
  const value = readValue(child(obs, 'value'), ctx);
  out.add({
    ...coded,
    panel,
    value,
    interpretation: attr(child(obs, 'interpretationCode'), 'code'),
    referenceRange: referenceRange(obs, ctx),
    date: pointInTime(child(obs, 'effectiveTime')) ?? panelDate,
    status: actStatus(child(obs, 'statusCode')),
  });
}

/** The value by its xsi:type (and by its shape when a sender left xsi:type out). */
export function readValue(v: XmlElement | null, ctx: ReadContext): ObservationValue | null {
  if (!v || (attr(v, 'nullFlavor') && !attr(v, 'value') && !attr(v, 'code') && text(v) === '')) return null;
  const type = (attr(v, 'type') ?? '').replace(/^.*:/, '');
  const raw = attr(v, 'value');
  if (type === 'PQ' || type === 'INT' || type === 'REAL' || (type === '' && raw !== null)) {
    const n = Number(raw);
    if (raw !== null && Number.isFinite(n)) return { kind: 'quantity', value: n, unit: attr(v, 'unit') ?? (type === 'PQ' ? '1' : '') };
    if (raw !== null) return { kind: 'text', text: [raw, attr(v, 'unit')].filter(Boolean).join(' ') };
  }
  if (type === 'IVL_PQ') {
    const r = rangeWords(v);
    return r ? { kind: 'text', text: r } : null;
  }
  if (type === 'TS') {
    return raw ? { kind: 'text', text: hl7Date(raw) ?? raw } : null;
  }
  if (type === 'BL') return raw ? { kind: 'text', text: raw } : null;
  if (type === 'RTO' || type === 'RTO_PQ_PQ' || type === 'RTO_INT_INT') {
    const num = child(v, 'numerator');
    const den = child(v, 'denominator');
    const part = (e: XmlElement | null): string => [attr(e, 'value'), attr(e, 'unit')].filter((x) => x && x !== '1').join(' ');
    return num ? { kind: 'text', text: `${part(num)}/${part(den)}` } : null;
  }
  const code = readCode(v);
  if (code) return { kind: 'coded', code };
  const t = type === 'ED' || type === 'ST' || type === '' ? referencedText(v, ctx) : readCoded(v, ctx).name;
  return t !== '' ? { kind: 'text', text: t } : null;
}

/** An IVL_PQ in words: "4.0–10.5 10*3/uL", "≥ 60 mL/min", "≤ 200 mg/dL". */
function rangeWords(v: XmlElement): string | null {
  const low = child(v, 'low');
  const high = child(v, 'high');
  const lo = attr(low, 'value');
  const hi = attr(high, 'value');
  const unit = attr(high, 'unit') ?? attr(low, 'unit');
  const u = unit && unit !== '1' ? ` ${unit}` : '';
  if (lo && hi) return `${lo}–${hi}${u}`;
  if (lo) return `≥ ${lo}${u}`;
  if (hi) return `≤ ${hi}${u}`;
  return attr(v, 'value') ? `${attr(v, 'value')}${u}` : null;
}

function referenceRange(obs: XmlElement, ctx: ReadContext): string | null {
  for (const rr of children(obs, 'referenceRange')) {
    const range = child(rr, 'observationRange');
    const value = child(range, 'value');
    const words = value ? rangeWords(value) : null;
    if (words) return words;
    const t = referencedText(child(range, 'text'), ctx);
    if (t !== '') return t;
  }
  return null;
}
