import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { SessionState } from '../../shared/api/contract';
import { unlockDatabase, verifyStore } from '../services/db/open';
import { dispatch } from '../services/dispatch';
import { createHandlers } from '../services/handlers';
import { createRepos } from '../services/repos';
import { defaultResourcesDir } from '../services/paths';
import { Session } from '../services/session';
import { secretFrom } from './prompt';
import { FREQUENCIES } from '../../shared/domain/sig';
import { parseTypedDate } from '../../shared/domain/dates';
import { CliError, exitCodeOf } from './cli-error';
import { isUsersCommand, usersCommand, USERS_HELP } from './users.commands';
import { SETTINGS_HELP, settingsCommand } from './settings.commands';
import { BACKUP_HELP, backupCommand, isBackupCommand } from './backup.commands';
import { SYNC_COMMANDS, SYNC_HELP, syncCommand } from './sync.commands';
import { HL7_HELP, hl7Command } from './hl7.commands';
import { FHIR_HELP, fhirCommand } from './fhir.commands';
import { CCDA_HELP, ccdaCommand } from './ccda.commands';
import { FHIR_SERVER_HELP } from './fhir-server.commands';
import { REPORT_HELP, reportCommand } from './report.commands';
import { BILLING_HELP, billingCommand } from './billing.commands';
import { AUDIT_VERIFY_HELP, auditVerify } from './audit.commands';
import { DOCTOR_HELP, doctorCommand } from './doctor.commands';
import { VITALS_HELP, vitalsCommand } from './vitals.commands';
import { PROVISION_HELP, provisionCommand } from './provision.commands';
import { PORTAL_HELP, portalCommand } from './portal.commands';
import { DOCUMENTS_HELP, documentsCommand } from './documents.commands';
import { need, parse, print, unwrap, withSession } from './cli-session';

const HELP = `cairn — the Cairn command line

  cairn init --db FILE --admin USER [--clinic NAME] [--admin-name "Full Name"]
      Creates the encrypted database and its first administrator.
      Passphrase from CAIRN_PASSPHRASE, admin password from CAIRN_ADMIN_PASSWORD (else asked on a TTY).
  cairn patients add --db FILE --given G --family F --birth-date YYYY-MM-DD
      [--sex female|male|other|unknown] [--phone P] [--mrn M] [--email E] [--confirm-duplicate]
      Registers a patient and prints it as JSON. A chart with the same name, birth date and sex is
      refused unless --confirm-duplicate says this is another person.
  cairn patients search --db FILE QUERY
      Prints a JSON array of matches (name prefix, MRN, birth date 1980-03-04 or 03/04/1980, phone digits).
  cairn users add --db FILE --username U --name "Full Name" --role physician|nurse|front_desk|billing|admin
      [--npi N] [--dea D]
      Adds a user; the password comes from CAIRN_USER_PASSWORD (else asked on a TTY). A physician's
      NPI and DEA number (check digits verified) are printed on their prescriptions.
${USERS_HELP}
${SETTINGS_HELP}
  cairn chart --db FILE --patient ID
      Prints the chart summary (face sheet) as JSON.
  cairn immunizations due --db FILE --patient ID [--on YYYY-MM-DD]
      Prints what is due, overdue, complete and not applicable, as JSON.
  cairn meds check --db FILE --patient ID --rxcui N [--dose AMOUNT --unit UNIT --frequency F]
      Runs the offline safety checks for a new drug against the patient's list and allergies;
      prints the alerts as JSON ([] when there is nothing).
  cairn meds add --db FILE --patient ID --rxcui N [--dose TEXT] [--override RULE=REASON ...]
      Records a medication the patient takes (checked; a major alert needs --override).
  cairn allergies add --db FILE --patient ID (--substance TEXT | --rxcui N) [--reaction R ...]
      Records an allergy (a drug by RXCUI, or free text, uncoded); prints it with the alerts it raises.
${VITALS_HELP}
${AUDIT_VERIFY_HELP}
  cairn audit export --db FILE [--patient ID] [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--format json|csv]
      Prints an accounting of access (who opened, searched or changed what, when, on which device).
  cairn verify --db FILE
      Checks integrity, the audit chain and the schema version; exits 0 only when sound.
${BACKUP_HELP}
${SYNC_HELP}
${FHIR_SERVER_HELP}
${HL7_HELP}
${FHIR_HELP}
${CCDA_HELP}
${REPORT_HELP}
${BILLING_HELP}
${PORTAL_HELP}
${DOCUMENTS_HELP}
${DOCTOR_HELP}
${PROVISION_HELP}

Every command that opens a database reads the passphrase from CAIRN_PASSPHRASE or asks on a TTY.
`;

