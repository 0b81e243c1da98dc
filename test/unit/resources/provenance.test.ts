import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/*
 * Issue #23 item 5: every file that ships in resources/ says where it comes from. A file is covered when a table in
 * a README.md or SOURCES.md of its folder (or of a folder above it, up to resources/) has a row naming it with
 *   - a citation (a column headed "citation" or "source"),
 *   - a version or date (a column headed "version" or "date"; a year or a version number in it),
 *   - a URL or DOI (a column headed "URL", "DOI" or "link", or anywhere in the row),
 * or when the file carries these itself (a JSON file's `version` and `sources`, a text file's leading `#` lines).
 * A cell that begins "as above" stands for the cell above it plus what follows.
 * Cairn's own configuration says "Cairn default configuration, not reference data" instead of a source and needs
 * no URL. resources/migrations is schema, not data; resources/growth is checked once its README or SOURCES exists.
 */

const SKIPPED_AREAS = new Set(['migrations']);
const CHECKED_ONCE_DOCUMENTED = new Set(['growth']);
const PROVENANCE_FILES = ['README.md', 'SOURCES.md'];
const CAIRN_CONFIG = 'Cairn default configuration, not reference data';
const URL_OR_DOI = /https?:\/\/[^\s|]+|\bdoi:\s*10\.\d{4,}\/\S+|\b10\.\d{4,}\/\S+/i;
const VERSION_OR_DATE = /\b(?:1[89]|20)\d{2}\b|\bv(?:ersion)?\s*\d/i;
const EMPTY_CELL = /^[\s—–-]*$/;
const AS_ABOVE = /^(?:same )?as above\b|^ditto\b/i;

interface ListedRow {
  /** The README or SOURCES file, relative to the checked root. */
  from: string;
  /** Folder the row's file names are relative to. */
  dir: string;
  patterns: { text: string; regex: RegExp }[];
  citation: string | null;
  version: string | null;
  url: string | null;
  text: string;
}

const isTableLine = (line: string): boolean => line.trim().startsWith('|');
const isSeparator = (line: string): boolean => /^\s*\|?(\s*:?-{3,}:?\s*\|)+\s*(:?-{3,}:?\s*)?$/.test(line);

function splitRow(line: string): string[] {
  return line
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split(/(?<!\\)\|/)
    .map((c) => c.trim());
}

/** `who-{a,b}-*.csv` to the names it stands for, as anchored regexes (a `*` stays a wildcard). */
function expandPattern(pattern: string): RegExp[] {
  const brace = /\{([^{}]*)\}/.exec(pattern);
  if (brace) {
    return brace[1]!.split(',').flatMap((alt) => expandPattern(pattern.slice(0, brace.index) + alt + pattern.slice(brace.index + brace[0].length)));
  }
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*');
  return [new RegExp(`^${escaped}$`)];
}

