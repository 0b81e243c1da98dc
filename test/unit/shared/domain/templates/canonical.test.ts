import { describe, expect, it } from 'vitest';
import { canonicalContent } from '../../../../../shared/domain/templates';

describe('canonical content', () => {
  it('is independent of key order at every depth', () => {
    const a = { b: 1, a: { z: [3, { y: 'x', x: true }], c: null }, ros: { systems: { eyes: { text: 'ok', status: 'negative' } }, allOthersNegative: false } };
    const b = { ros: { allOthersNegative: false, systems: { eyes: { status: 'negative', text: 'ok' } } }, a: { c: null, z: [3, { x: true, y: 'x' }] }, b: 1 };
    expect(canonicalContent(a)).toBe(canonicalContent(b));
    expect(canonicalContent(a)).toBe(
      '{"a":{"c":null,"z":[3,{"x":true,"y":"x"}]},"b":1,"ros":{"allOthersNegative":false,"systems":{"eyes":{"status":"negative","text":"ok"}}}}',
    );
  });

  it('keeps array order, drops undefined keys as JSON does, and refuses non-JSON values', () => {
    expect(canonicalContent([2, 1])).not.toBe(canonicalContent([1, 2]));
    expect(canonicalContent({ a: 1, b: undefined })).toBe(canonicalContent(JSON.parse('{"a":1}')));
    expect(canonicalContent({ s: 'é "q"\n' })).toBe('{"s":"é \\"q\\"\\n"}');
    expect(() => canonicalContent({ n: Number.NaN })).toThrow('$.n is NaN');
    expect(() => canonicalContent({ d: new Date(0) })).toThrow('$.d is not a plain object');
    const loop: Record<string, unknown> = {};
    loop['self'] = loop;
    expect(() => canonicalContent(loop)).toThrow('refers back to itself');
  });
});
