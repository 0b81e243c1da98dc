import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../electron/services/db/open';
import { Hl7Ingest } from '../../electron/services/labs/ingest';
import { LabResultsRepo } from '../../electron/services/labs/results.repo';
import { createRepos, type Repos } from '../../electron/services/repos';
import { clientFor, type FetchLike } from '../../electron/services/sync';
import { patientInput } from '../../shared/domain/patient';
import { pullResponse } from '../../shared/sync/protocol';
import { newStore, tempDir } from '../helpers/temp-db';
import { twoEnrolledDevices, type TwoDevices } from '../helpers/two-devices';

// Versions of one lab result arriving out of order (issue #23, item 7): the current view follows the
// result status (corrected > final > preliminary), never the order the messages came in, and no
// version is lost. Real HL7 text through the real ingest into a real encrypted database.

const ADMIN = { userId: 'test-admin' };
const GLUCOSE = '2345-7';
/** Each status carries its own value, so the view says which version it shows. */
const VALUE = { P: 101, F: 102, C: 103, I: 0, X: 0, D: 0 } as const;
type Status = keyof typeof VALUE;

let seq = 0;
/** An ORU^R01 with one glucose result of order FI-`order`, OBX-11 and OBR-25 both `status`. */
function glucose(patient: { mrn: string; family: string }, order: string, status: Status): string {
  const value = status === 'I' || status === 'X' || status === 'D' ? '' : String(VALUE[status]);
  return [
    `MSH|^~\\&|LAB|ACME LAB|CAIRN|CLINIC|20260301101500+0000||ORU^R01^ORU_R01|V${++seq}|P|2.5.1`,
    `PID|1||${patient.mrn}^^^^MR||${patient.family}^Ada||19700101|F`,
    // OBR-25 (the report's status) after seventeen empty fields.
    `OBR|1|PL-${order}^CAIRN|FI-${order}^ACME|${GLUCOSE}^Glucose^LN|||20260301080000+0000${'|'.repeat(18)}${status}`,
    `OBX|1|NM|${GLUCOSE}^Glucose^LN||${value}|mg/dL|70_105|N|||${status}|||20260301080000+0000`,
  ].join('\r');
}

interface Chart {
  id: string;
  mrn: string;
  family: string;
}

/** Every arrival order of a list (the pairs reversed, the triple in all six orders). */
function orders<T>(xs: readonly T[]): T[][] {
  if (xs.length <= 1) return [[...xs]];
  return xs.flatMap((x, i) => orders([...xs.slice(0, i), ...xs.slice(i + 1)]).map((rest) => [x, ...rest]));
}

/** What the chart shows now: the face sheet's recent results and the results list, glucose only. */
function currentGlucose(repos: Repos, results: LabResultsRepo, patientId: string): { faceSheet: string[]; list: string[] } {
  return {
    faceSheet: repos.vitals
      .recentResults(patientId, 20)
      .filter((r) => r.loinc === GLUCOSE)
      .map((r) => r.value),
    list: results
      .results(patientId)
      .filter((r) => r.loinc === GLUCOSE)
      .map((r) => `${r.value} ${r.status}`),
  };
}