async function init(args: string[]): Promise<void> {
  const { values } = parse(args, { db: { type: 'string' }, admin: { type: 'string' }, clinic: { type: 'string' }, 'admin-name': { type: 'string' } });
  const db = resolve(need(values.db, '--db'));
  const admin = need(values.admin, '--admin');
  if (existsSync(db)) throw new CliError(`refusing to overwrite the existing database ${db}`);
  const passphrase = await secretFrom('CAIRN_PASSPHRASE', 'clinic passphrase', true);
  const adminPassword = await secretFrom('CAIRN_ADMIN_PASSWORD', `password for ${admin}`, true);
  const session = new Session({ dbFile: db, resourcesDir: defaultResourcesDir() });
  try {
    const state = unwrap(
      await dispatch(createHandlers({ session }), 'session.setup', {
        clinicName: values.clinic ?? 'Cairn clinic',
        passphrase,
        adminUsername: admin,
        adminDisplayName: values['admin-name'] ?? admin,
        adminPassword,
      }),
    ) as SessionState;
    print({ database: db, keyHeader: `${db}.key.json`, admin: state.user, clinicName: state.clinicName });
  } finally {
    session.close();
  }
}

async function patientsAdd(args: string[]): Promise<void> {
  const { values } = parse(args, {
    db: { type: 'string' },
    given: { type: 'string' },
    family: { type: 'string' },
    'birth-date': { type: 'string' },
    sex: { type: 'string' },
    phone: { type: 'string' },
    mrn: { type: 'string' },
    email: { type: 'string' },
    'confirm-duplicate': { type: 'boolean' },
  });
  const input = {
    givenName: need(values.given, '--given'),
    familyName: need(values.family, '--family'),
    birthDate: need(values['birth-date'], '--birth-date'),
    ...(values.sex !== undefined && { sex: values.sex }),
    ...(values.phone !== undefined && { phone: values.phone }),
    ...(values.mrn !== undefined && { mrn: values.mrn }),
    ...(values.email !== undefined && { email: values.email }),
    ...(values['confirm-duplicate'] === true && { confirmDuplicate: true }),
  };
  await withSession(values.db, async ({ call }) => {
    print(await call('patients.create', input));
  });
}

async function patientsSearch(args: string[]): Promise<void> {
  const { values, positionals } = parse(args, { db: { type: 'string' }, limit: { type: 'string' } }, true);
  if (positionals.length === 0) throw new CliError('missing search text (see cairn --help)', 2);
  const limit = values.limit === undefined ? 25 : Number(values.limit);
  await withSession(values.db, async ({ call }) => {
    print(await call('patients.search', { query: positionals.join(' '), limit }));
  });
}

async function usersAdd(args: string[]): Promise<void> {
  const { values } = parse(args, {
    db: { type: 'string' },
    username: { type: 'string' },
    name: { type: 'string' },
    role: { type: 'string' },
    npi: { type: 'string' },
    dea: { type: 'string' },
  });
  const input = {
    username: need(values.username, '--username'),
    displayName: need(values.name, '--name'),
    role: need(values.role, '--role'),
    ...(values.npi !== undefined && { npi: values.npi }),
    ...(values.dea !== undefined && { dea: values.dea }),
  };
  await withSession(values.db, async ({ call }) => {
    print(await call('users.create', { ...input, password: await secretFrom('CAIRN_USER_PASSWORD', `password for ${input.username}`, true) }));
  });
}

async function chart(args: string[]): Promise<void> {
  const { values } = parse(args, { db: { type: 'string' }, patient: { type: 'string' } });
  const patientId = need(values.patient, '--patient');
  await withSession(values.db, async ({ call }) => {
    print(await call('chart.summary', { patientId }));
  });
}

async function immunizationsDue(args: string[]): Promise<void> {
  const { values } = parse(args, { db: { type: 'string' }, patient: { type: 'string' }, on: { type: 'string' } });
  const patientId = need(values.patient, '--patient');
  await withSession(values.db, async ({ call }) => {
    print(await call('immunizations.due', { patientId, ...(values.on !== undefined && { on: values.on }) }));
  });
}

