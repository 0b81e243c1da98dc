import { Button, Group, Text } from '@mantine/core';
import type { ReactElement } from 'react';

export const ZOOMS = [0.5, 0.75, 1, 1.25, 1.5, 2, 3] as const;
export const DEFAULT_ZOOM_INDEX = 2;

/** Page navigation and zoom for the PDF and TIFF views (the same names in both, for keyboard and screen-reader users). */
export function PageToolbar({
  page,
  pages,
  onPage,
  zoomIndex,
  onZoom,
}: {
  page: number;
  pages: number;
  onPage: (page: number) => void;
  zoomIndex: number;
  onZoom: (index: number) => void;
}): ReactElement {
  const zoom = ZOOMS[zoomIndex] ?? 1;
  return (
    <Group gap="xs" role="toolbar" aria-label="Pages and zoom" data-testid="viewer-toolbar">
      <Button size="xs" variant="default" disabled={page <= 1} onClick={() => onPage(page - 1)}>
        Previous page
      </Button>
      <Text size="sm" aria-live="polite" data-testid="viewer-page">
        Page {page} of {pages}
      </Text>
      <Button size="xs" variant="default" disabled={page >= pages} onClick={() => onPage(page + 1)}>
        Next page
      </Button>
      <Button size="xs" variant="default" disabled={zoomIndex <= 0} onClick={() => onZoom(zoomIndex - 1)}>
        Zoom out
      </Button>
      <Text size="sm" aria-live="polite" data-testid="viewer-zoom">
        {Math.round(zoom * 100)}%
      </Text>
      <Button size="xs" variant="default" disabled={zoomIndex >= ZOOMS.length - 1} onClick={() => onZoom(zoomIndex + 1)}>
        Zoom in
      </Button>
    </Group>
  );
}
