import { readFileSync } from 'node:fs';

/** Reads a shipped code-set TSV (UTF-8, one header row, tab-separated, no quoting) into row objects. */
export function readTsv(path: string): Record<string, string>[] {
  return parseTsv(readFileSync(path, 'utf8'));
}

/** A code-set TSV's text (one header row, tab-separated, no quoting) as row objects. */
export function parseTsv(text: string): Record<string, string>[] {
  const lines = text.split('\n').filter((l) => l.length > 0);
  const header = (lines.shift() ?? '').replace(/^\uFEFF/, '').split('\t');
  return lines.map((line) => {
    const cells = line.replace(/\r$/, '').split('\t');
    return Object.fromEntries(header.map((h, i) => [h, cells[i] ?? '']));
  });
}
