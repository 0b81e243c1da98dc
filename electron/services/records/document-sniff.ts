import type { DocumentMimeType } from '../../../shared/domain/records';

// What a document's bytes say it is. A file's name or a sender's word is never trusted: a chart
// must not hold an executable named "labs.pdf", and the viewer must get what it expects.

const PDF = [0x25, 0x50, 0x44, 0x46, 0x2d]; // %PDF-
const JPEG = [0xff, 0xd8, 0xff];
const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const TIFF_LE = [0x49, 0x49, 0x2a, 0x00]; // II*\0
const TIFF_BE = [0x4d, 0x4d, 0x00, 0x2a]; // MM\0*

function startsWith(bytes: Uint8Array, magic: readonly number[], at = 0): boolean {
  if (bytes.length < at + magic.length) return false;
  for (let i = 0; i < magic.length; i++) if (bytes[at + i] !== magic[i]) return false;
  return true;
}

/** XML (a C-CDA): after a UTF-8 byte-order mark and white space, the first character is '<'. */
function looksLikeXml(bytes: Uint8Array): boolean {
  let i = startsWith(bytes, [0xef, 0xbb, 0xbf]) ? 3 : 0;
  // White space only: a huge file of spaces would be refused after this many anyway.
  const limit = Math.min(bytes.length, i + 4096);
  while (i < limit && (bytes[i] === 0x20 || bytes[i] === 0x09 || bytes[i] === 0x0a || bytes[i] === 0x0d)) i++;
  return i < bytes.length && bytes[i] === 0x3c;
}

/** The type the bytes begin as (PDF, JPEG, PNG, TIFF; XML only when asked for), or null. */
export function sniffMimeType(bytes: Uint8Array, allowXml = false): DocumentMimeType | null {
  if (startsWith(bytes, PDF)) return 'application/pdf';
  if (startsWith(bytes, JPEG)) return 'image/jpeg';
  if (startsWith(bytes, PNG)) return 'image/png';
  if (startsWith(bytes, TIFF_LE) || startsWith(bytes, TIFF_BE)) return 'image/tiff';
  if (allowXml && looksLikeXml(bytes)) return 'application/xml';
  return null;
}

/** How each type is named to a person, and what its bytes must begin with. */
const KINDS: Readonly<Record<DocumentMimeType, { name: string; begins: string }>> = {
  'application/pdf': { name: 'a PDF', begins: 'it does not begin with %PDF-' },
  'image/jpeg': { name: 'a JPEG image', begins: 'it does not begin with the JPEG marker (FF D8 FF)' },
  'image/png': { name: 'a PNG image', begins: 'it does not begin with the PNG signature' },
  'image/tiff': { name: 'a TIFF image', begins: 'it does not begin with a TIFF header (II*\\0 or MM\\0*)' },
  'application/xml': { name: 'an XML document', begins: "its first character is not '<'" },
};

/** A person's name for a type: "a PDF". */
export function kindName(mime: DocumentMimeType): string {
  return KINDS[mime].name;
}

/**
 * Why these bytes are not what `mime` says (null: they are). The message names the claim and what
 * the bytes lack, so the person who picked the file knows to look for the real one.
 */
export function contentRefusal(bytes: Uint8Array, mime: DocumentMimeType): string | null {
  if (bytes.length === 0) return 'this file is empty: there is nothing to keep';
  const ok = mime === 'application/xml' ? looksLikeXml(bytes) : sniffMimeType(bytes) === mime;
  return ok ? null : `this file says it is ${KINDS[mime].name} but is not one: ${KINDS[mime].begins}`;
}

/** The type a file's name claims (by its extension), or null when the extension is none Cairn keeps. */
export function mimeOfFileName(name: string): DocumentMimeType | null {
  const ext = /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase();
  switch (ext ?? '') {
    case 'pdf':
      return 'application/pdf';
    case 'jpg':
    case 'jpeg':
      return 'image/jpeg';
    case 'png':
      return 'image/png';
    case 'tif':
    case 'tiff':
      return 'image/tiff';
    case 'xml':
      return 'application/xml';
    default:
      return null;
  }
}

/** What the desk and the scan folder accept, in words. */
export const ACCEPTED_WORDS = 'Cairn keeps PDFs and JPEG, PNG or TIFF images';

/**
 * The type of a file picked at the desk or dropped in the scan folder: sniffed from its bytes, and
 * refused (with the reason in words) when the bytes are none Cairn keeps or the name claims another.
 */
export function typeOfUpload(fileName: string, bytes: Uint8Array): { mime: DocumentMimeType } | { refusal: string } {
  if (bytes.length === 0) return { refusal: `${fileName} is empty: there is nothing to keep` };
  const claimed = mimeOfFileName(fileName);
  const sniffed = sniffMimeType(bytes);
  if (claimed && claimed !== 'application/xml' && sniffed !== claimed) {
    const refusal = contentRefusal(bytes, claimed);
    return { refusal: `${fileName}: ${refusal ?? 'its content is not what its name says'}` };
  }
  if (!sniffed) return { refusal: `${fileName} is not a PDF or an image Cairn keeps: ${ACCEPTED_WORDS}` };
  return { mime: sniffed };
}
