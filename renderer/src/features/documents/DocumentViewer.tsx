import { Alert, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { useEffect, useMemo, useState, type ReactElement } from 'react';
import type { DocumentMeta } from '../../../../shared/api/documents.contract';
import { DOCUMENT_CATEGORY_LABELS, formatBytes } from '../../../../shared/domain/records';
import { api } from '../../lib/api';
import { CcdaDocumentViewer } from '../reconcile';
import { base64Bytes } from '../../lib/file-bytes';
import { day } from './bytes';
import { ImageView } from './ImageView';
import { PdfView } from './PdfView';
import { TiffView } from './TiffView';

/** The content of a document, by the type the backend read from its bytes. */
function Content({ doc }: { doc: DocumentMeta }): ReactElement {
  const [data, setData] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const isXml = doc.mimeType === 'application/xml';
  useEffect(() => {
    // Mounted afresh for each document (keyed by its id), so there is nothing to reset here.
    if (isXml) return;
    void api['documents.open']({ id: doc.id }).then((r) => (r.ok ? setData(r.value.dataBase64) : setError(r.error.message)));
  }, [doc.id, isXml]);
  const bytes = useMemo(() => (data && (doc.mimeType === 'application/pdf' || doc.mimeType === 'image/tiff') ? base64Bytes(data) : null), [data, doc.mimeType]);
  // A C-CDA is shown as the clinician reads it (its narrative), not as XML.
  if (isXml) return <CcdaDocumentViewer documentId={doc.id} />;
  if (error) return <Alert color="orange">{error}</Alert>;
  if (!data) return <Loader size="sm" aria-label="Opening the document" />;
  switch (doc.mimeType) {
    case 'application/pdf':
      return <PdfView bytes={bytes ?? new Uint8Array()} title={doc.title} />;
    case 'image/tiff':
      return <TiffView bytes={bytes ?? new Uint8Array()} title={doc.title} />;
    case 'image/jpeg':
    case 'image/png':
      return <ImageView base64={data} mimeType={doc.mimeType} title={doc.title} />;
    case 'application/xml':
      return <CcdaDocumentViewer documentId={doc.id} />;
  }
}

/** A document's description and its content, inside the app (nothing is handed to another program). */
export function DocumentViewer({ doc, headingLevel = 3 }: { doc: DocumentMeta; headingLevel?: 2 | 3 | 4 }): ReactElement {
  return (
    <Stack gap="xs" data-testid="document-viewer" data-document-id={doc.id}>
      <Title order={headingLevel} data-testid="document-viewer-title">
        {doc.title}
      </Title>
      <Group gap="md">
        <Text size="sm">{doc.category ? DOCUMENT_CATEGORY_LABELS[doc.category] : 'Not filed yet'}</Text>
        <Text size="sm">Dated {day(doc.documentDate)}</Text>
        <Text size="sm">{doc.source ? `From ${doc.source}` : 'Source not recorded'}</Text>
        <Text size="sm" c="dimmed">
          {formatBytes(doc.sizeBytes)}
        </Text>
      </Group>
      {doc.note && <Text size="sm">{doc.note}</Text>}
      {/* Content kept only on the clinic server is asked for on opening; the backend says if it cannot be reached. */}
      <Content key={doc.id} doc={doc} />
    </Stack>
  );
}
