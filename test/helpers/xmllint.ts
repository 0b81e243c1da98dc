import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * Checks a CDA document against the CDA R2 schema with the SDTC extensions (the copy under
 * test/fixtures/cda-schema) with xmllint, a validator that is not our code (Debian's
 * libxml2-utils; CI installs it). Every schema error comes back as one line naming the line and
 * element, e.g. "doc.xml:12: element effectiveTime: Schemas validity error : …".
 */

const SCHEMA = resolve(import.meta.dirname, '../fixtures/cda-schema/infrastructure/cda/CDA_SDTC.xsd');

export interface CdaValidation {
  ok: boolean;
  errors: string[];
}

/** Validates one document; `ok` only when xmllint says it validates and reports no error. */
export function validateCda(xml: string): CdaValidation {
  const dir = mkdtempSync(join(tmpdir(), 'cairn-cda-'));
  const file = join(dir, 'doc.xml');
  try {
    writeFileSync(file, xml, 'utf8');
    try {
      execFileSync('xmllint', ['--noout', '--nonet', '--schema', SCHEMA, file], {
        maxBuffer: 64 * 1024 * 1024,
        stdio: ['ignore', 'pipe', 'pipe'],
        encoding: 'utf8',
      });
      return { ok: true, errors: [] };
    } catch (e) {
      const err = e as NodeJS.ErrnoException & { stderr?: string | Buffer };
      if (err.code === 'ENOENT') throw new Error('xmllint is not installed: apt-get install -y libxml2-utils');
      const errors = String(err.stderr ?? e)
        .split('\n')
        .map((l) => l.replace(file, 'doc.xml').trim())
        .filter((l) => l && !/ fails to validate$/.test(l));
      return { ok: false, errors: errors.length > 0 ? errors : ['xmllint failed without a message'] };
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
