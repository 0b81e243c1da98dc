import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonbParam } from '../../electron/server/db/jsonb-param';
import type { ServerDb } from '../../electron/server/db/open';
import { openTestDb } from '../helpers/sync-server';

// A push's log entries and audit entries reach the clinic database as one jsonb parameter in
// binary form (jsonb-param.ts). Both databases must read it exactly as the JSON text it carries.

/** Text a clinic really stores: accents, other scripts, an emoji (4 UTF-8 bytes), quotes, escapes. */
const SAMPLE = [
  {
    given_name: 'Zoë',
    family_name: "O'Brien-Łukasiewicz",
    note: '患者は「頭痛」を訴える — 🌿 "quoted" \\ back\\slash\ttab\nnew line',
    n: 42,
    cents: -1250,
    flag: true,
    none: null,
    nested: { a: [1, 2, { b: 'ü' }] },
  },
  { given_name: 'Ana', family_name: 'García', note: '', n: 0, cents: 0, flag: false, none: null, nested: {} },
];

describe.each(['pglite', 'postgres'] as const)('a jsonb parameter in binary form, on %s', (backend) => {
  let db: ServerDb;
  let drop: () => Promise<void> = () => Promise.resolve();

  beforeAll(async () => {
    ({ db, drop } = await openTestDb(backend));
  });
  afterAll(async () => {
    await db.close();
    await drop();
  });

  it('is read as the same JSON as the text form of the same value', async () => {
    const [r] = await db.query<{ bin: unknown; txt: unknown; same: boolean }>('SELECT $1::jsonb AS bin, $2::jsonb AS txt, $1::jsonb = $2::jsonb AS same', [
      jsonbParam(SAMPLE),
      JSON.stringify(SAMPLE),
    ]);
    expect(r!.same).toBe(true);
    expect(r!.bin).toEqual(SAMPLE);
  });

  it('feeds jsonb_to_recordset inside a transaction, as the push writes its log', async () => {
    const rows = await db.tx((q) =>
      q.query<{ given_name: string; note: string; cents: number }>(
        'SELECT given_name, note, cents FROM jsonb_to_recordset($1::jsonb) AS x(given_name text, note text, cents int) ORDER BY cents',
        [jsonbParam(SAMPLE)],
      ),
    );
    expect(rows).toEqual([
      { given_name: 'Zoë', note: SAMPLE[0]!.note, cents: -1250 },
      { given_name: 'Ana', note: '', cents: 0 },
    ]);
  });

  it('leaves other jsonb parameters as they were: an object or JSON text is still sent as text', async () => {
    const [r] = await db.query<{ a: unknown; b: unknown }>('SELECT $1::jsonb AS a, $2::jsonb AS b', [{ k: 'ß' }, '{"k":"ß"}']);
    expect(r).toEqual({ a: { k: 'ß' }, b: { k: 'ß' } });
  });

  it('refuses bytes not in jsonb binary form (its version byte is 1) with the database error', async () => {
    const bad = Buffer.from('\u0002{"k":1}', 'latin1');
    await expect(db.query('SELECT $1::jsonb AS v', [bad])).rejects.toThrow(/version|jsonb/i);
  });
});
