import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import { parseTsv } from '../codes/tsv';

/** What is wrong with one data file: the file, and the JSON path and message of each issue. */
export interface ResourceProblem {
  file: string;
  /** `$.rooms[2].name: expected string; $.id: …`, `not valid JSON: …` or `cannot be read (ENOENT)`. */
  message: string;
}

/** A data file that cannot be used; its message is the one format: `<file>: <JSON path>: <issue>; …`. */
export class ResourceError extends Error {
  constructor(readonly problem: ResourceProblem) {
    super(`${problem.file}: ${problem.message}`);
    this.name = 'ResourceError';
  }
}

/** Folders a clinic may add its own files to, beside the shipped ones (only templates, today). */
export interface ResourceOverrides {
  /** Extra `*.json` note templates; a clinic file with a shipped template's id replaces it. */
  templates?: string;
}

/** A file's entries read from a folder, each validated; a broken file is named in `problems` and skipped. */
export interface ResourceFolder<T> {
  entries: { file: string; value: T }[];
  problems: ResourceProblem[];
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** A zod issue path as a JSON path: `$`, `$.rooms[2].name`, `$["a key"]`. */
export function jsonPath(path: readonly PropertyKey[]): string {
  return (
    '$' +
    path
      .map((k) => (typeof k === 'number' ? `[${k}]` : typeof k === 'string' && IDENTIFIER.test(k) ? `.${k}` : `[${JSON.stringify(String(k))}]`))
      .join('')
  );
}

/** Every issue of a failed validation, each with its JSON path: `$.a[0]: …; $.b: …`. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${jsonPath(i.path)}: ${i.message}`).join('; ');
}

/**
 * The shipped data files (resources/: code sets, drug knowledge, schedule, templates, rules…) for
 * one database session: each file is read, validated with its zod schema (from shared/domain) and
 * kept for the life of this object, so a new session (createRepos) sees a changed file and nothing
 * is cached per process. Errors name the file and the JSON path of each issue.
 */
export class Resources {
  private readonly cache = new Map<string, unknown>();

  constructor(
    readonly dir: string,
    private readonly overrides: ResourceOverrides = {},
  ) {}

  /** The full path of a file under resources/ (`schedule/clinic-hours.json`). */
  path(file: string): string {
    return join(this.dir, file);
  }

  exists(file: string): boolean {
    return existsSync(this.path(file));
  }

  /** A file's text, read each time (callers keep what they derive from it, through `derived`). Throws ResourceError. */
  text(file: string): string {
    return readText(this.path(file));
  }

  /** A validated JSON file. Throws ResourceError naming the file and each issue's JSON path. */
  json<S extends z.ZodType>(file: string, schema: S): z.output<S> {
    const r = this.tryJson(file, schema);
    if ('problem' in r) throw new ResourceError(r.problem);
    return r.value;
  }

  /** A validated JSON file, or what is wrong with it (for data where a broken file is named and skipped). */
  tryJson<S extends z.ZodType>(file: string, schema: S): { value: z.output<S> } | { problem: ResourceProblem } {
    return this.remember(`json:${file}`, () => validate(this.path(file), schema));
  }

  /** A tab-separated code set (one header row) as row objects. Throws ResourceError when it cannot be read. */
  tsv(file: string): Record<string, string>[] {
    return this.remember(`tsv:${file}`, () => parseTsv(this.text(file)));
  }

  /**
   * Every `*.json` in resources/<folder>, then in the clinic's override folder for it (when set
   * and present), in name order, each validated. A broken file is named and skipped.
   */
  folder<S extends z.ZodType>(folder: keyof ResourceOverrides, schema: S): ResourceFolder<z.output<S>> {
    return this.remember(`folder:${folder}`, () => {
      const out: ResourceFolder<z.output<S>> = { entries: [], problems: [] };
      for (const dir of [this.path(folder), this.overrides[folder]].filter((d): d is string => !!d && existsSync(d))) {
        for (const name of readdirSync(dir)
          .filter((f) => f.endsWith('.json'))
          .sort()) {
          const file = join(dir, name);
          const r = validate(file, schema);
          if ('problem' in r) out.problems.push(r.problem);
          else out.entries.push({ file, value: r.value });
        }
      }
      return out;
    });
  }

  /** A value built from one or more files (an index, a merged catalog), made once per session. */
  derived<T>(key: string, make: () => T): T {
    return this.remember(`derived:${key}`, make);
  }

  private remember<T>(key: string, make: () => T): T {
    if (this.cache.has(key)) return this.cache.get(key) as T;
    const value = make();
    this.cache.set(key, value);
    return value;
  }
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new ResourceError({ file, message: `cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})` });
  }
}

function validate<S extends z.ZodType>(file: string, schema: S): { value: z.output<S> } | { problem: ResourceProblem } {
  let json: unknown;
  try {
    json = JSON.parse(readText(file));
  } catch (e) {
    if (e instanceof ResourceError) return { problem: e.problem };
    return { problem: { file, message: `not valid JSON: ${e instanceof Error ? e.message : String(e)}` } };
  }
  const parsed = schema.safeParse(json);
  return parsed.success ? { value: parsed.data } : { problem: { file, message: describeIssues(parsed.error) } };
}
