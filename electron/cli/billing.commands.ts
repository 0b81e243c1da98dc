import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseFeeScheduleCsv, parseProcedureCodesCsv } from '../../shared/domain/billing/codes';
import { parseDollars } from '../../shared/domain/money';
import { clinicDate, isIsoDate } from '../../shared/domain/dates';
import { clinicZoneOf } from '../services/schedule/schedule-config';
import { BillingService } from '../services/billing/billing.service';
import { CliError } from './cli-error';
import { need, parse, print, withSession } from './cli-session';

export const BILLING_HELP = `  cairn billing settings --db FILE --name N --npi N --tax-id EIN --address L --city C --state ST --zip ZIP9 --phone P
      --submitter-id ID --submitter-contact NAME --receiver-name N --receiver-id ID [--usage T|P]
      [--assignment A|B|C] [--benefits Y|N|W] [--release Y|I] [--outbound DIR --inbound DIR]
      Sets the billing provider, clearinghouse and claim flags (CLM07/08/09) and prints them.
  cairn billing payer add --db FILE --name N --payer-id ID --filing CI [--address L --city C --state ST --zip Z]
  cairn billing coverage add --db FILE --patient ID --payer ID --member M [--group G] [--plan P]
      [--rank primary|secondary|tertiary] [--relationship self|spouse|child|other]
      [--subscriber-last L --subscriber-first F --subscriber-birth YYYY-MM-DD --subscriber-sex F|M|U]
      [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--copay DOLLARS]
      Each prints the created row as JSON.
  cairn billing fees import --db FILE FEES.csv [--from YYYY-MM-DD]     (code,modifier,price)
  cairn codes import cpt --db FILE CODES.csv                          (code,description: the clinic's licensed file)
  cairn visits add --db FILE --patient ID --date YYYY-MM-DD [--type office] [--provider USER_ID]
  cairn visits finish --db FILE --visit ID
  cairn billing superbill --db FILE --visit ID --dx I10,E11.9 --line 99213[:UNITS[:MOD,MOD]] … [--rendering-npi N] [--pos 11]
      Records the charges and prints the claim with the scrubber's findings as JSON.
  cairn billing claims --db FILE --status ready --out FILE.837
      Makes an 837P batch of the ready claims; prints its control number and claim count as JSON.
  cairn billing import --db FILE FILE…
      Imports 999, 277, 835 and 271 files (recognised by ST01); one JSON line per file.
  cairn billing eligibility --db FILE --patient ID --out FILE.270 [--rank primary]
  cairn billing cms1500 --db FILE --claim ID --out FILE.pdf
  cairn billing pay --db FILE --patient ID --amount DOLLARS --method cash|check|card|other
  cairn billing account --db FILE --patient ID
  cairn report ar --db FILE --as-of YYYY-MM-DD
      A/R aging by payer and by patient (0–30, 31–60, 61–90, 91–120, 120+ days) as JSON.`;

type Call = (c: string, i: unknown) => Promise<unknown>;

function dollars(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const c = parseDollars(text);
  if (c === null) throw new CliError(`${flag} must be an amount in dollars such as 25 or 25.00, got "${text}"`, 2);
  return c;
}

function date(flag: string, text: string | undefined): string | undefined {
  if (text !== undefined && !isIsoDate(text)) throw new CliError(`${flag} must be a date as YYYY-MM-DD, got "${text}"`, 2);
  return text;
}

/** `99213`, `99213:2`, `99213:1:25,59` → a procedure line pointing at the first diagnoses (up to four). */
export function lineOf(text: string, diagnoses: number): { code: string; units: number; modifiers: string[]; pointers: number[] } {
  const [code = '', units = '1', mods = ''] = text.split(':');
  const n = Number(units);
  if (!/^[A-Z0-9]{5}$/i.test(code) || !Number.isInteger(n) || n < 1)
    throw new CliError(`--line takes CODE[:UNITS[:MODIFIERS]] such as 99213 or 99213:1:25, got "${text}"`, 2);
  return {
    code: code.toUpperCase(),
    units: n,
    modifiers: mods ? mods.split(',').map((m) => m.toUpperCase()) : [],
    pointers: Array.from({ length: Math.min(4, diagnoses) }, (_, i) => i + 1),
  };
}

async function payerRef(call: Call, ref: string): Promise<string> {
  const payers = (await call('billing.payers', {})) as { id: string; payerId: string; name: string }[];
  const p = payers.find((x) => x.id === ref || x.payerId === ref);
  if (!p) throw new CliError(`no payer "${ref}" in the directory: add it with cairn billing payer add`);
  return p.id;
}

