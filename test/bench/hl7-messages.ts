/** The HL7 bench's messages (shared by the bench and its sender thread). */
const MRN = 'HL7-BENCH-1';
const LOINC = ['2345-7', '2951-2', '2823-3', '2075-0', '2028-9', '3094-0', '2160-0', '17861-6', '2777-1', '1742-6'];
export const BENCH_MRN = MRN;

/** One ORU^R01 with 10 new numeric results for the bench patient: `prefix` + `n` makes the control id and order numbers distinct (a repeated order number would make them corrections, a different workload). */
export function benchOru(n: number, prefix = 'B'): string {
  const obx = LOINC.map((code, i) => `OBX|${i + 1}|NM|${code}^Test ${i + 1}^LN||${(n % 97) + i + 0.5}|mg/dL|1.0-200.0|N|||F|||20260301101000+0000`);
  return [
    `MSH|^~\\&|LAB|ACME LAB|CAIRN|CLINIC|20260301101500+0000||ORU^R01^ORU_R01|${prefix}${n}|P|2.5.1`,
    `PID|1||${MRN}^^^^MR||Bench^Patient^Q||19700101|F|||1 Main St^^Town^ST^12345`,
    `OBR|1|PL-${prefix}${n}^CAIRN|FI-${prefix}${n}^ACME|24323-8^Comprehensive metabolic panel^LN|||20260301090000+0000|||||||||^Doc^A||||||20260301101000+0000||CH|F`,
    ...obx,
  ].join('\r');
}
