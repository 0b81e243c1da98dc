import * as UTIF from 'utif2';

/** A decoded TIFF page: its size and RGBA pixels. */
export interface TiffPage {
  width: number;
  height: number;
  rgba: Uint8ClampedArray<ArrayBuffer>;
}

/** A TIFF's pages (fax software writes one image per page), each decoded only when it is asked for. */
export interface TiffFile {
  pages: number;
  page: (index: number) => TiffPage;
}

/**
 * Reads a TIFF with utif2 (UTIF.js), which decodes what fax machines and scanners write: CCITT
 * group 3 and 4, LZW, PackBits, Deflate and JPEG, bilevel to colour. Thumbnails and EXIF blocks are
 * not pages: only directories with an image of their own count.
 */
export function readTiff(bytes: Uint8Array): TiffFile {
  const buffer = bytes.slice().buffer;
  const ifds = UTIF.decode(buffer).filter((ifd) => ifd['t256'] !== undefined && ifd['t257'] !== undefined && Number(ifd['t254'] ?? 0) !== 1);
  if (ifds.length === 0) throw new Error('this TIFF has no page Cairn can show');
  return {
    pages: ifds.length,
    page: (index) => {
      const ifd = ifds[index];
      if (!ifd) throw new Error(`this TIFF has no page ${index + 1}`);
      UTIF.decodeImage(buffer, ifd);
      const rgba = new Uint8ClampedArray(UTIF.toRGBA8(ifd));
      return { width: ifd.width, height: ifd.height, rgba };
    },
  };
}