/** The file names in a table cell: tokens with a dot, commas inside braces kept. */
function fileTokens(cell: string): string[] {
  const plain = cell.replace(/`/g, ' ');
  const tokens: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of plain) {
    if (ch === '{') depth += 1;
    if (ch === '}') depth -= 1;
    if (depth === 0 && (ch === ',' || ch === ';' || /\s/.test(ch))) {
      tokens.push(current);
      current = '';
    } else current += ch;
  }
  tokens.push(current);
  return tokens.filter((t) => /^[\w*{},./-]+\.[\w{},*]+$/.test(t));
}

function column(header: string[], test: RegExp): number {
  return header.findIndex((h) => test.test(h));
}

/** Every row of every table with a "file" column in one README or SOURCES file. */
function listedRows(root: string, file: string): ListedRow[] {
  const lines = readFileSync(file, 'utf8').split('\n');
  const rows: ListedRow[] = [];
  for (let i = 0; i + 1 < lines.length; i += 1) {
    if (!isTableLine(lines[i]!) || !isSeparator(lines[i + 1]!)) continue;
    const header = splitRow(lines[i]!).map((h) => h.toLowerCase());
    const at = {
      file: column(header, /\bfiles?\b/),
      citation: column(header, /citation|source/),
      version: column(header, /version|date/),
      url: column(header, /url|doi|link/),
    };
    let j = i + 2;
    let previous: string[] = [];
    for (; j < lines.length && isTableLine(lines[j]!); j += 1) {
      if (at.file < 0) continue;
      // "as above" in a cell stands for the cell above it.
      const cells = splitRow(lines[j]!).map((c, k) => (AS_ABOVE.test(c) ? `${previous[k] ?? ''} ${c}` : c));
      previous = cells;
      const cell = (k: number): string | null => (k < 0 ? null : (cells[k] ?? ''));
      rows.push({
        from: relative(root, file),
        dir: dirname(file),
        patterns: fileTokens(cells[at.file] ?? '').flatMap((text) => expandPattern(text).map((regex) => ({ text, regex }))),
        citation: cell(at.citation),
        version: cell(at.version),
        url: cell(at.url),
        text: lines[j]!,
      });
    }
    i = j - 1;
  }
  return rows;
}

/** What a listed row lacks, or null when it names citation, version/date and URL/DOI (or is Cairn's own configuration). */
function rowProblem(row: ListedRow): string | null {
  if (row.citation === null) return `${row.from} has no "citation" or "source" column`;
  if (EMPTY_CELL.test(row.citation)) return `${row.from} gives no citation`;
  if (!VERSION_OR_DATE.test(row.version ?? row.text)) return `${row.from} gives no version or date`;
  if (!row.citation.includes(CAIRN_CONFIG) && !URL_OR_DOI.test(row.url ?? row.text)) {
    return `${row.from} gives no URL or DOI (or say "${CAIRN_CONFIG}")`;
  }
  return null;
}

/** True when a JSON file carries `version` (or `date`) and `sources` with a citation each and a URL or DOI. */
function jsonCarriesProvenance(text: string): boolean {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return false;
  }
  if (typeof data !== 'object' || data === null) return false;
  const { version, date, sources } = data as { version?: unknown; date?: unknown; sources?: unknown };
  const versioned = [version, date].some((v) => (typeof v === 'string' || typeof v === 'number') && VERSION_OR_DATE.test(`v${String(v)}`));
  if (!versioned || !Array.isArray(sources) || sources.length === 0) return false;
  const cited = sources.every((s) => typeof s === 'object' && s !== null && ['title', 'citation'].some((k) => typeof (s as Record<string, unknown>)[k] === 'string'));
  return cited && URL_OR_DOI.test(JSON.stringify(sources));
}

/** True when a text table's leading `#` lines name a source, a version or date and a URL or DOI. */
function headerCarriesProvenance(text: string): boolean {
  const lines = text.split('\n');
  const end = lines.findIndex((l) => !l.startsWith('#'));
  const header = lines.slice(0, end < 0 ? lines.length : end).join('\n');
  return /source|citation/i.test(header) && VERSION_OR_DATE.test(header) && URL_OR_DOI.test(header);
}

function carriesProvenance(file: string): boolean {
  const text = readFileSync(file, 'utf8');
  return file.endsWith('.json') ? jsonCarriesProvenance(text) : headerCarriesProvenance(text);
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (e.name.startsWith('.')) return [];
    const path = join(dir, e.name);
    return e.isDirectory() ? walk(path) : [path];
  });
}

const hasProvenanceFile = (dir: string): boolean => PROVENANCE_FILES.some((f) => existsSync(join(dir, f)));

/** The data files under `root` that must be covered: not README/SOURCES, not migrations, growth once documented. */
function checkedFiles(root: string): string[] {
  return walk(root).filter((file) => {
    const rel = relative(root, file).split('/');
    if (PROVENANCE_FILES.includes(rel[rel.length - 1]!)) return false;
    const area = rel.length > 1 ? rel[0]! : '';
    if (SKIPPED_AREAS.has(area)) return false;
    return !CHECKED_ONCE_DOCUMENTED.has(area) || hasProvenanceFile(join(root, area));
  });
}

