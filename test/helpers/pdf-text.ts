import { inflateSync } from 'node:zlib';

/** The lines of text pdf-lib drew (`<hex> Tj` in the Flate-compressed page streams), as a reader sees them. */
export function pdfLines(pdf: Buffer): string[] {
  const lines: string[] = [];
  for (const m of pdf.toString('latin1').matchAll(/stream\r?\n([\s\S]*?)\r?\nendstream/g)) {
    let content: string;
    try {
      content = inflateSync(Buffer.from(m[1]!, 'latin1')).toString('latin1');
    } catch {
      content = m[1]!;
    }
    for (const t of content.matchAll(/<([0-9A-Fa-f]*)> Tj/g)) lines.push(Buffer.from(t[1]!, 'hex').toString('latin1'));
  }
  return lines;
}
