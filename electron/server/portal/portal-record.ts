import type { Bundle, BundleEntry, Resource } from '@medplum/fhirtypes';
import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import type { ChartSummary, ResultView } from '../../../shared/api/portal-http';
import type { PortalLanguage } from '../../../shared/domain/portal';
import { courseToFhir, rowToFhir } from '../../../shared/fhir/to-fhir';
import { isHidden, loadRows, releasedResults, chartSummary, SUMMARY_ENTITIES, type ChartAccess, type ReadDeps, type Row } from './portal-chart';

/**
 * "Download my record": the printable immunization record and the record summary (PDF, pdf-lib, on
 * the server: no browser), and the record as a FHIR R4 collection Bundle mapped by the same code as
 * the clinic server's FHIR API (shared/fhir/to-fhir). Each holds exactly what the portal shows: no
 * unreleased result, nothing entered in error, nothing hidden from a proxy.
 */

const LABELS = {
  en: {
    immunizationRecord: 'Immunization record',
    recordSummary: 'Health record summary',
    born: 'born',
    vaccine: 'Vaccine',
    date: 'Date',
    lot: 'Lot',
    none: 'None recorded.',
    problems: 'Problems',
    medications: 'Medications',
    allergies: 'Allergies',
    immunizations: 'Immunizations',
    vitals: 'Vital signs (latest)',
    results: 'Test results',
    visits: 'Visit summaries',
    since: 'since',
    range: 'reference range',
    printed: 'Printed',
    from: 'from the patient portal of',
    hidden: (n: number) => `${n} item(s) are not shown to a parent or guardian.`,
    flags: { high: 'high', low: 'low', normal: 'normal', abnormal: 'abnormal', critical_high: 'critically high', critical_low: 'critically low', unknown: '' },
  },
  es: {
    immunizationRecord: 'Registro de vacunas',
    recordSummary: 'Resumen del expediente de salud',
    born: 'nacimiento',
    vaccine: 'Vacuna',
    date: 'Fecha',
    lot: 'Lote',
    none: 'Nada registrado.',
    problems: 'Problemas de salud',
    medications: 'Medicamentos',
    allergies: 'Alergias',
    immunizations: 'Vacunas',
    vitals: 'Signos vitales (más recientes)',
    results: 'Resultados de pruebas',
    visits: 'Resúmenes de consultas',
    since: 'desde',
    range: 'rango de referencia',
    printed: 'Impreso',
    from: 'desde el portal del paciente de',
    hidden: (n: number) => `${n} elemento(s) no se muestran a un padre, madre o tutor.`,
    flags: {
      high: 'alto',
      low: 'bajo',
      normal: 'normal',
      abnormal: 'anormal',
      critical_high: 'críticamente alto',
      critical_low: 'críticamente bajo',
      unknown: '',
    },
  },
} as const;
type Labels = (typeof LABELS)[PortalLanguage];

/** The standard PDF fonts speak WinAnsi only: Latin-1 letters stay (José, niño), the rest are replaced. */
const printable = (t: string): string =>
  t
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[\u201C\u201D]/g, '"')
    .replace(/[\u2013\u2014]/g, '-')
    .replace(/[^\x20-\x7E\xA0-\xFF]/g, '?');

/** A letter-size text document written top to bottom, wrapping long lines and adding pages. */
class TextDoc {
  private page: PDFPage;
  private y = 742;
  private constructor(
    readonly doc: PDFDocument,
    private readonly regular: PDFFont,
    private readonly bold: PDFFont,
  ) {
    this.page = doc.addPage([612, 792]);
  }

  static async create(title: string): Promise<TextDoc> {
    const doc = await PDFDocument.create();
    doc.setTitle(printable(title));
    doc.setCreator('Cairn');
    return new TextDoc(doc, await doc.embedFont(StandardFonts.Helvetica), await doc.embedFont(StandardFonts.HelveticaBold));
  }

