/**
 * The outbound order message for a lab interface: ORM^O01 (HL7 v2.5.1), built as a message model
 * for shared/hl7's writer. Pure: the caller supplies the facts and the timestamp.
 */
import { DEFAULT_DELIMITERS, type Hl7Field, type Hl7Message, type Hl7Segment } from '../hl7';
import type { LabTest } from './lab-orders';
import type { AdministrativeSex } from './patient';

export interface OrmFacts {
  /** MSH-10; unique per message sent. */
  controlId: string;
  /** HL7 DTM, e.g. `20261125093000+0000`. */
  timestamp: string;
  clinicName: string;
  patient: { mrn: string; familyName: string; givenName: string; middleName: string | null; birthDate: string; sex: AdministrativeSex };
  provider: { id: string; name: string };
  placerNumber: string;
  tests: readonly LabTest[];
  /** ORC-1: NW a new order, CA a cancellation. */
  control?: 'NW' | 'CA';
}

const SEX: Record<AdministrativeSex, string> = { female: 'F', male: 'M', other: 'O', unknown: 'U' };

/** A field of one text value (escaped when written). */
const text = (s: string): Hl7Field => [[[s]]];
/** A field whose components are given: each becomes one component (each escaped when written). */
const comps = (...c: string[]): Hl7Field => [c.map((s) => [s])];
/**
 * An entity identifier kept whole: `123^LAB` is written as the two components it is, so the
 * receiver echoes exactly what we store (never `123\S\LAB`).
 */
const entityId = (s: string): Hl7Field => [s.split('^').map((c) => [c])];

function seg(name: string, fields: Record<number, Hl7Field>): Hl7Segment {
  const last = Math.max(0, ...Object.keys(fields).map(Number));
  const out: Hl7Field[] = [text(name)];
  for (let n = 1; n <= last; n++) out.push(fields[n] ?? text(''));
  return { name, fields: out };
}

/** MSH, PID, ORC (placer number whole in ORC-2) and one OBR per test with its LOINC in OBR-4. */
export function buildOrmO01(f: OrmFacts): Hl7Message {
  const placer = entityId(f.placerNumber);
  const provider = comps(f.provider.id, f.provider.name);
  const segments: Hl7Segment[] = [
    seg('MSH', {
      3: text('CAIRN'),
      4: text(f.clinicName),
      5: text('LAB'),
      6: text('LAB'),
      7: text(f.timestamp),
      9: comps('ORM', 'O01', 'ORM_O01'),
      10: text(f.controlId),
      11: text('P'),
      12: text('2.5.1'),
    }),
    seg('PID', {
      1: text('1'),
      3: comps(f.patient.mrn, '', '', 'CAIRN', 'MR'),
      5: comps(f.patient.familyName, f.patient.givenName, f.patient.middleName ?? ''),
      7: text(f.patient.birthDate.replace(/-/g, '')),
      8: text(SEX[f.patient.sex]),
    }),
    seg('ORC', { 1: text(f.control ?? 'NW'), 2: placer, 9: text(f.timestamp), 12: provider }),
    ...f.tests.map((t, i) => seg('OBR', { 1: text(String(i + 1)), 2: placer, 4: comps(t.loinc, t.display, 'LN'), 16: provider })),
  ];
  return { delimiters: { ...DEFAULT_DELIMITERS }, segments };
}
