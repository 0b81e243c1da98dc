/**
 * Cairn performance benchmark: `npm run bench [-- --patients N] [--json FILE] [--seed S] [--only GROUPS]`.
 * GROUPS (comma-separated): core (the main database below), hl7, sync, fhir, measures, schedule, billing, portal, ccda, documents.
 * `npm run bench -- --scale clinic [--scale-patients N]` runs the scale profile alone instead
 * (a ten-year, 50,000-chart clinic synced into a new device: scale.bench.ts).
 *
 * Builds an encrypted database of N synthetic patients (default 100,000) in a temp dir with the
 * production open/repo code, then measures search, single-patient writes, cold open, the KDF, and
 * the cost of encryption against an unencrypted copy. Prints a table with targets to stdout,
 * progress to stderr. It always exits 0 unless something crashes: a MISS is information, not a
 * failure (the figures depend on the machine).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startsLikePlainSqlite } from '../../electron/services/backup/backup';
import { defaultResourcesDir } from '../../electron/services/paths';
import { parseCli } from './args';
import { benchBilling } from './billing.bench';
import { benchPortal } from './portal.bench';
import { benchCcda } from './ccda.bench';
import { benchCharting } from './charting.bench';
import { benchDocumentsAttach } from './documents.bench';
import { benchDocumentsSync } from './documents-sync.bench';
import { benchColdOpen, benchSearches, benchWrites, buildMain, fileSetBytes, type Built } from './core.bench';
import { benchEncryption, benchKdf } from './encryption.bench';
import { benchFhirImport } from './fhir-import.bench';
import { benchFhir } from './fhir.bench';
import { createPatientGenerator, createRng } from './generate';
import { benchHl7 } from './hl7.bench';
import { benchMeasures } from './measures.bench';
import { benchMeds } from './meds.bench';
import { benchScale } from './scale.bench';
import { benchSchedule } from './schedule.bench';
import { benchSecurity } from './security.bench';
import { breathe, collectGarbage, progress } from './stats';
import { benchSync } from './sync.bench';
import { benchSyncPeer } from './sync-peer.bench';
import { json, latencyRow, printTable, rows } from './table';

// ---------- main ----------

/** Cairn's sync beside the peer's, measured in the same run (issue #25: push ≥ 7× the peer). */
function peerRatios(): void {
  for (const [dir, ours, target] of [
    ['push', 'sync.push.rows_per_s', 7],
    ['pull', 'sync.initial.rows_per_s', null],
  ] as const) {
    const peer = Number(json[`sync.${dir}.peer_rows_per_s`]);
    const mine = Number(json[ours]);
    if (!(peer > 0 && mine > 0)) continue;
    const ratio = mine / peer;
    json[`sync.${dir}.peer_ratio`] = Math.round(ratio * 100) / 100;
    rows.push({
      label: `sync.${dir}.peer_ratio`,
      median: ratio,
      p95: null,
      n: 1,
      unit: 'x',
      target: target ? `≥ ${target}x` : '',
      pass: target ? ratio >= target : null,
      note: `${ours} / sync.${dir}.peer_rows_per_s (PouchDB + express-pouchdb, same run)`,
    });
  }
}