describe('lab result versions arriving out of order', () => {
  const t = tempDir('cairn-lab-versions-');
  let store: Store;
  let repos: Repos;
  let ingest: Hl7Ingest;
  let results: LabResultsRepo;
  let charts = 0;
  const count = (sql: string, ...p: unknown[]): number => (store.sqlite.prepare(sql).get(...p) as { n: number }).n;

  beforeAll(async () => {
    ({ store } = await newStore(t.dir));
    repos = createRepos(store);
    ingest = new Hl7Ingest(repos);
    results = new LabResultsRepo(store.sqlite, repos.writer);
  });
  afterAll(() => {
    store.close();
    t.cleanup();
  });

  function newChart(): Chart {
    const n = ++charts;
    const mrn = `VER-${n}`;
    const family = `Version${String.fromCharCode(64 + n)}`;
    const p = repos.patients.create(patientInput.parse({ givenName: 'Ada', familyName: family, birthDate: '1970-01-01', sex: 'female', mrn }), ADMIN);
    return { id: p.id, mrn, family };
  }

  function send(chart: Chart, order: string, status: Status): void {
    expect(ingest.receive(glucose(chart, order, status), 'versions.hl7')).toMatchObject({ ack: 'AA', patientId: chart.id, results: 1, duplicate: false });
  }

  const cases: { statuses: Status[]; current: Status }[] = [
    { statuses: ['P', 'F'], current: 'F' },
    { statuses: ['F', 'C'], current: 'C' },
    { statuses: ['P', 'C'], current: 'C' },
    { statuses: ['I', 'F'], current: 'F' },
    { statuses: ['P', 'F', 'C'], current: 'C' },
  ];
  const STATUS = { P: 'preliminary', F: 'final', C: 'corrected', I: 'registered', X: 'cancelled', D: 'entered-in-error' } as const;

  for (const { statuses, current } of cases)
    for (const arrival of orders(statuses))
      it(`${arrival.join(' then ')}: ${current} is current, every version kept`, () => {
        const chart = newChart();
        for (const s of arrival) send(chart, '1', s);
        const shown = `${VALUE[current]} ${STATUS[current]}`;
        expect(currentGlucose(repos, results, chart.id)).toEqual({ faceSheet: [String(VALUE[current])], list: [shown] });

        // No version lost: one row per message, each queued for sync, all listed in the result's history.
        expect(count(`SELECT count(*) AS n FROM observations WHERE patient_id = ?`, chart.id)).toBe(arrival.length);
        expect(count(`SELECT count(*) AS n FROM sync_outbox WHERE entity = 'observation' AND patient_id = ?`, chart.id)).toBe(arrival.length);
        const currentId = results.results(chart.id)[0]!.id;
        const history = results.versions(chart.id, currentId);
        expect(history.currentId).toBe(currentId);
        expect(history.versions.map((v) => v.status)).toEqual(arrival.map((s) => STATUS[s]));
        // Asked from any version, the history is the same.
        for (const v of history.versions) expect(results.versions(chart.id, v.id)).toEqual(history);

        // A version that came after a later one is history: it replaced nothing, and the message's audit entry says so.
        const late = arrival.filter((s, i) => arrival.slice(0, i).some((e) => 'IPFC'.indexOf(e) > 'IPFC'.indexOf(s)));
        for (const v of history.versions.filter((x) => late.some((s) => STATUS[s] === x.status))) expect(v).toMatchObject({ corrected: false, previous: null });
        expect(
          count(`SELECT count(*) AS n FROM audit_log WHERE action = 'labs.results' AND patient_id = ? AND detail LIKE '%kept as history%'`, chart.id),
        ).toBe(late.length);
      });

  it('F then P: the late preliminary changes nothing a clinician already saw (the final stays acknowledged, the inbox stays empty)', () => {
    const chart = newChart();
    send(chart, '1', 'F');
    const final = results.results(chart.id)[0]!;
    expect(results.acknowledge([final.id], 'seen', ADMIN)).toEqual([final.id]);
    send(chart, '1', 'P');
    expect(repos.vitals.recentResults(chart.id, 20)).toEqual([expect.objectContaining({ id: final.id, value: '102', acknowledged: true })]);
    expect(results.inbox({ userId: ADMIN.userId, mayOpen: () => true }, 'all').items.filter((i) => i.patientId === chart.id)).toEqual([]);
    expect(
      store.sqlite.prepare(`SELECT detail FROM audit_log WHERE action = 'labs.results' AND patient_id = ? ORDER BY rowid DESC LIMIT 1`).get(chart.id),
    ).toEqual({
      detail: expect.stringMatching(
        new RegExp(
          `^1 results stored: ${GLUCOSE} P; kept as history, not current \\(a later version was here first\\): ${GLUCOSE} P after final; received ORU\\^R01 `,
        ),
      ) as string,
    });
  });

  it('the same status again (a resend under a new control id) replaces the current version, as before; the same control id is not applied twice', () => {
    const chart = newChart();
    send(chart, '1', 'F');
    send(chart, '1', 'F');
    expect(currentGlucose(repos, results, chart.id)).toEqual({ faceSheet: ['102'], list: ['102 final'] });
    const again = glucose(chart, '1', 'F');
    expect(ingest.receive(again, 'versions.hl7')).toMatchObject({ ack: 'AA', duplicate: false, results: 1 });
    expect(ingest.receive(again, 'versions.hl7')).toMatchObject({ ack: 'AA', duplicate: true, results: 0 });
    expect(currentGlucose(repos, results, chart.id)).toEqual({ faceSheet: ['102'], list: ['102 final'] });
    expect(count(`SELECT count(*) AS n FROM observations WHERE patient_id = ?`, chart.id)).toBe(3);
  });

  it('cancelled (X) and entered in error (D) replace whatever is current, and are replaced by what follows, as before', () => {
    const chart = newChart();
    send(chart, '1', 'F');
    send(chart, '1', 'D');
    expect(currentGlucose(repos, results, chart.id)).toEqual({ faceSheet: [], list: [] });
    send(chart, '1', 'P');
    expect(currentGlucose(repos, results, chart.id)).toEqual({ faceSheet: ['101'], list: ['101 preliminary'] });
    send(chart, '2', 'C');
    send(chart, '2', 'X');
    expect(
      results
        .results(chart.id)
        .map((r) => r.status)
        .sort(),
    ).toEqual(['cancelled', 'preliminary']);
  });

  it('versions of different orders never meet: a preliminary of order 2 after the final of order 1 is current for order 2', () => {
    const chart = newChart();
    send(chart, '1', 'F');
    send(chart, '2', 'P');
    expect(currentGlucose(repos, results, chart.id).list.sort()).toEqual(['101 preliminary', '102 final']);
  });
});

