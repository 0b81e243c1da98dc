import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Icd10Code } from '../../../shared/domain/clinical';
import { codeSynonymsFile, synonymKey, type CodeSynonym } from '../../../shared/domain/code-synonyms';
import type { Resources } from '../resources/resources';
import { readTsv } from './tsv';

/**
 * ICD-10-CM lookup. The code set is public reference data (no PHI), so its FTS index lives in a
 * plain SQLite cache file built once from resources/codesets/icd10cm.tsv and rebuilt when that
 * file changes; the encrypted chart database stays small.
 */
export class Icd10Index {
  private readonly byText: Database.Statement<[string, number], Icd10Code>;
  private readonly byCode: Database.Statement<[{ key: string; limit: number }], Icd10Code>;
  private readonly exact: Database.Statement<[string], Icd10Code>;

  private constructor(
    private readonly db: Database.Database,
    private readonly synonyms: ReadonlyMap<string, CodeSynonym>,
  ) {
    const cols = 'code, billable, short_description AS shortDescription, long_description AS description';
    // Billable codes (the ones that may be chosen) first; shorter (less specific, more common) codes before longer; then relevance.
    this.byText = db.prepare(
      `SELECT ${cols.replace(/(^|, )/g, '$1i.')} FROM icd10_fts f JOIN icd10 i ON i.rowid = f.rowid
       WHERE icd10_fts MATCH ? ORDER BY i.billable DESC, length(i.code), f.rank LIMIT ?`,
    );
    this.byCode = db.prepare(`SELECT ${cols} FROM icd10 WHERE code_key >= @key AND code_key < @key || 'ZZZZ' ORDER BY code_key LIMIT @limit`);
    this.exact = db.prepare(`SELECT ${cols} FROM icd10 WHERE code = ?`);
  }

  /** Opens the cache in `cacheDir`, building it first when it is missing or stale. */
  static open(resources: Resources, cacheDir: string): Icd10Index {
    // Read here, not through resources.tsv: the 74,000 rows go straight into the cache file, never kept in memory.
    const tsv = resources.path('codesets/icd10cm.tsv');
    const version = createHash('sha256').update(readFileSync(tsv)).digest('hex').slice(0, 16);
    const file = join(cacheDir, `cairn-icd10-${version}.sqlite`);
    if (!existsSync(file)) build(tsv, file);
    const db = new Database(file, { readonly: true, fileMustExist: true });
    return new Icd10Index(db, loadSynonyms(resources));
  }

  /** "diab typ 2" → words as prefixes (all must match); "E11.9" or "e119" → codes starting so. */
  search(query: string, limit = 25): Icd10Code[] {
    const q = query.trim();
    if (q === '') return [];
    const codeKey = q.toUpperCase().replace(/\./g, '');
    if (/^[A-Z]\d[0-9A-Z]{0,5}$/.test(codeKey)) {
      const hits = this.byCode.all({ key: codeKey, limit }).map(fix);
      if (hits.length > 0) return hits;
    }
    const key = synonymKey(q);
    const typed = key.split(' ').filter(Boolean).slice(0, 8);
    if (typed.length === 0) return [];
    const whole = this.synonyms.get(key);
    if (whole) {
      // "htn": the code meant first (I10), then the expansion's matches, then the letters as typed (half the rest each).
      const meant = whole.codes.map((c) => this.get(c)).filter((c): c is Icd10Code => c !== null);
      const expansion = this.text(synonymKey(whole.expansion).split(' '), Math.ceil(limit / 2));
      return unique([...meant, ...expansion, ...this.text(typed, limit)]).slice(0, limit);
    }
    // A longer query: each abbreviation of three letters or more reads as its words ("ckd stage 3").
    const terms = typed.flatMap((t) => {
      const s = t.length >= 3 ? this.synonyms.get(t) : undefined;
      return s ? synonymKey(s.expansion).split(' ') : [t];
    });
    return this.text(terms.slice(0, 8), limit);
  }

  /** Every word as a prefix, all required. */
  private text(terms: string[], limit: number): Icd10Code[] {
    return this.byText.all(`{description}: ${terms.map((t) => `"${t}"*`).join(' AND ')}`, limit).map(fix);
  }

  get(code: string): Icd10Code | null {
    const row = this.exact.get(code.toUpperCase());
    return row ? fix(row) : null;
  }

  close(): void {
    this.db.close();
  }
}

function unique(codes: Icd10Code[]): Icd10Code[] {
  const seen = new Set<string>();
  return codes.filter((c) => !seen.has(c.code) && Boolean(seen.add(c.code)));
}

/**
 * The abbreviation list. Important: a damaged file is reported and skipped, never fatal: the
 * search then works on the words as typed, as it did without the list.
 */
function loadSynonyms(resources: Resources): ReadonlyMap<string, CodeSynonym> {
  const file = 'codesets/icd10cm-synonyms.json';
  if (!resources.exists(file)) return new Map();
  const r = resources.tryJson(file, codeSynonymsFile);
  if ('problem' in r) {
    console.warn(`ICD-10-CM synonyms skipped: ${r.problem.file}: ${r.problem.message}`);
    return new Map();
  }
  return new Map(r.value.synonyms.map((s) => [synonymKey(s.term), s]));
}

function fix(r: Icd10Code): Icd10Code {
  return { ...r, billable: Boolean(r.billable) };
}

function build(tsv: string, file: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  rmSync(tmp, { force: true });
  const db = new Database(tmp);
  db.exec(`
    CREATE TABLE icd10 (code TEXT PRIMARY KEY, code_key TEXT NOT NULL, billable INTEGER NOT NULL, short_description TEXT NOT NULL, long_description TEXT NOT NULL);
    CREATE INDEX icd10_code_key ON icd10 (code_key);
    CREATE VIRTUAL TABLE icd10_fts USING fts5(code, description, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4');
  `);
  const insert = db.prepare('INSERT INTO icd10 (rowid, code, code_key, billable, short_description, long_description) VALUES (?, ?, ?, ?, ?, ?)');
  const fts = db.prepare('INSERT INTO icd10_fts (rowid, code, description) VALUES (?, ?, ?)');
  db.transaction(() => {
    let rowid = 0;
    for (const r of readTsv(tsv)) {
      rowid++;
      const code = r['code'] ?? '';
      insert.run(rowid, code, code.replace(/\./g, ''), r['billable'] === '1' ? 1 : 0, r['short_description'] ?? '', r['long_description'] ?? '');
      fts.run(rowid, code, `${r['long_description'] ?? ''} ${r['short_description'] ?? ''}`);
    }
  })();
  db.exec(`INSERT INTO icd10_fts(icd10_fts) VALUES ('optimize')`);
  db.close();
  // Rename last, so a crash mid-build never leaves a half index that looks finished.
  renameSync(tmp, file);
}
