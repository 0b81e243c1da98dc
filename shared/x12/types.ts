/**
 * The plain data Cairn's X12 builders take and its readers return. Money is integer cents
 * everywhere (X12 writes dollars with two decimals; the builders and readers convert).
 */

/** A problem in an X12 file, naming the segment (and its position) so a biller can find it. */
export interface X12Problem {
  code: 'truncated' | 'envelope' | 'count' | 'syntax' | 'unsupported' | 'content';
  /** E.g. "SE segment 14: says 12 segments, the transaction has 13". */
  message: string;
  /** 1-based position of the segment in the file, when there is one. */
  segmentIndex?: number;
  segmentId?: string;
}

export type X12Result<T> = { ok: true; value: T } | { ok: false; error: X12Problem };

/** Who sends and receives the interchange (ISA/GS). */
export interface X12Parties {
  senderId: string;
  receiverId: string;
  /** ISA05/ISA07 qualifier, "ZZ" unless the clearinghouse says otherwise. */
  senderQualifier?: string;
  receiverQualifier?: string;
  /** 'P' production or 'T' test (ISA15). */
  usage: 'P' | 'T';
}

export interface X12Envelope {
  /** ISA13 interchange control number, 1..999999999, never reused. */
  interchangeControl: number;
  /** GS06 group control number. */
  groupControl: number;
  /** When the batch is made (ISA09/ISA10, GS04/GS05, BHT04/BHT05). */
  createdAt: Date;
}

export interface X12Address {
  line1: string;
  line2?: string;
  city: string;
  state: string;
  zip: string;
}

export interface X12Person {
  lastName: string;
  firstName?: string;
  middleName?: string;
}

/** A provider or facility with an NPI (2010AA billing, 2310B rendering, 2310A referring, 2310C facility). */
export interface X12Provider {
  /** Organisation name, or a person's last name when `person` is set. */
  name: string;
  person?: X12Person;
  npi: string;
  taxonomy?: string;
  address?: X12Address;
  /** EIN (REF*EI) for the billing provider. */
  taxId?: string;
}

export interface X12Subscriber {
  memberId: string;
  groupNumber?: string;
  /** SBR09 claim filing indicator: MB Medicare B, MC Medicaid, CI commercial, BL BCBS, HM HMO, 12 PPO … */
  filingIndicator: string;
  person: X12Person;
  birthDate: string; // YYYY-MM-DD
  sex: 'F' | 'M' | 'U';
  address?: X12Address;
  /** Relationship of the patient to the subscriber (SBR02 when self = "18", PAT01 otherwise: 01 spouse, 19 child, G8 other). */
  relationship: '18' | '01' | '19' | '20' | '21' | '39' | '40' | '53' | 'G8';
}

export interface X12Payer {
  name: string;
  payerId: string;
  address?: X12Address;
}

/** What the primary payer did with a claim (from its 835): 2320/2330B/2430 on a secondary claim. */
export interface X12PriorPayment {
  payer: X12Payer;
  filingIndicator: string;
  /** The primary subscriber (2330A). */
  subscriber: { memberId: string; person: X12Person };
  /** 2320 SBR02: the patient's relationship to that subscriber; default: the claim subscriber's relationship. */
  relationship?: X12Subscriber['relationship'];
  /** 2320 SBR03: that coverage's group number, when it has one. */
  groupNumber?: string;
  paidCents: number;
  /** Claim-level adjustments (CAS in 2320). */
  adjustments: X12Adjustment[];
  /** Per service line, in the same order as the claim's lines (SVD/CAS/DTP*573 in 2430). */
  lines?: { lineNumber: number; procedureCode: string; paidCents: number; units: number; adjustments: X12Adjustment[]; paidDate: string }[];
  paidDate: string; // YYYY-MM-DD
}

