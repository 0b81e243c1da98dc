import type { z } from 'zod';
import type { paymentInput } from '../../../shared/domain/billing/model';
import { cms1500Pdf } from '../documents/cms1500.pdf';
import { receiptPdf } from '../documents/receipt.pdf';
import { statementPdf } from '../documents/statement.pdf';
import type { HandlerContext, SignedIn } from '../handler-context';
import { claimBill, billingProvider } from './claim-bill';
import { addDays, clinicDate } from '../../../shared/domain/dates';
import { requireSettings } from './batch.service';
import { agingReport } from './reports';

type Pdf = { fileName: string; base64: string };
const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');

/** The PDFs billing prints: the CMS-1500 paper claim, a payment receipt and a patient statement. */
export function billingDocuments({ services, now, session, clinicName, reading, today, clinicZone }: HandlerContext): {
  cms1500: (claimId: string, me: SignedIn) => Promise<Pdf>;
  pay: (i: z.output<typeof paymentInput>, me: SignedIn) => Promise<{ entryId: string; receiptNumber: string; patientBalanceCents: number; receipt: Pdf }>;
  statement: (patientId: string, me: SignedIn) => Promise<Pdf>;
} {
  const b = (): ReturnType<HandlerContext['services']>['billing'] => services().billing;
  const patient = (
    id: string,
  ): { name: string; mrn: string; row: { address_line1: string | null; city: string | null; state: string | null; postal_code: string | null } } => {
    const p = b().rows.get<{
      given_name: string;
      family_name: string;
      mrn: string;
      address_line1: string | null;
      city: string | null;
      state: string | null;
      postal_code: string | null;
    }>('SELECT given_name, family_name, mrn, address_line1, city, state, postal_code FROM patients WHERE id = ?', id)!;
    return { name: `${p.given_name} ${p.family_name}`, mrn: p.mrn, row: p };
  };
  const clinic = (): { name: string; address?: string; phone?: string } => {
    const s = b().settings();
    return { name: s?.billingName ?? clinicName(), ...(s ? { address: `${s.addressLine1}, ${s.city}, ${s.state} ${s.zip.slice(0, 5)}`, phone: s.phone } : {}) };
  };
  return {
    cms1500: async (claimId, me) => {
      const s = requireSettings(b().rows);
      const c = b().claims.row(claimId);
      reading(me, 'billing.cms1500', c.patient_id);
      const bill = claimBill(b().rows, b().claims, b().coverage, c, s);
      const bytes = await cms1500Pdf({
        billing: { ...billingProvider(s), phone: s.phone },
        bill,
        patientAccountNumber: c.claim_number,
        signatureDate: today(),
      });
      return { fileName: `cms1500-${c.claim_number}.pdf`, base64: b64(bytes) };
    },
    pay: async (i, me) => {
      const svc = b();
      const visit = i.encounterId
        ? svc.rows.get<{ provider_id: string | null; start_at: string | null; patient_id: string }>(
            'SELECT provider_id, start_at, patient_id FROM encounters WHERE id = ?',
            i.encounterId,
          )
        : undefined;
      const entryId = svc.rows.writer.write((at) => {
        const id = svc.ledger.post(at, me.actor, {
          patientId: i.patientId,
          kind: 'payment',
          party: 'patient',
          amountCents: -i.amountCents,
          method: i.method,
          reference: i.reference ?? null,
          providerId: visit?.patient_id === i.patientId ? visit.provider_id : null,
          serviceDate: visit?.start_at ? clinicDate(visit.start_at, clinicZone()) : null,
          memo: i.memo ?? (i.encounterId ? 'copay' : null),
        });
        svc.rows.writer.audited(at, 'billing.payment', me.actor, i.patientId, 'ledger_entry', id, `${i.amountCents} cents ${i.method}`);
        return id;
      });
      const balance = svc.ledger.balance(i.patientId).patient;
      const receiptNumber = `R${entryId.replace(/-/g, '').slice(0, 12).toUpperCase()}`;
      const p = patient(i.patientId);
      const bytes = await receiptPdf({
        clinic: clinic(),
        patient: { name: p.name, mrn: p.mrn },
        receiptNumber,
        payment: {
          amountCents: i.amountCents,
          method: i.method,
          ...(i.reference ? { reference: i.reference } : {}),
          receivedAt: now().toISOString(),
          receivedBy: session.requireUser().displayName,
        },
        ...(visit?.start_at ? { visitDate: clinicDate(visit.start_at, clinicZone()) } : {}),
        balanceAfterCents: balance,
      });
      return { entryId, receiptNumber, patientBalanceCents: balance, receipt: { fileName: `receipt-${receiptNumber}.pdf`, base64: b64(bytes) } };
    },
    statement: async (patientId, me) => {
      reading(me, 'billing.statement', patientId);
      const on = today();
      const account = b().ledger.account(patientId);
      const aging = agingReport(b().rows, on, clinicZone()).byPatient.find((r) => r.key === patientId)?.buckets ?? [0, 0, 0, 0, 0];
      const p = patient(patientId);
      const r = p.row;
      const bytes = await statementPdf({
        clinic: clinic(),
        patient: {
          name: p.name,
          mrn: p.mrn,
          ...(r.address_line1 && r.city && r.state && r.postal_code
            ? { address: { line1: r.address_line1, city: r.city, state: r.state, zip: r.postal_code } }
            : {}),
        },
        statementDate: on,
        dueDate: addDays(on, 30),
        entries: account.entries
          .filter((e) => e.party === 'patient' || e.kind === 'charge' || e.kind === 'payment')
          .map((e) => ({ date: (e.serviceDate ?? e.postedAt).slice(0, 10), description: describe(e), amountCents: e.amountCents, party: e.party })),
        aging: { current: aging[0]!, d31_60: aging[1]!, d61_90: aging[2]!, d91_120: aging[3]!, over120: aging[4]! },
        balanceCents: account.patientBalanceCents,
        insurancePendingCents: account.insuranceBalanceCents,
      });
      return { fileName: `statement-${p.mrn}-${on}.pdf`, base64: b64(bytes) };
    },
  };
}

function describe(e: { kind: string; party: string; memo: string | null; method: string | null; adjustment: string | null }): string {
  if (e.kind === 'charge') return `Charge ${e.memo ?? ''}`.trim();
  if (e.kind === 'payment') return e.party === 'insurance' ? 'Insurance payment' : `Payment (${e.method ?? 'received'})`;
  if (e.kind === 'transfer') return e.party === 'patient' ? `Your share after insurance (${e.adjustment ?? 'PR'})` : 'Moved to insurance';
  if (e.kind === 'adjustment') return `Insurance adjustment (${e.adjustment ?? ''})`;
  if (e.kind === 'reversal') return `Correction${e.memo ? `: ${e.memo}` : ''}`;
  return e.kind;
}
