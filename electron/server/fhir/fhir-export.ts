import { randomUUID } from 'node:crypto';
import type { Sql } from '../db/open';
import type { FhirAccessLog } from './fhir-access-log';
import type { Grant } from './fhir-auth';
import { chartAccess, type FhirService } from './fhir.service';
import { FhirError } from './outcome';

/** Resource type → the Cairn entities it is read from. */
export const EXPORT_ENTITIES: Record<string, string[]> = {
  Patient: ['patient'],
  Practitioner: ['user'],
  Encounter: ['encounter'],
  Observation: ['observation'],
  Condition: ['condition'],
  AllergyIntolerance: ['allergy'],
  MedicationRequest: ['prescription', 'medication_event'],
  Immunization: ['immunization'],
  Procedure: ['procedure'],
  DiagnosticReport: ['diagnostic_report'],
};

/** Resources per NDJSON file. */
const FILE_SIZE = 5000;

export interface ExportJob {
  id: string;
  clientId: string;
  request: string;
  level: 'system' | 'patient';
  types: string[];
  since: string | null;
  status: 'in-progress' | 'complete' | 'error' | 'cancelled';
  progress: number;
  error: string | null;
  createdAt: string;
}

export interface ExportFile {
  idx: number;
  type: string;
  count: number;
}

/**
 * Bulk Data `$export`: a job row, worked in this process in the background, written as NDJSON files
 * into the database (so any server process sharing it can answer the status and file requests).
 */
export class FhirExports {
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly db: Sql,
    private readonly fhir: FhirService,
    private readonly log?: FhirAccessLog,
  ) {}

  /** Starts an export of what the grant may read: its types, and restricted charts only if it holds them. */
  async kickOff(grant: Grant, request: string, level: 'system' | 'patient', types: string[], since: string | null): Promise<string> {
    const id = randomUUID();
    const clientId = grant.clientId;
    await this.db.query(`INSERT INTO fhir_export_jobs (id, client_id, request, level, types, since, status) VALUES ($1, $2, $3, $4, $5, $6, 'in-progress')`, [
      id,
      clientId,
      request,
      level,
      types.join(','),
      since,
    ]);
    const work = this.work(id, grant, types, since)
      .catch(async (e: unknown) => {
        // Important: only the error's kind is kept; a message could quote patient data.
        await this.db
          .query(`UPDATE fhir_export_jobs SET status = 'error', error = $2, finished_at = now() WHERE id = $1 AND status = 'in-progress'`, [
            id,
            e instanceof Error ? e.name : 'error',
          ])
          .catch(() => undefined);
      })
      .finally(() => this.running.delete(work));
    this.running.add(work);
    return id;
  }

  /** Waits for the exports this process is working on (tests; orderly shutdown). */
  async idle(): Promise<void> {
    await Promise.all([...this.running]);
  }

  private async status(id: string): Promise<string | null> {
    const r = await this.db.query<{ status: string }>('SELECT status FROM fhir_export_jobs WHERE id = $1', [id]);
    return r[0]?.status ?? null;
  }

  // A patient-level export is every patient's compartment: the types decide (no Practitioner).
  private async work(id: string, grant: Grant, types: string[], since: string | null): Promise<void> {
    // Let the kick-off answer go first.
    await new Promise((r) => setImmediate(r));
    const access = chartAccess(grant);
    let idx = 0;
    let done = 0;
    for (const type of types) {
      let buf: string[] = [];
      const flush = async (): Promise<void> => {
        if (buf.length === 0) return;
        await this.db.query('INSERT INTO fhir_export_files (job_id, idx, resource_type, count, body) VALUES ($1, $2, $3, $4, $5)', [
          id,
          idx++,
          type,
          buf.length,
          buf.join('\n') + '\n',
        ]);
        done += buf.length;
        buf = [];
        await this.db.query(`UPDATE fhir_export_jobs SET progress = $2 WHERE id = $1`, [id, done]);
      };
      for (const entity of EXPORT_ENTITIES[type] ?? []) {
        for await (const page of this.fhir.scan(entity, { since, access })) {
          if ((await this.status(id)) !== 'in-progress') {
            await this.db.query('DELETE FROM fhir_export_files WHERE job_id = $1', [id]);
            return;
          }
          for (const r of page) {
            buf.push(JSON.stringify(r));
            if (buf.length >= FILE_SIZE) await flush();
          }
        }
      }
      await flush();
    }
    await this.db.query(`UPDATE fhir_export_jobs SET status = 'complete', progress = $2, finished_at = now() WHERE id = $1 AND status = 'in-progress'`, [
      id,
      done,
    ]);
    // The restricted charts written into the files are disclosed to the client: logged as such.
    this.log?.recordCharts(
      { at: new Date(), clientId: grant.clientId, method: 'GET', request: `/fhir/R4/$export-status/${id}`, patientPath: (p) => `/fhir/R4/Patient/${p}` },
      access,
    );
  }

  /** The job, if it exists, belongs to this client and was not cancelled. */
  async job(id: string, clientId: string): Promise<ExportJob & { files: ExportFile[] }> {
    const rows = await this.db.query<{
      id: string;
      client_id: string;
      request: string;
      level: 'system' | 'patient';
      types: string;
      since: string | null;
      status: ExportJob['status'];
      progress: number;
      error: string | null;
      created_at: Date;
    }>('SELECT id, client_id, request, level, types, since, status, progress, error, created_at FROM fhir_export_jobs WHERE id = $1', [id]);
    const j = rows[0];
    if (!j || j.client_id !== clientId || j.status === 'cancelled')
      throw new FhirError(404, 'not-found', `no export ${id} (unknown, cancelled, or another client's)`);
    const files = await this.db.query<{ idx: number; resource_type: string; count: number }>(
      'SELECT idx, resource_type, count FROM fhir_export_files WHERE job_id = $1 ORDER BY idx',
      [id],
    );
    return {
      id: j.id,
      clientId: j.client_id,
      request: j.request,
      level: j.level,
      types: j.types.split(',').filter(Boolean),
      since: j.since,
      status: j.status,
      progress: Number(j.progress),
      error: j.error,
      createdAt: new Date(j.created_at).toISOString(),
      files: files.map((f) => ({ idx: Number(f.idx), type: f.resource_type, count: Number(f.count) })),
    };
  }

  async file(id: string, clientId: string, idx: number): Promise<string> {
    const job = await this.job(id, clientId);
    if (job.status !== 'complete') throw new FhirError(404, 'not-found', 'the export is not complete yet');
    const r = await this.db.query<{ body: string }>('SELECT body FROM fhir_export_files WHERE job_id = $1 AND idx = $2', [id, idx]);
    if (!r[0]) throw new FhirError(404, 'not-found', `the export has no file ${idx}`);
    return r[0].body;
  }

  /** Cancels a job (or deletes a finished one's files): it is gone for the client from then on. */
  async cancel(id: string, clientId: string): Promise<void> {
    await this.job(id, clientId);
    await this.db.query(`UPDATE fhir_export_jobs SET status = 'cancelled', finished_at = coalesce(finished_at, now()) WHERE id = $1`, [id]);
    await this.db.query('DELETE FROM fhir_export_files WHERE job_id = $1', [id]);
  }
}
