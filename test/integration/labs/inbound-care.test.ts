import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMllpListener } from '../../../electron/services/labs/mllp.listener';
import { OID, type ImmunizationEntry } from '../../../shared/ccda/model';
import type { Patient } from '../../../shared/domain/patient';
import { patientInput } from '../../../shared/domain/patient';
import { frameMllp, get, parseMessageOrThrow } from '../../../shared/hl7';
import { addPatient, inbound, openInbound, type InboundDb } from './inbound.helpers';
import { ADMIN, exchange, fixture } from './labs.helpers';

interface Item {
  match: string;
  code: string;
  item_date: string;
  source: string;
  source_label: string;
  section: string;
  status: string;
  summary: string;
  match_id: string | null;
  payload: string;
}

describe('VXU, ADT notices and REF through Hl7Ingest over an encrypted database', () => {
  let db: InboundDb;
  let grace: Patient;
  let harold: Patient;
  let sam: Patient;
  const items = (patientId: string): Item[] => db.rows<Item>(`SELECT * FROM reconcile_items WHERE patient_id = ? ORDER BY item_date, code`, patientId);
  const heldReviews = (): number => db.count(`SELECT count(*) AS n FROM hl7_reviews WHERE kind IN ('unmatched', 'ambiguous') AND status = 'open'`);
  const dose = (patientId: string, cvx: string, on: string, lot: string): string => {
    const id = `imm-${cvx}-${on}`;
    db.store.sqlite
      .prepare(
        `INSERT INTO immunizations (id, created_at, created_by, updated_at, updated_by, version, patient_id, cvx, lot, administered_on, status, source)
         VALUES (?, '2026-01-01T00:00:00.000Z', 'test-admin', '2026-01-01T00:00:00.000Z', 'test-admin', 1, ?, ?, ?, ?, 'completed', 'historical')`,
      )
      .run(id, patientId, cvx, lot, on);
    return id;
  };

  beforeAll(async () => {
    db = await openInbound('cairn-inbound-care-');
    grace = addPatient(db.repos, 'grace');
    harold = addPatient(db.repos, 'harold');
    sam = addPatient(db.repos, 'sam');
  });
  afterAll(() => db.close());

  describe('VXU^V04: pending reconciliation items, never chart rows', () => {
    it('a registry’s history: same, different and new (a refusal), each with an ImmunizationEntry payload', () => {
      const same = dose(sam.id, '120', '2020-08-03', '');
      const different = dose(sam.id, '03', '2026-04-28', 'OTHERLOT');
      const chartBefore = db.count(`SELECT count(*) AS n FROM immunizations`);
      const o = db.ingest.receive(inbound('VXU-V04-registry-v2.5.1.hl7'), 'file');
      expect(o).toMatchObject({ ack: 'AA', type: 'VXU^V04', patientId: sam.id, queued: false });
      expect(db.count(`SELECT count(*) AS n FROM immunizations`)).toBe(chartBefore);
      const got = items(sam.id);
      expect(got.map((i) => [i.code, i.item_date, i.match, i.match_id, i.status])).toEqual([
        ['120', '2020-08-03', 'same', same, 'pending'],
        ['03', '2026-04-28', 'different', different, 'pending'],
        ['140', '2026-04-28', 'new', null, 'pending'],
      ]);
      expect(got.every((i) => i.source === 'vxu' && i.section === 'immunizations' && i.source_label === 'Immunization registry WIR, 2026-05-01')).toBe(true);
      const mmr = JSON.parse(got[1]!.payload) as ImmunizationEntry;
      expect(mmr).toEqual({
        code: { code: '03', system: OID.cvx, systemName: 'CVX', display: 'MMR' },
        translations: [{ code: '00006-4681-00', system: OID.ndc, systemName: 'NDC', display: 'M-M-R II' }],
        name: 'MMR',
        date: '2026-04-28',
        given: true,
        refusalReason: null,
        lotNumber: 'X1702',
        manufacturer: 'MSD',
        route: { code: 'C38299', system: OID.routeOfAdministration, systemName: 'NCIT', display: 'Subcutaneous' },
        dose: { value: 0.5, unit: 'mL' },
      });
      expect(JSON.parse(got[2]!.payload)).toMatchObject({ given: false, refusalReason: 'Parental decision', dose: null });
      expect(got[2]!.summary).toBe('Influenza, seasonal, injectable, preservative free (CVX 140) refused 2026-04-28: Parental decision');
      expect(got[0]!.summary).toMatch(/reported as historical$/);
      // Each item: row, audit and outbox in the message's transaction.
      expect(db.count(`SELECT count(*) AS n FROM sync_outbox WHERE entity = 'reconcile_item'`)).toBe(3);
    });

    it('a registry resending the history offers nothing twice; a duplicate control id is not applied again', () => {
      const again = db.ingest.receive(inbound('VXU-V04-registry-v2.5.1.hl7'), 'again');
      expect(again).toMatchObject({ ack: 'AA', duplicate: true });
      const resent = db.ingest.receive(inbound('VXU-V04-registry-v2.5.1.hl7').replace('WIR-20260501-00093', 'WIR-20260502-00001'), 'file');
      expect(resent).toMatchObject({ ack: 'AA', duplicate: false, patientId: sam.id });
      expect(items(sam.id)).toHaveLength(3);
    });

    it('a v2.3.1 pharmacy VXU (no ORC or RXR, CVX under HL70292): new items', () => {
      expect(db.ingest.receive(inbound('VXU-V04-pharmacy-v2.3.1.hl7'), 'file')).toMatchObject({ ack: 'AA', patientId: grace.id });
      expect(items(grace.id).map((i) => [i.code, i.match, i.source_label])).toEqual([
        ['150', 'new', 'Immunization registry NORTHSIDE PHARMACY #112, 2026-04-20'],
        ['213', 'new', 'Immunization registry NORTHSIDE PHARMACY #112, 2026-04-20'],
      ]);
    });

    it('an RXA without a CVX code (the VXU-V04-01 fixture sends NDC only): AE naming RXA-5, nothing offered; with its CVX, processed', () => {
      const adam = db.repos.patients.create(patientInput.parse({ givenName: 'Adam', familyName: 'Everyman', birthDate: '1988-08-18', sex: 'male' }), ADMIN);
      const o = db.ingest.receive(fixture('VXU-V04-01.hl7'), 'file');
      expect(o).toMatchObject({ ack: 'AE', type: 'VXU^V04' });
      expect(o.error).toBe(
        'RXA #1 field 5: no CVX code (sent NDC 49281021588); Cairn needs the vaccine’s CVX as RXA-5’s first or alternate code'.replaceAll('’', "'"),
      );
      const ack = parseMessageOrThrow(o.ackMessage);
      expect([get(ack, 'MSA-1'), get(ack, 'ERR-2.1'), get(ack, 'ERR-2.2'), get(ack, 'ERR-2.3')]).toEqual(['AE', 'RXA', '1', '5']);
      expect(items(adam.id)).toEqual([]);
      const withCvx = db.ingest.receive(
        fixture('VXU-V04-01.hl7').replace('49281021588^TENIVAC^NDC|', '49281021588^TENIVAC^NDC^113^Td (adult) preservative free^CVX|'),
        'file',
      );
      expect(withCvx).toMatchObject({ ack: 'AA', patientId: adam.id });
      expect(items(adam.id).map((i) => [i.code, i.item_date, i.match])).toEqual([['113', '2021-08-18', 'new']]);
    });

    it('a patient no chart matches: held in the review queue (AA), nothing offered', () => {
      const held = heldReviews();
      const raw = inbound('VXU-V04-registry-v2.5.1.hl7').replace('WIR-20260501-00093', 'WIR-NOBODY').replace('Lindqvist^Samuel^Erik', 'Nobody^Nemo');
      expect(db.ingest.receive(raw, 'file')).toMatchObject({ ack: 'AA', queued: true, patientId: null });
      expect(heldReviews()).toBe(held + 1);
      expect(
        db.count(
          `SELECT count(*) AS n FROM reconcile_items WHERE patient_id NOT IN (?, ?, ?)`,
          sam.id,
          grace.id,
          db.row<{ id: string }>(`SELECT id FROM patients WHERE family_name = 'Everyman'`).id,
        ),
      ).toBe(0);
    });

    it('VXU over the MLLP listener on a real socket: AA back, items offered', async () => {
      const listener = await startMllpListener(db.ingest, { port: 0 });
      try {
        const raw = inbound('VXU-V04-pharmacy-v2.3.1.hl7').replace('NSP112-7781', 'NSP112-MLLP').replaceAll('20260420', '20260421');
        const [ack] = await exchange(listener.port, 1, (socket) => socket.write(frameMllp(raw)));
        const m = parseMessageOrThrow(ack!.toString('utf8'));
        expect([get(m, 'MSA-1'), get(m, 'MSA-2')]).toEqual(['AA', 'NSP112-MLLP']);
        expect(items(grace.id).filter((i) => i.item_date === '2026-04-21')).toHaveLength(2);
      } finally {
        await listener.close();
      }
    });
  });

  describe('ADT^A01/A03: care events, the follow-up a discharge opens', () => {
    interface Event {
      kind: string;
      facility: string;
      event_at: string;
      reason: string | null;
      disposition: string | null;
      attending: string | null;
      follow_up_due: string | null;
      follow_up_status: string;
      control_id: string;
    }
    const events = (patientId: string): Event[] => db.rows<Event>(`SELECT * FROM care_events WHERE patient_id = ? ORDER BY event_at`, patientId);

    it('an admission (v2.3, no offset: the clinic’s zone) and a discharge home (v2.5): follow-up due 2 business days after', () => {
      expect(db.ingest.receive(inbound('ADT-A01-hospital-v2.3.hl7'), 'file')).toMatchObject({ ack: 'AA', type: 'ADT^A01', patientId: harold.id });
      const o = db.ingest.receive(inbound('ADT-A03-hospital-v2.5.hl7'), 'file');
      expect(o).toMatchObject({ ack: 'AA', type: 'ADT^A03', patientId: harold.id });
      expect(events(harold.id)).toMatchObject([
        {
          kind: 'admission',
          facility: 'ST MARYS HOSPITAL',
          event_at: '2026-03-30T02:30:00.000Z',
          reason: 'Pneumonia, unspecified organism',
          attending: 'Dr. Chidi Okonkwo, MD',
          follow_up_due: null,
          follow_up_status: 'not_needed',
          control_id: 'SMH-ADT-552031',
        },
        {
          kind: 'discharge',
          event_at: '2026-04-02T21:30:00.000Z',
          disposition: 'Discharged to home or self care',
          // Thursday 2026-04-02 → Friday, (weekend), Monday.
          follow_up_due: '2026-04-06',
          follow_up_status: 'open',
        },
      ]);
      expect(db.count(`SELECT count(*) AS n FROM sync_outbox WHERE entity = 'care_event'`)).toBe(2);
      // The chart itself is untouched by a notice.
      expect(db.repos.patients.peek(harold.id).version).toBe(harold.version);
    });

    it('a Friday discharge to a skilled nursing facility: due the Tuesday after, the disposition in words', () => {
      expect(db.ingest.receive(inbound('ADT-A03-snf-v2.4.hl7'), 'file')).toMatchObject({ ack: 'AA', patientId: grace.id });
      expect(events(grace.id)).toMatchObject([
        {
          kind: 'discharge',
          facility: 'MERCY HOSPITAL',
          disposition: 'transferred to a skilled nursing facility',
          reason: 'Hip fracture repair, rehabilitation',
          follow_up_due: '2026-04-21',
        },
      ]);
    });

    it('an A03 without its discharge time: AE naming PV1-45, nothing stored; a duplicate is acknowledged again, not applied', () => {
      const before = db.count(`SELECT count(*) AS n FROM care_events`);
      const raw = inbound('ADT-A03-hospital-v2.5.hl7')
        .replace('SMH-ADT-552877', 'SMH-NO-45')
        .replace(/^(PV1.*)\|20260402163000-0500/m, '$1|');
      const o = db.ingest.receive(raw, 'file');
      expect(o).toMatchObject({ ack: 'AE', error: 'PV1 field 45: the discharge date/time is missing' });
      const ack = parseMessageOrThrow(o.ackMessage);
      expect([get(ack, 'ERR-2.1'), get(ack, 'ERR-2.3'), get(ack, 'ERR-3.1')]).toEqual(['PV1', '45', '101']);
      expect(db.ingest.receive(inbound('ADT-A03-hospital-v2.5.hl7'), 'again')).toMatchObject({ ack: 'AA', duplicate: true });
      expect(db.count(`SELECT count(*) AS n FROM care_events`)).toBe(before);
    });

    it('a notice about someone no chart matches is held (AA), never registers a chart; the real A01/A03 fixtures are processed', () => {
      const patients = db.count(`SELECT count(*) AS n FROM patients`);
      const held = heldReviews();
      const raw = inbound('ADT-A01-hospital-v2.3.hl7').replace('SMH-ADT-552031', 'SMH-ADT-NOBODY').replace('Bjornson^Harold', 'Nobody^Nemo');
      expect(db.ingest.receive(raw, 'file')).toMatchObject({ ack: 'AA', queued: true, patientId: null });
      expect(heldReviews()).toBe(held + 1);
      expect(db.count(`SELECT count(*) AS n FROM patients`)).toBe(patients);
      // ADT-A01-01, ADT-A03-01 and VXU-V04-01 (v2.8, one facility) share control id MSG00001 (the VXU came first): each gets its own here.
      const adam = db.row<{ id: string }>(`SELECT id FROM patients WHERE family_name = 'Everyman'`).id;
      expect(db.ingest.receive(fixture('ADT-A01-01.hl7').replace('MSG00001', 'MSG00002'), 'file')).toMatchObject({
        ack: 'AA',
        patientId: adam,
        duplicate: false,
      });
      expect(db.ingest.receive(fixture('ADT-A03-01.hl7').replace('MSG00001', 'MSG00003'), 'file')).toMatchObject({
        ack: 'AA',
        patientId: adam,
        duplicate: false,
      });
      expect(events(adam).map((e) => [e.kind, e.facility, e.follow_up_due])).toEqual([
        ['admission', 'HOMERTON UNIVER', null],
        ['discharge', 'HOMERTON UNIVER', '2015-02-11'],
      ]);
    });
  });

  describe('ADT^A08/A31: demographic changes offered for review, never applied', () => {
    it('an A08 with a new address and phone: a review per field, the chart unchanged; resent, nothing offered twice', () => {
      const before = db.repos.patients.peek(harold.id);
      const o = db.ingest.receive(inbound('ADT-A08-address-phone-v2.4.hl7'), 'file');
      expect(o).toMatchObject({ ack: 'AA', type: 'ADT^A08', patientId: harold.id, queued: true });
      expect(db.repos.patients.peek(harold.id)).toEqual(before);
      const offered = db.rows<{ detail: string }>(
        `SELECT detail FROM hl7_reviews WHERE kind = 'field_difference' AND patient_id = ? ORDER BY rowid`,
        harold.id,
      );
      expect(offered.map((r) => JSON.parse(r.detail) as unknown)).toEqual([
        { field: 'phone', local: '608-555-0199', incoming: '608-555-0312' },
        { field: 'address.line1', local: '22 Lake View Dr Apt 3', incoming: '915 Elm Terrace' },
        { field: 'address.city', local: 'Middleton', incoming: 'Fitchburg' },
        { field: 'address.postalCode', local: '53562', incoming: '53711' },
      ]);
      const resent = db.ingest.receive(inbound('ADT-A08-address-phone-v2.4.hl7').replace('SMH-ADT-553410', 'SMH-ADT-553411'), 'file');
      expect(resent).toMatchObject({ ack: 'AA', queued: false });
      expect(db.count(`SELECT count(*) AS n FROM hl7_reviews WHERE kind = 'field_difference' AND patient_id = ?`, harold.id)).toBe(4);
    });

    it('an A31 with a new phone: offered, not applied', () => {
      expect(db.ingest.receive(inbound('ADT-A31-phone-v2.5.hl7'), 'file')).toMatchObject({ ack: 'AA', type: 'ADT^A31', patientId: grace.id, queued: true });
      expect(db.repos.patients.peek(grace.id).phone).toBe('(608)555-0142');
      expect(db.count(`SELECT count(*) AS n FROM hl7_reviews WHERE kind = 'field_difference' AND patient_id = ?`, grace.id)).toBe(1);
    });
  });

  describe('REF^I12: an incoming referral', () => {
    interface Referral {
      id: string;
      direction: string;
      status: string;
      urgency: string;
      specialty: string;
      reason: string;
      diagnoses: string;
      external_ref: string;
      sent_at: string;
      reply_due: string;
      contact_id: string;
    }
    const referrals = (patientId: string): Referral[] => db.rows<Referral>(`SELECT * FROM referrals WHERE patient_id = ? ORDER BY created_at`, patientId);

    it('a referral row (direction in, sent = received and awaiting scheduling) and the referring provider added to the address book', () => {
      const o = db.ingest.receive(inbound('REF-I12-v2.5.hl7'), 'file');
      expect(o).toMatchObject({ ack: 'AA', type: 'REF^I12', patientId: grace.id });
      const [r, ...more] = referrals(grace.id);
      expect(more).toEqual([]);
      expect(r).toMatchObject({
        direction: 'in',
        status: 'sent',
        urgency: 'urgent',
        specialty: 'Medical',
        reason: 'Pain in right knee',
        external_ref: 'LKO-R-2026-118',
        sent_at: '2026-04-20T05:00:00.000Z',
        reply_due: '2026-04-27',
      });
      expect(JSON.parse(r!.diagnoses)).toEqual(['M25.561', 'E11.9']);
      expect(db.row(`SELECT name, organization, npi, phone, fax, email, address FROM referral_contacts WHERE id = ?`, r!.contact_id)).toEqual({
        name: 'Dr. Hannah Whitfield, MD',
        organization: 'LAKESIDE ORTHOPEDICS',
        npi: '1093817465',
        phone: '6085550600',
        fax: '6085550601',
        email: 'hwhitfield@lakeside-ortho.example',
        address: '1200 Lakeshore Blvd, Suite 210, Madison, WI, 53703',
      });
      expect(db.count(`SELECT count(*) AS n FROM sync_outbox WHERE entity IN ('referral', 'referral_contact')`)).toBe(2);
    });

    it('the same provider again is matched by NPI, the same referral resent is not recorded twice', () => {
      const second = inbound('REF-I12-v2.5.hl7')
        .replace('LKO-REF-3391', 'LKO-REF-3392')
        .replace('LKO-R-2026-118', 'LKO-R-2026-119')
        .replace('Whitfield^Hannah^M', 'WHITFIELD^HANNAH');
      expect(db.ingest.receive(second, 'file')).toMatchObject({ ack: 'AA' });
      const resent = inbound('REF-I12-v2.5.hl7').replace('LKO-REF-3391', 'LKO-REF-3393');
      expect(db.ingest.receive(resent, 'file')).toMatchObject({ ack: 'AA', patientId: grace.id });
      const all = referrals(grace.id);
      expect(all.map((r) => r.external_ref)).toEqual(['LKO-R-2026-118', 'LKO-R-2026-119']);
      expect(new Set(all.map((r) => r.contact_id)).size).toBe(1);
      expect(db.count(`SELECT count(*) AS n FROM referral_contacts`)).toBe(1);
    });

    it('no RF1: AE naming it; a patient no chart matches: held (AA), no referral, no contact added', () => {
      const noRf1 = inbound('REF-I12-v2.5.hl7')
        .replace('LKO-REF-3391', 'LKO-BAD')
        .split('\r')
        .filter((l) => !l.startsWith('RF1'))
        .join('\r');
      expect(db.ingest.receive(noRf1, 'file')).toMatchObject({ ack: 'AE', error: 'RF1 #1: the referral has no RF1 segment (its status, priority and reason)' });
      const held = heldReviews();
      const nobody = inbound('REF-I12-v2.5.hl7')
        .replace('LKO-REF-3391', 'LKO-NOBODY')
        .replace('OKAFOR^GRACE', 'NOBODY^NEMO')
        .replace('1093817465^NPI', '1111111111^NPI');
      expect(db.ingest.receive(nobody, 'file')).toMatchObject({ ack: 'AA', queued: true, patientId: null });
      expect(heldReviews()).toBe(held + 1);
      expect(db.count(`SELECT count(*) AS n FROM referrals`)).toBe(2);
      expect(db.count(`SELECT count(*) AS n FROM referral_contacts`)).toBe(1);
    });
  });
});
