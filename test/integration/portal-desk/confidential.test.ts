import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConfidentialMark } from '../../../shared/api/portal.contract';
import type { Problem } from '../../../shared/domain/clinical';
import type { Patient } from '../../../shared/domain/patient';
import { tempDir } from '../../helpers/temp-db';
import { openDesk, type Desk } from './desk-setup';

describe('confidential marks: clinicians hide chart items from a 12–17-year-old’s proxies', () => {
  const t = tempDir('cairn-portal-confidential-');
  const now = new Date('2026-12-07T14:00:00.000Z');
  let d: Desk;
  let teen: Patient;
  let other: Patient;
  let problem: Problem;
  let otherProblem: Problem;
  let courseId: string;

  beforeAll(async () => {
    d = await openDesk(t.dir, () => now);
    teen = await d.patient('Tess', 'Teen', '2012-05-01');
    other = await d.patient('Olga', 'Other');
    problem = await d.ok<Problem>('problems.add', { patientId: teen.id, icd10: 'Z30.09' });
    otherProblem = await d.ok<Problem>('problems.add', { patientId: other.id, icd10: 'I10' });
    courseId = (await d.ok<{ course: { courseId: string } }>('meds.add', { patientId: teen.id, name: 'Norethindrone', dose: '0.35 mg' })).course.courseId;
    await d.as('nurse');
  });
  afterAll(() => {
    d.session.close();
    t.cleanup();
  });

  it('hides a problem from proxies, with the reason: a synced mark, audited', async () => {
    const mark = await d.ok<ConfidentialMark>('portal.confidential', {
      patientId: teen.id,
      recordType: 'condition',
      recordId: problem.id,
      hidden: true,
      reason: 'adolescent confidential care',
    });
    expect(mark).toMatchObject({
      patientId: teen.id,
      recordType: 'condition',
      recordId: problem.id,
      hidden: true,
      reason: 'adolescent confidential care',
      updatedBy: 'Nina Nurse',
    });
    expect(d.session.repos.store.sqlite.prepare('SELECT hidden, created_by FROM portal_confidential WHERE id = ?').get(mark.id)).toEqual({
      hidden: 1,
      created_by: d.userId('nurse'),
    });
    expect(d.outbox('portal_confidential', mark.id)).toEqual([{ op: 'insert' }]);
    expect(d.session.repos.audit.list({ patientId: teen.id }).at(-1)).toMatchObject({
      action: 'portal.confidential.hide',
      recordId: mark.id,
      detail: `condition:${problem.id}`,
    });
  });

  it('marks a medication by its course, lists the chart’s marks, and shows an item again (the same mark changes)', async () => {
    await d.ok('portal.confidential', { patientId: teen.id, recordType: 'medication_event', recordId: courseId, hidden: true });
    const list = await d.ok<ConfidentialMark[]>('portal.confidentialList', { patientId: teen.id });
    expect(list.map((m) => [m.recordType, m.recordId, m.hidden]).sort()).toEqual(
      [
        ['condition', problem.id, true],
        ['medication_event', courseId, true],
      ].sort(),
    );
    const shown = await d.ok<ConfidentialMark>('portal.confidential', { patientId: teen.id, recordType: 'condition', recordId: problem.id, hidden: false });
    expect(shown).toMatchObject({ hidden: false, reason: null });
    expect((await d.ok<ConfidentialMark[]>('portal.confidentialList', { patientId: teen.id })).length).toBe(2);
    expect(d.outbox('portal_confidential', shown.id).map((o) => o.op)).toEqual(['insert', 'update']);
    expect(d.session.repos.audit.list({ patientId: teen.id }).at(-2)).toMatchObject({ action: 'portal.confidential.show' });
  });

  it('refuses a record of another chart, a record that does not exist, and showing what was never hidden', async () => {
    expect(await d.call('portal.confidential', { patientId: teen.id, recordType: 'condition', recordId: otherProblem.id, hidden: true })).toMatchObject({
      ok: false,
      error: { code: 'not_found', message: `no condition ${otherProblem.id} on this chart` },
    });
    expect(
      d.code(await d.call('portal.confidential', { patientId: teen.id, recordType: 'note', recordId: '01960000-0000-7000-8000-0000000000ff', hidden: true })),
    ).toBe('not_found');
    expect(d.code(await d.call('portal.confidential', { patientId: other.id, recordType: 'condition', recordId: otherProblem.id, hidden: false }))).toBe(
      'conflict',
    );
    expect(d.code(await d.call('portal.confidential', { patientId: teen.id, recordType: 'claim', recordId: problem.id, hidden: true }))).toBe('invalid_input');
    expect(d.session.repos.store.sqlite.prepare('SELECT COUNT(*) AS n FROM portal_confidential WHERE patient_id = ?').get(other.id)).toEqual({ n: 0 });
  });

  it('is for physicians and nurses only', async () => {
    for (const who of ['desk', 'biller'] as const) {
      await d.as(who);
      expect(d.code(await d.call('portal.confidential', { patientId: teen.id, recordType: 'condition', recordId: problem.id, hidden: true })), who).toBe(
        'forbidden',
      );
      expect(d.code(await d.call('portal.confidentialList', { patientId: teen.id })), who).toBe('forbidden');
    }
    await d.as('doc');
    expect((await d.ok<ConfidentialMark[]>('portal.confidentialList', { patientId: teen.id })).length).toBe(2);
  });
});
