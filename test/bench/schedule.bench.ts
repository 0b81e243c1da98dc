/**
 * Scheduling figures for `npm run bench`: the front desk's "next free N-minute slot with provider X"
 * over a busy clinic — 20 providers, a year of weekdays about 90 % booked (≈ 80,000 appointments,
 * some cancelled or missed), on the real encrypted database, through the same service the
 * `schedule.freeSlot` channel calls.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { newId } from '../../electron/common/ids';
import { createDatabase } from '../../electron/services/db/open';
import { createRepos } from '../../electron/services/repos';
import { AppointmentsService } from '../../electron/services/schedule/appointments.repo';
import { loadScheduleConfig } from '../../electron/services/schedule/schedule-config';
import { Resources } from '../../electron/services/resources/resources';
import { patientInput } from '../../shared/domain/patient';
import { addDays, hhmmMinutes } from '../../shared/domain/dates';
import { openingsOn } from '../../shared/domain/schedule';
import { createRng } from './generate';
import type { Row } from './report';

const KDF = { N: 2 ** 14, r: 8, p: 1 };
const PROVIDERS = 20;
const PATIENTS = 1000;
const YEAR_START = '2026-01-01';
const DAYS = 365;
const QUERIES = 500;
const TARGET_P95_MS = 20;
const LENGTHS = [10, 15, 20, 20, 20, 30, 30, 40, 60];

function percentile(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? NaN;
}

export interface ScheduleBenchContext {
  rows: Row[];
  json: Record<string, number | string>;
  progress: (m: string) => void;
  resourcesDir: string;
}

export async function benchSchedule(c: ScheduleBenchContext): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'cairn-bench-schedule-'));
  try {
    const { store } = await createDatabase(join(dir, 'schedule.cairn'), 'bench schedule passphrase', { resourcesDir: c.resourcesDir, kdf: KDF });
    const repos = createRepos(store);
    const config = loadScheduleConfig(new Resources(c.resourcesDir));
    const rng = createRng(9009);
    const at = new Date().toISOString();
    c.progress(`schedule: ${PROVIDERS} providers, ${PATIENTS} patients`);
    const providerIds = Array.from({ length: PROVIDERS + 1 }, () => newId());
    const addUser = store.sqlite.prepare(
      `INSERT INTO users (id, username, display_name, role, password_hash, created_at, created_by, updated_at, updated_by) VALUES (?, ?, ?, 'physician', 'bench', ?, 'bench', ?, 'bench')`,
    );
    providerIds.forEach((id, n) => addUser.run(id, `doc${n}`, `Dr. Bench ${n}`, at, at));
    const patientIds: string[] = [];
    for (let n = 0; n < PATIENTS; n++)
      patientIds.push(
        repos.patients.create(patientInput.parse({ givenName: `Pat${n}`, familyName: `Bench${n % 97}`, birthDate: '1970-01-01' }), { userId: 'bench' }).id,
      );

    c.progress(`schedule: a year of appointments for ${PROVIDERS} providers (≈90 % booked) and one fully booked`);
    const insert = store.sqlite.prepare(
      `INSERT INTO appointments (id, patient_id, provider_id, room, appointment_type, start_at, end_at, status, created_at, created_by, updated_at, updated_by, version) VALUES (?, ?, ?, ?, 'follow-up', ?, ?, ?, ?, 'bench', ?, 'bench', 1)`,
    );
    let total = 0;
    store.sqlite.transaction(() => {
      for (let d = 0; d < DAYS; d++) {
        const date = addDays(YEAR_START, d);
        const openings = openingsOn(date, config.hours);
        providerIds.forEach((pid, p) => {
          const full = p === PROVIDERS;
          for (const o of openings) {
            let t = o.start;
            while (t < o.end) {
              const len = (full ? 20 : LENGTHS[rng.int(0, LENGTHS.length - 1)]!) * 60_000;
              const end = Math.min(t + len, o.end);
              if (full || rng.next() < 0.9) {
                const r = rng.next();
                const status = full ? 'scheduled' : r < 0.05 ? 'cancelled' : r < 0.08 ? 'no_show' : 'scheduled';
                insert.run(
                  newId(),
                  patientIds[rng.int(0, PATIENTS - 1)]!,
                  pid,
                  config.hours.rooms[p % config.hours.rooms.length]!,
                  new Date(t).toISOString(),
                  new Date(end).toISOString(),
                  status,
                  at,
                  at,
                );
                total++;
              }
              t = end;
            }
          }
        });
      }
    })();
    store.sqlite.exec('ANALYZE');
    c.progress(`schedule: ${total.toLocaleString('en-US')} appointments; ${QUERIES} free-slot searches`);

    const service = new AppointmentsService(repos, config);
    const yearStart = Date.parse(`${YEAR_START}T12:00:00Z`);
    const search = (): { ms: number; found: boolean } => {
      const pid = providerIds[rng.int(0, PROVIDERS - 1)]!;
      // From a random time in the first ten months (so the 60-day horizon stays inside the booked year).
      const from = yearStart + rng.int(0, 300) * 86_400_000 + rng.int(0, 9 * 60) * 60_000;
      const minutes = [15, 20, 30, 40, 60][rng.int(0, 4)]!;
      const t0 = performance.now();
      const slot = service.freeSlot(pid, minutes, from);
      return { ms: performance.now() - t0, found: slot !== null };
    };
    for (let i = 0; i < 50; i++) search();
    const times: number[] = [];
    let found = 0;
    for (let i = 0; i < QUERIES; i++) {
      const r = search();
      times.push(r.ms);
      if (r.found) found++;
    }
    if (found < QUERIES * 0.95) throw new Error(`schedule bench void: only ${found}/${QUERIES} searches found a slot`);
    // The worst case: a provider booked solid, so all nine weeks of the horizon are read and searched.
    const fullTimes: number[] = [];
    for (let i = 0; i < 20; i++) {
      const t0 = performance.now();
      const slot = service.freeSlot(providerIds[PROVIDERS]!, 30, yearStart + i * 7 * 86_400_000);
      fullTimes.push(performance.now() - t0);
      if (slot !== null) throw new Error('schedule bench void: the fully booked provider had a free slot');
    }
    const p95 = percentile(times, 95);
    const median = percentile(times, 50);
    c.rows.push({
      label: 'schedule.free_slot.p95_ms',
      median,
      p95,
      n: QUERIES,
      unit: 'ms',
      target: `p95 ≤ ${TARGET_P95_MS} ms`,
      pass: p95 <= TARGET_P95_MS,
      note: `${total.toLocaleString('en-US')} appointments, ${PROVIDERS} providers × 1 year ≈90 % booked; next free 15–60 min slot within clinic hours (${hhmmMinutes('08:00') / 60}:00–17:00, lunch)`,
    });
    c.rows.push({
      label: 'schedule.free_slot.full_calendar_ms',
      median: percentile(fullTimes, 50),
      p95: percentile(fullTimes, 95),
      n: fullTimes.length,
      unit: 'ms',
      target: 'info',
      pass: null,
      note: 'a provider booked solid: the whole 60-day horizon is read and searched, and no slot is found',
    });
    c.json['schedule.free_slot.p95_ms'] = Math.round(p95 * 100) / 100;
    c.json['schedule.free_slot.median_ms'] = Math.round(median * 100) / 100;
    c.json['schedule.free_slot.full_calendar_p95_ms'] = Math.round(percentile(fullTimes, 95) * 100) / 100;
    c.json['schedule.appointments'] = total;
    store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
