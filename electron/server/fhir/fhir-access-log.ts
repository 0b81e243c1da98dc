import type { Sql } from '../db/open';

export interface FhirAccess {
  at: Date;
  clientId: string | null;
  method: string;
  path: string;
  query: string | null;
  status: number;
  resources: number | null;
}

const FLUSH_MS = 200;
const FLUSH_ROWS = 500;

/**
 * The FHIR API's access log. Entries are written in batches (one multi-row INSERT every 200 ms or
 * 500 requests) so logging does not halve the read rate; `close()` writes what is pending. An
 * entry lost to a crash in those 200 ms is the price of that: the device audit, by contrast, is
 * written in the same transaction as the read.
 */
export class FhirAccessLog {
  private pending: FhirAccess[] = [];
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly db: Sql) {}

  /**
   * AuditEvent-style lines for the restricted charts one request touched: one per chart, its path
   * as the entity (`/fhir/R4/Patient/ID`), the outcome in the query (`restricted-chart=disclosed`,
   * served to a client granted restricted charts, or `withheld`, refused), the request it came
   * through after `request=`. So the accounting of a restricted chart's disclosures is one query
   * (`WHERE path = '/fhir/R4/Patient/ID'`) whichever search, include or export served it.
   */
  recordCharts(
    r: { at: Date; clientId: string | null; method: string; request: string; patientPath: (id: string) => string },
    charts: { disclosed: Iterable<string>; withheld: Iterable<string> },
  ): void {
    const line = (id: string, outcome: 'disclosed' | 'withheld'): void =>
      this.record({
        at: r.at,
        clientId: r.clientId,
        method: r.method,
        path: r.patientPath(id).slice(0, 500),
        query: `restricted-chart=${outcome}&request=${encodeURIComponent(r.request)}`.slice(0, 2000),
        status: outcome === 'disclosed' ? 200 : 403,
        resources: null,
      });
    for (const id of charts.disclosed) line(id, 'disclosed');
    for (const id of charts.withheld) line(id, 'withheld');
  }

  record(e: FhirAccess): void {
    this.pending.push(e);
    if (this.pending.length >= FLUSH_ROWS) void this.flush();
    // unref: a pending batch does not keep a finished process alive (close() writes it).
    else this.timer ??= setTimeout(() => void this.flush(), FLUSH_MS).unref();
  }

  /** Writes what is pending (in order, one batch at a time). */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return this.writing;
    this.writing = this.writing.then(async () => {
      // One JSON parameter for the whole batch: far cheaper to send than 7 parameters per row.
      const rows = JSON.stringify(
        batch.map((e) => ({
          at: e.at.toISOString(),
          client_id: e.clientId,
          method: e.method,
          path: e.path,
          query: e.query,
          status: e.status,
          resources: e.resources,
        })),
      );
      try {
        await this.db.query(
          `INSERT INTO fhir_access_log (at, client_id, method, path, query, status, resources)
           SELECT at, client_id, method, path, query, status, resources
           FROM json_to_recordset($1::json) AS x(at timestamptz, client_id text, method text, path text, query text, status integer, resources integer)`,
          [rows],
        );
      } catch (err) {
        // Important: never the entries themselves in the log (queries name patients).
        console.error(`FHIR access log: ${batch.length} entries could not be written: ${err instanceof Error ? err.message : String(err)}`);
      }
    });
    return this.writing;
  }

  close(): Promise<void> {
    return this.flush();
  }
}