async function main(): Promise<void> {
  const args = parseCli();
  const resourcesDir = defaultResourcesDir();
  const dir = mkdtempSync(join(tmpdir(), 'cairn-bench-'));
  const cleanup = (): void => rmSync(dir, { recursive: true, force: true });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      cleanup();
      process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  }
  const size = args.scale ? `scale profile of ${args.scalePatients.toLocaleString('en-US')} charts` : `${args.patients.toLocaleString('en-US')} patients`;
  progress(`seed ${args.seed}, ${size}, temp dir ${dir}`);
  let built: Built | undefined;
  try {
    if (args.scale === 'clinic') {
      await benchScale({ rows, json, latencyRow, progress, resourcesDir, patients: args.scalePatients, seed: args.seed });
      json['seed'] = args.seed;
      json['node'] = process.version;
      printTable([
        `Cairn scale profile — a ten-year, five-provider clinic of ${args.scalePatients.toLocaleString('en-US')} charts ` +
          `(${Number(json['scale.rows']).toLocaleString('en-US')} rows), seed ${args.seed}, Node ${process.version}`,
      ]);
      if (args.json) writeFileSync(args.json, JSON.stringify(json, null, 2) + '\n');
      return;
    }
    // The groups that build their own databases; `--only core` is the 100,000-patient main database.
    const groups: Record<string, { title: string; run: () => Promise<void> }> = {
      hl7: { title: 'HL7', run: () => benchHl7({ rows, json, progress, resourcesDir }) },
      sync: {
        title: 'sync',
        run: async () => {
          await benchSync({ rows, json, latencyRow, progress, resourcesDir, initialRows: args.syncRows });
          // The peer (PouchDB + express-pouchdb) in the same run, so the ratios compare one sitting.
          await benchSyncPeer({ rows, json, progress });
          peerRatios();
        },
      },
      fhir: {
        title: 'FHIR',
        run: async () => {
          await benchFhir({ rows, json, latencyRow, progress, resourcesDir });
          await benchFhirImport({ rows, json, progress, resourcesDir });
        },
      },
      measures: { title: 'population health', run: () => benchMeasures({ rows, json, progress, resourcesDir, patients: args.patients }) },
      schedule: { title: 'scheduling', run: () => benchSchedule({ rows, json, progress, resourcesDir }) },
      billing: { title: 'billing', run: () => benchBilling({ rows, json, latencyRow, progress, resourcesDir }) },
      portal: { title: 'patient portal', run: () => benchPortal({ rows, json, latencyRow, progress, resourcesDir, seed: args.seed }) },
      ccda: { title: 'C-CDA', run: () => benchCcda({ rows, json, latencyRow, progress, resourcesDir }) },
      documents: {
        title: 'documents',
        run: async () => {
          await benchDocumentsAttach({ rows, json, progress, resourcesDir });
          await benchDocumentsSync({ rows, json, progress, resourcesDir });
        },
      },
    };
    const unknown = [...(args.only ?? [])].filter((g) => g !== 'core' && !Object.hasOwn(groups, g));
    if (unknown.length > 0) throw new Error(`unknown --only group ${unknown.join(', ')} (core, ${Object.keys(groups).join(', ')})`);
    if (args.only && !args.only.has('core')) {
      for (const [name, g] of Object.entries(groups)) {
        if (!args.only.has(name)) continue;
        collectGarbage();
        await g.run();
      }
      printTable([
        `Cairn ${Object.entries(groups)
          .filter(([n]) => args.only!.has(n))
          .map(([, g]) => g.title)
          .join(', ')} benchmark — Node ${process.version}`,
      ]);
      if (args.json) writeFileSync(args.json, JSON.stringify(json, null, 2) + '\n');
      return;
    }
    const gen = createPatientGenerator(args.seed);
    const rng = createRng(args.seed ^ 0x9e3779b9);
    built = await buildMain(dir, args, gen, resourcesDir);
    if (startsLikePlainSqlite(built.file)) throw new Error(`${built.file} is not encrypted: the figures would not describe Cairn`);
    const versions = built.store.sqlite.prepare('SELECT sqlite_version() AS v').get() as { v: string };
    json['sqlite_version'] = versions.v;
    await breathe();
    benchSearches(built, rng, args.patients);
    await breathe();
    await benchWrites(built, gen, resourcesDir);
    await breathe();
    await benchCharting(built.repos, latencyRow, progress);
    benchMeds(built.repos, latencyRow);
    await benchSecurity(built, { rows, json, latencyRow, progress, resourcesDir, patients: args.patients });
    await breathe();
    benchColdOpen(built, rng, resourcesDir);
    json['db.bytes'] = fileSetBytes(dir, 'clinic.cairn');
    await benchKdf(built.file);
    await benchEncryption(dir, args, resourcesDir);
    for (const [name, g] of Object.entries(groups)) {
      if (args.only && !args.only.has(name)) continue;
      collectGarbage();
      await g.run();
    }

    json['seed'] = args.seed;
    json['patients'] = args.patients;
    json['pair_patients'] = args.pairPatients;
    json['node'] = process.version;
    printTable([
      `Cairn benchmark — seed ${args.seed}, ${args.patients.toLocaleString('en-US')} synthetic patients ` +
        `(${(Number(json['db.bytes']) / 2 ** 20).toFixed(0)} MiB encrypted), SQLite ${versions.v}, Node ${process.version}`,
      `Encryption rows compare two ${args.pairPatients.toLocaleString('en-US')}-patient copies (encrypted vs plain), interleaved.`,
      `Slowest name searches: ${String(json['search.name_prefix.slowest'])}`,
    ]);
    if (args.json) {
      writeFileSync(args.json, JSON.stringify(json, null, 2) + '\n');
      progress(`wrote ${args.json}`);
    }
  } finally {
    built?.store.close();
    cleanup();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
