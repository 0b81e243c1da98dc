import { Button, Group, Text } from '@mantine/core';
import { useState, type ReactElement } from 'react';
import { api } from '../../lib/api';
import { downloadXml } from '../../lib/download';

/** "Export C-CDA": the chart as a CCD R2.1 (what another clinic or the patient's next doctor can import); audited as a disclosure. */
export function ExportCcda({ patientId }: { patientId: string }): ReactElement {
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const run = async (): Promise<void> => {
    setBusy(true);
    setMessage(null);
    const r = await api['ccda.export']({ patientId });
    setBusy(false);
    if (!r.ok) return setMessage({ ok: false, text: r.error.message });
    downloadXml(r.value.fileName, r.value.xml);
    setMessage({ ok: true, text: `Saved ${r.value.fileName} (a CCD of this chart; the export is recorded in the audit log)` });
  };
  return (
    <Group gap="sm">
      <Button variant="default" loading={busy} onClick={() => void run()}>
        Export C-CDA
      </Button>
      {message && (
        <Text size="sm" c={message.ok ? undefined : 'red.9'} role={message.ok ? 'status' : 'alert'} data-testid="ccda-export-message">
          {message.text}
        </Text>
      )}
    </Group>
  );
}
