import { displayName } from '../../../shared/domain/patient';
import { clinicAddressLine } from '../../../shared/domain/prescriber';
import { readClinic } from '../clinic-settings';
import { referralLetterPdf } from '../documents/referral-letter.pdf';
import type { Repos } from '../repos';
import type { ReferralsRepo } from './referrals.repo';

/** Gathers a referral, its patient's active problems, medications and allergies and the referring physician into the letter PDF. */
export async function referralLetterFor(repos: Repos, referrals: ReferralsRepo, id: string, now: Date): Promise<{ fileName: string; base64: string }> {
  const r = referrals.get(id);
  const p = repos.patients.peek(r.patientId);
  const clinic = readClinic(repos.store.sqlite);
  const allergies = repos.allergies.list(r.patientId).filter((a) => a.status === 'active');
  const bytes = await referralLetterPdf({
    clinicName: clinic.name,
    clinicAddress: clinicAddressLine(clinic),
    to: {
      name: r.contact?.name ?? null,
      organization: r.contact?.organization ?? null,
      specialty: r.specialty,
      phone: r.contact?.phone ?? null,
      fax: r.contact?.fax ?? null,
      address: r.contact?.address ?? null,
    },
    patient: { name: displayName(p), birthDate: p.birthDate, sex: p.sex, mrn: p.mrn, phone: p.phone ?? null },
    urgency: r.urgency,
    reason: r.reason,
    diagnoses: r.diagnoses,
    problems: repos.problems
      .list(r.patientId)
      .filter((x) => x.status === 'active')
      .map((x) => `${x.icd10} ${x.display}`),
    medications: repos.medications.active(r.patientId).map((m) => [m.drugName, m.dose, m.route, m.frequency].filter(Boolean).join(' ')),
    allergies: allergies.map((a) =>
      a.kind === 'nka' ? 'No known allergies' : [a.substance, a.reactions.length ? `(${a.reactions.join(', ')})` : null, a.severity].filter(Boolean).join(' '),
    ),
    referring: { name: r.orderedByName ?? 'unknown', npi: r.orderedBy ? repos.users.prescriberIds(r.orderedBy).npi : null },
    sentAt: r.sentAt,
    replyDue: r.replyDue,
    referralId: r.id,
    printedAt: now.toISOString(),
  });
  const who = (r.contact?.name ?? r.specialty).replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '');
  return { fileName: `referral-${p.mrn}-${who}.pdf`, base64: Buffer.from(bytes).toString('base64') };
}