async function settings(args: string[]): Promise<void> {
  const f = { type: 'string' } as const;
  const { values: v } = parse(args, {
    db: f,
    name: f,
    npi: f,
    'tax-id': f,
    taxonomy: f,
    address: f,
    city: f,
    state: f,
    zip: f,
    phone: f,
    'submitter-id': f,
    'submitter-contact': f,
    'receiver-name': f,
    'receiver-id': f,
    usage: f,
    assignment: f,
    benefits: f,
    release: f,
    outbound: f,
    inbound: f,
  });
  await withSession(v.db, async ({ call }) =>
    print(
      await call('billing.setSettings', {
        billingName: need(v.name, '--name'),
        billingNpi: need(v.npi, '--npi'),
        taxId: need(v['tax-id'], '--tax-id'),
        addressLine1: need(v.address, '--address'),
        city: need(v.city, '--city'),
        state: need(v.state, '--state'),
        zip: need(v.zip, '--zip'),
        phone: need(v.phone, '--phone'),
        submitterId: need(v['submitter-id'], '--submitter-id'),
        submitterContact: need(v['submitter-contact'], '--submitter-contact'),
        receiverName: need(v['receiver-name'], '--receiver-name'),
        receiverId: need(v['receiver-id'], '--receiver-id'),
        ...(v.taxonomy ? { taxonomy: v.taxonomy } : {}),
        ...(v.usage ? { usage: v.usage } : {}),
        ...(v.assignment ? { acceptAssignment: v.assignment } : {}),
        ...(v.benefits ? { benefitsAssigned: v.benefits } : {}),
        ...(v.release ? { releaseOfInformation: v.release } : {}),
        ...(v.outbound ? { outboundFolder: v.outbound } : {}),
        ...(v.inbound ? { inboundFolder: v.inbound } : {}),
      }),
    ),
  );
}

async function payerAdd(args: string[]): Promise<void> {
  const f = { type: 'string' } as const;
  const { values: v } = parse(args, { db: f, name: f, 'payer-id': f, filing: f, address: f, city: f, state: f, zip: f, phone: f });
  await withSession(v.db, async ({ call }) =>
    print(
      await call('billing.addPayer', {
        name: need(v.name, '--name'),
        payerId: need(v['payer-id'], '--payer-id'),
        filingIndicator: need(v.filing, '--filing'),
        ...(v.address ? { addressLine1: v.address } : {}),
        ...(v.city ? { city: v.city } : {}),
        ...(v.state ? { state: v.state } : {}),
        ...(v.zip ? { zip: v.zip } : {}),
        ...(v.phone ? { phone: v.phone } : {}),
      }),
    ),
  );
}

async function coverageAdd(args: string[]): Promise<void> {
  const f = { type: 'string' } as const;
  const { values: v } = parse(args, {
    db: f,
    patient: f,
    payer: f,
    member: f,
    group: f,
    plan: f,
    rank: f,
    relationship: f,
    'subscriber-last': f,
    'subscriber-first': f,
    'subscriber-birth': f,
    'subscriber-sex': f,
    from: f,
    to: f,
    copay: f,
  });
  const copayCents = dollars('--copay', v.copay);
  await withSession(v.db, async ({ call }) => {
    const subscriber = v['subscriber-last']
      ? {
          subscriber: {
            lastName: v['subscriber-last'],
            firstName: v['subscriber-first'] ?? '',
            birthDate: v['subscriber-birth'] ?? '',
            sex: v['subscriber-sex'] ?? 'U',
          },
        }
      : {};
    print(
      await call('billing.addCoverage', {
        patientId: need(v.patient, '--patient'),
        payerRef: await payerRef(call, need(v.payer, '--payer')),
        memberId: need(v.member, '--member'),
        ...(v.group ? { groupNumber: v.group } : {}),
        ...(v.plan ? { planName: v.plan } : {}),
        ...(v.rank ? { rank: v.rank } : {}),
        ...(v.relationship ? { relationship: v.relationship } : {}),
        ...subscriber,
        ...(v.from ? { effectiveFrom: date('--from', v.from) } : {}),
        ...(v.to ? { effectiveTo: date('--to', v.to) } : {}),
        ...(copayCents !== undefined ? { copayCents } : {}),
      }),
    );
  });
}

