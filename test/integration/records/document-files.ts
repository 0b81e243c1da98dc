import { crc32, deflateSync } from 'node:zlib';
import { PDFDocument, PDFName, PDFString, type PDFDict } from 'pdf-lib';

/** A real one-page PDF carrying `marker` as plaintext (a literal string in its info dictionary). */
export async function pdfWith(marker: string): Promise<Buffer> {
  const d = await PDFDocument.create();
  d.addPage([300, 200]);
  // getInfoDict is not in pdf-lib's public types; the info dictionary is where a literal string stays readable.
  (d as unknown as { getInfoDict(): PDFDict }).getInfoDict().set(PDFName.of('CairnMarker'), PDFString.of(marker));
  return Buffer.from(await d.save({ useObjectStreams: false }));
}

function pngChunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** A valid 2×2 grey PNG. */
export function png(): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(2, 0);
  ihdr.writeUInt32BE(2, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // greyscale
  const raw = Buffer.from([0, 0x80, 0x40, 0, 0x20, 0xff]); // each row: filter byte + 2 pixels
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(raw)),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A minimal valid baseline TIFF (little-endian): header, one IFD, one 1×1 8-bit grey strip. */
export function tiff(): Buffer {
  const entries: [tag: number, type: number, value: number][] = [
    [256, 3, 1], // ImageWidth
    [257, 3, 1], // ImageLength
    [258, 3, 8], // BitsPerSample
    [259, 3, 1], // Compression: none
    [262, 3, 1], // Photometric: black is zero
    [273, 4, 0], // StripOffsets (set below)
    [277, 3, 1], // SamplesPerPixel
    [278, 3, 1], // RowsPerStrip
    [279, 4, 1], // StripByteCounts
  ];
  const ifdSize = 2 + entries.length * 12 + 4;
  const dataAt = 8 + ifdSize;
  const b = Buffer.alloc(dataAt + 1);
  b.write('II', 0, 'latin1');
  b.writeUInt16LE(42, 2);
  b.writeUInt32LE(8, 4);
  b.writeUInt16LE(entries.length, 8);
  entries.forEach(([tag, type, value], i) => {
    const at = 10 + i * 12;
    b.writeUInt16LE(tag, at);
    b.writeUInt16LE(type, at + 2);
    b.writeUInt32LE(1, at + 4);
    if (type === 3) b.writeUInt16LE(value, at + 8);
    else b.writeUInt32LE(tag === 273 ? dataAt : value, at + 8);
  });
  b.writeUInt32LE(0, 10 + entries.length * 12); // no next IFD
  b[dataAt] = 0x7f;
  return b;
}

/** JPEG's start-of-image marker and an APP0 header: enough for the magic check. */
export function jpeg(): Buffer {
  return Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), Buffer.from('JFIF\0', 'latin1'), Buffer.alloc(64, 1), Buffer.from([0xff, 0xd9])]);
}

/** A "PDF" of `size` bytes: the PDF header, then random-looking filler (only the magic is checked). */
export function bigPdf(size: number): Buffer {
  const b = Buffer.alloc(size);
  b.write('%PDF-1.7\n', 0, 'latin1');
  for (let i = 9; i < size; i++) b[i] = (i * 2654435761) >>> 24;
  return b;
}

/** What a .docx begins with (a ZIP): not a document Cairn keeps. */
export function docx(): Buffer {
  return Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.from('[Content_Types].xml', 'latin1'), Buffer.alloc(100)]);
}