/** README/SOURCES rows that apply to `file`: its own folder's, then each folder above it up to `root`. */
function rowsFor(root: string, file: string, cache: Map<string, ListedRow[]>): ListedRow[] {
  const rows: ListedRow[] = [];
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    for (const name of PROVENANCE_FILES) {
      const path = join(dir, name);
      if (!cache.has(path)) cache.set(path, existsSync(path) ? listedRows(root, path) : []);
      rows.push(...cache.get(path)!);
    }
    if (relative(root, dir) === '' || dir === dirname(dir)) break;
  }
  return rows;
}

const names = (row: ListedRow, file: string): boolean => {
  const rel = relative(row.dir, file);
  return row.patterns.some((p) => p.regex.test(rel) || p.regex.test(basename(rel)));
};

/**
 * Every problem with the provenance of the files under `root` (a resources/ folder), one line each, naming the file:
 * a file no row lists and that carries no provenance itself, a row that lacks a citation, version/date or URL/DOI,
 * and a row that names a file that does not exist.
 */
function provenanceProblems(root: string): string[] {
  const cache = new Map<string, ListedRow[]>();
  const files = checkedFiles(root);
  const problems: string[] = [];
  for (const file of files) {
    const rel = relative(root, file);
    const rows = rowsFor(root, file, cache).filter((row) => names(row, file));
    if (rows.some((row) => rowProblem(row) === null) || carriesProvenance(file)) continue;
    const why = rows.map(rowProblem).find((p) => p !== null);
    problems.push(why ? `${rel}: ${why}` : `${rel}: not listed with its source in a README.md or SOURCES.md table of its folder`);
  }
  for (const [path, rows] of cache) {
    if (rows.length === 0) continue;
    const present = walk(dirname(path)).map((f) => relative(dirname(path), f));
    for (const row of rows) {
      for (const p of row.patterns) {
        if (!present.some((rel) => p.regex.test(rel) || p.regex.test(basename(rel)))) {
          problems.push(`${row.from}: lists ${p.text}, which is not in ${relative(root, row.dir) || '.'}`);
        }
      }
    }
  }
  return [...new Set(problems)];
}

const RESOURCES = join(process.cwd(), 'resources');

describe('provenance of resources/', () => {
  it('every shipped data file names its citation, version or date, and URL or DOI', () => {
    expect(checkedFiles(RESOURCES).length).toBeGreaterThanOrEqual(28);
    expect(provenanceProblems(RESOURCES)).toEqual([]);
  });
});

