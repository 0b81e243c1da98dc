import { describe, expect, it } from 'vitest';
import { buildOrmO01 } from '../../../../shared/domain/lab-order-message';
import {
  canTransition,
  isLoincCode,
  LAB_ORDER_STATUSES,
  labOrderInput,
  orderStatusFromResults,
  placerNumber,
  transitionProblem,
  type LabOrderStatus,
} from '../../../../shared/domain/lab-orders';
import { field, get, parseMessageOrThrow, segments, writeField, writeMessage } from '../../../../shared/hl7';

describe('lab order status transitions', () => {
  it('follows draft → ordered → collected → partial → final, cancelled before a result', () => {
    const table: Record<LabOrderStatus, LabOrderStatus[]> = {
      draft: ['ordered', 'cancelled'],
      ordered: ['collected', 'cancelled'],
      collected: ['partial', 'final', 'cancelled'],
      partial: ['final'],
      final: [],
      cancelled: [],
    };
    for (const from of LAB_ORDER_STATUSES)
      for (const to of LAB_ORDER_STATUSES) expect(canTransition(from, to), `${from} → ${to}`).toBe(table[from].includes(to));
  });

  it('says why a change is refused', () => {
    expect(transitionProblem('ordered', 'collected')).toBeNull();
    expect(transitionProblem('final', 'ordered')).toBe('the order is final: its status can no longer change');
    expect(transitionProblem('draft', 'final')).toBe('an order that is draft cannot become final (it may become ordered or cancelled)');
    expect(transitionProblem('ordered', 'ordered')).toBe('the order is already ordered');
  });
});

describe('lab order input', () => {
  it('checks LOINC check digits and keeps a compound placer number whole', () => {
    expect(isLoincCode('2160-0')).toBe(true);
    expect(isLoincCode('2160-1')).toBe(false);
    expect(placerNumber.parse('123^LAB')).toBe('123^LAB');
    expect(placerNumber.safeParse('12|3').success).toBe(false);
    expect(placerNumber.safeParse('^123').success).toBe(false);
    const pid = '01900000-0000-7000-8000-000000000001';
    expect(labOrderInput.safeParse({ patientId: pid }).success).toBe(false);
    expect(labOrderInput.parse({ patientId: pid, orderSetIds: ['cbc'] })).toMatchObject({ status: 'ordered', loincCodes: [] });
  });
});

describe('ORM^O01', () => {
  it('writes ORC-2 and OBR-2 as the placer number whole and OBR-4 as the LOINC code', () => {
    const text = writeMessage(
      buildOrmO01({
        controlId: 'C1',
        timestamp: '20261125093000+0000',
        clinicName: 'Main St | Clinic',
        patient: { mrn: '1000009', familyName: 'Lima', givenName: 'Ana', middleName: null, birthDate: '1970-06-15', sex: 'female' },
        provider: { id: 'u1', name: 'Dr. House' },
        placerNumber: '123^LAB',
        tests: [{ loinc: '58410-2', display: 'CBC panel - Blood by Automated count' }],
      }),
    );
    const m = parseMessageOrThrow(text);
    expect([get(m, 'MSH-9.1'), get(m, 'MSH-9.2'), get(m, 'MSH-12'), get(m, 'MSH-4')]).toEqual(['ORM', 'O01', '2.5.1', 'Main St | Clinic']);
    const orc = segments(m, 'ORC')[0]!;
    expect(writeField(field(orc, 2), m.delimiters)).toBe('123^LAB');
    expect([get(m, 'ORC-1'), get(m, 'OBR-4.1'), get(m, 'OBR-4.3'), get(m, 'PID-7'), get(m, 'PID-8')]).toEqual(['NW', '58410-2', 'LN', '19700615', 'F']);
  });
});

describe("an order's status from the results reported for it", () => {
  const cbc = { loinc: '58410-2', display: 'CBC panel' };
  const lipid = { loinc: '24331-1', display: 'Lipid panel' };
  it('is partial while a test is preliminary or not reported, final once every ordered test is final', () => {
    expect(orderStatusFromResults('ordered', [cbc, lipid], [{ code: '58410-2', final: true }])).toBe('partial');
    expect(orderStatusFromResults('collected', [cbc], [{ code: '58410-2', final: false }])).toBe('partial');
    expect(
      orderStatusFromResults(
        'partial',
        [cbc, lipid],
        [
          { code: '58410-2', final: true },
          { code: '24331-1', final: false },
        ],
      ),
    ).toBeNull();
    expect(
      orderStatusFromResults(
        'partial',
        [cbc, lipid],
        [
          { code: '58410-2', final: true },
          { code: '24331-1', final: true },
        ],
      ),
    ).toBe('final');
    expect(orderStatusFromResults('ordered', [cbc], [{ code: '58410-2', final: true }])).toBe('final');
  });
  it('counts final reports under other OBR-4 codes than the ones ordered', () => {
    expect(orderStatusFromResults('ordered', [cbc], [{ code: '57021-8', final: true }])).toBe('final');
    expect(orderStatusFromResults('ordered', [cbc, lipid], [{ code: '57021-8', final: true }])).toBe('partial');
  });
  it('leaves cancelled and final orders, and an order with nothing reported, as they are', () => {
    expect(orderStatusFromResults('cancelled', [cbc], [{ code: '58410-2', final: true }])).toBeNull();
    expect(orderStatusFromResults('final', [cbc], [{ code: '58410-2', final: false }])).toBeNull();
    expect(orderStatusFromResults('ordered', [cbc], [])).toBeNull();
  });
});
