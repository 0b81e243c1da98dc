/** The part of PouchDB (its bundled types are not shipped; @types/pouchdb is 6.x) the sync peer benchmark uses. */
declare module 'pouchdb' {
  interface PouchDoc {
    _id: string;
    [field: string]: unknown;
  }
  interface ReplicationResult {
    ok: boolean;
    docs_read: number;
    docs_written: number;
    doc_write_failures: number;
    errors: unknown[];
  }
  class PouchDB {
    /** A name (a leveldb folder, or relative to `prefix`) or an http(s) URL of a CouchDB-compatible database. */
    constructor(name: string, opts?: Record<string, unknown>);
    static defaults(opts: { prefix?: string; adapter?: string }): typeof PouchDB;
    bulkDocs(docs: PouchDoc[]): Promise<Array<{ ok?: boolean; id?: string; error?: string; reason?: string }>>;
    info(): Promise<{ doc_count: number; update_seq: number | string; adapter?: string }>;
    close(): Promise<void>;
    replicate: {
      to(target: PouchDB, opts?: Record<string, unknown>): Promise<ReplicationResult>;
      from(source: PouchDB, opts?: Record<string, unknown>): Promise<ReplicationResult>;
    };
  }
  export default PouchDB;
}

/** express-pouchdb: an express app with CouchDB's HTTP API over the PouchDB constructor it is given. */
declare module 'express-pouchdb' {
  import type { RequestListener } from 'node:http';
  import type PouchDB from 'pouchdb';
  export interface ExpressPouchDbOptions {
    /** 'fullCouchDB' (default: auth, validation, config, logging…) or 'minimumForPouchDB' (what replication needs). */
    mode?: 'fullCouchDB' | 'minimumForPouchDB';
    /** Keep the server's config in memory instead of writing config.json into the working directory. */
    inMemoryConfig?: boolean;
    logPath?: string;
    configPath?: string;
  }
  export default function expressPouchDB(
    pouch: typeof PouchDB,
    opts?: ExpressPouchDbOptions,
  ): RequestListener & { setPouchDB(p: typeof PouchDB): Promise<void> };
}