async function medsCheck(args: string[]): Promise<void> {
  const { values } = parse(args, {
    db: { type: 'string' },
    patient: { type: 'string' },
    rxcui: { type: 'string' },
    dose: { type: 'string' },
    unit: { type: 'string' },
    frequency: { type: 'string' },
  });
  const patientId = need(values.patient, '--patient');
  const rxcui = need(values.rxcui, '--rxcui');
  let dose: { amount: number; unit: string; perDay: number | null } | undefined;
  if (values.dose !== undefined) {
    const frequency = values.frequency ?? 'qd';
    if (!(frequency in FREQUENCIES)) throw new CliError(`unknown --frequency "${frequency}": use one of ${Object.keys(FREQUENCIES).join(', ')}`, 2);
    dose = { amount: Number(values.dose), unit: values.unit ?? 'mg', perDay: FREQUENCIES[frequency as keyof typeof FREQUENCIES].perDay };
  }
  await withSession(values.db, async ({ call }) => {
    const r = (await call('meds.check', { patientId, rxcui, ...(dose && { dose }) })) as {
      alerts: { kind: string; severity: string; message: string; with?: string; source: string }[];
      drug: unknown;
    };
    if (r.drug === null) throw new CliError(`RXCUI ${rxcui} is not in Cairn's drug list: no checks can run on it`);
    print(r.alerts.map((a) => ({ kind: a.kind, severity: a.severity, message: a.message, ...(a.with !== undefined && { with: a.with }), source: a.source })));
  });
}

/** `--override RULE=REASON`, repeatable. */
function overridesFrom(list: string[] | undefined): { ruleId: string; reason: string }[] {
  return (list ?? []).map((o) => {
    const at = o.indexOf('=');
    if (at < 1) throw new CliError(`--override takes RULE=REASON, got "${o}"`, 2);
    return { ruleId: o.slice(0, at), reason: o.slice(at + 1) };
  });
}

async function medsAdd(args: string[]): Promise<void> {
  const { values } = parse(args, {
    db: { type: 'string' },
    patient: { type: 'string' },
    rxcui: { type: 'string' },
    name: { type: 'string' },
    dose: { type: 'string' },
    override: { type: 'string', multiple: true },
  });
  const input = {
    patientId: need(values.patient, '--patient'),
    ...(values.rxcui !== undefined ? { rxcui: values.rxcui } : { name: need(values.name, '--rxcui or --name') }),
    ...(values.dose !== undefined && { dose: values.dose }),
    source: 'patient-reported',
    overrides: overridesFrom(values.override),
  };
  await withSession(values.db, async ({ call }) => {
    print(await call('meds.add', input));
  });
}

async function allergiesAdd(args: string[]): Promise<void> {
  const { values } = parse(args, {
    db: { type: 'string' },
    patient: { type: 'string' },
    substance: { type: 'string' },
    rxcui: { type: 'string' },
    reaction: { type: 'string', multiple: true },
    severity: { type: 'string' },
  });
  const patientId = need(values.patient, '--patient');
  if (values.substance === undefined && values.rxcui === undefined) throw new CliError('missing --substance or --rxcui (see cairn --help)', 2);
  await withSession(values.db, async ({ session, call }) => {
    let substance = values.substance;
    if (values.rxcui !== undefined) {
      const drug = session.repos.drugs().index.byRxcui.get(values.rxcui)?.drug;
      if (!drug) throw new CliError(`RXCUI ${values.rxcui} is not in Cairn's drug list: use --substance to record it uncoded`);
      substance = drug.name;
    }
    print(
      await call('allergies.add', {
        kind: 'allergy',
        patientId,
        substance,
        substanceType: 'drug',
        ...(values.rxcui !== undefined && { substanceCode: values.rxcui }),
        reactions: values.reaction ?? [],
        ...(values.severity !== undefined && { severity: values.severity }),
      }),
    );
  });
}

