import { Alert, Button, Group, Image, Stack, Text } from '@mantine/core';
import { useState, type ReactElement } from 'react';
import { api } from '../../lib/api';

type Side = 'front' | 'back';
type Loaded = { side: Side; dataUrl: string | null }[];

/**
 * Important: a card image comes from the database (perhaps from another device through sync), so only
 * an inline picture is put in an <img>; anything else (a remote address, a script URL) is refused here,
 * whatever the CSP would do with it.
 */
const PICTURE = /^data:image\/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]+$/;

/** At its own size up to 480 px wide (a card scanned at 300 dpi is about 1,000), never blown up past its pixels. */
function SideImage({ side, dataUrl }: { side: Side; dataUrl: string | null }): ReactElement {
  if (dataUrl === null) return <Text size="sm">No {side} image is stored.</Text>;
  if (!PICTURE.test(dataUrl)) return <Text size="sm">The stored {side} image is not a picture Cairn can show (PNG, JPEG, GIF or WebP).</Text>;
  return (
    <Image
      src={dataUrl}
      alt={`Insurance card, ${side}`}
      w="auto"
      maw={480}
      fit="contain"
      radius="sm"
      bd="1px solid var(--mantine-color-gray-4)"
      data-testid={`card-image-${side}`}
    />
  );
}

/**
 * The insurance card scanned at registration, loaded only when asked for: each look is audited as a
 * read of the chart, so the card is not fetched just because the coverage is on screen.
 */
export function CardImages({ coverageId, front, back }: { coverageId: string; front: boolean; back: boolean }): ReactElement {
  const [shown, setShown] = useState<Loaded | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const sides = [...(front ? ['front' as const] : []), ...(back ? ['back' as const] : [])];

  const toggle = async (): Promise<void> => {
    if (shown) return setShown(null);
    setBusy(true);
    const results = await Promise.all(sides.map(async (side) => ({ side, r: await api['billing.card']({ coverageId, side }) })));
    setBusy(false);
    const failed = results.find((x) => !x.r.ok);
    if (failed && !failed.r.ok) return setError(failed.r.error.message);
    setError(null);
    setShown(results.map(({ side, r }) => ({ side, dataUrl: r.ok ? r.value.dataUrl : null })));
  };

  return (
    <Stack gap={4}>
      <Group gap="xs">
        <Button size="xs" variant="default" loading={busy} aria-expanded={shown !== null} onClick={() => void toggle()} data-testid="coverage-show-card">
          {shown ? 'Hide card' : 'Show card'}
        </Button>
      </Group>
      {error && (
        <Alert color="red" variant="light">
          {error}
        </Alert>
      )}
      {shown && (
        <Group align="flex-start" gap="sm" data-testid="coverage-card-images">
          {shown.map((s) => (
            <SideImage key={s.side} side={s.side} dataUrl={s.dataUrl} />
          ))}
        </Group>
      )}
    </Stack>
  );
}
