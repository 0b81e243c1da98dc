import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildGrowthTables, type GrowthTables, type ReferenceTable } from '../../../../../shared/domain/growth';

/** The shipped reference files. */
export const DIR = join(import.meta.dirname, '../../../../../resources/growth');
export const read = (file: string): string => readFileSync(join(DIR, file), 'utf8');

export const tables: GrowthTables = buildGrowthTables(read);

export function table(id: string): ReferenceTable {
  const t = tables.tables.find((x) => x.id === id);
  if (!t) throw new Error(`no table ${id}`);
  return t;
}

/**
 * A published file's rows as records of its columns, read independently of the product's parser so the
 * tests compare against the file as published (including the percentile columns the parser ignores).
 */
export function published(file: string): Record<string, number>[] {
  const lines = read(file)
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '');
  const header = lines[0]!.split(',');
  return lines
    .slice(1)
    .filter((l) => l !== lines[0])
    .map((l) => Object.fromEntries(l.split(',').map((c, i) => [header[i]!, Number(c)])));
}

/** The one published row matching `where`. */
export function publishedRow(file: string, where: (r: Record<string, number>) => boolean): Record<string, number> {
  const rows = published(file).filter(where);
  if (rows.length !== 1) throw new Error(`${file}: ${rows.length} rows match`);
  return rows[0]!;
}