async function feesImport(args: string[], codes: boolean): Promise<void> {
  const { values: v, positionals } = parse(args, { db: { type: 'string' }, from: { type: 'string' } }, true);
  const file = positionals[0];
  if (!file) throw new CliError(`give the ${codes ? 'code' : 'fee schedule'} CSV file (see cairn --help)`, 2);
  const text = readFileSync(file, 'utf8');
  const parsed = codes ? parseProcedureCodesCsv(text, basename(file)) : parseFeeScheduleCsv(text, basename(file));
  if (!parsed.ok) throw new CliError(parsed.error.message);
  await withSession(v.db, ({ session }) => {
    const billing = new BillingService(session.repos, () => new Date());
    const actor = { userId: session.requireUser().id };
    if (codes) print({ imported: billing.payers.importCodes(parsed.value as { code: string; description: string }[], 'CPT', new Date().toISOString()) });
    else {
      const fees = (parsed.value as { code: string; modifier: string | null; priceCents: number }[]).map((r) => ({ ...r, modifier: r.modifier ?? '' }));
      print({ imported: billing.payers.importFees(fees, date('--from', v.from) ?? billing.today(), actor) });
    }
    return Promise.resolve();
  });
}

async function superbill(args: string[]): Promise<void> {
  const f = { type: 'string' } as const;
  const { values: v } = parse(args, { db: f, visit: f, dx: f, line: { type: 'string', multiple: true }, 'rendering-npi': f, pos: f });
  const dx = need(v.dx, '--dx')
    .split(',')
    .map((d) => d.trim())
    .filter(Boolean);
  if (!v.line?.length) throw new CliError('give at least one --line such as 99213 (see cairn --help)', 2);
  const lines = v.line.map((l) => lineOf(l, dx.length));
  await withSession(v.db, async ({ call }) =>
    print(
      await call('billing.superbill', {
        encounterId: need(v.visit, '--visit'),
        diagnoses: dx,
        lines,
        ...(v['rendering-npi'] ? { renderingNpi: v['rendering-npi'] } : {}),
        ...(v.pos ? { placeOfService: v.pos } : {}),
      }),
    ),
  );
}

async function claimsBatch(args: string[]): Promise<void> {
  const { values: v } = parse(args, { db: { type: 'string' }, status: { type: 'string' }, out: { type: 'string' } });
  if ((v.status ?? 'ready') !== 'ready') throw new CliError('only ready claims are batched: --status ready', 2);
  const out = need(v.out, '--out');
  await withSession(v.db, async ({ call }) => {
    const b = (await call('billing.batch', {})) as { interchangeControl: number; claimCount: number; totalCents: number; text: string; skipped: unknown[] };
    writeFileSync(out, b.text, { mode: 0o600 });
    print({ controlNumber: b.interchangeControl, claimCount: b.claimCount, totalCents: b.totalCents, file: out, skipped: b.skipped });
  });
}

async function importFiles(args: string[]): Promise<number> {
  const { values: v, positionals } = parse(args, { db: { type: 'string' } }, true);
  if (positionals.length === 0) throw new CliError('give one or more X12 files to import (see cairn --help)', 2);
  let failed = 0;
  await withSession(v.db, async ({ call }) => {
    for (const file of positionals) {
      const [r] = (await call('billing.import', { files: [{ fileName: basename(file), text: readFileSync(file, 'latin1') }] })) as { errors: string[] }[];
      if (r!.errors.length) failed++;
      process.stdout.write(JSON.stringify(r) + '\n');
    }
  });
  return failed ? 1 : 0;
}

async function eligibility(args: string[]): Promise<void> {
  const { values: v } = parse(args, { db: { type: 'string' }, patient: { type: 'string' }, out: { type: 'string' }, rank: { type: 'string' } });
  const out = need(v.out, '--out');
  await withSession(v.db, async ({ session, call }) => {
    const today = clinicDate(new Date(), clinicZoneOf(session.repos.resources));
    const covs = (await call('billing.coverages', { patientId: need(v.patient, '--patient') })) as { id: string; rank: string; effectiveTo: string | null }[];
    const cov = covs.find((c) => c.rank === (v.rank ?? 'primary') && (!c.effectiveTo || c.effectiveTo >= today));
    if (!cov) throw new CliError(`the patient has no ${v.rank ?? 'primary'} coverage in force`);
    const r = (await call('billing.eligibility', { coverageId: cov.id })) as { inquiry270: string; fileName: string };
    writeFileSync(out, r.inquiry270, { mode: 0o600 });
    print({ coverageId: cov.id, file: out, fileName: r.fileName });
  });
}

