import { beforeAll, expect, it } from 'vitest';
import { Hl7Ingest } from '../../../electron/services/labs/ingest';
import { listUnmatched, matchToPatient } from '../../../electron/services/labs/unmatched';
import { patientInput } from '../../../shared/domain/patient';
import { get, parseMessageOrThrow } from '../../../shared/hl7';
import { ADMIN, oru, type LabsSuite } from './labs.helpers';

/** OUL^R22, an ORU with several patients, and times read in a given zone. */
export function messageShapeTests(suite: () => LabsSuite): void {
  let store: LabsSuite['store'];
  let repos: LabsSuite['repos'];
  let ingest: LabsSuite['ingest'];
  const count = (sql: string, ...p: unknown[]): number => (store.sqlite.prepare(sql).get(...p) as { n: number }).n;
  beforeAll(() => {
    ({ store, repos, ingest } = suite());
  });

  it('OUL^R22 (specimen first): AA, each result on its own order; held when unmatched, then attached by hand', () => {
    const p = repos.patients.create(
      patientInput.parse({ givenName: 'Olive', familyName: 'Specimen', birthDate: '1982-02-02', sex: 'female', mrn: 'OUL-1' }),
      ADMIN,
    );
    const oul = (controlId: string, pid: string): string =>
      [
        `MSH|^~\\&|ANALYZER|ACME LAB|CAIRN|CLINIC|20260301101500+0000||OUL^R22^OUL_R22|${controlId}|P|2.5.1`,
        pid,
        'SPM|1|SP-1^ACME||SER^Serum^HL70487|||||||P||||||20260301081500+0000',
        'OBX|1|NM|3167-4^Volume of Specimen^LN||5|mL|||||F',
        'SAC|||TUBE-1',
        `OBR|1|PL-${controlId}^CAIRN|FI-${controlId}^ACME|2345-7^Glucose^LN`,
        `ORC|RE|PL-${controlId}^CAIRN|FI-${controlId}^ACME`,
        'OBX|2|NM|2345-7^Glucose^LN||182|mg/dL|70_105|H|||F',
        'TCD|2345-7^Glucose^LN|1',
        'NTE|1||Repeated to confirm',
        'SPM|2|SP-2^ACME||UR^Urine^HL70487|||||||P||||||20260301090000+0000',
        `OBR|2|PL-${controlId}U^CAIRN|FI-${controlId}U^ACME|5811-5^Specific gravity of Urine^LN`,
        'OBX|3|NM|5811-5^Specific gravity of Urine^LN||1.020||1.005-1.030|N|||F',
      ].join('\r');
    const o = ingest.receive(oul('OUL-A', 'PID|1||OUL-1^^^^MR||Specimen^Olive||19820202|F'), 'oul');
    expect(o).toMatchObject({ type: 'OUL^R22', ack: 'AA', patientId: p.id, queued: false, results: 3 });
    const ack = parseMessageOrThrow(o.ackMessage);
    expect([get(ack, 'MSA-1'), get(ack, 'MSA-2'), get(ack, 'MSH-9.1'), get(ack, 'MSH-9.2')]).toEqual(['AA', 'OUL-A', 'ACK', 'R22']);
    const rows = store.sqlite
      .prepare(
        `SELECT loinc, value_num AS v, lab_placer_number AS placer, lab_notes AS notes, effective_at AS at FROM observations WHERE patient_id = ? ORDER BY loinc`,
      )
      .all(p.id);
    expect(rows).toEqual([
      { loinc: '2345-7', v: 182, placer: 'PL-OUL-A^CAIRN', notes: '["Repeated to confirm"]', at: '2026-03-01T08:15:00.000Z' },
      { loinc: '3167-4', v: 5, placer: 'PL-OUL-A^CAIRN', notes: '[]', at: '2026-03-01T08:15:00.000Z' },
      { loinc: '5811-5', v: 1.02, placer: 'PL-OUL-AU^CAIRN', notes: '[]', at: '2026-03-01T09:00:00.000Z' },
    ]);

    const held = ingest.receive(oul('OUL-B', 'PID|1||777^^^ELSEWHERE^MR||Unknown^Olive||19820202|F'), 'oul');
    expect(held).toMatchObject({ type: 'OUL^R22', ack: 'AA', queued: true, patientId: null, results: 0 });
    const item = listUnmatched(repos).find((i) => i.controlId === 'OUL-B');
    expect(item).toMatchObject({ messageType: 'OUL^R22', familyName: 'Unknown', results: 3 });
    expect(matchToPatient(repos, item!.reviewId, p.id, ADMIN)).toEqual({ reviewId: item!.reviewId, patientId: p.id, results: 3 });
    expect(count(`SELECT count(*) AS n FROM observations WHERE patient_id = ? AND lab_placer_number LIKE 'PL-OUL-B%'`, p.id)).toBe(3);
  });

  it('an ORU with several patients: each matched on its own, results only on their own chart; one held, then attached by hand', () => {
    const a = repos.patients.create(
      patientInput.parse({ givenName: 'Ann', familyName: 'First', birthDate: '1971-01-01', sex: 'female', mrn: 'MULTI-A' }),
      ADMIN,
    );
    const b = repos.patients.create(
      patientInput.parse({ givenName: 'Bob', familyName: 'Second', birthDate: '1972-02-02', sex: 'male', mrn: 'MULTI-B' }),
      ADMIN,
    );
    const d = repos.patients.create(
      patientInput.parse({ givenName: 'Cleo', familyName: 'Registered', birthDate: '1973-03-03', sex: 'female', mrn: 'MULTI-D' }),
      ADMIN,
    );
    const patientResult = (pid: string, n: number, value: string): string[] => [
      pid,
      `OBR|1|PL-M${n}^CAIRN|FI-M${n}^ACME|2345-7^Glucose^LN`,
      `OBX|1|NM|2345-7^Glucose^LN||${value}|mg/dL|70-99||||F`,
    ];
    const message = (id: string, third: string): string =>
      [
        `MSH|^~\\&|LAB|ACME LAB|CAIRN|CLINIC|20260301101500+0000||ORU^R01^ORU_R01|${id}|P|2.5.1`,
        ...patientResult('PID|1||MULTI-A^^^^MR||First^Ann||19710101|F', 1, '101'),
        ...patientResult('PID|2||MULTI-B^^^^MR||Second^Bob||19720202|M', 2, '202'),
        ...patientResult('PID|3||C-ELSEWHERE^^^OTHER^MR||Unknown^Cleo||19730303|F', 3, third),
      ].join('\r');
    const values = (patientId: string): number[] =>
      (
        store.sqlite.prepare(`SELECT value_num AS v FROM observations WHERE patient_id = ? AND lab_placer_number LIKE 'PL-M%'`).all(patientId) as {
          v: number;
        }[]
      ).map((r) => r.v);

    // One unreadable patient refuses the whole message: nothing applied to anyone, the OBX numbered as in the message.
    const bad = ingest.receive(message('MULTI-0', 'lots'), 'multi');
    expect(bad).toMatchObject({ ack: 'AE', results: 0, error: 'OBX #3 field 5: NM value "lots" is not a number' });
    expect([values(a.id), values(b.id)]).toEqual([[], []]);

    const o = ingest.receive(message('MULTI-1', '303'), 'multi');
    expect(o).toMatchObject({ ack: 'AA', queued: true, patientId: null, results: 2 });
    expect(get(parseMessageOrThrow(o.ackMessage), 'MSA-3')).toMatch(/^results for 3 patients: 2 stored on their charts, 1 held for review/);
    expect([values(a.id), values(b.id), values(d.id)]).toEqual([[101], [202], []]);
    expect(count(`SELECT count(*) AS n FROM audit_log WHERE action = 'hl7.match' AND detail LIKE 'patient 3 of 3: unmatched:%'`)).toBe(1);

    const item = listUnmatched(repos).find((i) => i.controlId === 'MULTI-1')!;
    expect(item).toMatchObject({ familyName: 'Unknown', givenName: 'Cleo', results: 1, identifiers: ['C-ELSEWHERE (MR, OTHER)'] });
    expect(matchToPatient(repos, item.reviewId, d.id, ADMIN)).toMatchObject({ patientId: d.id, results: 1 });
    expect([values(a.id), values(b.id), values(d.id)]).toEqual([[101], [202], [303]]);
    expect(store.sqlite.prepare(`SELECT status, patient_id AS pid, results FROM hl7_messages WHERE control_id = 'MULTI-1'`).get()).toEqual({
      status: 'processed',
      pid: null,
      results: 3,
    });
  });

  it('reads times without an offset in the zone it is given, and refuses a zone that does not exist', () => {
    const p = repos.patients.create(patientInput.parse({ givenName: 'Cal', familyName: 'Zone', birthDate: '1980-09-09', sex: 'male', mrn: 'TZ-CHI' }), ADMIN);
    const chicago = new Hl7Ingest(repos, { timeZone: 'America/Chicago' });
    const o = chicago.receive(oru('TZ-1', 'PID|1||TZ-CHI^^^^MR||Zone^Cal||19800909|M', 'OBX|1|NM|2345-7^Glucose^LN||88|mg/dL|||||F|||20260715073000'), 'tz');
    expect(o).toMatchObject({ ack: 'AA', patientId: p.id, results: 1 });
    // 07:30 in Chicago in July (CDT, UTC-5).
    expect(store.sqlite.prepare(`SELECT effective_at AS at FROM observations WHERE patient_id = ?`).get(p.id)).toEqual({ at: '2026-07-15T12:30:00.000Z' });
    expect(() => new Hl7Ingest(repos, { timeZone: 'Mars/Olympus' })).toThrow('"Mars/Olympus" is not a time zone (an IANA name such as America/Chicago)');
  });
}
