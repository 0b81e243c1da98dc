import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PDFDocument, StandardFonts, rgb } from 'pdf-lib';
import type { Locator, Page } from 'playwright-core';
import { axeViolations, describeViolations } from '../helpers/axe';

// What the two records e2e tests share: synthetic scans and faxes, a look at a canvas's pixels,
// screenshots with axe-core's check, and a watch on script errors and CSP violations.

export const SHOTS = resolve('test-results', 'records');
/** How long a screen may take to show the answer of what was just done (polled, not slept). */
export const SETTLE = { timeout: 15_000 };

/** A one-page "scanned" lab report: a dark header band and text, so a drawn page has ink to find. */
export async function scannedPdf(title: string, pages = 1): Promise<Buffer> {
  const d = await PDFDocument.create();
  const font = await d.embedFont(StandardFonts.Helvetica);
  for (let n = 1; n <= pages; n++) {
    const page = d.addPage([612, 792]);
    page.drawRectangle({ x: 36, y: 700, width: 540, height: 56, color: rgb(0.1, 0.1, 0.35) });
    page.drawText(title, { x: 48, y: 720, size: 22, font, color: rgb(1, 1, 1) });
    page.drawText(`Synthetic outside lab report, page ${n} of ${pages}`, { x: 48, y: 660, size: 14, font });
    page.drawText('Hemoglobin A1c 6.1 %   (reference 4.0 - 5.6)', { x: 48, y: 630, size: 12, font });
  }
  return Buffer.from(await d.save());
}

/**
 * A two-page fax as fax software writes it: bilevel (1 bit per pixel, WhiteIsZero), one image
 * directory per page, little-endian. Page 1 has a black band across its top third, page 2 a black
 * band down its left quarter, so a test can tell which page was drawn. Uncompressed (a real fax is
 * CCITT G4; the viewer's decoder reads both).
 */
export function faxTiff(width = 320, height = 240): Buffer {
  const rowBytes = Math.ceil(width / 8);
  const pageBits = (black: (x: number, y: number) => boolean): Buffer => {
    const b = Buffer.alloc(rowBytes * height);
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) if (black(x, y)) b[y * rowBytes + (x >> 3)]! |= 0x80 >> (x & 7);
    return b;
  };
  const pages = [pageBits((_x, y) => y < height / 3), pageBits((x) => x < width / 4)];
  const entries = (dataAt: number, bytes: number): [number, number, number][] => [
    [254, 4, 2], // NewSubfileType: a page of a multi-page document
    [256, 3, width],
    [257, 3, height],
    [258, 3, 1], // BitsPerSample
    [259, 3, 1], // Compression: none
    [262, 3, 0], // Photometric: WhiteIsZero (what fax software writes)
    [273, 4, dataAt], // StripOffsets
    [277, 3, 1], // SamplesPerPixel
    [278, 3, height], // RowsPerStrip
    [279, 4, bytes], // StripByteCounts
  ];
  const ifdSize = 2 + 10 * 12 + 4;
  const parts: Buffer[] = [];
  const header = Buffer.alloc(8);
  header.write('II', 0, 'latin1');
  header.writeUInt16LE(42, 2);
  header.writeUInt32LE(8, 4);
  parts.push(header);
  let at = 8;
  pages.forEach((bits, i) => {
    const dataAt = at + ifdSize;
    const next = i < pages.length - 1 ? dataAt + bits.length + ((dataAt + bits.length) % 2) : 0;
    const ifd = Buffer.alloc(ifdSize);
    const list = entries(dataAt, bits.length);
    ifd.writeUInt16LE(list.length, 0);
    list.forEach(([tag, type, value], j) => {
      const o = 2 + j * 12;
      ifd.writeUInt16LE(tag, o);
      ifd.writeUInt16LE(type, o + 2);
      ifd.writeUInt32LE(1, o + 4);
      if (type === 3) ifd.writeUInt16LE(value, o + 8);
      else ifd.writeUInt32LE(value, o + 8);
    });
    ifd.writeUInt32LE(next, ifdSize - 4);
    parts.push(ifd, bits);
    at = dataAt + bits.length;
    if (next !== 0 && at % 2 === 1) {
      parts.push(Buffer.alloc(1));
      at += 1;
    }
  });
  return Buffer.concat(parts);
}

/** Dark pixels of a canvas (drawn ink), overall and in its top third and left quarter. */
export interface Ink {
  width: number;
  height: number;
  dark: number;
  topThird: number;
  leftQuarter: number;
}

/** Reads a canvas's pixels back: how much of it is ink (r, g and b all under 128, opaque). */
export function canvasInk(canvas: Locator): Promise<Ink> {
  return canvas.evaluate((el) => {
    const c = el as HTMLCanvasElement;
    const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let dark = 0;
    let topThird = 0;
    let leftQuarter = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (data[i + 3]! > 200 && data[i]! < 128 && data[i + 1]! < 128 && data[i + 2]! < 128) {
        dark++;
        const p = i / 4;
        const x = p % c.width;
        const y = Math.floor(p / c.width);
        if (y < c.height / 3) topThird++;
        if (x < c.width / 4) leftQuarter++;
      }
    }
    return { width: c.width, height: c.height, dark, topThird, leftQuarter };
  });
}

/** Picks a file through the page's own file chooser, as a person does. */
export async function chooseFile(page: Page, opener: Locator, name: string, content: Buffer, mimeType: string): Promise<void> {
  const chooser = page.waitForEvent('filechooser');
  await opener.click();
  await (await chooser).setFiles({ name, mimeType, buffer: content });
}

/** Picks a Mantine Select option by its visible label. */
export async function choose(page: Page, select: Locator, option: string | RegExp): Promise<void> {
  await select.click();
  await page.getByRole('option', { name: option }).first().click();
}

/** Numbered screenshots under test-results/records/ with axe-core's WCAG 2.1 A/AA check; failures gathered for the end. */
export class Steps {
  private n = 0;
  readonly failures: string[] = [];
  constructor(private readonly prefix: string) {
    mkdirSync(SHOTS, { recursive: true });
  }

  async step(page: Page, name: string): Promise<void> {
    this.n += 1;
    const found = await axeViolations(page);
    await page.screenshot({ path: join(SHOTS, `${this.prefix}-${String(this.n).padStart(2, '0')}-${name}.png`), fullPage: true });
    if (found.length > 0) this.failures.push(`${name}:\n${describeViolations(found)}`);
  }
}

/** Records CSP violations the page reports (a blocked worker, image or script) from now on. */
export function watchCsp(page: Page): string[] {
  const seen: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) seen.push(m.text());
  });
  page.on('worker', (w) => w.on('console', (m) => /Content Security Policy|Refused to/i.test(m.text()) && seen.push(`worker: ${m.text()}`)));
  return seen;
}
