import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRepos } from '../../electron/services/repos';
import { clientFor, enrollThisDevice } from '../../electron/services/sync';
import { userSessionTokens } from '../../electron/services/sync/user-sessions';
import { patientInput } from '../../shared/domain/patient';
import { encodeHlc } from '../../shared/sync/hlc';
import { PROTOCOL_VERSION, SESSIONS_HEADER, USER_HEADER } from '../../shared/sync/protocol';
import { CLINIC, openClinic, type Clinic } from '../helpers/clinic';
import { mulberry32 } from '../helpers/prng';
import { signInClinicUsers, startTestServer } from '../helpers/sync-server';
import { newStore, tempDir } from '../helpers/temp-db';

/**
 * Hostile payloads at the sync routes from a device that holds a valid credential and a valid user
 * session: the inside of the door, where the schema and the merge rules are all that stand. Every
 * answer must be a 4xx with a message (or a per-change refusal), never a 5xx, and nothing refused
 * may reach the server's rows. The same seed replays the same run.
 */
const SEED = Number(process.env['CAIRN_FUZZ_SEED'] ?? 20261205);
const N = 600;

const ENTITIES = [
  'patient',
  'user',
  'note',
  'observation',
  'allergy',
  'sync_conflict',
  'encounter',
  'medication_event',
  '__proto__',
  'constructor',
  '',
  'x'.repeat(65),
  'Patient',
  'audit',
];
const FIELD_NAMES = [
  'id',
  'given_name',
  'family_name',
  'birth_date',
  'role',
  'disabled',
  'password_hash',
  'deleted_at',
  'status',
  'signed_at',
  '__proto__',
  'constructor',
  'prototype',
  'x'.repeat(70),
  '',
  'mrn',
  'patient_id',
  'version',
];
const VALUES: unknown[] = [
  '',
  'admin',
  "'; DROP TABLE sync_rows; --",
  '\u0000',
  '\uD800',
  '😀'.repeat(100),
  0,
  -1,
  1e308,
  -0,
  Number.MAX_SAFE_INTEGER + 2,
  null,
  true,
  false,
  [],
  {},
  { $gt: '' },
  'x'.repeat(6_000_000),
  '2026-02-30',
  'scrypt$1$1$1$AAAA$AAAA',
];
const HLCS = (r: () => number): unknown[] => [
  encodeHlc({ wall: Date.now(), counter: 0, node: 'f' }),
  encodeHlc({ wall: Date.now() + 86_400_000 * 3, counter: 0, node: 'f' }),
  encodeHlc({ wall: 1, counter: 0, node: 'f' }),
  'not a clock',
  '',
  5,
  null,
  `${'9'.repeat(15)}.zzzzz.x`,
  encodeHlc({ wall: Math.floor(r() * Date.now()), counter: 7, node: '' }),
];

function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)]!;
}

function randomFields(r: () => number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const n = Math.floor(r() * 6);
  for (let i = 0; i < n; i++) out[pick(r, FIELD_NAMES)] = pick(r, VALUES);
  return out;
}

function randomMutation(r: () => number, authors: string[], seq: number): unknown {
  if (r() < 0.05) return pick(r, VALUES);
  const m: Record<string, unknown> = {
    seq: r() < 0.8 ? seq : pick(r, [0, -5, 1.5, 'one', null, Number.MAX_SAFE_INTEGER]),
    entity: pick(r, ENTITIES),
    id: r() < 0.8 ? `fz-${Math.floor(r() * 1e9)}` : pick(r, VALUES),
    op: pick(r, ['insert', 'update', 'delete', '', 7]),
    hlc: pick(r, HLCS(r)),
    authorId: pick(r, [...authors, 'cli:mallory', '', 'x'.repeat(200), null]),
    patientId: r() < 0.7 ? null : pick(r, VALUES),
    fields: r() < 0.9 ? randomFields(r) : pick(r, VALUES),
    base: r() < 0.8 ? {} : { given_name: pick(r, HLCS(r)) },
  };
  if (r() < 0.1) delete m[pick(r, Object.keys(m))];
  return m;
}

