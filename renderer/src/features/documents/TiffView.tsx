import { Alert, Box, Stack } from '@mantine/core';
import { useEffect, useMemo, useRef, useState, type ReactElement } from 'react';
import { DEFAULT_ZOOM_INDEX, PageToolbar, ZOOMS } from './PageToolbar';
import { readTiff, type TiffFile, type TiffPage } from './tiff-decode';

const failure = (what: string, e: unknown): string => `${what}: ${e instanceof Error ? e.message : String(e)}`;

/** A TIFF (a fax, a scan) decoded in the screen into a canvas, page by page, with navigation and zoom. */
export function TiffView({ bytes, title }: { bytes: Uint8Array; title: string }): ReactElement {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [page, setPage] = useState(1);
  const [zoomIndex, setZoomIndex] = useState(DEFAULT_ZOOM_INDEX);
  const file = useMemo((): TiffFile | string => {
    try {
      return readTiff(bytes);
    } catch (e) {
      return failure('this TIFF could not be shown', e);
    }
  }, [bytes]);
  // Decoding is pure work on the bytes; only drawing touches the page.
  const decoded = useMemo((): TiffPage | string | null => {
    if (typeof file === 'string') return null;
    try {
      return file.page(page - 1);
    } catch (e) {
      return failure(`page ${page} could not be decoded`, e);
    }
  }, [file, page]);

  useEffect(() => {
    const target = canvas.current;
    if (!target || !decoded || typeof decoded === 'string') return;
    target.width = decoded.width;
    target.height = decoded.height;
    // Fax pages are about 1,700 pixels wide at 200 dpi: 100% fits them to a reading width.
    target.style.width = `${Math.round(Math.min(decoded.width, 850) * (ZOOMS[zoomIndex] ?? 1))}px`;
    target.getContext('2d')?.putImageData(new ImageData(decoded.rgba, decoded.width, decoded.height), 0, 0);
    // For tests and tools: how many times a page was drawn (a DOM fact, not React state).
    target.dataset['rendered'] = String(Number(target.dataset['rendered'] ?? '0') + 1);
  }, [decoded, zoomIndex]);

  if (typeof file === 'string') return <Alert color="red">{file}</Alert>;
  return (
    <Stack gap="xs" data-testid="tiff-view">
      <PageToolbar page={page} pages={file.pages} onPage={setPage} zoomIndex={zoomIndex} onZoom={setZoomIndex} />
      {typeof decoded === 'string' && <Alert color="red">{decoded}</Alert>}
      <Box
        // Focusable so the page can be scrolled with the keyboard when it is larger than the view.
        tabIndex={0}
        role="region"
        aria-label={`${title}: the page`}
        style={{ overflow: 'auto', maxHeight: '75vh', border: '1px solid var(--mantine-color-gray-4)' }}
      >
        <canvas ref={canvas} role="img" aria-label={`${title}, page ${page} of ${file.pages}`} data-testid="tiff-canvas" data-page={page} />
      </Box>
    </Stack>
  );
}
