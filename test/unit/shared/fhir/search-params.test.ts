import { describe, expect, it } from 'vitest';
import { allows, parseScope, parseScopes } from '../../../../shared/fhir/scopes';
import { parseDateSearch, parseReference, parseToken, splitOr } from '../../../../shared/fhir/search-params';

describe('FHIR search parameter parsing', () => {
  it('turns a date of any precision into a half-open text range, with its prefix', () => {
    expect(parseDateSearch('2026')).toEqual({ ok: true, value: { prefix: 'eq', lo: '2026', hi: '2027' } });
    expect(parseDateSearch('ge2026-12')).toEqual({ ok: true, value: { prefix: 'ge', lo: '2026-12', hi: '2027-01' } });
    expect(parseDateSearch('lt2024-02-29')).toEqual({ ok: true, value: { prefix: 'lt', lo: '2024-02-29', hi: '2024-03-01' } });
    expect(parseDateSearch('2026-03-01T10:30:00+01:00')).toEqual({ ok: true, value: { prefix: 'eq', lo: '2026-03-01T09:30:00', hi: '2026-03-01T09:30:01' } });
    expect(parseDateSearch('ne2026-03-01T10:30')).toEqual({ ok: true, value: { prefix: 'ne', lo: '2026-03-01T10:30', hi: '2026-03-01T10:31' } });
    for (const bad of ['2023-02-29', '2026-13', 'xx2026', '2026-01-01T24:00', '26-01-01', '', '2026-01-01T10:00:00+15:00'])
      expect(parseDateSearch(bad).ok, bad).toBe(false);
  });

  it('parses tokens, references and escaped OR lists', () => {
    expect(parseToken('http://loinc.org|8480-6')).toEqual({ ok: true, value: { system: 'http://loinc.org', code: '8480-6' } });
    expect(parseToken('8480-6')).toEqual({ ok: true, value: { system: null, code: '8480-6' } });
    expect(parseToken('http://loinc.org|')).toEqual({ ok: true, value: { system: 'http://loinc.org', code: null } });
    expect(parseToken('a|b|c').ok).toBe(false);
    expect(parseToken('|').ok).toBe(false);
    expect(parseReference('Patient/abc-1', 'Patient')).toEqual({ ok: true, value: 'abc-1' });
    expect(parseReference('https://x.org/fhir/R4/Patient/abc', 'Patient')).toEqual({ ok: true, value: 'abc' });
    expect(parseReference('Practitioner/abc', 'Patient').ok).toBe(false);
    expect(parseReference('a b', 'Patient').ok).toBe(false);
    expect(splitOr('a,b\\,c')).toEqual(['a', 'b,c']);
  });

  it('reads SMART v1 and v2 system scopes and what they allow', () => {
    expect(parseScope('system/*.read')).toEqual({ type: '*', read: true, search: true });
    expect(parseScope('system/Observation.rs')).toEqual({ type: 'Observation', read: true, search: true });
    expect(parseScope('system/Patient.s')).toEqual({ type: 'Patient', read: false, search: true });
    expect(parseScope('system/Patient.write')).toEqual({ type: 'Patient', read: false, search: false });
    for (const bad of ['patient/*.read', 'user/Patient.rs', 'system/Patient.', 'system/Patient.sr', 'system/patient.read', 'openid'])
      expect(parseScope(bad), bad).toBeNull();
    const { scopes, unknown } = parseScopes('system/Patient.r  launch system/Observation.s');
    expect(unknown).toEqual(['launch']);
    expect(allows(scopes, 'Patient', 'read')).toBe(true);
    expect(allows(scopes, 'Patient', 'search')).toBe(false);
    expect(allows(scopes, 'Observation', 'search')).toBe(true);
    expect(allows(scopes, 'Condition', 'read')).toBe(false);
  });
});