describe('a late preliminary travels by sync: the other device shows the final, whatever order the rows arrive in', () => {
  let devices: TwoDevices;

  beforeAll(async () => {
    devices = await twoEnrolledDevices(['Lab desk', 'Exam room']);
  });
  afterAll(async () => {
    await devices?.close();
  });

  it('device B receives the preliminary before the final and shows the final, with both versions', async () => {
    const { a, b, docId, syncA } = devices;
    const ra = a.session.repos;
    const p = ra.patients.create(patientInput.parse({ givenName: 'Ada', familyName: 'Synced', birthDate: '1970-01-01', sex: 'female', mrn: 'VER-SYNC' }), {
      userId: docId,
    });
    const ingestA = new Hl7Ingest(ra, { actor: { userId: docId } });
    const chart = { mrn: 'VER-SYNC', family: 'Synced' };
    expect(ingestA.receive(glucose(chart, '1', 'F'), 'a.hl7')).toMatchObject({ ack: 'AA', patientId: p.id, results: 1 });
    expect(ingestA.receive(glucose(chart, '1', 'P'), 'a.hl7')).toMatchObject({ ack: 'AA', patientId: p.id, results: 1 });
    expect((await syncA.syncOnce()).error).toBeNull();

    // B pulls through a transport that hands it the observations in reverse order (the late
    // preliminary first); everything else keeps its place, so the chart still comes before its results.
    const arrived: string[] = [];
    const reversing: FetchLike = async (url, init) => {
      const res = await fetch(url, init);
      if (!url.includes('/sync/pull')) return res;
      const page = pullResponse.parse(JSON.parse(await res.text()));
      const slots = page.changes.flatMap((c, i) => (c.entity === 'observation' ? [i] : []));
      const reversed = slots.map((i) => page.changes[i]!).reverse();
      slots.forEach((slot, k) => (page.changes[slot] = reversed[k]!));
      arrived.push(...reversed.map((c) => String(c.fields['status'])));
      return { status: res.status, text: () => Promise.resolve(JSON.stringify(page)) };
    };
    const syncB = clientFor(b.store, b, () => docId, { fetchImpl: reversing });
    expect((await syncB.syncOnce()).error).toBeNull();
    expect(arrived).toEqual(['preliminary', 'final']);

    const resultsA = new LabResultsRepo(ra.store.sqlite, ra.writer);
    const resultsB = new LabResultsRepo(b.store.sqlite, b.writer);
    const onA = currentGlucose(ra, resultsA, p.id);
    expect(onA).toEqual({ faceSheet: ['102'], list: ['102 final'] });
    expect(currentGlucose(b, resultsB, p.id)).toEqual(onA);
    const finalId = resultsA.results(p.id)[0]!.id;
    expect(resultsB.versions(p.id, finalId)).toEqual(resultsA.versions(p.id, finalId));
    expect(resultsB.versions(p.id, finalId).versions.map((v) => v.status)).toEqual(['final', 'preliminary']);
  });
});
