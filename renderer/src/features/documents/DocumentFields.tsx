import { Select, TextInput } from '@mantine/core';
import type { ReactElement } from 'react';
import { DOCUMENT_CATEGORIES, DOCUMENT_CATEGORY_LABELS, type DocumentCategory } from '../../../../shared/domain/records';

/** What a person says about a document when attaching, filing or correcting it. */
export interface DocumentDraft {
  category: DocumentCategory | null;
  title: string;
  documentDate: string;
  source: string;
}

export const emptyDraft = (title = ''): DocumentDraft => ({ category: null, title, documentDate: '', source: '' });

export const CATEGORY_OPTIONS = DOCUMENT_CATEGORIES.map((c) => ({ value: c, label: DOCUMENT_CATEGORY_LABELS[c] }));

/**
 * Category, title, date (and source where the screen asks for it). The category starts empty on
 * purpose: a document filed under a guessed category is hard to find again.
 */
export function DocumentFields({
  draft,
  onChange,
  errors,
  withSource,
}: {
  draft: DocumentDraft;
  onChange: (d: DocumentDraft) => void;
  errors: Record<string, string>;
  withSource: boolean;
}): ReactElement {
  return (
    <>
      <Select
        label="Category"
        placeholder="Choose a category"
        data={CATEGORY_OPTIONS}
        value={draft.category}
        onChange={(v) => onChange({ ...draft, category: v ?? null })}
        error={errors['category']}
        required
        data-testid="document-category"
      />
      <TextInput
        label="Title"
        value={draft.title}
        onChange={(e) => onChange({ ...draft, title: e.currentTarget.value })}
        error={errors['title']}
        required
        data-testid="document-title"
      />
      <TextInput
        label="Document date"
        description="The date the document speaks of (a report's date, a letter's date)"
        type="date"
        value={draft.documentDate}
        onChange={(e) => onChange({ ...draft, documentDate: e.currentTarget.value })}
        error={errors['documentDate']}
        data-testid="document-date"
      />
      {withSource && (
        <TextInput
          label="Source"
          description="Who sent it: a hospital, a lab, a specialist"
          value={draft.source}
          onChange={(e) => onChange({ ...draft, source: e.currentTarget.value })}
          error={errors['source']}
          data-testid="document-source"
        />
      )}
    </>
  );
}
