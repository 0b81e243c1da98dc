import { X12Parser } from 'node-x12';

/** A segment as node-x12, the independent npm reader, sees it: tag and element values. */
export interface NxSegment {
  tag: string;
  values: string[];
}

export interface NxInterchange {
  isa: string[];
  gs: string[];
  /** Per transaction set: ST, body, SE. */
  sets: NxSegment[][];
  ge: string[];
  iea: string[];
}

interface NxRaw {
  header: { elements: { value: string }[] };
  trailer: { elements: { value: string }[] };
}
interface NxTransaction extends NxRaw {
  segments: { tag: string; elements: { value: string }[] }[];
}

/**
 * Parses with node-x12 in strict mode (it checks SE01, GE01 and IEA01 itself and throws when they
 * are wrong), one group per interchange as Cairn writes.
 */
export function nodeX12(text: string): NxInterchange {
  const ic = new X12Parser(true).parse(text) as unknown as NxRaw & { functionalGroups: (NxRaw & { transactions: NxTransaction[] })[] };
  if (ic.functionalGroups.length !== 1) throw new Error(`node-x12 found ${ic.functionalGroups.length} groups`);
  const group = ic.functionalGroups[0]!;
  const values = (s: { elements: { value: string }[] }): string[] => s.elements.map((e) => e.value);
  return {
    isa: values(ic.header),
    gs: values(group.header),
    sets: group.transactions.map((t) => [
      { tag: 'ST', values: values(t.header) },
      ...t.segments.map((s) => ({ tag: s.tag, values: values(s) })),
      { tag: 'SE', values: values(t.trailer) },
    ]),
    ge: values(group.trailer),
    iea: values(ic.trailer),
  };
}

/** Dollars to cents, independently of Cairn's own conversion (fine in a test: two decimals at most). */
export function dollars(text: string): number {
  return Math.round(Number(text) * 100);
}