function randomBody(r: () => number, authors: string[], seq: number): string {
  const roll = r();
  if (roll < 0.08)
    return pick(r, ['', '{', 'null', '[]', '"x"', '{"protocol":1}', '\u0000', '{"__proto__":{"admin":true}}', JSON.stringify({ a: [[[[[[[[[[[]]]]]]]]]]] })]);
  const body: Record<string, unknown> = {
    protocol: r() < 0.9 ? PROTOCOL_VERSION : pick(r, [0, 2, '1', null]),
    schemaVersion: r() < 0.9 ? 15 : pick(r, VALUES),
    clientTime: r() < 0.9 ? Date.now() : pick(r, VALUES),
    mutations: Array.from({ length: Math.floor(r() * 4) }, (_, i) => randomMutation(r, authors, seq + i)),
    audit:
      r() < 0.8
        ? []
        : [
            {
              seq: pick(r, [1, -1, 'x']),
              at: pick(r, VALUES),
              userId: null,
              action: pick(r, VALUES),
              patientId: null,
              recordType: null,
              recordId: null,
              detail: null,
              prevHash: 'x',
              hash: 'y',
            },
          ],
  };
  return JSON.stringify(body);
}

describe('the sync routes under hostile payloads from an authenticated device', () => {
  const t = tempDir('cairn-sync-fuzz-');
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let clinic: Clinic;
  let device: string;
  let sessions: string;
  let docId: string;

  beforeAll(async () => {
    server = await startTestServer('pglite');
    clinic = await openClinic(t.dir);
    const repos = clinic.session.repos;
    docId = repos.users.list().find((u) => u.username === CLINIC.doc.username)!.id;
    await enrollThisDevice(repos.store, repos, {
      serverUrl: server.url,
      code: (await server.sync.createEnrollmentCode('Exam room')).code,
      deviceName: 'Exam room',
    });
    await signInClinicUsers(repos.store.sqlite);
    expect((await clientFor(repos.store, repos, () => docId).syncOnce()).error).toBeNull();
    // The fuzzer speaks as a second device of the clinic, with the physician signed in on it.
    const d = await newStore(tempDir('cairn-sync-fuzz-b-').dir);
    await enrollThisDevice(d.store, createRepos(d.store), {
      serverUrl: server.url,
      code: (await server.sync.createEnrollmentCode('Fuzz')).code,
      deviceName: 'Fuzz',
    });
    await signInClinicUsers(d.store.sqlite);
    device = (d.store.sqlite.prepare("SELECT value FROM meta WHERE key = 'sync.device_token'").get() as { value: string }).value;
    sessions = Object.values(userSessionTokens(d.store.sqlite)).join(',');
    d.store.close();
  });
  afterAll(async () => {
    clinic.session.close();
    await server.stop();
    t.cleanup();
  });

  it(`answers ${N} hostile requests (seed ${SEED}) with no 5xx, each error with a code and a message, and stays whole`, async () => {
    const r = mulberry32(SEED);
    const before = await server.db.query<{ n: number }>('SELECT count(*)::int AS n FROM sync_rows');
    const failures: string[] = [];
    let seq = 1;
    for (let i = 0; i < N; i++) {
      const route = r();
      const badToken = r() >= 0.9;
      const headers: Record<string, string> = {
        authorization: `Bearer ${badToken ? device + 'x' : device}`,
        'content-type': pick(r, ['application/json', 'application/json', 'text/plain', '']),
      };
      if (r() < 0.85) headers[SESSIONS_HEADER] = r() < 0.9 ? sessions : pick(r, [',,,', 'a,b', sessions + ',' + 'Z'.repeat(43), '%00']);
      if (r() < 0.8) headers[USER_HEADER] = pick(r, [docId, 'cli:nina', '', 'x'.repeat(300)]);
      let res: Response;
      if (route < 0.6) {
        const body = randomBody(r, [docId], seq);
        // Important: a bad credential is refused before the body is read, which closes the connection
        // under a sender still uploading megabytes (the client then sees a socket error, not the 401):
        // megabyte bodies go with the real credential, so the server reads and judges them.
        if (badToken && body.length > 64 * 1024) headers['authorization'] = `Bearer ${device}`;
        res = await fetch(`${server.url}/sync/push`, { method: 'POST', headers, body });
      } else if (route < 0.8) {
        const q = pick(r, [
          'cursor=0&limit=10',
          'cursor=-1',
          'cursor=abc',
          'limit=0',
          'limit=99999',
          'cursor=1e400',
          'cursor=%E0',
          '',
          'cursor=0&cursor=5',
          `cursor=${Number.MAX_SAFE_INTEGER}`,
          'cursor=0&limit=10&clocks=compact',
          'cursor=0&clocks=every-column',
          'clocks=compact&clocks=',
          'clocks=%00',
        ]);
        res = await fetch(`${server.url}/sync/pull?${q}`, { headers });
      } else if (route < 0.9) {
        res = await fetch(`${server.url}/sync/sessions`, {
          method: 'POST',
          headers,
          body: pick(r, [
            '{}',
            '{"username":"drhouse"}',
            '{"username":"","password":""}',
            JSON.stringify({ username: 'drhouse', password: 'x'.repeat(2000) }),
            '[]',
            'nope',
            JSON.stringify({ username: { $ne: 1 }, password: 'x' }),
          ]),
        });
      } else {
        res = await fetch(`${server.url}/sync/enroll`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: pick(r, [
            '{}',
            JSON.stringify({ code: 'AAAAA-AAAAA', deviceId: 'x', deviceName: 'y', users: [] }),
            JSON.stringify({ code: 'x'.repeat(70), deviceId: '', deviceName: '', users: 'no' }),
            '{"users":[{"fields":{"__proto__":{}}}]}',
          ]),
        });
      }
      const text = await res.text();
      if (res.status >= 500) failures.push(`#${i} ${res.status}: ${text.slice(0, 200)}`);
      else if (res.status >= 400) {
        const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
        if (typeof body.error?.code !== 'string' || typeof body.error.message !== 'string' || body.error.message.length < 10)
          failures.push(`#${i} ${res.status} without a readable error: ${text.slice(0, 200)}`);
      } else if (route < 0.6) {
        const body = JSON.parse(text) as { results: { status: string }[] };
        seq += body.results.length;
      }
    }
    expect(failures).toEqual([]);
    // What was applied from the fuzzing device is the physician's own work only: no account, no other author.
    const applied = await server.db.query<{ entity: string; author_id: string }>(
      "SELECT c.entity, c.author_id FROM sync_changes c JOIN devices d ON d.id = c.device_id WHERE d.name = 'Fuzz'",
    );
    expect(applied.filter((c) => c.author_id !== docId || c.entity === 'user')).toEqual([]);
    // Nothing made anyone an administrator, and no account was added.
    const users = await server.db.query<{ role: string }>("SELECT data->>'role' AS role FROM sync_rows WHERE entity = 'user'");
    expect(users.map((u) => u.role).sort()).toEqual(['admin', 'physician']);
    // Still whole: a real device's ordinary sync works afterwards.
    const repos = clinic.session.repos;
    repos.patients.create(patientInput.parse({ givenName: 'After', familyName: 'Fuzz', birthDate: '1999-09-09' }), { userId: docId });
    expect((await clientFor(repos.store, repos, () => docId).syncOnce()).error).toBeNull();
    const after = await server.db.query<{ n: number }>('SELECT count(*)::int AS n FROM sync_rows');
    expect(after[0]!.n).toBeGreaterThan(before[0]!.n);
  });
});
