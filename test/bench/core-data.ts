import type { Store } from '../../electron/services/db/open';
import type { Repos } from '../../electron/services/repos';
import type { Actor } from '../../electron/services/repos/patients.repo';
import type { Patient, PatientInput, PatientSummary } from '../../shared/domain/patient';
import type { Rng } from './generate';
import { timeIt } from './stats';

// What the core benchmark inserts and how it draws realistic queries from it; shared with the encryption comparison.

export const PASSPHRASE = 'bench: correct horse battery staple';
export const ACTOR: Actor = { userId: 'bench-user' };
/** What the patients.search contract defaults to, so queries do the same sorting work the UI asks for. */
export const LIMIT = 25;
export const BATCH = 5000;
export const QUERIES = 500;
export const WARMUP = 50;
export const WRITES = 200;
export const COLD_OPENS = 5;
export const KDF_RUNS = 3;
export const PAIR_ROUNDS = 30;
/** The encrypted/plain comparison copies do not test the KDF, so they use a cheap one to save time. */
export const CHEAP_KDF = { N: 2 ** 14, r: 8, p: 1 };

/** What the benchmark remembers of each inserted chart, to draw realistic queries from. */
export interface Known {
  id: string;
  mrn: string;
  givenName: string;
  familyName: string;
  birthDate: string;
  /** Ten-digit US number as a person reads it off a card, whatever form was typed at registration. */
  phone10: string | null;
}

export function known(p: Patient): Known {
  const digits = p.phone ? p.phone.replace(/\D/g, '') : '';
  const ten = digits.length >= 10 ? digits.slice(-10) : null;
  return {
    id: p.id,
    mrn: p.mrn,
    givenName: p.givenName,
    familyName: p.familyName,
    birthDate: p.birthDate,
    phone10: ten ? `${ten.slice(0, 3)}-${ten.slice(3, 6)}-${ten.slice(6)}` : null,
  };
}

/**
 * Inserts rows through the real PatientsRepo.create, BATCH at a time inside one outer
 * transaction: create's own transaction then becomes a savepoint, so a batch costs one fsync
 * instead of BATCH of them (as an import would do), while every row still gets its audit and outbox entries.
 */
export function insertBatch(store: Store, repos: Repos, rows: readonly PatientInput[], into: Known[]): void {
  store.sqlite.transaction(() => {
    for (const r of rows) into.push(known(repos.patients.create(r, ACTOR)));
  })();
}

// ---------- query mixes ----------

export type QueryKind = 'family3' | 'givenFamily3' | 'mrn' | 'birthIso' | 'birthUs' | 'phone';

export interface Query {
  kind: QueryKind;
  text: string;
  /** Index into the Known list, to check the intended chart came back. */
  target: number;
}

export function makeQuery(kind: QueryKind, rng: Rng, list: readonly Known[]): Query {
  for (let tries = 0; ; tries++) {
    // Only a phone query can be redrawn; with a tiny --patients nobody may have one.
    if (tries === 10_000) throw new Error(`no chart to draw a ${kind} query from`);
    const target = rng.int(0, list.length - 1);
    const k = list[target] as Known;
    switch (kind) {
      case 'family3':
        return { kind, target, text: k.familyName.slice(0, 3) };
      case 'givenFamily3':
        return { kind, target, text: `${k.givenName} ${k.familyName.slice(0, 3)}` };
      case 'mrn':
        return { kind, target, text: k.mrn };
      case 'birthIso':
        return { kind, target, text: k.birthDate };
      case 'birthUs': {
        const [y, m, d] = k.birthDate.split('-');
        return { kind, target, text: `${m}/${d}/${y}` };
      }
      case 'phone':
        if (k.phone10) return { kind, target, text: k.phone10 };
        continue; // this chart has no phone: draw another
    }
  }
}

export interface Sampled {
  times: number[];
  found: number;
  checked: number;
  slowest: { ms: number; text: string }[];
}

/**
 * Runs a warm-up, then `n` timed calls of `run` over queries from `kinds` in rotation.
 * `checkFound` says whether the intended chart must be among the results (true for MRN, date, phone).
 */
export function sampleSearch(
  kinds: readonly QueryKind[],
  n: number,
  rng: Rng,
  list: readonly Known[],
  run: (q: string) => readonly Pick<PatientSummary, 'id'>[],
  checkFound: boolean,
): Sampled {
  for (let i = 0; i < WARMUP; i++) run(makeQuery(kinds[i % kinds.length] as QueryKind, rng, list).text);
  const out: Sampled = { times: [], found: 0, checked: 0, slowest: [] };
  for (let i = 0; i < n; i++) {
    const q = makeQuery(kinds[i % kinds.length] as QueryKind, rng, list);
    let res: readonly Pick<PatientSummary, 'id'>[] = [];
    const ms = timeIt(() => {
      res = run(q.text);
    });
    out.times.push(ms);
    out.slowest.push({ ms, text: q.text });
    if (checkFound) {
      out.checked++;
      const id = (list[q.target] as Known).id;
      if (res.some((r) => r.id === id)) out.found++;
    }
  }
  out.slowest = out.slowest.sort((a, b) => b.ms - a.ms).slice(0, 3);
  return out;
}
