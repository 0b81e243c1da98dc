import { describe, expect, it } from 'vitest';
import { encodeHlc } from '../../../../shared/sync/hlc';
import { mutation, pullResponse } from '../../../../shared/sync/protocol';

const hlc = encodeHlc({ wall: 1_764_990_000_000, counter: 0, node: 'dev' });
const good = {
  seq: 1,
  entity: 'patient',
  id: 'p1',
  op: 'insert',
  hlc,
  authorId: 'u1',
  patientId: 'p1',
  fields: { id: 'p1', restricted: 0, phone: null },
  base: {},
};

describe('sync protocol maps (fields and clocks)', () => {
  it('accepts column → text, finite number or null, and column → clock', () => {
    expect(mutation.safeParse(good).success).toBe(true);
    expect(mutation.safeParse({ ...good, base: { phone: hlc } }).success).toBe(true);
  });

  it.each([
    ['an array', []],
    ['a nested object', { phone: { a: 1 } }],
    ['a boolean', { restricted: true }],
    ['a column name over 64 characters', { ['x'.repeat(65)]: 'v' }],
    ['text over 5 MB', { note: 'x'.repeat(5_000_001) }],
    ['null', null],
  ])('refuses fields holding %s, with a message a person can act on', (_, fields) => {
    const r = mutation.safeParse({ ...good, fields });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toMatch(/fields must map column names/);
  });

  it.each([
    ['a clock that is not a hybrid logical clock', { phone: 'yesterday' }],
    ['a number', { phone: 5 }],
    ['an over-long clock', { phone: `${hlc}${'x'.repeat(200)}` }],
  ])('refuses base clocks holding %s', (_, base) => {
    const r = mutation.safeParse({ ...good, base });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toMatch(/clocks must map column names/);
  });

  it('checks the clocks of a pulled change the same way', () => {
    const page = (clocks: unknown): unknown => ({
      changes: [{ serverSeq: 1, entity: 'patient', id: 'p1', op: 'insert', patientId: 'p1', fields: { id: 'p1' }, clocks, deviceId: null, deviceSeq: null }],
      cursor: 1,
      head: 1,
      more: false,
      serverTime: 1,
    });
    expect(pullResponse.safeParse(page({ id: hlc })).success).toBe(true);
    expect(pullResponse.safeParse(page({ id: 'not a clock' })).success).toBe(false);
  });
});
