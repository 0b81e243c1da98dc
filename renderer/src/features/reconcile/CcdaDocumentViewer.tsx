import { Alert, Badge, Group, Loader, Paper, Stack, Text, Title } from '@mantine/core';
import { useEffect, useState, type ReactElement } from 'react';
import type { CcdaDocumentView } from '../../../../shared/api/ccda.contract';
import { api } from '../../lib/api';
import { NarrativeHtml } from './NarrativeHtml';

/** A received C-CDA as a person reads it: who sent it, about whom, then each section's narrative. */
export function CcdaDocumentViewer({ importId, documentId }: { importId?: string; documentId?: string }): ReactElement {
  const [view, setView] = useState<CcdaDocumentView | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const input = importId ? { importId } : { documentId: documentId ?? '' };
    void api['ccda.view'](input).then((r) => (r.ok ? setView(r.value) : setError(r.error.message)));
  }, [importId, documentId]);
  if (error) return <Alert color="red">{error}</Alert>;
  if (!view) return <Loader size="sm" aria-label="Opening the document" />;
  const h = view.header;
  return (
    <Stack gap="sm" data-testid="ccda-view">
      <Group gap="xs">
        <Title order={3} data-testid="ccda-view-title">
          {h.title}
        </Title>
        <Badge variant="light">{h.docType}</Badge>
      </Group>
      <Text size="sm" data-testid="ccda-view-source">
        From {h.sourceName}
        {h.effectiveTime ? `, ${h.effectiveTime.slice(0, 10)}` : ''}
        {h.author ? ` · author ${h.author}` : ''}
      </Text>
      {h.patient && (
        <Text size="sm" c="dimmed">
          About {h.patient.name}
          {h.patient.birthDate ? `, born ${h.patient.birthDate}` : ''} · {h.patient.sex}
        </Text>
      )}
      {view.sections.length === 0 && <Text c="dimmed">This document has no sections to show.</Text>}
      {view.sections.map((s, i) => (
        <Paper key={`${s.key}-${i}`} withBorder p="sm" component="section" aria-labelledby={`ccda-section-${i}`} data-testid="ccda-section">
          <Title order={4} id={`ccda-section-${i}`} mb="xs">
            {s.title}
          </Title>
          <NarrativeHtml html={s.narrativeHtml} />
        </Paper>
      ))}
    </Stack>
  );
}
