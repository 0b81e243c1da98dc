/**
 * A transcribed report's text as a PDF, written synchronously: a received HL7 message is stored,
 * applied and acknowledged in one synchronous SQLite transaction, and pdf-lib (the app's PDF writer)
 * only saves asynchronously. So this writes the few PDF objects a text page needs by hand: Courier
 * (one of the 14 standard fonts every reader has, so nothing is embedded; fixed width, so the
 * columns transcription systems line up with spaces stay lined up), WinAnsi text as hex strings,
 * US-letter pages, a cross-reference table. Only text and only this layout.
 */

const PAGE_W = 612;
const PAGE_H = 792;
const MARGIN = 50;
const SIZE = 10;
const LEADING = 12;
/** Courier's advance is 600/1000 em: 6 pt at 10 pt, so this many characters fit between the margins. */
const COLUMNS = Math.floor((PAGE_W - 2 * MARGIN) / (SIZE * 0.6));
const LINES_PER_PAGE = Math.floor((PAGE_H - 2 * MARGIN) / LEADING);

/** Latin-1 (WinAnsi's printable part) bytes of a line as a PDF hex string; other characters become '?'. */
function hex(line: string): string {
  let out = '';
  for (const ch of line) {
    const c = ch.codePointAt(0)!;
    const b = (c >= 0x20 && c <= 0x7e) || (c >= 0xa0 && c <= 0xff) ? c : ch === '\u2019' || ch === '\u2018' ? 0x27 : 0x3f;
    out += b.toString(16).padStart(2, '0').toUpperCase();
  }
  return `<${out}>`;
}

/** Lines no wider than the page: long lines wrap at the last space that fits, else hard. */
export function wrapLines(text: string, columns = COLUMNS): string[] {
  const out: string[] = [];
  for (const raw of text.replace(/\t/g, '    ').split(/\r\n|\r|\n/)) {
    let line = raw.replace(/\s+$/, '');
    while (line.length > columns) {
      const cut = line.lastIndexOf(' ', columns);
      const at = cut > columns / 2 ? cut : columns;
      out.push(line.slice(0, at));
      line = line.slice(at).replace(/^ /, '');
    }
    out.push(line);
  }
  return out;
}

/** The PDF of a title (bold, first line) and a body of plain text. */
export function textReportPdf(title: string, body: string): Uint8Array {
  const lines: { text: string; bold: boolean }[] = [
    ...wrapLines(title).map((text) => ({ text, bold: true })),
    { text: '', bold: false },
    ...wrapLines(body).map((text) => ({ text, bold: false })),
  ];
  const pages: (typeof lines)[] = [];
  for (let i = 0; i < lines.length; i += LINES_PER_PAGE) pages.push(lines.slice(i, i + LINES_PER_PAGE));

  // Objects: 1 catalog, 2 pages, 3 Courier, 4 Courier-Bold, 5 info, then per page its page and content.
  const objects: string[] = [];
  const kids = pages.map((_, k) => `${6 + 2 * k} 0 R`).join(' ');
  objects.push('<< /Type /Catalog /Pages 2 0 R >>');
  objects.push(`<< /Type /Pages /Kids [${kids}] /Count ${pages.length} >>`);
  objects.push('<< /Type /Font /Subtype /Type1 /BaseFont /Courier /Encoding /WinAnsiEncoding >>');
  objects.push('<< /Type /Font /Subtype /Type1 /BaseFont /Courier-Bold /Encoding /WinAnsiEncoding >>');
  objects.push(`<< /Title ${hex(title)} /Producer (Cairn) /Creator (Cairn HL7 MDM) >>`);
  for (const [k, page] of pages.entries()) {
    let content = `BT\n${LEADING} TL\n${MARGIN} ${PAGE_H - MARGIN} Td\n`;
    let bold: boolean | null = null;
    for (const l of page) {
      if (l.bold !== bold) {
        content += `/${l.bold ? 'F2' : 'F1'} ${SIZE} Tf\n`;
        bold = l.bold;
      }
      content += `${hex(l.text)} Tj\nT*\n`;
    }
    content += 'ET';
    objects.push(
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${PAGE_W} ${PAGE_H}] /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents ${7 + 2 * k} 0 R >>`,
    );
    objects.push(`<< /Length ${content.length} >>\nstream\n${content}\nendstream`);
  }

  // Every character written is ASCII, so string offsets are byte offsets.
  let pdf = '%PDF-1.4\n%\xE2\xE3\xCF\xD3\n';
  const offsets: number[] = [];
  for (const [i, body] of objects.entries()) {
    offsets.push(Buffer.byteLength(pdf, 'latin1'));
    pdf += `${i + 1} 0 obj\n${body}\nendobj\n`;
  }
  const xref = Buffer.byteLength(pdf, 'latin1');
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) pdf += `${String(o).padStart(10, '0')} 00000 n \n`;
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Info 5 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new Uint8Array(Buffer.from(pdf, 'latin1'));
}
