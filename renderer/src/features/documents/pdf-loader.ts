import type * as PdfJsModule from 'pdfjs-dist';
import type { PDFDocumentProxy } from 'pdfjs-dist';

type PdfJs = typeof PdfJsModule;

let loading: Promise<PdfJs> | null = null;

/**
 * pdf.js, loaded the first time a PDF is opened (it is large, and most screens never need it).
 *
 * Important (CSP): the app allows scripts and workers only from itself ('self'), so the worker is
 * bundled by Vite as a file of the app (`?worker`) and handed to pdf.js as a ready port; pdf.js never
 * builds a worker from a blob or a CDN address. The bundled worker is a plain .js file, so it is
 * served with a JavaScript type by every server of the renderer (an .mjs asset was not).
 */
function pdfjs(): Promise<PdfJs> {
  loading ??= Promise.all([import('pdfjs-dist'), import('pdfjs-dist/build/pdf.worker.min.mjs?worker')]).then(([lib, worker]) => {
    lib.GlobalWorkerOptions.workerPort = new worker.default();
    return lib;
  });
  return loading;
}

/**
 * Opens a PDF's bytes. `isEvalSupported: false`: pdf.js would otherwise try `new Function` for
 * fonts, which the CSP refuses (and reports); scripts inside the PDF are never run (no scripting
 * sandbox is set up) and no link leaves the viewer.
 */
export async function openPdf(bytes: Uint8Array): Promise<PDFDocumentProxy> {
  const lib = await pdfjs();
  // pdf.js transfers the buffer it is given to the worker: a copy keeps the caller's bytes usable.
  return lib.getDocument({ data: bytes.slice(), isEvalSupported: false, enableXfa: false, stopAtErrors: false }).promise;
}
