import { Alert, Box, Loader, Stack } from '@mantine/core';
import type { PDFDocumentProxy, RenderTask } from 'pdfjs-dist';
import { useEffect, useRef, useState, type ReactElement } from 'react';
import { openPdf } from './pdf-loader';
import { DEFAULT_ZOOM_INDEX, PageToolbar, ZOOMS } from './PageToolbar';

/** A PDF drawn by pdf.js into a canvas, one page at a time, with page navigation and zoom. */
export function PdfView({ bytes, title }: { bytes: Uint8Array; title: string }): ReactElement {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [doc, setDoc] = useState<PDFDocumentProxy | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [page, setPage] = useState(1);
  const [zoomIndex, setZoomIndex] = useState(DEFAULT_ZOOM_INDEX);
  const [rendered, setRendered] = useState(0);

  useEffect(() => {
    let alive = true;
    let opened: PDFDocumentProxy | null = null;
    openPdf(bytes).then(
      (d) => {
        opened = d;
        if (alive) setDoc(d);
        else void d.destroy();
      },
      (e: unknown) => alive && setError(`this PDF could not be shown: ${e instanceof Error ? e.message : String(e)}`),
    );
    return () => {
      alive = false;
      void opened?.destroy();
    };
  }, [bytes]);

  useEffect(() => {
    if (!doc || !canvas.current) return;
    let task: RenderTask | null = null;
    let alive = true;
    const target = canvas.current;
    void doc.getPage(page).then((p) => {
      if (!alive) return;
      const ratio = window.devicePixelRatio || 1;
      const viewport = p.getViewport({ scale: (ZOOMS[zoomIndex] ?? 1) * ratio });
      target.width = Math.floor(viewport.width);
      target.height = Math.floor(viewport.height);
      target.style.width = `${Math.floor(viewport.width / ratio)}px`;
      target.style.height = `${Math.floor(viewport.height / ratio)}px`;
      const context = target.getContext('2d');
      if (!context) return setError('this screen cannot draw the PDF (no canvas)');
      task = p.render({ canvasContext: context, viewport });
      task.promise.then(
        () => alive && setRendered((n) => n + 1),
        // A render cancelled by the next page or zoom is not an error.
        (e: unknown) => alive && !(e instanceof Error && e.name === 'RenderingCancelledException') && setError(`page ${page} could not be drawn`),
      );
    });
    return () => {
      alive = false;
      task?.cancel();
    };
  }, [doc, page, zoomIndex]);

  if (error) return <Alert color="red">{error}</Alert>;
  return (
    <Stack gap="xs" data-testid="pdf-view">
      {doc ? (
        <PageToolbar page={page} pages={doc.numPages} onPage={setPage} zoomIndex={zoomIndex} onZoom={setZoomIndex} />
      ) : (
        <Loader size="sm" role="status" aria-label="Opening the PDF" />
      )}
      <Box
        // Focusable so the page can be scrolled with the keyboard when it is larger than the view.
        tabIndex={0}
        role="region"
        aria-label={`${title}: the page`}
        style={{ overflow: 'auto', maxHeight: '75vh', border: '1px solid var(--mantine-color-gray-4)' }}
      >
        <canvas
          ref={canvas}
          role="img"
          aria-label={`${title}, page ${page}${doc ? ` of ${doc.numPages}` : ''}`}
          data-testid="pdf-canvas"
          data-rendered={rendered}
          data-page={page}
        />
      </Box>
    </Stack>
  );
}
