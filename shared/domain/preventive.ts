/**
 * Preventive care due lists from rules kept as data (resources/preventive/rules.json, versioned;
 * each rule cites the USPSTF or ACIP recommendation it encodes). Pure: the caller loads the rules
 * and the chart facts.
 *
 * For one patient and a date, each rule is one of:
 * - not_applicable, with why (age, sex, no risk factor, or an exclusion found in the chart);
 * - done, with the evidence that satisfied it and when it is next due;
 * - due: never done, or its interval has run out within the last GRACE_DAYS;
 * - overdue: due for longer than GRACE_DAYS.
 */
import { z } from 'zod';
import { addDays, addMonths } from './dates';
import { ageOn, birthdayAt, codeMatch, compileCodes, conditionMatches, type CodeSet, type Evidence, latestEvidence, type PatientFacts } from './population';

/** How long an item is "due" before it is "overdue". */
export const GRACE_DAYS = 90;

const intervalText = z.union([z.literal('once'), z.string().regex(/^\d+ (?:year|month)s?$/, 'an interval such as "3 years" or "12 months", or "once"')]);

const satisfier = z
  .object({
    label: z.string().min(1),
    codes: codeMatch,
    /** How long one counts: "once" (ever), or an interval. */
    every: intervalText,
    /** This way of satisfying the rule applies only from / up to these ages (e.g. HPV testing from 30). */
    minAge: z.number().int().min(0).optional(),
    maxAge: z.number().int().min(0).optional(),
  })
  .strict();

const citation = z
  .object({
    source: z.enum(['USPSTF', 'ACIP', 'CDC']),
    recommendation: z.string().min(1),
    grade: z.string().optional(),
    published: z.string().regex(/^\d{4}(-\d{2})?$/),
    url: z.url(),
  })
  .strict();

export const preventiveRule = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
    title: z.string().min(1),
    citation,
    sex: z.enum(['female', 'male']).optional(),
    minAge: z.number().int().min(0),
    maxAge: z.number().int().min(0),
    /** Only for patients with this in their chart (e.g. overweight for diabetes screening). */
    riskFactor: z
      .object({ label: z.string().min(1), codes: codeMatch, observationAtLeast: z.number().optional() })
      .strict()
      .optional(),
    /** Chart findings that make the rule not apply (e.g. total colectomy for colorectal screening). */
    exclusions: z.array(z.object({ label: z.string().min(1), codes: codeMatch }).strict()).default([]),
    satisfiedBy: z.array(satisfier).min(1),
  })
  .strict()
  .refine((r) => r.minAge <= r.maxAge, 'minAge must not exceed maxAge');
export type PreventiveRule = z.infer<typeof preventiveRule>;

export const preventiveRulesFile = z
  .object({ $comment: z.string().optional(), version: z.string().min(1), rules: z.array(preventiveRule).min(1) })
  .strict()
  .superRefine((f, ctx) => {
    const seen = new Set<string>();
    f.rules.forEach((r, i) => {
      if (seen.has(r.id)) ctx.addIssue({ code: 'custom', path: ['rules', i, 'id'], message: `rule id "${r.id}" is used twice` });
      seen.add(r.id);
    });
  });
export type PreventiveRulesFile = z.infer<typeof preventiveRulesFile>;

export type PreventiveStatus = 'due' | 'overdue' | 'done' | 'not_applicable';

export interface PreventiveItem {
  ruleId: string;
  title: string;
  status: PreventiveStatus;
  /** When it is (or was) due; null when not applicable or done "once". */
  dueOn: string | null;
  /** What satisfied it (done), or the last time it was done (due / overdue). */
  evidence: Evidence | null;
  /** Why it is not applicable, or what is missing. */
  why: string;
  citation: string;
  rulesVersion: string;
}

interface CompiledRule {
  rule: PreventiveRule;
  citation: string;
  /** "colonoscopy, stool test (FIT/FOBT), …" for "no … on record". */
  labels: string;
  risk: CodeSet | null;
  exclusions: { label: string; codes: CodeSet }[];
  /** `months`: how long one counts, null for "once". */
  satisfiers: { s: PreventiveRule['satisfiedBy'][number]; codes: CodeSet; months: number | null }[];
}

/** "3 years" → 36, "12 months" → 12, "once" → null. */
function intervalMonths(every: string): number | null {
  if (every === 'once') return null;
  const [n, unit] = every.split(' ');
  return Number(n) * (unit!.startsWith('year') ? 12 : 1);
}

/** Rules compiled once for a whole practice. */
export interface PreventiveRules {
  version: string;
  compiled: CompiledRule[];
}

