import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unlockDatabase } from '../../electron/services/db/open';
import { cairn, CLI_ENV } from '../helpers/cli';
import { resourcesDir, tempDir } from '../helpers/temp-db';

describe('the cairn CLI', () => {
  const t = tempDir('cairn-cli-');
  const db = join(t.dir, 'clinic.cairn');
  beforeAll(() => {
    const r = cairn(['init', '--db', db, '--admin', 'alice', '--clinic', 'Hilltop Clinic']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ admin: { username: 'alice', role: 'admin' }, clinicName: 'Hilltop Clinic' });
  });
  afterAll(() => t.cleanup());

  it('init made an encrypted database and a key header, and refuses to overwrite it', () => {
    expect(readFileSync(db).subarray(0, 15).toString('latin1')).not.toBe('SQLite format 3');
    expect(existsSync(`${db}.key.json`)).toBe(true);
    const again = cairn(['init', '--db', db, '--admin', 'bob']);
    expect(again.code).not.toBe(0);
    expect(again.err.trim()).toBe(`cairn: refusing to overwrite the existing database ${db}`);
  });

  it('adds a patient and prints it as JSON; search finds it', () => {
    const add = cairn([
      'patients',
      'add',
      '--db',
      db,
      '--given',
      'María',
      '--family',
      'García',
      '--birth-date',
      '1962-07-19',
      '--sex',
      'female',
      '--phone',
      '555-867-5309',
    ]);
    expect(add.code).toBe(0);
    const p = JSON.parse(add.out) as { id: string; mrn: string };
    expect(p).toMatchObject({ givenName: 'María', familyName: 'García', birthDate: '1962-07-19', sex: 'female' });
    expect(p.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);
    expect(p.mrn).toMatch(/^\d{7}$/);
    for (const q of ['maria', 'garc', '07/19/1962', p.mrn, '8675309']) {
      const found = cairn(['patients', 'search', '--db', db, q]);
      expect(found.code).toBe(0);
      expect(
        (JSON.parse(found.out) as { id: string }[]).map((x) => x.id),
        `query ${q}`,
      ).toEqual([p.id]);
    }
  });

  it('refuses a second chart with the same name, birth date and sex unless --confirm-duplicate', () => {
    const args = ['patients', 'add', '--db', db, '--given', 'Twin', '--family', 'Checker', '--birth-date', '03/14/1972', '--sex', 'male'];
    const first = JSON.parse(cairn(args).out) as { mrn: string; birthDate: string };
    expect(first.birthDate).toBe('1972-03-14');
    const again = cairn(args);
    expect(again.code).not.toBe(0);
    expect(again.err.trim()).toBe(
      `cairn: Checker, Twin (born 1972-03-14, male) may already have a chart here (MRN ${first.mrn}): open it instead, or register anyway if this is another person`,
    );
    const confirmed = cairn([...args, '--confirm-duplicate']);
    expect(confirmed.code).toBe(0);
    expect((JSON.parse(confirmed.out) as { mrn: string }).mrn).not.toBe(first.mrn);
  });

  it('verify reports a sound database and its schema version', () => {
    const r = cairn(['verify', '--db', db]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ sound: true, integrity: ['ok'], pending: 0, auditChain: 'intact' });
  });

  it('every error is one line and a non-zero exit', () => {
    const cases: [string[], Record<string, string>, RegExp][] = [
      [['verify', '--db', db], { CAIRN_PASSPHRASE: 'the wrong passphrase' }, /^cairn: wrong passphrase/],
      [['verify', '--db', join(t.dir, 'missing.cairn')], {}, /^cairn: no such database file: .*missing\.cairn$/],
      [['patients', 'add', '--db', db, '--given', 'A', '--family', 'B', '--birth-date', '1980-02-31'], {}, /^cairn: birthDate: invalid date "1980-02-31"/],
      [['patients', 'add', '--db', db, '--given', 'A', '--family', 'B', '--birth-date', '1980-02-01', '--sex', 'robot'], {}, /^cairn: sex: /],
      [['patients', 'search', '--db', db, '--frobnicate', 'x'], {}, /^cairn: unknown option --frobnicate/],
      [['patients', 'remove'], {}, /^cairn: unknown command "patients remove"/],
      [['patients', 'add', '--given', 'A'], {}, /^cairn: missing --family|^cairn: missing --db/],
    ];
    for (const [args, extra, pattern] of cases) {
      const r = cairn(args, extra);
      expect(r.code, args.join(' ')).not.toBe(0);
      expect(r.out).toBe('');
      expect(r.err.trim().split('\n')).toHaveLength(1);
      expect(r.err.trim()).toMatch(pattern);
    }
  });

  it('init without a passphrase and no terminal says what to set', () => {
    const r = cairn(['init', '--db', join(t.dir, 'other.cairn'), '--admin', 'x1'], { CAIRN_PASSPHRASE: '' });
    expect(r.code).not.toBe(0);
    expect(r.err.trim()).toBe('cairn: clinic passphrase required: set CAIRN_PASSPHRASE or run on a terminal to be asked');
    expect(existsSync(join(t.dir, 'other.cairn'))).toBe(false);
  });
});

