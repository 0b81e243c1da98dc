import { CairnFailure } from '../../../shared/api/result';
import type { DocumentMimeType } from '../../../shared/domain/records';
import type { Hl7Delimiters } from '../../../shared/hl7';
import { DocumentStore } from '../records/document-store';

/** An ED value (OBX-5 of type ED) decoded into what a document keeps. */
export interface EdContent {
  bytes: Uint8Array;
  mimeType: DocumentMimeType;
}

/** What a refused ED says: why, and the ACK condition (table 0357). */
export interface EdProblem {
  problem: string;
  condition: '102' | '103';
}

const ED_TYPES: Record<string, DocumentMimeType> = {
  'application/pdf': 'application/pdf',
  'image/jpeg': 'image/jpeg',
  'image/jpg': 'image/jpeg',
  'image/png': 'image/png',
  'image/tiff': 'image/tiff',
};

/** FT/TX formatting commands (kept as written by the parser: they mean something only here) applied to plain text. */
export function formattedText(value: string, d: Hl7Delimiters): string {
  const e = d.escape.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return value
    .replace(new RegExp(`${e}\\.br${e}`, 'g'), '\n')
    .replace(new RegExp(`${e}\\.sp ?(\\d*)${e}`, 'g'), (_, n: string) => '\n'.repeat(Math.max(1, Number(n || '1'))))
    .replace(new RegExp(`${e}\\.(?:in|ti|sk) ?[+-]?\\d*${e}`, 'g'), '')
    .replace(new RegExp(`${e}\\.(?:fi|nf|ce)${e}`, 'g'), '')
    .replace(new RegExp(`${e}[HN]${e}`, 'g'), '');
}

/**
 * ED data (OBX-5.5) decoded by its encoding (OBX-5.4, Base64 or Hex) and checked by its bytes to be
 * the PDF or image OBX-5.2/5.3 say; null when the data is empty (an attachment announced, not sent).
 */
export function decodeEd(ed: { type: string; subtype: string; encoding: string; data: string }, d: Hl7Delimiters): EdContent | EdProblem | null {
  const type = `${ed.type}/${ed.subtype}`.toLowerCase();
  // Long data is often wrapped: line breaks and \.br\ between its pieces are not data.
  const data = formattedText(ed.data, d).replace(/\s+/g, '');
  if (data === '') return null;
  const mimeType = ED_TYPES[type];
  if (!mimeType) return { problem: `an attachment of type ${type} cannot be kept (PDF, JPEG, PNG or TIFF)`, condition: '103' };
  const encoding = ed.encoding.toUpperCase();
  let bytes: Buffer;
  if (encoding === 'BASE64' || encoding === 'B64') {
    if (!/^[A-Za-z0-9+/]+=*$/.test(data)) return { problem: 'the attachment is not valid Base64', condition: '102' };
    bytes = Buffer.from(data, 'base64');
  } else if (encoding === 'HEX') {
    if (!/^(?:[0-9A-Fa-f]{2})+$/.test(data)) return { problem: 'the attachment is not valid hexadecimal', condition: '102' };
    bytes = Buffer.from(data, 'hex');
  } else return { problem: `attachment encoding "${ed.encoding}" is not supported (Base64 or Hex)`, condition: '103' };
  try {
    DocumentStore.check(bytes, mimeType);
  } catch (err) {
    return { problem: err instanceof CairnFailure ? err.message : String(err), condition: '102' };
  }
  return { bytes: new Uint8Array(bytes), mimeType };
}
