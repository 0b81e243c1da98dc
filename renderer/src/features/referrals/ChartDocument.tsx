import { Alert, Button, Loader, Stack } from '@mantine/core';
import { useState, type ReactElement } from 'react';
import type { DocumentMeta } from '../../../../shared/api/documents.contract';
import { api } from '../../lib/api';
import { DocumentViewer } from '../documents';

/**
 * A filed document named by another record (a referral's consult note, an imaging order's report),
 * shown on request in the chart's own viewer: "Show consult note" opens it, "Hide …" closes it.
 */
export function ChartDocument({ patientId, documentId, what }: { patientId: string; documentId: string; what: string }): ReactElement {
  const [open, setOpen] = useState(false);
  const [doc, setDoc] = useState<DocumentMeta | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const toggle = async (): Promise<void> => {
    if (open) return setOpen(false);
    setOpen(true);
    if (doc) return;
    const r = await api['documents.list']({ patientId });
    if (!r.ok) return setProblem(r.error.message);
    const found = r.value.find((d) => d.id === documentId);
    if (found) setDoc(found);
    else setProblem(`the ${what} is no longer in the chart (removed)`);
  };
  return (
    <Stack gap="xs">
      <Button variant="subtle" size="compact-sm" onClick={() => void toggle()} aria-expanded={open} w="fit-content">
        {open ? `Hide ${what}` : `Show ${what}`}
      </Button>
      {open && (problem ? <Alert color="red">{problem}</Alert> : doc ? <DocumentViewer doc={doc} headingLevel={4} /> : <Loader size="sm" />)}
    </Stack>
  );
}
