/**
 * The sync simulation: N devices with real SQLite databases and the real repositories, one real
 * clinic server (SyncService + HTTP routes on PGlite), and a simulated network between them that
 * drops requests, loses responses, duplicates, delays (replays stale requests later) and
 * partitions. After quiescence it checks the properties the product promises.
 */
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { newId } from '../../electron/common/ids';
import type { Hono } from 'hono';
import { CairnFailure } from '../../shared/api/result';
import { allergyAdd, encounterCreate } from '../../shared/domain/clinical';
import { vitalsInput } from '../../shared/domain/vitals';
import { DEVICE_COLUMNS, ENTITIES, META_COLUMNS, type Clocks, type EntityName, type Fields } from '../../shared/sync/entities';
import { createApp } from '../../electron/server/app';
import { openServerDb, type ServerDb } from '../../electron/server/db/open';
import { SyncService } from '../../electron/server/sync.service';
import { openPlainForBenchmark, type Store } from '../../electron/services/db/open';
import * as schema from '../../electron/services/db/schema';
import { createRepos, type Repos } from '../../electron/services/repos';
import { outboxFields } from '../../electron/services/repos/outbox.repo';
import { RowAccess } from '../../electron/services/sync/row-reader';
import { HttpTransport, saveUserSession, SyncClient, userSessionTokens, type FetchLike } from '../../electron/services/sync';
import { resourcesDir } from '../helpers/temp-db';
import { mulberry32 } from '../helpers/prng';

export interface SimOptions {
  seed: number;
  clients?: number;
  opsPerClient?: number;
  /** Run against the deliberately broken merge that drops conflict records. */
  canary?: boolean;
}

export interface SimReport {
  seed: number;
  writes: number;
  syncs: number;
  conflicts: number;
  quarantined: number;
  violations: string[];
}

/** A small, fast, seedable generator (mulberry32), so any failing seed replays exactly. */
export const rng = mulberry32;

// ---------------------------------------------------------------- the server, shared across seeds

export interface SimServer {
  db: ServerDb;
  reset(): Promise<void>;
  close(): Promise<void>;
}

export async function createSimServer(): Promise<SimServer> {
  const db = await openServerDb({ memory: true }, resourcesDir);
  return {
    db,
    async reset() {
      await db.query('TRUNCATE devices, enrollment_codes, sync_rows, sync_changes, sync_rejections, audit_entries');
      await db.query('UPDATE sync_counter SET n = 0 WHERE id = 1');
    },
    close: () => db.close(),
  };
}

// ---------------------------------------------------------------- device databases from one template

interface Template {
  image: Buffer;
  users: { id: string; role: string }[];
}

let template: Template | null = null;

/** One migrated database with the clinic's users, copied in memory for each simulated device. */
async function clinicTemplate(): Promise<Template> {
  if (template) return template;
  const store = openPlainForBenchmark(':memory:', { resourcesDir });
  const repos = createRepos(store);
  const users = [];
  for (const [username, role] of [
    ['admin', 'admin'],
    ['drsim', 'physician'],
    ['nursim', 'nurse'],
    ['desksim', 'front_desk'],
  ] as const) {
    const u = await repos.users.create({ username, displayName: `Sim ${role}`, role, password: `sim password for ${username} 1` }, null);
    users.push({ id: u.id, role });
  }
  // The template's own identity and outbox must not leak into the copies.
  store.sqlite.exec("DELETE FROM meta WHERE key IN ('device_id', 'sync.hlc'); DELETE FROM sync_outbox; DELETE FROM sync_state;");
  template = { image: store.sqlite.serialize(), users };
  store.close();
  return template;
}

function storeFromImage(image: Buffer): Store {
  const sqlite = new Database(image);
  sqlite.pragma('foreign_keys = ON');
  const deviceId = newId();
  sqlite.prepare("INSERT INTO meta (key, value) VALUES ('device_id', ?)").run(deviceId);
  return { file: ':memory:', dir: '.', resourcesDir, sqlite, orm: drizzle(sqlite, { schema }), deviceId, close: () => sqlite.close() };
}

// ---------------------------------------------------------------- the network

interface Device {
  idx: number;
  store: Store;
  repos: Repos;
  client: SyncClient;
  token: string;
  user: { id: string; role: string };
  partitioned: boolean;
  skewMs: number;
}

class SimNetwork {
  faulty = true;
  readonly stash: { url: string; init: { method: string; headers: Record<string, string>; body?: string } }[] = [];
  readonly pushes: { url: string; init: { method: string; headers: Record<string, string>; body?: string } }[] = [];