describe('the cairn CLI for charting', () => {
  const t = tempDir('cairn-cli-chart-');
  const db = join(t.dir, 'clinic.cairn');
  afterAll(() => t.cleanup());

  it('adds a physician, prints a chart summary and the immunizations due', () => {
    expect(cairn(['init', '--db', db, '--admin', 'alice']).code).toBe(0);
    const user = cairn(['users', 'add', '--db', db, '--username', 'drwho', '--name', 'Dr. Who', '--role', 'physician'], {
      CAIRN_USER_PASSWORD: 'physician password',
    });
    expect(user.err).toBe('');
    expect(JSON.parse(user.out)).toMatchObject({ username: 'drwho', role: 'physician' });
    const bad = cairn(['users', 'add', '--db', db, '--username', 'x', '--name', 'X', '--role', 'wizard'], { CAIRN_USER_PASSWORD: 'physician password' });
    expect(bad.code).not.toBe(0);
    expect(bad.err).toMatch(/^cairn: (username|role)/);

    const baby = JSON.parse(cairn(['patients', 'add', '--db', db, '--given', 'Baby', '--family', 'Synthetic', '--birth-date', '2026-09-25']).out) as {
      id: string;
    };
    const chart = cairn(['chart', '--db', db, '--patient', baby.id]);
    expect(chart.code).toBe(0);
    const summary = JSON.parse(chart.out) as {
      patient: { id: string };
      allergyStatus: { kind: string };
      immunizationsDue: { series: string; status: string }[];
    };
    expect(summary.patient.id).toBe(baby.id);
    expect(summary.allergyStatus).toEqual({ kind: 'unknown' });
    // A 2-month-old with no vaccines: hepatitis B is overdue (birth dose) and the 2-month series is due.
    const dueIds = summary.immunizationsDue.map((d) => (d as unknown as { seriesId: string }).seriesId);
    expect(dueIds).toEqual(expect.arrayContaining(['hepb', 'dtap']));

    const due = cairn(['immunizations', 'due', '--db', db, '--patient', baby.id, '--on', '2026-09-25']);
    expect(due.code).toBe(0);
    const items = JSON.parse(due.out) as { seriesId: string; status: string; dueDate: string | null }[];
    expect(items.find((d) => d.seriesId === 'hepb')).toMatchObject({ status: 'due', dueDate: '2026-09-25' });
    const badDate = cairn(['immunizations', 'due', '--db', db, '--patient', baby.id, '--on', '2026-02-30']);
    expect(badDate.code).not.toBe(0);
    expect(badDate.err.trim()).toMatch(/^cairn: on: /);
    const noPatient = cairn(['chart', '--db', db, '--patient', '01a21306-3a0e-7613-aac0-f535c34da2ae']);
    expect(noPatient.err.trim()).toBe('cairn: no patient with id 01a21306-3a0e-7613-aac0-f535c34da2ae');
  });
});

