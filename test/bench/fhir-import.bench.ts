/**
 * FHIR import figures for `npm run bench` (`--only fhir`):
 * - fhir.import.resources_per_s: the 12 Synthea R4 bundles of test/fixtures/synthea-r4, copied
 *   COPIES times with every UUID changed (so each copy is new patients), imported into an encrypted
 *   database through the production importer: JSON parse, mapping, one transaction per patient
 *   (a savepoint inside one transaction per 12 files, as the CLI batches them) with row + audit entry +
 *   sync outbox entry + import source per resource. Counted over every
 *   resource of the bundles (billing resources are read and skipped); the rate over the resources
 *   actually written is reported beside it. Target ≥ 5,000/s.
 * - fhir.import.reimport_resources_per_s: the same bundles again (every resource unchanged: hashed
 *   and skipped) (info).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createDatabase } from '../../electron/services/db/open';
import { FhirImporter } from '../../electron/services/fhir/import';
import { createRepos } from '../../electron/services/repos';
import type { Row } from './report';

export interface FhirImportBenchContext {
  rows: Row[];
  json: Record<string, number | string>;
  progress: (m: string) => void;
  resourcesDir: string;
}

const KDF = { N: 2 ** 14, r: 8, p: 1 };
const COPIES = 8;
const TARGET = 5000;
const BATCH = 12;

/** A copy of a bundle whose every UUID differs from the original's (and from the other copies'). */
function copyOf(text: string, copy: number): string {
  if (copy === 0) return text;
  return text.replace(
    /\b([0-9a-f]{8})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{12})\b/g,
    (_m, a: string, b: string, c: string, d: string, e: string) => {
      const head = ((parseInt(a, 16) ^ (copy * 0x9e3779b1)) >>> 0).toString(16).padStart(8, '0');
      return `${head}-${b}-${c}-${d}-${e}`;
    },
  );
}

function written(s: FhirImporter['summary']): number {
  return Object.values(s.byType).reduce((n, t) => n + t.imported + t.updated, 0);
}

export async function benchFhirImport(c: FhirImportBenchContext): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'cairn-bench-fhir-'));
  try {
    const fixtures = join(process.env['CAIRN_FIXTURES'] ?? 'test/fixtures', 'synthea-r4');
    const originals = readdirSync(fixtures)
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((f) => readFileSync(join(fixtures, f), 'utf8'));
    const bundles = Array.from({ length: COPIES }, (_, k) => originals.map((t) => copyOf(t, k))).flat();
    const { store } = await createDatabase(join(dir, 'bench.cairn'), 'bench passphrase', { resourcesDir: c.resourcesDir, kdf: KDF });
    try {
      const repos = createRepos(store);
      // Warm-up on a throwaway copy (JIT, statement preparation, the SNOMED map).
      const warm = new FhirImporter(repos, { userId: 'bench' });
      for (const t of originals.slice(0, 2).map((o) => copyOf(o, 9999))) warm.importText(t, 'warm-up');
      c.progress(`fhir import: ${bundles.length} bundles`);
      const importer = new FhirImporter(repos, { userId: 'bench' });
      const t0 = performance.now();
      // As `cairn import fhir` does: BATCH files per outer transaction, each patient in its own savepoint.
      for (let i = 0; i < bundles.length; i += BATCH)
        importer.batch(() => bundles.slice(i, i + BATCH).forEach((t, j) => importer.importText(t, `bundle-${i + j}`)));
      const seconds = (performance.now() - t0) / 1000;
      const s = importer.summary;
      if (s.errors.length > 0) throw new Error(`fhir bench: import errors: ${JSON.stringify(s.errors.slice(0, 3))}`);
      const rate = s.resources / seconds;
      const writtenRate = written(s) / seconds;
      c.progress('fhir import: re-import');
      const again = new FhirImporter(repos, { userId: 'bench' });
      const t1 = performance.now();
      bundles.forEach((t, i) => again.importText(t, `bundle-${i}`));
      const reSeconds = (performance.now() - t1) / 1000;
      if (written(again.summary) !== 0) throw new Error('fhir bench: the re-import wrote something');
      c.rows.push({
        label: 'fhir.import.resources_per_s',
        median: rate,
        p95: null,
        n: s.resources,
        unit: '/s',
        target: `≥ ${TARGET.toLocaleString('en-US')}/s`,
        pass: rate >= TARGET,
        note: `${s.patients.imported} patients, ${written(s)} resources written (${Math.round(writtenRate)}/s), the rest billing/directory skipped; encrypted, a savepoint per patient, a commit per ${BATCH} files`,
      });
      c.rows.push({
        label: 'fhir.import.reimport_resources_per_s',
        median: again.summary.resources / reSeconds,
        p95: null,
        n: again.summary.resources,
        unit: '/s',
        target: '',
        pass: null,
        note: 'same bundles again: every resource hashed and found unchanged (info)',
      });
      c.json['fhir.import.resources_per_s'] = Math.round(rate);
      c.json['fhir.import.written_resources_per_s'] = Math.round(writtenRate);
      c.json['fhir.import.reimport_resources_per_s'] = Math.round(again.summary.resources / reSeconds);
    } finally {
      store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
