import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { unlockDatabase } from '../../electron/services/db/open';
import { cairn, CLI_ENV } from '../helpers/cli';
import { resourcesDir, tempDir } from '../helpers/temp-db';

const FIXTURES = join(process.env.CAIRN_FIXTURES ?? 'test/fixtures', 'hl7v2');

describe('cairn hl7 import', () => {
  const t = tempDir('cairn-hl7-cli-');
  const db = join(t.dir, 'clinic.cairn');
  afterAll(() => t.cleanup());

  it('prints one JSON line per message, applies once, and exits 1 when any message is not AA', () => {
    expect(cairn(['init', '--db', db, '--admin', 'alice']).code).toBe(0);
    expect(cairn(['patients', 'add', '--db', db, '--given', 'Huckleberry', '--family', 'Finn', '--birth-date', '1963-08-15', '--sex', 'male']).code).toBe(0);
    const lab = join(FIXTURES, 'LAB-ORU-1.hl7');
    const oru = join(FIXTURES, 'ORU-R01-01.hl7');
    const r = cairn(['hl7', 'import', '--db', db, oru, lab, oru]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const lines = r.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatchObject({
      file: oru,
      controlId: '2.16.840.1.114222.4.3.3.5.1.2-20120314235954.325',
      type: 'ORU^R01',
      ack: 'AA',
      queued: false,
      results: 2,
    });
    expect(lines[0]!['patientId']).toMatch(/^[0-9a-f-]{36}$/);
    // Donald Duck has no chart here: held for a person.
    expect(lines[1]).toEqual({ file: lab, controlId: '182', type: 'ORU^R01', ack: 'AA', patientId: null, queued: true, results: 0 });
    expect(lines[2]).toMatchObject({ ack: 'AA', results: 0, duplicate: true, patientId: lines[0]!['patientId'] });

    const broken = join(t.dir, 'broken.hl7');
    writeFileSync(broken, 'MSH|^~\\&|LAB|ACME|C|D|20260101||ORU^R01|B1|P|2.5\rPID|1||1^^^^MR||A^B||19800101\rOBR|1\rOBX|1|NM|1-8^x^LN||abc||||||F\r');
    const bad = cairn(['hl7', 'import', '--db', db, broken]);
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.out)).toEqual({
      file: broken,
      controlId: 'B1',
      type: 'ORU^R01',
      ack: 'AE',
      patientId: null,
      queued: false,
      results: 0,
      error: 'OBX #1 field 5: NM value "abc" is not a number',
    });

    const usage = cairn(['hl7', 'import', '--db', db]);
    expect([usage.code, usage.err.trim()]).toEqual([2, 'cairn: missing the message files to import (see cairn --help)']);
  });

  it('reads a file in the character set its first message names, or Windows-1252 when its bytes are not UTF-8', () => {
    const latin = join(t.dir, 'latin1.hl7');
    // No MSH-18, bytes from a Windows system: the "ö" must come through, not U+FFFD.
    writeFileSync(
      latin,
      Buffer.from('MSH|^~\\&|LAB|ACME|C|D|20260101||ORU^R01|W1|P|2.5\rPID|1||1^^^^MR||A^B||19800101\rOBR|1\rOBX|1|NM|1-8^x^LN||zwölf||||||F\r', 'latin1'),
    );
    const r = cairn(['hl7', 'import', '--db', db, latin]);
    expect(JSON.parse(r.out)).toMatchObject({ controlId: 'W1', ack: 'AE', error: 'OBX #1 field 5: NM value "zwölf" is not a number' });

    const wide = join(t.dir, 'utf16.hl7');
    writeFileSync(wide, 'MSH|^~\\&|LAB|ACME|C|D|20260101||ORU^R01|W2|P|2.5.1||||||UNICODE UTF-16\rPID|1||1^^^^MR||A^B||19800101\r');
    const refused = cairn(['hl7', 'import', '--db', db, wide]);
    expect(refused.code).toBe(1);
    const line = JSON.parse(refused.out) as Record<string, unknown>;
    expect(line).toMatchObject({ controlId: 'W2', ack: 'AR' });
    expect(line['error']).toMatch(/^MSH field 18: character set "UNICODE UTF-16" is not supported/);
  });

  it("reads times sent without an offset in the machine's time zone (TZ), not as UTC", async () => {
    expect(cairn(['patients', 'add', '--db', db, '--given', 'Tess', '--family', 'Zone', '--birth-date', '1980-08-08', '--sex', 'female']).code).toBe(0);
    const file = join(t.dir, 'local-time.hl7');
    writeFileSync(
      file,
      'MSH|^~\\&|LAB|ACME|C|D|20260301101500||ORU^R01|TZ1|P|2.5.1\rPID|1||||Zone^Tess||19800808|F\rOBR|1|PL-TZ|FI-TZ|2345-7^Glucose^LN|||20260301080000\rOBX|1|NM|2345-7^Glucose^LN||99|mg/dL|||||F\r',
    );
    const r = cairn(['hl7', 'import', '--db', db, file], { TZ: 'America/New_York' });
    expect(JSON.parse(r.out)).toMatchObject({ controlId: 'TZ1', ack: 'AA', results: 1 });
    const { store } = await unlockDatabase(db, CLI_ENV.CAIRN_PASSPHRASE, { resourcesDir });
    try {
      // Collected at 08:00 New York time (EST): 13:00 UTC.
      expect(store.sqlite.prepare(`SELECT effective_at AS at FROM observations WHERE lab_placer_number = 'PL-TZ'`).get()).toEqual({
        at: '2026-03-01T13:00:00.000Z',
      });
    } finally {
      store.close();
    }
  });
});
