import { Select } from '@mantine/core';
import { useEffect, useState, type ReactElement } from 'react';
import type { DocumentMeta } from '../../../../shared/api/documents.contract';
import { DOCUMENT_CATEGORY_LABELS, type DocumentCategory } from '../../../../shared/domain/records';
import { api } from '../../lib/api';

const docLabel = (d: DocumentMeta): string =>
  [d.title, d.category ? DOCUMENT_CATEGORY_LABELS[d.category] : null, d.documentDate ?? d.createdAt.slice(0, 10)].filter(Boolean).join(' · ');

/**
 * A document filed in this chart (a consult letter, an imaging report): the ones of `prefer`'s
 * category first, the others after, so a letter filed under another category can still be chosen.
 */
export function DocumentSelect({
  patientId,
  prefer,
  label,
  value,
  onChange,
  error,
}: {
  patientId: string;
  prefer: DocumentCategory;
  label: string;
  value: string | null;
  onChange: (id: string | null) => void;
  error?: string | undefined;
}): ReactElement {
  const [docs, setDocs] = useState<DocumentMeta[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    void api['documents.list']({ patientId }).then((r) => (r.ok ? setDocs(r.value.filter((d) => d.status === 'filed')) : setProblem(r.error.message)));
  }, [patientId]);
  const preferred = (docs ?? []).filter((d) => d.category === prefer);
  const others = (docs ?? []).filter((d) => d.category !== prefer);
  const data = [
    { group: DOCUMENT_CATEGORY_LABELS[prefer], items: preferred.map((d) => ({ value: d.id, label: docLabel(d) })) },
    { group: 'Other documents', items: others.map((d) => ({ value: d.id, label: docLabel(d) })) },
  ].filter((g) => g.items.length > 0);
  return (
    <Select
      label={label}
      placeholder={docs === null ? 'Loading the chart’s documents…' : docs.length === 0 ? 'No document is filed in this chart yet' : 'Choose a document'}
      description="File it in the chart first (Documents tab or the document inbox)."
      data={data}
      value={value}
      onChange={onChange}
      searchable
      nothingFoundMessage="No such document"
      error={problem ?? error}
      required
      data-testid="document-select"
    />
  );
}
