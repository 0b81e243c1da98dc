/**
 * A value as a `jsonb` query parameter in PostgreSQL's binary form: the version byte (1), then the
 * JSON text in UTF-8. The database reads it as it reads the text form (jsonb_recv), on PostgreSQL and
 * on PGlite alike; only the statement's `$n::jsonb` must name the type.
 *
 * Why not the text: PGlite's protocol writer sizes and copies a text parameter in JavaScript, a
 * character at a time and twice over. A push of 2,500 changes sends megabytes of JSON, and that walk
 * was a tenth of the push on PGlite. A Buffer is encoded once, natively, and copied as bytes.
 */
export function jsonbParam(value: unknown): Buffer {
  const text = JSON.stringify(value);
  const out = Buffer.allocUnsafe(1 + Buffer.byteLength(text));
  out[0] = 1;
  out.write(text, 1, 'utf8');
  return out;
}