export function compileRules(file: PreventiveRulesFile): PreventiveRules {
  return {
    version: file.version,
    compiled: file.rules.map((rule) => ({
      rule,
      citation: citationText(rule),
      labels: [...new Set(rule.satisfiedBy.map((s) => s.label))].join(', '),
      risk: rule.riskFactor ? compileCodes(rule.riskFactor.codes) : null,
      exclusions: rule.exclusions.map((e) => ({ label: e.label, codes: compileCodes(e.codes) })),
      satisfiers: rule.satisfiedBy.map((s) => ({ s, codes: compileCodes(s.codes), months: intervalMonths(s.every) })),
    })),
  };
}

function citationText(r: PreventiveRule): string {
  const c = r.citation;
  return `${c.source}${c.grade ? ` (grade ${c.grade})` : ''}, ${c.published}: ${c.recommendation}`;
}

function hasRiskFactor(p: PatientFacts, c: CompiledRule, on: string): Evidence | null {
  const rf = c.rule.riskFactor;
  if (!rf || !c.risk) return null;
  for (const cond of p.conditions) {
    if (conditionMatches(cond, c.risk) && (cond.onset === null || cond.onset <= on))
      return { kind: 'condition', code: cond.icd10 ?? cond.snomed ?? '', label: cond.display, on: cond.onset ?? '' };
  }
  // Observations: the latest one decides (a BMI that came down no longer counts).
  const latest = latestEvidence(p, c.risk, rf.label, on, 'observation');
  if (latest && rf.observationAtLeast !== undefined && latest.value !== null && latest.value !== undefined && latest.value >= rf.observationAtLeast)
    return latest;
  return null;
}

function exclusionOf(p: PatientFacts, c: CompiledRule, on: string): string | null {
  for (const e of c.exclusions) {
    const cond = p.conditions.find((x) => conditionMatches(x, e.codes) && (x.onset === null || x.onset <= on));
    if (cond) return `${e.label} (${cond.icd10 ?? cond.snomed})`;
    const ev = latestEvidence(p, e.codes, e.label, on);
    if (ev) return `${e.label} (${ev.on})`;
  }
  return null;
}

/** One rule for one patient on one date. */
export function evaluateRule(p: PatientFacts, c: CompiledRule, on: string, version: string): PreventiveItem {
  const r = c.rule;
  const base = { ruleId: r.id, title: r.title, citation: c.citation, rulesVersion: version };
  const na = (why: string): PreventiveItem => ({ ...base, status: 'not_applicable', dueOn: null, evidence: null, why });
  if (p.deceasedOn !== null && p.deceasedOn <= on) return na(`deceased ${p.deceasedOn}`);
  const age = ageOn(p.birthDate, on);
  if (r.sex && p.sex !== r.sex) return na(`for ${r.sex} patients`);
  if (age < r.minAge || age > r.maxAge) return na(`age ${age} is outside ${r.minAge}–${r.maxAge}`);
  if (r.riskFactor && !hasRiskFactor(p, c, on)) return na(`no ${r.riskFactor.label} recorded`);
  const excluded = exclusionOf(p, c, on);
  if (excluded) return na(`excluded: ${excluded}`);

  // The evidence that covers the longest: each way of satisfying the rule with its own interval.
  let best: { evidence: Evidence; until: string | null } | null = null;
  // The most recent evidence, with the day its own interval ran out.
  let last: { evidence: Evidence; until: string | null } | null = null;
  for (const { s, codes, months } of c.satisfiers) {
    if ((s.minAge !== undefined && age < s.minAge) || (s.maxAge !== undefined && age > s.maxAge)) continue;
    const found = latestEvidence(p, codes, s.label, on);
    if (!found) continue;
    const until = months === null ? null : addMonths(found.on, months);
    if (!last || found.on > last.evidence.on) last = { evidence: found, until };
    if (until !== null && until <= on) continue;
    // "Once" covers for good; otherwise the later end wins.
    if (!best || (best.until !== null && (until === null || until > best.until))) best = { evidence: found, until };
  }
  if (best)
    return {
      ...base,
      status: 'done',
      dueOn: best.until,
      evidence: best.evidence,
      why: best.until === null ? `done ${best.evidence.on} (once is enough)` : `done ${best.evidence.on}; next due ${best.until}`,
    };

  // Due since the last one's interval ran out, or (never done) since the patient became eligible.
  const dueOn = last?.until ?? birthdayAt(p.birthDate, r.minAge);
  const overdue = addDays(dueOn, GRACE_DAYS) <= on;
  const why = last ? `last done ${last.evidence.on} (${last.evidence.label})` : `no ${c.labels} on record`;
  return { ...base, status: overdue ? 'overdue' : 'due', dueOn, evidence: last?.evidence ?? null, why };
}

/** Every rule for one patient on one date, in the rules' order. */
export function preventiveCare(p: PatientFacts, rules: PreventiveRules, on: string): PreventiveItem[] {
  return rules.compiled.map((c) => evaluateRule(p, c, on, rules.version));
}
