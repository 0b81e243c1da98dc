import { describe, expect, it } from 'vitest';
import { ENTITIES } from '../../../../shared/sync/entities';
import { encodeHlc } from '../../../../shared/sync/hlc';
import { mergeChange, type IncomingChange, type RowState } from '../../../../shared/sync/merge';

const h = (wall: number, node = 'a'): string => encodeHlc({ wall, counter: 0, node });
const change = (c: Partial<IncomingChange> & Pick<IncomingChange, 'hlc' | 'fields'>): IncomingChange => ({
  op: 'update',
  base: {},
  deviceId: 'dev',
  authorId: 'user',
  ...c,
});
const row = (data: RowState['data'], at: number): RowState => ({ data, clocks: Object.fromEntries(Object.keys(data).map((k) => [k, h(at, 'server')])) });

describe('per-field merge', () => {
  const patient = row({ id: 'p1', phone: '555-0100', email: 'a@example.org', deleted_at: null }, 100);

  it('a sequential edit (the writer saw the current value) wins without a conflict', () => {
    const r = mergeChange(ENTITIES.patient, patient, change({ hlc: h(200), fields: { phone: '555-0200' }, base: patient.clocks }));
    expect(r.ok && r.row.data['phone']).toBe('555-0200');
    expect(r.ok && r.conflicts).toEqual([]);
  });

  it('two devices changing different fields while apart both keep their change', () => {
    const first = mergeChange(ENTITIES.patient, patient, change({ hlc: h(200, 'a'), fields: { phone: '555-0200' }, base: patient.clocks }));
    if (!first.ok) throw new Error('refused');
    const second = mergeChange(ENTITIES.patient, first.row, change({ hlc: h(150, 'b'), fields: { email: 'b@example.org' }, base: patient.clocks }));
    expect(second.ok && second.row.data).toMatchObject({ phone: '555-0200', email: 'b@example.org' });
    expect(second.ok && second.conflicts).toEqual([]);
  });

  it('the same field changed while apart: both values kept in a conflict, the later clock shown', () => {
    const first = mergeChange(ENTITIES.patient, patient, change({ hlc: h(200, 'a'), fields: { phone: '555-0200' }, base: patient.clocks }));
    if (!first.ok) throw new Error('refused');
    // Arrives later but was written earlier: it loses, and is kept.
    const late = mergeChange(ENTITIES.patient, first.row, change({ hlc: h(150, 'b'), fields: { phone: '555-0150' }, base: patient.clocks }));
    expect(late.ok && late.row.data['phone']).toBe('555-0200');
    expect(late.ok && late.conflicts.map((c) => [c.field, c.winner.value, c.values.map((v) => v.value).sort()])).toEqual([
      ['phone', '555-0200', ['555-0150', '555-0200']],
    ]);
    // Arrives later and was written later: it wins, and the overwritten value is kept.
    const newer = mergeChange(ENTITIES.patient, first.row, change({ hlc: h(300, 'b'), fields: { phone: '555-0300' }, base: patient.clocks }));
    expect(newer.ok && newer.row.data['phone']).toBe('555-0300');
    expect(newer.ok && newer.conflicts[0]?.values.map((v) => v.value).sort()).toEqual(['555-0200', '555-0300']);
  });

  it('a delete never comes back to life', () => {
    const deleted = row({ id: 'p1', deleted_at: '2026-11-01T00:00:00Z', deleted_by: 'u' }, 100);
    const r = mergeChange(ENTITIES.patient, deleted, change({ hlc: h(500), fields: { deleted_at: null, deleted_by: null }, base: {} }));
    expect(r.ok && r.row.data['deleted_at']).toBe('2026-11-01T00:00:00Z');
  });

  it('append-only records refuse a change; the same values again are harmless', () => {
    const obs = row({ id: 'o1', value_num: 72 }, 100);
    const r = mergeChange(ENTITIES.observation, obs, change({ hlc: h(200), fields: { value_num: 80 } }));
    expect(r).toMatchObject({ ok: false, code: 'append_only' });
    expect(mergeChange(ENTITIES.observation, obs, change({ hlc: h(200), fields: { value_num: 72 } })).ok).toBe(true);
  });

  it('a signed note refuses edits but may be marked entered in error', () => {
    const signed = row({ id: 'n1', status: 'signed', signed_at: '2026-11-25T10:00:00Z', content: '{"a":1}', error_reason: null }, 100);
    expect(mergeChange(ENTITIES.note, signed, change({ hlc: h(200), fields: { content: '{"a":2}' } }))).toMatchObject({ ok: false, code: 'signed_note' });
    const eie = mergeChange(ENTITIES.note, signed, change({ hlc: h(200), fields: { status: 'entered_in_error', error_reason: 'wrong patient' } }));
    expect(eie.ok && eie.row.data['status']).toBe('entered_in_error');
  });

  it('a signature keeps the text its signer saw; a concurrent draft edit is kept in a conflict', () => {
    const draft = row({ id: 'n1', status: 'draft', signed_at: null, content: '{"v":1}' }, 100);
    const edited = mergeChange(ENTITIES.note, draft, change({ hlc: h(300, 'b'), fields: { content: '{"v":"edit"}' }, base: draft.clocks }));
    if (!edited.ok) throw new Error('refused');
    const signing = mergeChange(
      ENTITIES.note,
      edited.row,
      change({ hlc: h(200, 'a'), fields: { status: 'signed', signed_at: '2026-11-25T10:00:00Z', content: '{"v":1}' }, base: draft.clocks }),
    );
    expect(signing.ok && signing.row.data).toMatchObject({ status: 'signed', content: '{"v":1}' });
    expect(signing.ok && signing.conflicts.map((c) => c.field)).toEqual(['content']);
  });

  it('an update for a record the server never received is refused, not invented', () => {
    expect(mergeChange(ENTITIES.patient, null, change({ hlc: h(1), fields: { phone: 'x' } }))).toMatchObject({ ok: false, code: 'not_found' });
  });

  it('the canary build forgets conflict records (so the simulation can prove it notices)', () => {
    const first = mergeChange(ENTITIES.patient, patient, change({ hlc: h(200, 'a'), fields: { phone: '555-0200' }, base: patient.clocks }));
    if (!first.ok) throw new Error('refused');
    const r = mergeChange(ENTITIES.patient, first.row, change({ hlc: h(150, 'b'), fields: { phone: '555-0150' }, base: patient.clocks }), {
      canaryDropConflicts: true,
    });
    expect(r.ok && r.conflicts).toEqual([]);
  });
});
