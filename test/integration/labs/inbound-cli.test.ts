import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cairn } from '../../helpers/cli';
import { tempDir } from '../../helpers/temp-db';
import { INBOUND, inboundNames } from './inbound.helpers';
import { FIXTURES } from './labs.helpers';

interface Line {
  file: string;
  type: string;
  ack: string;
  queued: boolean;
  patientId: string | null;
  duplicate?: boolean;
  error?: string;
}

const lines = (out: string): Line[] =>
  out
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Line);

describe('cairn hl7 import over the inbound fixtures: MDM, VXU, ADT notices and updates, REF, imaging ORU', () => {
  const t = tempDir('cairn-inbound-cli-');
  const db = join(t.dir, 'clinic.cairn');
  afterAll(() => t.cleanup());

  it('answers no AR for these kinds: every synthetic inbound fixture is AA (applied, or held for a person)', () => {
    expect(cairn(['init', '--db', db, '--admin', 'alice']).code).toBe(0);
    for (const p of [
      ['Grace', 'Okafor', '1968-04-23', 'female'],
      ['Harold', 'Bjornson', '1944-11-30', 'male'],
    ])
      expect(cairn(['patients', 'add', '--db', db, '--given', p[0]!, '--family', p[1]!, '--birth-date', p[2]!, '--sex', p[3]!]).code).toBe(0);
    const files = inboundNames().map((f) => join(INBOUND, f));
    expect(files.length).toBeGreaterThanOrEqual(12);
    const r = cairn(['hl7', 'import', '--db', db, ...files], { TZ: 'America/Chicago' });
    expect(r.err).toBe('');
    const got = lines(r.out);
    expect(got).toHaveLength(files.length);
    expect(got.filter((l) => l.ack !== 'AA')).toEqual([]);
    expect(r.code).toBe(0);
    // Samuel Lindqvist has no chart here: his registry VXU is held, the rest applied.
    expect(got.filter((l) => l.queued).map((l) => l.file.split('/').pop())).toEqual(
      expect.arrayContaining(['VXU-V04-registry-v2.5.1.hl7', 'ADT-A08-address-phone-v2.4.hl7', 'ADT-A31-phone-v2.5.hl7']),
    );
    expect(new Set(got.map((l) => l.type))).toEqual(new Set(['ADT^A01', 'ADT^A03', 'ADT^A08', 'ADT^A31', 'MDM^T02', 'ORU^R01', 'REF^I12', 'VXU^V04']));
  });

  it('the earlier real sample fixtures of these kinds are no longer AR (the VXU is AE: its RXA-5 names no CVX)', () => {
    // VXU, A01 and A03 share facility and control id (MSG00001): the VXU first, its AE keeps nothing, so the A01 is applied.
    const names = ['MDM-T02-01.hl7', 'VXU-V04-01.hl7', 'ADT-A01-01.hl7', 'ADT-A03-01.hl7'];
    const r = cairn(['hl7', 'import', '--db', db, ...names.map((n) => join(FIXTURES, n))]);
    const got = lines(r.out);
    expect(got.map((l) => [l.file.split('/').pop(), l.type, l.ack])).toEqual([
      ['MDM-T02-01.hl7', 'MDM^T02', 'AA'],
      ['VXU-V04-01.hl7', 'VXU^V04', 'AE'],
      ['ADT-A01-01.hl7', 'ADT^A01', 'AA'],
      // Same facility and control id as the A01: acknowledged again as a duplicate.
      ['ADT-A03-01.hl7', 'ADT^A03', 'AA'],
    ]);
    expect(got[1]!.error).toMatch(/^RXA #1 field 5: no CVX code/);
    expect([got[2]!.duplicate, got[3]!.duplicate]).toEqual([undefined, true]);
    expect(r.code).toBe(1);
  });
});
