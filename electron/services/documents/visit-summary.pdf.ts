import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import { printable } from './pdf-text';

// The pure part moved to shared/domain so the clinic server's portal says a visit's vitals the same way.
export { vitalLines } from '../../../shared/domain/visit-vitals';

export interface VisitSummary {
  clinicName: string;
  patient: { name: string; birthDate: string; sex: string; mrn: string };
  encounter: { visitType: string; date: string; provider: string | null; reason: string | null } | null;
  note: { title: string; status: string; author: string | null; signedAt: string | null; contentHash: string | null; errorReason: string | null };
  sections: { title: string; lines: string[] }[];
  addenda: { author: string | null; signedAt: string | null; text: string }[];
  vitals: string[];
  printedAt: string;
}

const MARGIN = 50;
const SIZE = 10;
const LEADING = 14;

function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const out: string[] = [];
  for (const para of printable(text).split('\n')) {
    let line = '';
    for (const word of para.split(' ')) {
      const next = line ? `${line} ${word}` : word;
      if (font.widthOfTextAtSize(next, size) > width && line) {
        out.push(line);
        line = word;
      } else line = next;
    }
    out.push(line);
  }
  return out;
}

/** A printable visit summary, made on the Node side with pdf-lib (no browser, no network). */
export async function visitSummaryPdf(v: VisitSummary): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle(printable(`Visit summary - ${v.patient.name}`));
  doc.setCreator('Cairn');
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  let page: PDFPage = doc.addPage([612, 792]);
  const width = page.getWidth() - 2 * MARGIN;
  let y = page.getHeight() - MARGIN;

  const line = (text: string, opts: { font?: PDFFont; size?: number; indent?: number; color?: [number, number, number] } = {}): void => {
    const font = opts.font ?? regular;
    const size = opts.size ?? SIZE;
    for (const l of wrap(text, font, size, width - (opts.indent ?? 0))) {
      if (y < MARGIN + LEADING) {
        page = doc.addPage([612, 792]);
        y = page.getHeight() - MARGIN;
      }
      page.drawText(l, { x: MARGIN + (opts.indent ?? 0), y, size, font, color: rgb(...(opts.color ?? [0, 0, 0])) });
      y -= size + 4;
    }
  };
  const gap = (): void => {
    y -= LEADING / 2;
  };

  line(v.clinicName, { font: bold, size: 14 });
  line('Visit summary', { size: 12 });
  gap();
  line(`${v.patient.name}   born ${v.patient.birthDate}   ${v.patient.sex}   MRN ${v.patient.mrn}`, { font: bold });
  if (v.encounter) {
    line(`${v.encounter.visitType} on ${v.encounter.date}${v.encounter.provider ? ` with ${v.encounter.provider}` : ''}`);
    if (v.encounter.reason) line(`Reason: ${v.encounter.reason}`);
  }
  gap();
  line(v.note.title, { font: bold, size: 12 });
  if (v.note.status === 'entered_in_error') line(`ENTERED IN ERROR: ${v.note.errorReason ?? ''}`, { font: bold, color: [0.7, 0, 0] });
  else if (v.note.status === 'draft') line('DRAFT - not signed', { font: bold, color: [0.7, 0.4, 0] });
  for (const s of v.sections) {
    gap();
    line(s.title, { font: bold });
    for (const l of s.lines) line(l, { indent: 10 });
  }
  if (v.vitals.length > 0) {
    gap();
    line('Vitals', { font: bold });
    for (const l of v.vitals) line(l, { indent: 10 });
  }
  for (const a of v.addenda) {
    gap();
    line(`Addendum by ${a.author ?? 'unknown'} at ${a.signedAt ?? ''}`, { font: bold });
    line(a.text, { indent: 10 });
  }
  gap();
  if (v.note.signedAt)
    line(`Electronically signed by ${v.note.author ?? 'unknown'} at ${v.note.signedAt}. Content SHA-256 ${v.note.contentHash ?? ''}`, { size: 8 });
  line(`Printed ${v.printedAt} from Cairn. Confidential patient information.`, { size: 8, color: [0.4, 0.4, 0.4] });
  return doc.save();
}