function csvCell(v: string | number | null): string {
  const s = v === null ? '' : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

async function auditExport(args: string[]): Promise<void> {
  const { values } = parse(args, {
    db: { type: 'string' },
    patient: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    format: { type: 'string' },
  });
  const format = values.format ?? 'json';
  if (format !== 'json' && format !== 'csv') throw new CliError(`--format must be json or csv, not "${format}"`, 2);
  for (const [flag, v] of [
    ['--from', values.from],
    ['--to', values.to],
  ] as const) {
    if (v !== undefined && parseTypedDate(v) !== v) throw new CliError(`${flag}: invalid date "${v}": use YYYY-MM-DD`, 2);
  }
  await withSession(values.db, ({ session }) => {
    const rows = session.repos.audit.export({
      ...(values.patient && { patientId: values.patient }),
      ...(values.from && { from: values.from }),
      ...(values.to && { to: values.to }),
    });
    if (format === 'json') print(rows);
    else {
      const cols = ['seq', 'at', 'userId', 'user', 'deviceId', 'action', 'patientId', 'recordType', 'recordId', 'detail'] as const;
      process.stdout.write([cols.join(','), ...rows.map((r) => cols.map((c) => csvCell(r[c])).join(','))].join('\n') + '\n');
    }
    return Promise.resolve();
  });
}

async function verify(args: string[]): Promise<void> {
  const { values } = parse(args, { db: { type: 'string' } });
  const db = resolve(need(values.db, '--db'));
  if (!existsSync(db)) throw new CliError(`no such database file: ${db}`);
  const resourcesDir = defaultResourcesDir();
  const passphrase = await secretFrom('CAIRN_PASSPHRASE', 'clinic passphrase');
  let opened;
  try {
    opened = await unlockDatabase(db, passphrase, { resourcesDir });
  } catch (e) {
    throw new CliError(e instanceof Error ? e.message : String(e));
  }
  const { store } = opened;
  try {
    const v = verifyStore(store, { resourcesDir });
    // The key header's anchor is compared too (a cut tail); `cairn audit verify` also asks the clinic server.
    const audit = createRepos(store).audit.verify();
    const sound = v.integrity.length === 1 && v.integrity[0] === 'ok' && v.foreignKeyViolations === 0 && v.pending === 0 && audit.problems.length === 0;
    print({ sound, ...v, auditChain: audit.problems.length === 0 ? 'intact' : audit.problems.join('; ') });
    if (!sound) throw new CliError(`database ${db} is not sound`);
  } finally {
    store.close();
  }
}

export async function main(argv: string[]): Promise<number> {
  const [cmd, sub, ...rest] = argv;
  try {
    if (cmd === undefined || cmd === '--help' || cmd === '-h' || cmd === 'help') {
      process.stdout.write(HELP);
      return 0;
    }
    if (argv.includes('--help')) {
      process.stdout.write(HELP);
      return 0;
    }
    if (cmd === 'init') await init(argv.slice(1));
    else if (cmd === 'verify') await verify(argv.slice(1));
    else if (isBackupCommand(cmd)) return await backupCommand(cmd, argv.slice(1));
    else if ((SYNC_COMMANDS as readonly string[]).includes(cmd)) return await syncCommand(cmd, sub, rest);
    else if (cmd === 'hl7') return await hl7Command(sub, rest);
    else if ((cmd === 'import' || cmd === 'export') && sub === 'ccda') return await ccdaCommand(cmd, rest);
    else if (cmd === 'import' || cmd === 'export') return await fhirCommand(cmd, sub, rest);
    else if (cmd === 'report' && sub === 'ar') return await billingCommand(cmd, sub, rest);
    else if (cmd === 'report') return await reportCommand(sub, rest);
    else if (cmd === 'billing' || cmd === 'visits' || cmd === 'codes') return await billingCommand(cmd, sub, rest);
    else if (cmd === 'portal') return await portalCommand(sub, rest);
    else if (cmd === 'documents') return await documentsCommand(sub, rest);
    else if (cmd === 'patients' && sub === 'add') await patientsAdd(rest);
    else if (cmd === 'patients' && sub === 'search') await patientsSearch(rest);
    else if (cmd === 'users' && sub === 'add') await usersAdd(rest);
    else if (cmd === 'users' && isUsersCommand(sub)) return await usersCommand(sub, rest);
    else if (cmd === 'settings') return await settingsCommand(sub, rest);
    else if (cmd === 'chart') await chart(argv.slice(1));
    else if (cmd === 'immunizations' && sub === 'due') await immunizationsDue(rest);
    else if (cmd === 'audit' && sub === 'verify') return await auditVerify(rest);
    else if (cmd === 'doctor') return doctorCommand(argv.slice(1));
    else if (cmd === 'provision') return await provisionCommand(argv.slice(1));
    else if (cmd === 'audit' && sub === 'export') await auditExport(rest);
    else if (cmd === 'meds' && sub === 'check') await medsCheck(rest);
    else if (cmd === 'meds' && sub === 'add') await medsAdd(rest);
    else if (cmd === 'allergies' && sub === 'add') await allergiesAdd(rest);
    else if ((cmd === 'vitals' && sub === 'add') || cmd === 'growth') await vitalsCommand(cmd, sub, rest);
    else throw new CliError(`unknown command "${[cmd, sub].filter(Boolean).join(' ')}" (see cairn --help)`, 2);
    return 0;
  } catch (e) {
    const code = exitCodeOf(e);
    process.stderr.write(`cairn: ${e instanceof Error ? e.message : String(e)}\n`);
    return code;
  }
}

process.exitCode = await main(process.argv.slice(2));
