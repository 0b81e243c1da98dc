/**
 * Brings a document's bytes to this device from the clinic server (the byte sync: another module).
 * A device may hold a document's row without its content until someone opens it; `documents.open`
 * calls this then, and reads the bytes again once it has resolved. It throws (a CairnFailure, e.g.
 * `offline`) when the content cannot be fetched; its message reaches the person opening the document.
 */
export interface DocumentFetcher {
  fetch(documentId: string): Promise<void>;
}

/** What `documents.open` answers when the content is not here and no fetcher can bring it. */
export const NOT_HERE_MESSAGE = "this document's content is on the clinic server; connect to it to open the document";