describe('provenanceProblems (on a temporary resources folder)', () => {
  const made: string[] = [];
  afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  const HEADER = '| file | what | citation | version / date | URL or DOI |\n|---|---|---|---|---|\n';
  const ROW_A = '| a.tsv | codes | Publisher P, Table T | 2025 release | https://example.org/t |\n';
  const ROW_CONFIG = `| config.json | hours | ${CAIRN_CONFIG} | as shipped 2026-01-01 | — |\n`;

  function tree(files: Record<string, string>): string {
    const root = mkdtempSync(join(tmpdir(), 'cairn-provenance-'));
    made.push(root);
    for (const [rel, text] of Object.entries(files)) {
      mkdirSync(dirname(join(root, rel)), { recursive: true });
      writeFileSync(join(root, rel), text);
    }
    return root;
  }

  it('accepts listed tables and Cairn configuration without a URL', () => {
    const root = tree({ 'codes/README.md': `# codes\n\n${HEADER}${ROW_A}${ROW_CONFIG}`, 'codes/a.tsv': 'x\n', 'codes/config.json': '{}' });
    expect(provenanceProblems(root)).toEqual([]);
  });

  it('fails for a file dropped in without a row', () => {
    const root = tree({ 'codes/README.md': HEADER + ROW_A, 'codes/a.tsv': 'x\n', 'codes/new-table.csv': 'y\n' });
    expect(provenanceProblems(root)).toEqual(['codes/new-table.csv: not listed with its source in a README.md or SOURCES.md table of its folder']);
  });

  it('fails for a folder with no README or SOURCES at all', () => {
    const root = tree({ 'fresh/table.tsv': 'x\n' });
    expect(provenanceProblems(root)).toEqual(['fresh/table.tsv: not listed with its source in a README.md or SOURCES.md table of its folder']);
  });

  it('fails for a row without a URL or DOI, without a version or date, or without a citation', () => {
    const noUrl = tree({ 'c/SOURCES.md': `${HEADER}| a.tsv | codes | Publisher P | 2025 | see the website |\n`, 'c/a.tsv': '' });
    expect(provenanceProblems(noUrl)).toEqual([`c/a.tsv: c/SOURCES.md gives no URL or DOI (or say "${CAIRN_CONFIG}")`]);
    const noVersion = tree({ 'c/README.md': `${HEADER}| a.tsv | codes | Publisher P | current | https://example.org |\n`, 'c/a.tsv': '' });
    expect(provenanceProblems(noVersion)).toEqual(['c/a.tsv: c/README.md gives no version or date']);
    const noCitation = tree({ 'c/README.md': `${HEADER}| a.tsv | codes | — | 2025 | https://example.org |\n`, 'c/a.tsv': '' });
    expect(provenanceProblems(noCitation)).toEqual(['c/a.tsv: c/README.md gives no citation']);
    const noColumn = tree({ 'c/README.md': '| file | what |\n|---|---|\n| a.tsv | codes 2025 https://example.org |\n', 'c/a.tsv': '' });
    expect(provenanceProblems(noColumn)).toEqual(['c/a.tsv: c/README.md has no "citation" or "source" column']);
  });

  it('accepts a DOI and brace patterns, and reports a row naming a missing file', () => {
    const root = tree({
      'g/README.md': `${HEADER}| \`bp-{boys,girls}.tsv\` | BP | Flynn JT et al. Pediatrics | 2017 | doi:10.1542/peds.2017-1904 |\n| gone.tsv | old | P | 2020 | https://example.org |\n`,
      'g/bp-boys.tsv': '',
      'g/bp-girls.tsv': '',
    });
    expect(provenanceProblems(root)).toEqual(['g/README.md: lists gone.tsv, which is not in g']);
  });

  it('reads "as above" as the cell above it', () => {
    const root = tree({ 'g/README.md': `${HEADER}${ROW_A}| b.tsv | more | as above, file b | as above | as above |\n| c.tsv | more | as above | — | — |\n`, 'g/a.tsv': '', 'g/b.tsv': '', 'g/c.tsv': '' });
    expect(provenanceProblems(root)).toEqual(['g/c.tsv: g/README.md gives no version or date']);
  });

  it('accepts provenance carried in the file itself, and only when complete', () => {
    const sourced = { version: '2026.1', sources: [{ id: 'p', title: 'Publisher P, Table T', url: 'https://example.org/t' }] };
    const root = tree({
      'd/drugs.json': JSON.stringify(sourced),
      'd/no-url.json': JSON.stringify({ version: '2026.1', sources: [{ title: 'Publisher P' }] }),
      'd/map.tsv': '# Source: Publisher P map, version 2024, https://example.org/map\na\tb\n',
      'd/bare.tsv': '# made by hand\na\tb\n',
    });
    expect(provenanceProblems(root).sort()).toEqual([
      'd/bare.tsv: not listed with its source in a README.md or SOURCES.md table of its folder',
      'd/no-url.json: not listed with its source in a README.md or SOURCES.md table of its folder',
    ]);
  });

  it('skips migrations, and growth until growth has its README', () => {
    const files = { 'migrations/client/0001.sql': 'create table t (x);', 'growth/who-boys.csv': 'x\n' };
    expect(provenanceProblems(tree(files))).toEqual([]);
    const documented = tree({ ...files, 'growth/README.md': '# growth\n' });
    expect(provenanceProblems(documented)).toEqual(['growth/who-boys.csv: not listed with its source in a README.md or SOURCES.md table of its folder']);
  });
});
