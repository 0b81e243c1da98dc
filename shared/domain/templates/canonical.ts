// Canonical form for hashing at signing.

/**
 * Deterministic JSON of a JSON value: object keys sorted (by UTF-16 code units) at every depth, no
 * whitespace. Keys whose value is undefined are left out (as JSON.stringify does), so content that
 * round-trips through JSON hashes the same. Non-JSON values (NaN, Infinity, functions, symbols,
 * bigints, class instances, cycles) throw rather than hash to something ambiguous.
 */
export function canonicalContent(content: unknown): string {
  const seen = new Set<object>();
  const walk = (v: unknown, path: string): string => {
    if (v === null) return 'null';
    switch (typeof v) {
      case 'string':
      case 'boolean':
        return JSON.stringify(v);
      case 'number':
        if (!Number.isFinite(v)) throw new TypeError(`canonicalContent: ${path} is ${String(v)}, which JSON cannot hold`);
        return JSON.stringify(v);
      case 'object': {
        if (seen.has(v)) throw new TypeError(`canonicalContent: ${path} refers back to itself`);
        seen.add(v);
        let out: string;
        if (Array.isArray(v)) {
          out = `[${v.map((x: unknown, i) => (x === undefined ? 'null' : walk(x, `${path}[${i}]`))).join(',')}]`;
        } else {
          const proto: unknown = Object.getPrototypeOf(v);
          if (proto !== Object.prototype && proto !== null) throw new TypeError(`canonicalContent: ${path} is not a plain object`);
          const record = v as Record<string, unknown>;
          const keys = Object.keys(record)
            .filter((k) => record[k] !== undefined)
            .sort();
          out = `{${keys.map((k) => `${JSON.stringify(k)}:${walk(record[k], `${path}.${k}`)}`).join(',')}}`;
        }
        seen.delete(v);
        return out;
      }
      case 'undefined':
      case 'function':
      case 'symbol':
      case 'bigint':
        throw new TypeError(`canonicalContent: ${path} is a ${typeof v}, which JSON cannot hold`);
    }
    throw new TypeError(`canonicalContent: ${path} has an unknown type`);
  };
  return walk(content, '$');
}