describe('the cairn CLI for medication checks', () => {
  const t = tempDir('cairn-cli-meds-');
  const db = join(t.dir, 'clinic.cairn');
  afterAll(() => t.cleanup());

  it('records what the checks read and prints alerts as JSON, [] when there is nothing', () => {
    expect(cairn(['init', '--db', db, '--admin', 'alice']).code).toBe(0);
    const p = JSON.parse(cairn(['patients', 'add', '--db', db, '--given', 'Cli', '--family', 'Meds', '--birth-date', '1960-01-01']).out) as { id: string };
    // RXCUIs from the shipped catalogue, as a pharmacist's script would take them from RxNav.
    const catalogue = (JSON.parse(readFileSync('resources/drugs/drugs.json', 'utf8')) as { drugs: { rxcui: string; name: string; route: string }[] }).drugs;
    const code = (re: RegExp): string => catalogue.find((d) => re.test(d.name) && d.route === 'oral')!.rxcui;
    const [ibuprofenRx, warfarinRx, levothyroxineRx, apapRx] = [
      code(/^ibuprofen \d+ MG Oral Tablet/i),
      code(/^warfarin/i),
      code(/^levothyroxine/i),
      code(/^acetaminophen \d+ MG Oral Tablet/i),
    ];
    const ibuprofen = cairn(['meds', 'add', '--db', db, '--patient', p.id, '--rxcui', ibuprofenRx]);
    expect(ibuprofen.err).toBe('');
    expect(JSON.parse(ibuprofen.out)).toMatchObject({ course: { status: 'active', uncoded: false } });
    const check = cairn(['meds', 'check', '--db', db, '--patient', p.id, '--rxcui', warfarinRx]);
    expect(check.code).toBe(0);
    const alerts = JSON.parse(check.out) as { kind: string; severity: string; message: string; source: string }[];
    expect(alerts[0]).toMatchObject({ kind: 'drug-drug', severity: 'major' });
    expect(Object.keys(alerts[0]!).sort()).toEqual(['kind', 'message', 'severity', 'source', 'with']);
    expect(JSON.parse(cairn(['meds', 'check', '--db', db, '--patient', p.id, '--rxcui', levothyroxineRx]).out)).toEqual([]);
    // Acetaminophen 1000 mg every 4 hours is over the daily maximum.
    const dose = JSON.parse(
      cairn(['meds', 'check', '--db', db, '--patient', p.id, '--rxcui', apapRx, '--dose', '1000', '--unit', 'mg', '--frequency', 'q4h']).out,
    ) as { kind: string }[];
    expect(dose.map((a) => a.kind)).toContain('dose');

    const allergy = cairn(['allergies', 'add', '--db', db, '--patient', p.id, '--substance', 'Aspirin', '--reaction', 'wheezing']);
    expect(allergy.code).toBe(0);
    const recorded = JSON.parse(allergy.out) as { substance: string; alerts: { kind: string }[] };
    expect(recorded.substance).toBe('Aspirin');
    expect(recorded.alerts.map((a) => a.kind)).toContain('drug-allergy'); // the patient already takes an NSAID
    const blocked = cairn(['meds', 'add', '--db', db, '--patient', p.id, '--rxcui', warfarinRx]);
    expect(blocked.code).not.toBe(0);
    expect(blocked.err).toMatch(/^cairn: \d safety alerts? needs? a reason to override/);
    expect(cairn(['meds', 'check', '--db', db, '--patient', p.id, '--rxcui', '99999999']).err.trim()).toBe(
      "cairn: RXCUI 99999999 is not in Cairn's drug list: no checks can run on it",
    );
  });
});

describe('the cairn CLI audit commands', () => {
  const t = tempDir('cairn-cli-audit-');
  const db = join(t.dir, 'clinic.cairn');
  afterAll(() => t.cleanup());

  it('exports an accounting of access and names the first broken entry after tampering', async () => {
    expect(cairn(['init', '--db', db, '--admin', 'alice']).code).toBe(0);
    const p = JSON.parse(cairn(['patients', 'add', '--db', db, '--given', 'Audit', '--family', 'Trail', '--birth-date', '1970-01-01']).out) as { id: string };
    cairn(['patients', 'add', '--db', db, '--given', 'Other', '--family', 'Person', '--birth-date', '1971-01-01']);
    expect(cairn(['chart', '--db', db, '--patient', p.id]).code).toBe(0);

    const json = JSON.parse(cairn(['audit', 'export', '--db', db, '--patient', p.id]).out) as { action: string; patientId: string; user: string | null }[];
    expect(json.map((e) => e.action)).toEqual(['patient.create', 'chart.open']);
    expect(json.every((e) => e.patientId === p.id)).toBe(true);
    const csv = cairn(['audit', 'export', '--db', db, '--format', 'csv', '--from', '2000-01-01', '--to', '2999-12-31']).out.trim().split('\n');
    expect(csv[0]).toBe('seq,at,userId,user,deviceId,action,patientId,recordType,recordId,detail');
    expect(csv.some((l) => l.includes(',user.create,'))).toBe(true);
    expect(cairn(['audit', 'export', '--db', db, '--from', '2099-01-01']).out.trim()).toBe('[]');
    expect(cairn(['audit', 'export', '--db', db, '--from', '01/02/2026']).err.trim()).toBe('cairn: --from: invalid date "01/02/2026": use YYYY-MM-DD');

    const ok = cairn(['audit', 'verify', '--db', db]);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.out)).toMatchObject({ chain: 'intact', firstBrokenEntry: null });

    // Someone with the key edits entry 3 behind Cairn's back.
    const { store } = await unlockDatabase(db, CLI_ENV.CAIRN_PASSPHRASE, { resourcesDir });
    store.sqlite.exec('DROP TRIGGER audit_log_no_update');
    store.sqlite.prepare(`UPDATE audit_log SET action = 'nothing.to.see' WHERE seq = 3`).run();
    store.close();
    const broken = cairn(['audit', 'verify', '--db', db]);
    expect(broken.code).not.toBe(0);
    expect(JSON.parse(broken.out)).toMatchObject({ chain: 'broken', firstBrokenEntry: 3 });
    expect(broken.err.trim()).toBe('cairn: audit entry 3 was changed, removed or reordered: the chain is broken from there');
  });
});
