import { Box, Image } from '@mantine/core';
import type { ReactElement } from 'react';

/**
 * A JPEG or PNG. Important (CSP): the app's policy lets images come from itself and data: URLs
 * only (not blob:), so the picture is given as a data: URL of the bytes the backend sent, of the
 * type the backend read from those bytes (never the file name's).
 */
export function ImageView({ base64, mimeType, title }: { base64: string; mimeType: 'image/jpeg' | 'image/png'; title: string }): ReactElement {
  return (
    <Box
      // Focusable so the page can be scrolled with the keyboard when it is larger than the view.
      tabIndex={0}
      role="region"
      aria-label={`${title}: the page`}
      style={{ overflow: 'auto', maxHeight: '75vh', border: '1px solid var(--mantine-color-gray-4)' }}
    >
      <Image src={`data:${mimeType};base64,${base64}`} alt={title} w="auto" maw="100%" fit="contain" data-testid="image-view" />
    </Box>
  );
}
