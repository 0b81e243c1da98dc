import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * The public X12 5010 samples (LinuxForHealth/x12, Apache-2.0), copied into test/fixtures/x12 with
 * their README and licence so the tests need nothing outside the repository (test/fixtures/README.md).
 * CAIRN_X12_FIXTURES points elsewhere when needed.
 */
export const X12_FIXTURES = process.env['CAIRN_X12_FIXTURES'] ?? resolve(process.env['CAIRN_FIXTURES'] ?? 'test/fixtures', 'x12');

/** One fixture's text. */
export function x12Fixture(name: string): string {
  return readFileSync(join(X12_FIXTURES, name), 'utf8');
}

/** Every transaction file's name (835, 837, 270, 271, 276, 277), sorted. */
export function x12FixtureNames(): string[] {
  return readdirSync(X12_FIXTURES)
    .filter((f) => /\.(835|837|270|271|276|277)$/.test(f))
    .sort();
}

/**
 * Wraps body segments (without terminators) in ISA/GS/ST … SE/GE/IEA, counting by hand here so
 * that reader tests do not lean on Cairn's own writer. `*`, `^`, `:`, `~` unless told otherwise.
 */
export function wrap(st01: string, body: string[], opts: { version?: string; functionalId?: string } = {}): string {
  const version = opts.version ?? '005010X212';
  const isa = 'ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *240102*0930*^*00501*000000042*0*T*:';
  const segments = [isa, `GS*${opts.functionalId ?? 'FA'}*SENDER*RECEIVER*20240102*0930*7*X*${version}`, `ST*${st01}*0001*${version}`, ...body];
  segments.push(`SE*${body.length + 2}*0001`, 'GE*1*7', 'IEA*1*000000042');
  return segments.join('~\n') + '~\n';
}