  constructor(
    private readonly app: () => Hono,
    private readonly random: () => number,
  ) {}

  private deliver(url: string, init: { method: string; headers: Record<string, string>; body?: string }): Promise<Response> {
    return Promise.resolve(this.app().fetch(new Request(url, init)));
  }

  fetchFor(device: () => Device): FetchLike {
    return async (url, init) => {
      if (device().partitioned) throw new Error('network partitioned');
      if (init.method === 'POST') this.pushes.push({ url, init });
      if (!this.faulty) return this.deliver(url, init);
      const r = this.random();
      if (r < 0.04) throw new Error('request dropped');
      if (r < 0.08) {
        await this.deliver(url, init);
        throw new Error('response lost');
      }
      if (r < 0.12) {
        await this.deliver(url, init);
        return this.deliver(url, init);
      }
      if (r < 0.16) this.stash.push({ url, init });
      if (r < 0.2) await new Promise((res) => setImmediate(res));
      return this.deliver(url, init);
    };
  }

  /** Delivers a stale copy of an earlier request, late and out of order; its answer goes nowhere. */
  async replayStale(): Promise<void> {
    const i = Math.floor(this.random() * this.stash.length);
    const [old] = this.stash.splice(i, 1);
    if (old) await this.deliver(old.url, old.init).then((r) => r.text());
  }
}

// ---------------------------------------------------------------- one run

const FAMILY = ['Okafor', 'Lindqvist', 'Brennan', 'Tanaka', 'Moreau', 'Castellanos'];
const GIVEN = ['Ana', 'Ben', 'Chidi', 'Dana'];
const BIRTH = ['1950-03-01', '1984-11-30', '2012-06-15'];
const PATIENT_FIELDS = ['phone', 'email', 'preferredLanguage', 'preferredName', 'genderIdentity'] as const;

