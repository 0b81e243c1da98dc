import { PDFDocument, StandardFonts } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { pdfLines, pdfStreams } from '../../helpers/pdf-text';

/** A one-page PDF saying `text`, and its page's compressed content stream as written. */
async function onePage(text: string): Promise<{ pdf: Buffer; lastByte: number }> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  doc.addPage().drawText(text, { x: 50, y: 700, font, size: 12 });
  const pdf = Buffer.from(await doc.save());
  const m = /\/Length (\d+)\n>>\nstream\n/.exec(pdf.toString('latin1'))!;
  return { pdf, lastByte: pdf[m.index + m[0].length + Number(m[1]) - 1]! };
}

describe('reading the text of a PDF in tests', () => {
  it('reads a content stream whose compressed bytes end in a carriage return (CI once failed on one)', async () => {
    let found: Buffer | undefined;
    let text = '';
    for (let i = 0; i < 5000 && !found; i++) {
      text = `Signature: ${'_'.repeat(i % 256)} ${i}`;
      const page = await onePage(text);
      if (page.lastByte === 0x0d) found = page.pdf;
    }
    expect(found, 'some page among 5,000 ends its stream in \\r').toBeDefined();
    expect(pdfLines(found!)).toEqual([text]);
  });

  it('decodes every stream, compressed or not', async () => {
    const { pdf } = await onePage('Hello');
    const streams = pdfStreams(pdf);
    expect(streams.some((s) => s.includes('<48656C6C6F> Tj'))).toBe(true);
    expect(streams.some((s) => s.includes('/Type /Catalog'))).toBe(true);
  });
});
