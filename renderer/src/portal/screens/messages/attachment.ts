import { ATTACHMENT_TYPES } from '../../../../../shared/domain/portal';

export type AttachmentType = (typeof ATTACHMENT_TYPES)[number];
export interface PickedFile {
  name: string;
  type: AttachmentType;
  bytes: number;
  dataBase64: string;
}

/** What the attachment field holds: nothing, a file ready to send, or a file refused or still being read (the message waits). */
export type Attachment = PickedFile | null | 'refused' | 'reading';

/** The attachment as messageInput carries it; undefined when there is none. */
export function attachmentInput(a: Attachment): { name: string; type: AttachmentType; dataBase64: string } | undefined {
  return a !== null && typeof a === 'object' ? { name: a.name, type: a.type, dataBase64: a.dataBase64 } : undefined;
}

/** A file's type as the portal accepts it: the browser's, or its extension when the browser gives none. */
export function attachmentTypeOf(file: { name: string; type: string }): AttachmentType | null {
  const byMime = ATTACHMENT_TYPES.find((t) => t === file.type);
  if (byMime) return byMime;
  if (file.type !== '') return null;
  const ext = /\.([a-z0-9]+)$/i.exec(file.name)?.[1]?.toLowerCase();
  return ext === 'pdf' ? 'application/pdf' : ext === 'png' ? 'image/png' : ext === 'jpg' || ext === 'jpeg' ? 'image/jpeg' : null;
}

/** The file as base64 (what messageInput.attachment carries). */
export function readBase64(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(typeof reader.result === 'string' ? reader.result.replace(/^data:[^,]*,/, '') : '');
    reader.onerror = () => reject(reader.error ?? new Error('the file could not be read'));
    reader.readAsDataURL(file);
  });
}
