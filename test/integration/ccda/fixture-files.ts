import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The C-CDA example documents under test/fixtures/ccda (.xml, any case), sorted, folders searched. */
export function fixtureFiles(dir = 'test/fixtures/ccda'): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...fixtureFiles(p));
    else if (/\.xml$/i.test(name)) out.push(p);
  }
  return out;
}