export async function runSim(server: SimServer, o: SimOptions): Promise<SimReport> {
  const random = rng(o.seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const nClients = o.clients ?? 5;
  const ops = o.opsPerClient ?? 200;
  let simTime = Date.UTC(2026, 10, 25, 9, 0, 0);
  const tStart = Date.now();
  await server.reset();
  const sync = new SyncService(server.db, { now: () => simTime, ...(o.canary && { merge: { canaryDropConflicts: true } }) });
  const app = createApp(sync);
  const net = new SimNetwork(() => app, random);
  const tpl = await clinicTemplate();
  const devices: Device[] = [];
  for (let i = 0; i < nClients; i++) {
    const store = storeFromImage(tpl.image);
    const skewMs = Math.round((random() * 13 - 10) * 60_000); // −10 … +3 minutes
    const repos = createRepos(store, { now: () => new Date(simTime + skewMs) });
    const { code } = await sync.createEnrollmentCode(`device ${i}`);
    const probe = new SyncClient(store.sqlite, store.deviceId, repos.rowAccess, repos.clock, {
      push: () => Promise.reject(new Error('x')),
      pull: () => Promise.reject(new Error('x')),
    });
    const users = store.sqlite.transaction(() => probe.usersForEnrollment())();
    const { token, mrnBlock } = await sync.enroll({ code, deviceId: store.deviceId, deviceName: `device ${i}`, users });
    store.sqlite.prepare("INSERT INTO meta (key, value) VALUES ('mrn_block', ?)").run(String(mrnBlock));
    const device: Device = { idx: i, store, repos, token, user: tpl.users[1]!, partitioned: false, skewMs, client: undefined as unknown as SyncClient };
    // Every user of the simulation has signed in on every device (the server issues the sessions
    // directly: the simulation studies merging, and a password check per device would only cost time).
    for (const u of tpl.users) saveUserSession(store.sqlite, u.id, await sync.sessions.issue(store.deviceId, u.id));
    const transport = new HttpTransport(
      'http://clinic.sim',
      token,
      () => device.user.id,
      net.fetchFor(() => device),
      () => userSessionTokens(store.sqlite),
    );
    device.client = new SyncClient(store.sqlite, store.deviceId, repos.rowAccess, repos.clock, transport, { pushBatch: 50, pullPage: 100 });
    devices.push(device);
  }
  const report: SimReport = { seed: o.seed, writes: 0, syncs: 0, conflicts: 0, quarantined: 0, violations: [] };
  const noteOwner = new Map<string, number>();
  const soap = devices[0]!.repos.templates.get('primary-care-soap');
  const signable: Record<string, unknown> = {};
  for (const f of soap.sections.flatMap((s) => s.fields)) if ((f.kind === 'text' || f.kind === 'textarea') && f.required) signable[f.id] = `Synthetic ${f.id}`;

  const violation = (msg: string): void => {
    if (report.violations.length < 20) report.violations.push(msg);
  };

  for (let step = 0; step < nClients * ops; step++) {
    simTime += 1 + Math.floor(random() * 2000);
    const d = pick(devices);
    d.user = pick(tpl.users.filter((u) => u.role !== 'admin'));
    const actor = { userId: d.user.id };
    const clinical = d.user.role === 'physician' || d.user.role === 'nurse';
    const r = random();
    try {
      if (r < 0.2) {
        await d.client.syncOnce();
        report.syncs++;
      } else if (r < 0.25) {
        d.partitioned = !d.partitioned;
      } else if (r < 0.28) {
        await net.replayStale();
      } else {
        const patients = d.store.sqlite.prepare('SELECT id FROM patients WHERE deleted_at IS NULL').all() as { id: string }[];
        if (patients.length === 0 || r < 0.36) {
          d.repos.patients.create(
            { givenName: pick(GIVEN), familyName: pick(FAMILY), birthDate: pick(BIRTH), sex: 'unknown', identifiers: [] } as never,
            actor,
          );
        } else {
          const patientId = pick(patients).id;
          const w = random();
          if (w < 0.35) {
            const field = pick(PATIENT_FIELDS);
            const n = Math.floor(random() * 10000);
            const value = field === 'phone' ? `555-${String(n).padStart(4, '0')}` : field === 'email' ? `p${n}@example.org` : `${field} ${n}`;
            const p = d.repos.patients.peek(patientId);
            d.repos.patients.update({ id: patientId, expectedVersion: p.version, [field]: value }, actor);
            const back = d.repos.patients.peek(patientId) as unknown as Record<string, unknown>;
            if (back[field] !== value) violation(`read-your-writes: device ${d.idx} wrote ${field}=${value} and read ${String(back[field])}`);
          } else if (w < 0.5) {
            const encs = d.repos.encounters.list(patientId);
            if (encs.length > 0 && random() < 0.5) d.repos.encounters.setStatus(pick(encs).id, pick(['checked_in', 'in_progress', 'finished'] as const), actor);
            else d.repos.encounters.create(encounterCreate.parse({ patientId, visitType: 'office_visit' }), actor);
          } else if (!clinical) {
            d.repos.encounters.create(encounterCreate.parse({ patientId, visitType: 'office_visit' }), actor);
          } else if (w < 0.62) {
            const allergies = d.repos.allergies.list(patientId).filter((a) => a.kind === 'allergy');
            if (allergies.length > 0 && random() < 0.5) {
              const a = pick(allergies);
              d.repos.allergies.changeStatus({ id: a.id, expectedVersion: a.version, status: pick(['active', 'inactive', 'resolved'] as const) }, actor);
            } else {
              d.repos.allergies.add(
                allergyAdd.parse({ kind: 'allergy', patientId, substance: pick(['penicillin', 'peanut', 'latex']), substanceType: 'drug' }),
                actor,
              );
            }
          } else if (w < 0.75) {
            d.repos.vitals.record(
              {
                ...vitalsInput.parse({
                  takenAt: new Date(simTime).toISOString(),
                  units: { weight: 'kg', height: 'cm', temperature: 'Cel', headCircumference: 'cm' },
                  heartRate: 50 + Math.floor(random() * 60),
                }),
                patientId,
              },
              actor,
            );
          } else {
            const drafts = d.repos.notes.list({ patientId }).filter((n) => n.status === 'draft');
            if (drafts.length > 0 && random() < 0.7) {
              const n = pick(drafts);
              if (noteOwner.get(n.id) === d.idx && d.user.role === 'physician' && random() < 0.4) {
                d.repos.notes.saveDraft(
                  { id: n.id, expectedVersion: n.version, patientId, templateId: 'primary-care-soap', title: n.title, content: signable },
                  actor,
                );
                const fresh = d.repos.notes.get(n.id);
                d.repos.notes.sign(n.id, fresh.version, actor);
              } else {
                d.repos.notes.saveDraft(
                  {
                    id: n.id,
                    expectedVersion: n.version,
                    patientId,
                    templateId: 'primary-care-soap',
                    title: `Visit note ${Math.floor(random() * 100)}`,
                    content: { 'chief-complaint': `complaint ${Math.floor(random() * 1000)}` },
                  },
                  actor,
                );
              }
            } else {
              const n = d.repos.notes.saveDraft({ patientId, templateId: 'primary-care-soap', title: 'Visit note', content: {} }, actor);
              noteOwner.set(n.id, d.idx);
            }
          }
        }
        report.writes++;
      }
    } catch (e) {
      // Refusals a person would see (a stale version, a signed note) are part of the game.
      if (!(e instanceof CairnFailure)) throw e;
    }
  }

  const tOps = Date.now();
  // ------------------------------------------------------------ quiescence: heal and sync until still
  net.faulty = false;
  for (const d of devices) d.partitioned = false;
  while (net.stash.length > 0) await net.replayStale();
  simTime += 60_000;
  for (let round = 0; round < 12; round++) {
    for (const d of devices) {
      const s = await d.client.syncOnce();
      if (s.error) violation(`device ${d.idx} could not sync after healing: ${s.error.code}: ${s.error.message}`);
    }
    const [head] = await server.db.query<{ n: number }>('SELECT n FROM sync_counter');
    if (devices.every((d) => d.client.pendingCount() === 0 && d.client.cursor() === Number(head!.n))) break;
  }
  const tQuiet = Date.now();
  await checkConvergence(server, devices, report, violation);
  await checkNoLostWrites(server, devices, violation);
  const tChecks = Date.now();
  await checkReplays(server, devices, net, violation);
  if (process.env['CAIRN_SIM_TIMING']) console.log(`ops ${tOps - tStart} quiesce ${tQuiet - tOps} checks ${tChecks - tQuiet} replays ${Date.now() - tChecks}`);
  for (const d of devices) d.store.close();
  return report;
}

// ---------------------------------------------------------------- the properties

function canonical(fields: Fields): string {
  return JSON.stringify(
    Object.keys(fields)
      .sort()
      .map((k) => [k, fields[k]]),
  );
}

async function serverRows(server: SimServer): Promise<Map<string, string>> {
  const rows = await server.db.query<{ entity: string; entity_id: string; data: Fields }>('SELECT entity, entity_id, data FROM sync_rows');
  return new Map(rows.map((r) => [`${r.entity}/${r.entity_id}`, canonical(r.data)]));
}

function deviceRows(d: Device): Map<string, string> {
  const out = new Map<string, string>();
  for (const entity of Object.keys(ENTITIES) as EntityName[]) {
    const ids = d.store.sqlite.prepare(`SELECT id FROM ${ENTITIES[entity].table}`).all() as { id: string }[];
    for (const { id } of ids) out.set(`${entity}/${id}`, canonical(d.repos.rowAccess.read(entity, id)!));
  }
  return out;
}

async function checkConvergence(server: SimServer, devices: Device[], report: SimReport, violation: (m: string) => void): Promise<void> {
  const truth = await serverRows(server);
  report.conflicts = [...truth.keys()].filter((k) => k.startsWith('sync_conflict/')).length;
  for (const d of devices) {
    const parked = (d.store.sqlite.prepare('SELECT count(*) AS n FROM sync_parked').get() as { n: number }).n;
    if (parked > 0)
      violation(`device ${d.idx} parked ${parked} changes: ${JSON.stringify(d.store.sqlite.prepare('SELECT reason FROM sync_parked LIMIT 1').get())}`);
    if (parked > 0 && process.env['CAIRN_SIM_DEBUG']) {
      for (const r of d.store.sqlite.prepare('SELECT change FROM sync_parked').all() as { change: string }[]) console.log('PARKED', r.change.slice(0, 600));
      const c = JSON.parse((d.store.sqlite.prepare('SELECT change FROM sync_parked LIMIT 1').get() as { change: string }).change) as { id: string };
      console.log(
        'LOCAL',
        JSON.stringify(
          d.store.sqlite.prepare('SELECT status, signed_at, title, substr(content,1,80) AS c, version FROM clinical_notes WHERE id = ?').get(c.id),
        ),
      );
      console.log(
        'OUTBOX',
        JSON.stringify(
          d.store.sqlite.prepare('SELECT seq, server_seq, quarantined_reason, substr(payload,1,200) AS p FROM sync_outbox WHERE entity_id = ?').all(c.id),
        ),
      );
    }
    report.quarantined += (d.store.sqlite.prepare('SELECT count(*) AS n FROM sync_outbox WHERE quarantined_at IS NOT NULL').get() as { n: number }).n;
    const mine = deviceRows(d);
    for (const [k, v] of truth) {
      if (mine.get(k) === v) continue;
      violation(`device ${d.idx} differs from the server on ${k}: ${mine.has(k) ? 'different values' : 'missing'}`);
      if (process.env['CAIRN_SIM_DEBUG'] && mine.has(k))
        console.log(
          'SERVER',
          v.slice(0, 900),
          '\nDEVICE',
          mine.get(k)!.slice(0, 900),
          '\nOUTBOX',
          JSON.stringify(
            d.store.sqlite
              .prepare('SELECT seq, server_seq, quarantined_reason, hlc, substr(payload,1,300) AS p FROM sync_outbox WHERE entity_id = ?')
              .all(k.split('/')[1]),
          ),
          '\nSTATE',
          JSON.stringify(d.store.sqlite.prepare('SELECT clocks FROM sync_state WHERE entity_id = ?').get(k.split('/')[1])),
        );
    }
    for (const k of mine.keys()) if (!truth.has(k)) violation(`device ${d.idx} has ${k}, which the server does not`);
  }
}

interface AckedWrite {
  device: number;
  key: string;
  hlc: string;
  fields: Fields;
  base: Clocks;
}

/** Every acknowledged write is the current value, or kept in a conflict record, or was knowingly overwritten. */
async function checkNoLostWrites(server: SimServer, devices: Device[], violation: (m: string) => void): Promise<void> {
  const rows = await server.db.query<{ entity: string; entity_id: string; data: Fields }>('SELECT entity, entity_id, data FROM sync_rows');
  const state = new Map(rows.map((r) => [`${r.entity}/${r.entity_id}`, r.data]));
  const kept = new Set<string>();
  for (const r of rows.filter((x) => x.entity === 'sync_conflict' && x.data['kind'] === 'field')) {
    for (const v of JSON.parse(String(r.data['values'])) as { value: unknown }[])
      kept.add(`${r.data['entity']}/${r.data['entity_id']}/${r.data['field']}/${JSON.stringify(v.value)}`);
  }
  const writes: AckedWrite[] = [];
  for (const d of devices) {
    const acked = d.store.sqlite
      .prepare('SELECT entity, entity_id, hlc, payload, base FROM sync_outbox WHERE server_seq IS NOT NULL AND quarantined_at IS NULL')
      .all() as { entity: string; entity_id: string; hlc: string; payload: string; base: string }[];
    const rowAccess = new RowAccess(d.store.sqlite);
    for (const a of acked)
      writes.push({
        device: d.idx,
        key: `${a.entity}/${a.entity_id}`,
        hlc: a.hlc,
        fields: outboxFields(rowAccess, a.entity, a.entity_id, a.payload),
        base: JSON.parse(a.base) as Clocks,
      });
  }
  const byField = new Map<string, AckedWrite[]>();
  for (const w of writes) for (const f of Object.keys(w.fields)) byField.set(`${w.key}/${f}`, [...(byField.get(`${w.key}/${f}`) ?? []), w]);
  for (const w of writes) {
    const current = state.get(w.key);
    if (!current) {
      violation(`acknowledged ${w.key} from device ${w.device} is missing on the server`);
      continue;
    }
    for (const [f, v] of Object.entries(w.fields)) {
      if (META_COLUMNS.includes(f) || DEVICE_COLUMNS.includes(f) || f === 'phone_digits') continue;
      if (current[f] === v) continue;
      if (kept.has(`${w.key}/${f}/${JSON.stringify(v)}`)) continue;
      const supersededKnowingly = (byField.get(`${w.key}/${f}`) ?? []).some((o) => o !== w && (o.base[f] ?? '') >= w.hlc);
      if (supersededKnowingly) continue;
      violation(
        `lost write: device ${w.device} set ${w.key} ${f}=${JSON.stringify(v)}; the server has ${JSON.stringify(current[f])} and no conflict record keeps it`,
      );
    }
  }
}

/** Replaying pushes and pulls changes nothing. */
async function checkReplays(server: SimServer, devices: Device[], net: SimNetwork, violation: (m: string) => void): Promise<void> {
  const before = canonicalMap(await serverRows(server));
  const [head] = await server.db.query<{ n: number }>('SELECT n FROM sync_counter');
  for (const p of net.pushes.slice(-20)) await (await net['deliver'](p.url, p.init)).text();
  const [headAfter] = await server.db.query<{ n: number }>('SELECT n FROM sync_counter');
  if (canonicalMap(await serverRows(server)) !== before || Number(head!.n) !== Number(headAfter!.n)) violation('replaying pushes changed the server');
  const d = devices[0]!;
  const mine = canonicalMap(deviceRows(d));
  d.store.sqlite.prepare("UPDATE meta SET value = '0' WHERE key = 'sync.cursor'").run();
  const again = await d.client.syncOnce();
  if (again.error) violation(`re-pulling from the start failed: ${again.error.message}`);
  if (canonicalMap(deviceRows(d)) !== mine) violation('re-pulling the whole log changed device 0');
}

function canonicalMap(m: Map<string, string>): string {
  return JSON.stringify([...m.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
}
