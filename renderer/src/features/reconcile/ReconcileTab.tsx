import { Alert, Loader, Stack } from '@mantine/core';
import { useCallback, useEffect, useState, type ReactElement } from 'react';
import type { CcdaImportResult, CcdaImportView, ReconcileSectionView } from '../../../../shared/api/ccda.contract';
import { api } from '../../lib/api';
import { ExportCcda } from './ExportCcda';
import { ImportCcda, ImportSummary } from './ImportCcda';
import { ReceivedDocuments } from './ReceivedDocuments';
import { ReconcileItems } from './ReconcileItems';

/** The chart's outside records: import a C-CDA, decide its entries section by section, read what was received. */
export function ReconcileTab({ patientId }: { patientId: string }): ReactElement {
  const [sections, setSections] = useState<ReconcileSectionView[] | null>(null);
  const [imports, setImports] = useState<CcdaImportView[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [last, setLast] = useState<{ result: CcdaImportResult; title: string } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const load = useCallback(() => {
    void api['ccda.items']({ patientId, status: 'pending' }).then((r) => (r.ok ? setSections(r.value) : setError(r.error.message)));
    void api['ccda.imports']({ patientId }).then((r) => r.ok && setImports(r.value));
  }, [patientId]);
  useEffect(load, [load]);

  const imported = (result: CcdaImportResult, fileName: string): void => {
    setNotice(null);
    setLast({ result, title: `Imported ${fileName}` });
    load();
  };
  const header = imports.find((i) => i.id === last?.result.importId);
  return (
    <Stack data-testid="reconcile-tab">
      <ImportCcda patientId={patientId} onImported={imported} />
      <ExportCcda patientId={patientId} />
      {last && <ImportSummary result={last.result} title={header ? `${header.title} (${header.docType}) from ${header.sourceName}` : last.title} />}
      {notice && (
        <Alert color="green" withCloseButton closeButtonLabel="Dismiss" onClose={() => setNotice(null)} data-testid="reconcile-notice">
          {notice}
        </Alert>
      )}
      {error && <Alert color="red">{error}</Alert>}
      {sections ? (
        <ReconcileItems
          sections={sections}
          onDecided={(m) => {
            setNotice(m);
            load();
          }}
        />
      ) : (
        !error && <Loader size="sm" aria-label="Loading the items to reconcile" />
      )}
      <ReceivedDocuments imports={imports} />
    </Stack>
  );
}