async function simple(args: string[], channel: string, flags: Record<string, string>, out?: boolean): Promise<void> {
  const opts = Object.fromEntries([...Object.keys(flags), 'db', ...(out ? ['out'] : [])].map((k) => [k, { type: 'string' as const }]));
  const { values } = parse(args, opts);
  const v = values as Record<string, string | undefined>;
  const input = Object.fromEntries(Object.entries(flags).map(([flag, field]) => [field, need(v[flag], `--${flag}`)]));
  await withSession(v['db'], async ({ call }) => {
    const r = await call(channel, input);
    if (out) {
      writeFileSync(need(v['out'], '--out'), Buffer.from((r as { base64: string }).base64, 'base64'), { mode: 0o600 });
      print({ file: v['out'] });
    } else print(r);
  });
}

async function visits(sub: string | undefined, args: string[]): Promise<void> {
  const f = { type: 'string' } as const;
  if (sub === 'finish') return simpleFinish(args);
  if (sub !== 'add') throw new CliError(`unknown command "visits${sub ? ` ${sub}` : ''}" (see cairn --help)`, 2);
  const { values: v } = parse(args, { db: f, patient: f, date: f, type: f, provider: f });
  const day = date('--date', need(v.date, '--date'))!;
  const type = v.type === undefined || v.type === 'office' ? 'office_visit' : v.type;
  await withSession(v.db, async ({ call }) =>
    print(
      await call('encounters.create', {
        patientId: need(v.patient, '--patient'),
        visitType: type,
        startAt: `${day}T12:00:00Z`,
        ...(v.provider ? { providerId: v.provider } : {}),
      }),
    ),
  );
}

async function simpleFinish(args: string[]): Promise<void> {
  const { values: v } = parse(args, { db: { type: 'string' }, visit: { type: 'string' } });
  await withSession(v.db, async ({ call }) => print(await call('encounters.setStatus', { id: need(v.visit, '--visit'), status: 'finished' })));
}

/** `cairn billing …`, `cairn visits …`, `cairn codes import cpt`, `cairn report ar`. */
export async function billingCommand(cmd: string, sub: string | undefined, rest: string[]): Promise<number> {
  const [third, ...tail] = rest;
  if (cmd === 'visits') await visits(sub, rest);
  else if (cmd === 'codes' && sub === 'import' && third === 'cpt') await feesImport(tail, true);
  else if (cmd === 'report' && sub === 'ar') {
    const { values: v } = parse(rest, { db: { type: 'string' }, 'as-of': { type: 'string' } });
    await withSession(v.db, async ({ call }) => print(await call('billing.aging', { asOf: date('--as-of', need(v['as-of'], '--as-of')) })));
  } else if (cmd !== 'billing') throw new CliError(`unknown command "${cmd} ${sub ?? ''}" (see cairn --help)`, 2);
  else if (sub === 'settings') await settings(rest);
  else if (sub === 'payer' && third === 'add') await payerAdd(tail);
  else if (sub === 'coverage' && third === 'add') await coverageAdd(tail);
  else if (sub === 'fees' && third === 'import') await feesImport(tail, false);
  else if (sub === 'superbill') await superbill(rest);
  else if (sub === 'claims') await claimsBatch(rest);
  else if (sub === 'import') return importFiles(rest);
  else if (sub === 'eligibility') await eligibility(rest);
  else if (sub === 'cms1500') await simple(rest, 'billing.claimForm', { claim: 'claimId' }, true);
  else if (sub === 'account') await simple(rest, 'billing.account', { patient: 'patientId' });
  else if (sub === 'pay') {
    const { values: v } = parse(rest, {
      db: { type: 'string' },
      patient: { type: 'string' },
      amount: { type: 'string' },
      method: { type: 'string' },
      reference: { type: 'string' },
    });
    await withSession(v.db, async ({ call }) => {
      const r = (await call('billing.pay', {
        patientId: need(v.patient, '--patient'),
        amountCents: dollars('--amount', need(v.amount, '--amount')),
        method: need(v.method, '--method'),
        ...(v.reference ? { reference: v.reference } : {}),
      })) as { receipt: unknown };
      print({ ...r, receipt: undefined });
    });
  } else throw new CliError(`unknown command "billing ${[sub, third].filter(Boolean).join(' ')}" (see cairn --help)`, 2);
  return 0;
}