export interface X12Adjustment {
  group: 'CO' | 'PR' | 'OA' | 'PI' | 'CR';
  /** CARC code, e.g. "45". */
  reason: string;
  amountCents: number;
  quantity?: number;
}

export interface X12ServiceLine {
  /** HC procedure code: CPT/HCPCS. */
  procedureCode: string;
  modifiers: string[]; // up to 4
  chargeCents: number;
  units: number;
  /** 1..4 pointers into the claim's diagnoses (1-based). */
  diagnosisPointers: number[];
  serviceDate: string; // YYYY-MM-DD
  placeOfService?: string;
  /** Billed drug: LIN*N4 and CTP quantity/unit (UN, ML, GR, F2, ME). */
  ndc?: { code: string; quantity: number; unit: 'UN' | 'ML' | 'GR' | 'F2' | 'ME' };
}

export interface X12Claim {
  /** CLM01 patient control number: Cairn's claim number, echoed back in CLP01 of the 835. */
  patientControlNumber: string;
  totalChargeCents: number;
  /** CLM05-1 place of service (11 office, 02/10 telehealth). */
  placeOfService: string;
  /** CLM05-3: 1 original, 7 replacement, 8 void. */
  frequency: '1' | '7' | '8';
  /** REF*F8 payer claim control number: required for 7 and 8. */
  payerClaimNumber?: string;
  /** CLM06 provider signature on file. */
  providerSignature: boolean;
  /** CLM07 assignment/plan participation: A assigned, B lab services only, C not assigned. */
  assignment: 'A' | 'B' | 'C';
  /** CLM08 benefits assignment certification: Y, N, W. */
  benefitsAssigned: 'Y' | 'N' | 'W';
  /** CLM09 release of information: Y or I. */
  releaseOfInformation: 'Y' | 'I';
  /** ICD-10-CM, no dots, first is principal (ABK then ABF). Up to 12. */
  diagnoses: string[];
  rendering?: X12Provider;
  referring?: X12Provider;
  /** 2310C: only when it differs from the billing provider's address. */
  serviceFacility?: X12Provider;
  priorPayments?: X12PriorPayment[];
  lines: X12ServiceLine[];
}

/** One claim bill: subscriber, optional patient (when not the subscriber), payer, claim. */
export interface X12ClaimBill {
  payer: X12Payer;
  /** SBR01: P primary, S secondary, T tertiary. */
  payerResponsibility: 'P' | 'S' | 'T';
  subscriber: X12Subscriber;
  /** When the patient is not the subscriber (2000C/2010CA). */
  patient?: { person: X12Person; birthDate: string; sex: 'F' | 'M' | 'U'; address?: X12Address };
  claim: X12Claim;
}

export interface X12ClaimBatch {
  parties: X12Parties;
  envelope: X12Envelope;
  submitter: { name: string; id: string; contactName: string; phone: string };
  receiver: { name: string; id: string };
  billing: X12Provider & { address: X12Address; taxId: string };
  bills: X12ClaimBill[];
}

export interface X12EligibilityInquiry {
  parties: X12Parties;
  envelope: X12Envelope;
  /** BHT03 reference, echoed in the 271. */
  reference: string;
  payer: X12Payer;
  provider: X12Provider;
  subscriber: { memberId: string; person: X12Person; birthDate: string; sex?: 'F' | 'M' | 'U'; groupNumber?: string };
  /** When the patient is a dependent (2100D). */
  dependent?: { person: X12Person; birthDate: string; sex?: 'F' | 'M' | 'U'; relationship: string };
  serviceDate: string;
  /** EQ01 service type codes, default ["30"] (health benefit plan coverage). */
  serviceTypes?: string[];
}

/** Common to every parsed transaction. */
export interface X12Header {
  transaction: '835' | '271' | '999' | '277' | '837' | '270' | '276';
  interchangeControl: string;
  groupControl: string;
  transactionControl: string;
  senderId: string;
  receiverId: string;
}

