import { describe, expect, it } from 'vitest';
import { fileBase64 } from '../../../shared/api/documents.contract';
import { contentRefusal, mimeOfFileName, sniffMimeType, typeOfUpload } from '../../../electron/services/records/document-sniff';
import { chunkCountOf } from '../../../electron/services/records/document-store';
import { decodeBase64, titleFromFileName } from '../../../electron/services/records/documents.service';

const bytes = (...b: number[]): Uint8Array => Uint8Array.from(b);
const text = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('what a document is, read from its bytes', () => {
  it('knows PDF, JPEG, PNG and both TIFF byte orders by their magic, and XML only when asked', () => {
    expect(sniffMimeType(text('%PDF-1.7\n'))).toBe('application/pdf');
    expect(sniffMimeType(bytes(0xff, 0xd8, 0xff, 0xe0))).toBe('image/jpeg');
    expect(sniffMimeType(bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0))).toBe('image/png');
    expect(sniffMimeType(bytes(0x49, 0x49, 0x2a, 0x00, 8, 0, 0, 0))).toBe('image/tiff');
    expect(sniffMimeType(bytes(0x4d, 0x4d, 0x00, 0x2a, 0, 0, 0, 8))).toBe('image/tiff');
    expect(sniffMimeType(text('%PDF'))).toBeNull();
    expect(sniffMimeType(bytes(0x89, 0x50, 0x4e, 0x47))).toBeNull();
    expect(sniffMimeType(text('<?xml version="1.0"?>'))).toBeNull();
    expect(sniffMimeType(text('\ufeff  \n<ClinicalDocument/>'), true)).toBe('application/xml');
    expect(sniffMimeType(new Uint8Array(0))).toBeNull();
  });

  it('says what a file claiming a type lacks', () => {
    expect(contentRefusal(text('hello'), 'application/pdf')).toBe('this file says it is a PDF but is not one: it does not begin with %PDF-');
    expect(contentRefusal(text('%PDF-1.4'), 'image/png')).toBe('this file says it is a PNG image but is not one: it does not begin with the PNG signature');
    expect(contentRefusal(text('  {"json": true}'), 'application/xml')).toBe(
      "this file says it is an XML document but is not one: its first character is not '<'",
    );
    expect(contentRefusal(text(' \r\n<ClinicalDocument/>'), 'application/xml')).toBeNull();
    expect(contentRefusal(new Uint8Array(0), 'application/pdf')).toBe('this file is empty: there is nothing to keep');
  });

  it('takes the type from the bytes, refusing a name that claims another or a content Cairn does not keep', () => {
    expect(typeOfUpload('scan.PDF', text('%PDF-1.7'))).toEqual({ mime: 'application/pdf' });
    expect(typeOfUpload('no-extension', bytes(0xff, 0xd8, 0xff, 0xdb))).toEqual({ mime: 'image/jpeg' });
    expect(typeOfUpload('photo.jpeg', text('%PDF-1.7'))).toEqual({
      refusal: 'photo.jpeg: this file says it is a JPEG image but is not one: it does not begin with the JPEG marker (FF D8 FF)',
    });
    expect(typeOfUpload('virus.exe', text('MZ...'))).toEqual({
      refusal: 'virus.exe is not a PDF or an image Cairn keeps: Cairn keeps PDFs and JPEG, PNG or TIFF images',
    });
    expect(typeOfUpload('ccd.xml', text('<ClinicalDocument/>'))).toMatchObject({ refusal: expect.stringMatching(/not a PDF or an image/) as unknown });
    expect(typeOfUpload('empty.pdf', new Uint8Array(0))).toEqual({ refusal: 'empty.pdf is empty: there is nothing to keep' });
    expect(mimeOfFileName('a.TIF')).toBe('image/tiff');
    expect(mimeOfFileName('a.docx')).toBeNull();
  });
});

describe('sizes and names', () => {
  it('cuts documents into 1 MiB chunks', () => {
    expect(chunkCountOf(1)).toBe(1);
    expect(chunkCountOf(1024 * 1024)).toBe(1);
    expect(chunkCountOf(1024 * 1024 + 1)).toBe(2);
    expect(chunkCountOf(3.5 * 1024 * 1024)).toBe(4);
  });

  it('refuses base64 over 32 MB by its length, naming the size, with one issue', () => {
    const over = 'A'.repeat(Math.ceil((32 * 1024 * 1024 + 3) / 3) * 4);
    const r = fileBase64.safeParse(over);
    expect(r.success).toBe(false);
    expect(r.error?.issues).toHaveLength(1);
    expect(r.error?.issues[0]?.message).toBe('this file is 32.0 MB; Cairn keeps documents up to 32.0 MB: scan it at a lower resolution or in parts');
    expect(fileBase64.safeParse('not base64!').error?.issues[0]?.message).toMatch(/did not arrive whole/);
    expect(fileBase64.safeParse('JVBERi0=').success).toBe(true);
    expect(Buffer.from(decodeBase64('JVBERi0=')).toString('latin1')).toBe('%PDF-');
  });

  it('makes a title a person can read from a scanner file name', () => {
    expect(titleFromFileName('/scans/2024-03-01_Mercy_Radiology-CT.pdf')).toBe('2024-03-01 Mercy Radiology CT');
    expect(titleFromFileName('Scan-2026-11-02.pdf')).toBe('Scan 2026-11-02');
    expect(titleFromFileName('fax_0001.tiff')).toBe('fax 0001');
    expect(titleFromFileName('.pdf')).toBe('Untitled document');
  });
});
