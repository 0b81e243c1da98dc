import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The real HL7 v2 messages copied into the repository (see test/fixtures/README.md). */
export const HL7_FIXTURES = join(process.env['CAIRN_FIXTURES'] ?? 'test/fixtures', 'hl7v2');

/** One fixture's text. */
export function hl7Fixture(name: string): string {
  return readFileSync(join(HL7_FIXTURES, name), 'utf8');
}

/** Every fixture's file name, sorted. */
export function hl7FixtureNames(): string[] {
  return readdirSync(HL7_FIXTURES)
    .filter((f) => f.endsWith('.hl7'))
    .sort();
}