export interface Remittance835 extends X12Header {
  transaction: '835';
  /** BPR02 total actual provider payment. */
  paymentCents: number;
  /** BPR04: ACH, CHK, NON … */
  method: string;
  /** TRN02 check or EFT trace number. */
  traceNumber: string;
  paymentDate: string; // BPR16, YYYY-MM-DD
  payer: { name: string; id?: string };
  payee: { name: string; npi?: string };
  claims: RemittanceClaim[];
  /** Provider-level adjustments (PLB): positive reduces the payment. */
  providerAdjustments: { reason: string; reference?: string; amountCents: number }[];
  /** What the reader read in a lenient way (e.g. a BPR16 that is not a date), one sentence each naming the segment. */
  warnings?: string[];
}

export interface RemittanceClaim {
  /** CLP01: Cairn's patient control number. */
  patientControlNumber: string;
  /** CLP02: 1 processed as primary, 2 secondary, 3 tertiary, 4 denied, 19/20/21 forwarded, 22 reversal. */
  status: string;
  chargeCents: number;
  paidCents: number;
  patientResponsibilityCents: number;
  /** CLP07 payer claim control number. */
  payerClaimNumber: string;
  adjustments: X12Adjustment[];
  /** MIA/MOA remark codes and LQ*HE remarks. */
  remarks: string[];
  patientName?: X12Person;
  lines: RemittanceLine[];
}

export interface RemittanceLine {
  procedureCode: string;
  modifiers: string[];
  chargeCents: number;
  paidCents: number;
  units: number;
  serviceDate?: string;
  adjustments: X12Adjustment[];
  remarks: string[];
}

export interface Benefit271 {
  /** EB01: 1 active, 6 inactive, A co-insurance, B co-payment, C deductible, G out of pocket … */
  info: string;
  coverageLevel?: string;
  serviceTypes: string[];
  insuranceType?: string;
  planDescription?: string;
  /** EB06 time period: 23 calendar year, 29 remaining … */
  period?: string;
  amountCents?: number;
  percent?: number;
  inNetwork?: 'Y' | 'N' | 'W';
  messages: string[];
}

export interface Eligibility271 extends X12Header {
  transaction: '271';
  reference?: string;
  payer: { name: string; id?: string };
  subscriber: { memberId?: string; person?: X12Person; groupNumber?: string; planName?: string };
  /** AAA rejections (e.g. 72 invalid member id) with their follow-up action. */
  rejections: { code: string; followUp?: string }[];
  benefits: Benefit271[];
  /** Summary computed from the benefits (in-network, individual where stated). */
  summary: {
    active: boolean | null;
    planName?: string;
    copayCents?: number;
    coinsurancePercent?: number;
    deductibleCents?: number;
    deductibleRemainingCents?: number;
  };
}

export interface Ack999 extends X12Header {
  transaction: '999';
  /** AK1: the functional group acknowledged (its GS06 group control number). */
  acknowledgedGroup?: string;
  /** Per acknowledged transaction set (AK2/IK5). */
  sets: {
    transaction: string;
    control: string;
    accepted: boolean;
    /** IK5 / AK9 code: A, E, R, … */
    code: string;
    errors: { segmentId?: string; position?: number; element?: number; code: string; message: string }[];
  }[];
  /** AK9: A accepted, E accepted with errors, P partially, R rejected. */
  groupCode: string;
}

export interface ClaimStatus277 extends X12Header {
  transaction: '277';
  claims: {
    patientControlNumber?: string;
    payerClaimNumber?: string;
    /** STC01-1 category: A1/A2 acknowledged/accepted, A3/A4/A6/A7 rejected, F1 finalized paid, F2 denied, P pending … */
    category: string;
    statusCode: string;
    chargeCents?: number;
    paidCents?: number;
    date?: string;
    message?: string;
  }[];
}

export type ParsedX12 = Remittance835 | Eligibility271 | Ack999 | ClaimStatus277;
