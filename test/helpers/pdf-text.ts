import { inflateSync } from 'node:zlib';

/**
 * The decoded content of every stream in a PDF (Flate-decoded where it is compressed), each read by its
 * dictionary's `/Length`. Reading up to the next `endstream` instead loses a compressed stream's last byte
 * whenever that byte is a carriage return (the `\r\nendstream` looks like a line break): about one stream in
 * 256, depending on what was drawn, so a test doing so fails at random.
 */
export function pdfStreams(pdf: Buffer): string[] {
  const text = pdf.toString('latin1');
  const out: string[] = [];
  for (const m of text.matchAll(/\/Length (\d+)(?![\d ]*R)[^]*?>>\s*stream\r?\n/g)) {
    const start = m.index + m[0].length;
    const raw = Buffer.from(text.slice(start, start + Number(m[1])), 'latin1');
    const flate = /\/FlateDecode/.test(text.slice(text.lastIndexOf(' obj', m.index), start));
    out.push(flate ? inflateSync(raw).toString('latin1') : raw.toString('latin1'));
  }
  return out;
}

/** The lines of text pdf-lib drew (`<hex> Tj` in the page streams), as a reader sees them. */
export function pdfLines(pdf: Buffer): string[] {
  const lines: string[] = [];
  for (const content of pdfStreams(pdf)) {
    for (const t of content.matchAll(/<([0-9A-Fa-f]*)> Tj/g)) lines.push(Buffer.from(t[1]!, 'hex').toString('latin1'));
  }
  return lines;
}