  line(text: string, o: { bold?: boolean; size?: number; indent?: number; grey?: boolean } = {}): void {
    const font = o.bold ? this.bold : this.regular;
    const size = o.size ?? 10;
    const x = 50 + (o.indent ?? 0);
    const width = 562 - x;
    for (const para of printable(text).split('\n')) {
      let cur = '';
      const flush = (): void => {
        if (this.y < 60) {
          this.page = this.doc.addPage([612, 792]);
          this.y = 742;
        }
        this.page.drawText(cur, { x, y: this.y, size, font, color: o.grey ? rgb(0.4, 0.4, 0.4) : rgb(0, 0, 0) });
        this.y -= size + 4;
      };
      for (const word of para.split(' ')) {
        const next = cur ? `${cur} ${word}` : word;
        if (cur && font.widthOfTextAtSize(next, size) > width) {
          flush();
          cur = word;
        } else cur = next;
      }
      flush();
    }
  }

  gap(points = 8): void {
    this.y -= points;
  }

  save(): Promise<Uint8Array> {
    return this.doc.save();
  }
}

function header(doc: TextDoc, d: ReadDeps, a: ChartAccess, title: string, t: Labels): void {
  doc.line(d.settings.clinicName, { bold: true, size: 14 });
  doc.line(title, { size: 12 });
  doc.gap();
  doc.line(`${a.chart.name}   ${t.born} ${a.chart.birthDate}`, { bold: true });
  doc.gap();
}

function footer(doc: TextDoc, d: ReadDeps, t: Labels): void {
  doc.gap();
  doc.line(`${t.printed} ${new Date(d.now()).toISOString().slice(0, 16).replace('T', ' ')} UTC ${t.from} ${d.settings.clinicName}.`, { size: 8, grey: true });
}

/** The printable immunization record: every vaccine the chart shows, oldest first. */
export async function immunizationRecordPdf(d: ReadDeps, a: ChartAccess, language: PortalLanguage): Promise<Uint8Array> {
  const t = LABELS[language];
  const summary = await chartSummary(d, a);
  const doc = await TextDoc.create(`${t.immunizationRecord} - ${a.chart.name}`);
  header(doc, d, a, t.immunizationRecord, t);
  doc.line(`${t.date}        ${t.vaccine}  (${t.lot})`, { bold: true });
  const list = [...summary.immunizations].sort((x, y) => x.date.localeCompare(y.date));
  if (list.length === 0) doc.line(t.none);
  for (const i of list) doc.line(`${i.date}   ${i.vaccine}${i.lot ? `  (${i.lot})` : ''}`);
  if (summary.hiddenFromProxy > 0) doc.line(t.hidden(summary.hiddenFromProxy), { grey: true });
  footer(doc, d, t);
  return doc.save();
}

function section(doc: TextDoc, title: string, lines: string[], t: Labels): void {
  doc.gap();
  doc.line(title, { bold: true, size: 11 });
  if (lines.length === 0) doc.line(t.none, { indent: 10 });
  for (const l of lines) doc.line(l, { indent: 10 });
}

function resultLine(r: ResultView, t: Labels): string {
  const flag = t.flags[r.flag];
  return `${r.effectiveAt.slice(0, 10)}  ${r.name}: ${r.value}${r.unit ? ` ${r.unit}` : ''}${flag ? ` (${flag})` : ''}${r.referenceRange ? `; ${t.range} ${r.referenceRange}` : ''}`;
}

function latestVitals(s: ChartSummary): string[] {
  return s.vitals.map((v) => {
    const p = v.points[v.points.length - 1]!;
    return `${v.label}: ${p.value} ${v.unit} (${p.at.slice(0, 10)})`;
  });
}

/** The record summary: problems, medications, allergies, immunizations, vitals, released results, visit summaries. */
export async function recordPdf(d: ReadDeps, a: ChartAccess, language: PortalLanguage): Promise<Uint8Array> {
  const t = LABELS[language];
  const l = await loadRows(d, a, SUMMARY_ENTITIES);
  const s = await chartSummary(d, a, l);
  const results = releasedResults(d, a, l);
  const doc = await TextDoc.create(`${t.recordSummary} - ${a.chart.name}`);
  header(doc, d, a, t.recordSummary, t);
  section(
    doc,
    t.problems,
    s.problems.map((p) => `${p.name}${p.code ? ` (${p.code})` : ''}, ${p.status}${p.since ? `, ${t.since} ${p.since}` : ''}`),
    t,
  );
  section(
    doc,
    t.medications,
    s.medications.map((m) => `${m.name}${m.instructions ? `: ${m.instructions}` : ''}${m.since ? ` (${t.since} ${m.since})` : ''}`),
    t,
  );
  section(
    doc,
    t.allergies,
    s.allergies.map((x) => `${x.substance}${x.reaction ? `: ${x.reaction}` : ''}${x.severity ? ` (${x.severity})` : ''}`),
    t,
  );
  section(
    doc,
    t.immunizations,
    s.immunizations.map((i) => `${i.date}  ${i.vaccine}`),
    t,
  );
  section(doc, t.vitals, latestVitals(s), t);
  section(
    doc,
    t.results,
    results.map((r) => resultLine(r, t)),
    t,
  );
  doc.gap();
  doc.line(t.visits, { bold: true, size: 11 });
  if (s.visits.length === 0) doc.line(t.none, { indent: 10 });
  for (const v of s.visits) {
    doc.line(`${v.date}  ${v.title}${v.clinician ? ` - ${v.clinician}` : ''}`, { bold: true, indent: 10 });
    doc.line(v.text, { indent: 20 });
  }
  if (s.hiddenFromProxy > 0) {
    doc.gap();
    doc.line(t.hidden(s.hiddenFromProxy), { grey: true });
  }
  footer(doc, d, t);
  return doc.save();
}

