import { Alert, Button, Group, List, Text } from '@mantine/core';
import { useState, type ReactElement } from 'react';
import type { Out } from '../../../../shared/api/contract';
import { formatCents } from '../../../../shared/domain/money';
import { api } from '../../lib/api';
import { downloadText } from './download-text';

type Batch = Out<'billing.batch'>;

/** Sends every ready claim as one 837P batch to the clearinghouse folder and says what went and what was held back. */
export function BatchButton({ readyCount, onSent }: { readyCount: number | null; onSent: () => void }): ReactElement {
  const [batch, setBatch] = useState<Batch | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const send = async (): Promise<void> => {
    setBusy(true);
    const r = await api['billing.batch']({});
    setBusy(false);
    if (!r.ok) return setError(r.error.message);
    setError(null);
    setBatch(r.value);
    onSent();
  };
  return (
    <>
      <Button onClick={() => void send()} loading={busy} disabled={readyCount === 0} data-testid="claims-send-batch">
        Send batch{readyCount ? ` (${readyCount} ready)` : ''}
      </Button>
      {error && <Alert color="red">{error}</Alert>}
      {batch && (
        <Alert color="teal" variant="light" title="Batch sent" data-testid="batch-result" withCloseButton onClose={() => setBatch(null)}>
          <Group justify="space-between">
            <Text size="sm">
              {batch.claimCount} claim(s), {formatCents(batch.totalCents)}, interchange {batch.interchangeControl}, written as {batch.fileName}.
            </Text>
            <Button size="xs" variant="default" onClick={() => downloadText(batch.fileName, batch.text)} data-testid="batch-download">
              Download 837
            </Button>
          </Group>
          {batch.skipped.length > 0 && (
            <List size="sm" mt="xs">
              {batch.skipped.map((s) => (
                <List.Item key={s.claimNumber}>
                  Held back {s.claimNumber}: {s.reason}
                </List.Item>
              ))}
            </List>
          )}
        </Alert>
      )}
    </>
  );
}
