/**
 * The scale profile's new device, in a process of its own so that its peak memory is the device's
 * alone (not the clinic server's, nor the generator's): creates an encrypted database, enrolls
 * with the clinic server, signs a physician in and pulls the whole clinic as the app's sync client
 * does (pages of 5,000). Prints one JSON line (DeviceReport) on stdout and exits.
 * Run by scale.bench.ts as `node --import tsx test/bench/scale-device.ts '<DeviceJob JSON>'`.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { startCheckpointer } from '../../electron/services/db/checkpointer';
import { createDatabase } from '../../electron/services/db/open';
import { createRepos } from '../../electron/services/repos';
import { clientFor, enrollThisDevice } from '../../electron/services/sync';
import { enrolledServer, signInWithServer } from '../../electron/services/sync/user-sessions';

export interface DeviceJob {
  file: string;
  passphrase: string;
  resourcesDir: string;
  serverUrl: string;
  code: string;
  username: string;
  password: string;
  pullPage: number;
}

export interface DeviceReport {
  pulled: number;
  parked: number;
  seconds: number;
  /** RSS before the pull (database open, enrolled, signed in). */
  rssBeforeMb: number;
  /** The highest RSS sampled every 50 ms (and between pages) during the pull. */
  rssSampledPeakMb: number;
  /** The kernel's high-water mark of the process (VmHWM): every moment counted, start-up included. */
  vmHwmMb: number;
  /** VmHWM after the last page was applied, before the deferred indexes were rebuilt. */
  vmHwmPagesMb: number;
  counts: Record<string, number>;
}

const MB = 2 ** 20;

function vmHwmMb(): number {
  const m = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

async function run(job: DeviceJob): Promise<DeviceReport> {
  const { store } = await createDatabase(job.file, job.passphrase, { resourcesDir: job.resourcesDir, kdf: { N: 2 ** 14, r: 8, p: 1 } });
  // As the app runs while unlocked: its session checkpoints the file on a thread of its own.
  const checkpointer = startCheckpointer(store);
  await checkpointer.ready;
  try {
    const repos = createRepos(store);
    await enrollThisDevice(store, repos, { serverUrl: job.serverUrl, code: job.code, deviceName: 'scale-device' });
    const v = await signInWithServer(store.sqlite, enrolledServer(store.sqlite)!, job.username, job.password);
    if (v.status !== 'ok') throw new Error(`sign-in of ${job.username} refused: ${v.message}`);
    const userId = v.userId;
    let pagesHwm = NaN;
    const sync = clientFor(store, repos, () => userId, {
      pullPage: job.pullPage,
      // After each applied page: the last one read is the high-water mark before the index rebuild.
      onProgress: () => (pagesHwm = vmHwmMb()),
    });
    const rssBefore = process.memoryUsage().rss;
    let peak = rssBefore;
    const sample = (): void => {
      peak = Math.max(peak, process.memoryUsage().rss);
    };
    const timer = setInterval(sample, 50);
    const t0 = performance.now();
    let s;
    try {
      s = await sync.syncOnce();
    } finally {
      clearInterval(timer);
      sample();
    }
    const seconds = (performance.now() - t0) / 1000;
    if (s.error) throw new Error(`initial sync failed: ${s.error.message}`);
    const tables = [
      'patients',
      'encounters',
      'appointments',
      'clinical_notes',
      'observations',
      'medication_events',
      'conditions',
      'allergies',
      'immunizations',
      'users',
    ];
    const counts = Object.fromEntries(tables.map((t) => [t, (store.sqlite.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n]));
    return {
      pulled: s.pulled,
      parked: s.parked,
      seconds,
      rssBeforeMb: rssBefore / MB,
      rssSampledPeakMb: peak / MB,
      vmHwmMb: vmHwmMb(),
      vmHwmPagesMb: pagesHwm,
      counts,
    };
  } finally {
    await checkpointer.stop();
    store.close();
  }
}

run(JSON.parse(process.argv[2] ?? '{}') as DeviceJob).then(
  (r) => process.stdout.write(JSON.stringify(r) + '\n'),
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
  },
);