// ---- FHIR ----------------------------------------------------------------------------------------

const ERROR = new Set(['entered-in-error', 'entered_in_error']);
const live = (r: Row, col = 'status'): boolean => !ERROR.has(String(r[col]));

/**
 * The record as a FHIR R4 `collection` Bundle: the Patient, problems, allergies, medication courses,
 * immunizations, encounters, procedures, vital signs, other final observations, and released
 * laboratory results. fullUrls point at the clinic server's FHIR API (`<origin>/fhir/R4/Type/id`).
 */
export async function recordBundle(d: ReadDeps, a: ChartAccess, origin: string): Promise<Bundle> {
  const entities = ['condition', 'allergy', 'medication_event', 'immunization', 'observation', 'encounter', 'procedure'] as const;
  const l = await loadRows(d, a, entities);
  const rows = (e: string): Row[] => (l.rows.get(e) ?? []).filter((r) => !isHidden(a, l, e, r));
  const [patient] = await d.db.query<{ data: string }>(`SELECT data::text AS data FROM sync_rows WHERE entity = 'patient' AND entity_id = $1`, [
    a.chart.patientId,
  ]);
  const resources: (Resource | null)[] = [patient ? rowToFhir('patient', JSON.parse(patient.data) as Row) : null];
  for (const r of rows('condition').filter((x) => live(x, 'clinical_status') && live(x, 'verification_status'))) resources.push(rowToFhir('condition', r));
  for (const r of rows('allergy').filter((x) => live(x))) resources.push(rowToFhir('allergy', r));
  // A course is left out whole if any of its events is hidden.
  const hiddenCourses = new Set((l.rows.get('medication_event') ?? []).filter((r) => isHidden(a, l, 'medication_event', r)).map((r) => String(r['course_id'])));
  const courses = new Map<string, Row[]>();
  for (const e of l.rows.get('medication_event') ?? []) {
    const k = String(e['course_id']);
    if (!hiddenCourses.has(k)) courses.set(k, [...(courses.get(k) ?? []), e]);
  }
  for (const events of courses.values()) resources.push(courseToFhir(events));
  for (const r of rows('immunization').filter((x) => live(x) && x['status'] !== 'not-done')) resources.push(rowToFhir('immunization', r));
  for (const r of rows('encounter')) resources.push(rowToFhir('encounter', r));
  for (const r of rows('procedure').filter((x) => live(x))) resources.push(rowToFhir('procedure', r));
  const released = new Set(releasedResults(d, a, l).map((r) => r.id));
  const replaced = new Set((l.rows.get('observation') ?? []).map((r) => r['supersedes_id']).filter(Boolean));
  for (const r of rows('observation')) {
    if (replaced.has(String(r['id'])) || !['final', 'corrected', 'amended'].includes(String(r['status']))) continue;
    if (r['category'] === 'laboratory' && !released.has(String(r['id']))) continue;
    resources.push(rowToFhir('observation', r));
  }
  const base = `${origin}/fhir/R4`;
  const entry: BundleEntry[] = resources
    .filter((r): r is Resource => r !== null)
    .map((resource) => ({ fullUrl: `${base}/${resource.resourceType}/${resource.id ?? ''}`, resource }));
  return { resourceType: 'Bundle', type: 'collection', timestamp: new Date(d.now()).toISOString(), entry };
}
