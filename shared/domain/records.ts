import { z } from 'zod';

// Records in and out: documents, reconciliation, referrals, care coordination. Shared by the
// desk's contract files, the services and the screens.

export const DOCUMENT_CATEGORIES = ['outside_lab', 'imaging_report', 'consult_letter', 'outside_records', 'insurance_card', 'consent', 'other'] as const;
export const documentCategory = z.enum(DOCUMENT_CATEGORIES);
export type DocumentCategory = z.infer<typeof documentCategory>;
export const DOCUMENT_CATEGORY_LABELS: Readonly<Record<DocumentCategory, string>> = {
  outside_lab: 'Outside lab',
  imaging_report: 'Imaging report',
  consult_letter: 'Consult letter',
  outside_records: 'Outside records',
  insurance_card: 'Insurance card',
  consent: 'Consent',
  other: 'Other',
};

/** What a chart may hold: PDFs and the images scanners and fax software write (and C-CDA XML, filed by the importer). */
export const DOCUMENT_TYPES = ['application/pdf', 'image/jpeg', 'image/png', 'image/tiff', 'application/xml'] as const;
export const documentMimeType = z.enum(DOCUMENT_TYPES);
export type DocumentMimeType = z.infer<typeof documentMimeType>;

/** The largest document Cairn keeps (a 300-page fax at fine resolution is well under this). */
export const DOCUMENT_MAX_BYTES = 32 * 1024 * 1024;
/** Documents travel to the clinic server and back in chunks of this size (far under its body limit). */
export const DOCUMENT_CHUNK_BYTES = 1024 * 1024;

export const DOCUMENT_STATUSES = ['unfiled', 'filed'] as const;
export const DOCUMENT_ORIGINS = ['upload', 'scan', 'hl7', 'ccda', 'generated'] as const;

/** A person-readable size: "2.4 MB". */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} bytes`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** The message for a file over the limit, naming both sizes and what to do. */
export function tooLargeMessage(bytes: number): string {
  return `this file is ${formatBytes(bytes)}; Cairn keeps documents up to ${formatBytes(DOCUMENT_MAX_BYTES)}: scan it at a lower resolution or in parts`;
}

export const RECONCILE_SECTIONS = [
  'problems',
  'medications',
  'allergies',
  'immunizations',
  'results',
  'vitals',
  'encounters',
  'procedures',
  'smoking',
  'demographics',
] as const;
export type ReconcileSection = (typeof RECONCILE_SECTIONS)[number];
export const RECONCILE_MATCHES = ['new', 'same', 'different'] as const;
export const RECONCILE_STATUSES = ['pending', 'accepted', 'ignored'] as const;
export const RECONCILE_SOURCES = ['ccda', 'vxu', 'adt'] as const;

export const REFERRAL_URGENCIES = ['routine', 'urgent', 'stat'] as const;
export const REFERRAL_STATUSES = ['draft', 'sent', 'scheduled', 'consult_received', 'closed', 'cancelled'] as const;
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number];
/** Days to a specialist's reply by urgency, when the referral does not set its own date. */
export const REFERRAL_REPLY_DAYS: Readonly<Record<(typeof REFERRAL_URGENCIES)[number], number>> = { stat: 2, urgent: 7, routine: 30 };

export const CARE_EVENT_KINDS = ['admission', 'discharge'] as const;
export const FOLLOW_UP_STATUSES = ['open', 'done', 'not_needed'] as const;
