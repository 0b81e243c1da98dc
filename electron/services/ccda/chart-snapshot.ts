import { CairnFailure } from '../../../shared/api/result';
import {
  allergyOf,
  code,
  coded,
  encounterOf,
  immunizationOf,
  medicationOf,
  observationOf,
  problemOf,
  procedureOf,
  smokingOf,
  type StoredRow as Row,
} from '../../../shared/ccda/from-rows';
import { OID, type CcdaExport } from '../../../shared/ccda/model';
import { newId } from '../../common/ids';
import { readClinic } from '../clinic-settings';
import { statementsFor } from '../db/statement-cache';
import type { Repos } from '../repos';
import type { Actor } from '../repos/writer';
import { SMOKING_LOINC } from './ccda-drafts';

/**
 * A CCD of the chart as the writer (shared/ccda) takes it: every section Cairn holds, from the live
 * rows (not deleted, results not superseded). The organisation is the clinic as recorded on this
 * device; the author is the user exporting, with their NPI when they have one.
 */
export function chartToCcda(repos: Repos, patientId: string, actor: Actor, now: Date): CcdaExport {
  const st = statementsFor(repos.store.sqlite);
  const all = (sql: string): Row[] => st.get(sql).all(patientId) as Row[];
  const p = repos.patients.peek(patientId);
  const clinic = readClinic(repos.store.sqlite);
  const user = st.get(`SELECT display_name, npi FROM users WHERE id = ?`).get(actor.userId) as { display_name: string; npi: string | null } | undefined;
  const observations = all(
    `SELECT category, loinc, display, value_num, unit, value_code, value_system, value_text, interpretation, ref_text, effective_at
       FROM observations o WHERE patient_id = ? AND deleted_at IS NULL AND status NOT IN ('entered-in-error', 'cancelled')
       AND NOT EXISTS (SELECT 1 FROM observations n WHERE n.supersedes_id = o.id) ORDER BY effective_at`,
  );
  const vaccines = repos.vaccines();
  return {
    kind: 'ccd',
    documentId: newId(),
    effectiveTime: now.toISOString(),
    patient: {
      ids: [{ root: '2.16.840.1.113883.3.0.cairn.mrn', extension: p.mrn }],
      given: [p.givenName, ...(p.middleName ? [p.middleName] : [])],
      family: p.familyName,
      birthDate: p.birthDate,
      sex: p.sex,
      phone: p.phone,
      email: p.email,
      address:
        p.address.line1 || p.address.city
          ? {
              lines: [p.address.line1, p.address.line2].filter((l): l is string => !!l),
              city: p.address.city ?? null,
              state: p.address.state ?? null,
              postalCode: p.address.postalCode ?? null,
              country: p.address.country ?? null,
            }
          : null,
      race: null,
      ethnicity: null,
      language: p.preferredLanguage ?? null,
      mrn: p.mrn,
    },
    organization: {
      id: repos.store.deviceId,
      name: clinic.name,
      phone: clinic.phone,
      address: clinic.addressLines.length ? { lines: clinic.addressLines, city: null, state: null, postalCode: null, country: null } : null,
    },
    author: { name: user?.display_name ?? 'Cairn user', npi: user?.npi ?? null },
    problems: all(
      `SELECT icd10, snomed, display, clinical_status, onset_date, abatement_date FROM conditions WHERE patient_id = ? AND deleted_at IS NULL ORDER BY onset_date, display`,
    ).map(problemOf),
    allergies: all(
      `SELECT substance_code, substance, substance_type, reactions, severity, status, onset_date FROM allergies WHERE patient_id = ? AND kind = 'allergy' AND deleted_at IS NULL ORDER BY recorded_at`,
    ).map(allergyOf),
    medications: all(
      `SELECT m.rxcui, m.drug_name, m.dose, m.route, m.frequency, m.effective_at, (SELECT max(x.effective_at) FROM medication_events x WHERE x.course_id = m.course_id AND x.event = 'stop' AND x.deleted_at IS NULL) AS stopped_at
         FROM medication_events m WHERE m.patient_id = ? AND m.event = 'start' AND m.deleted_at IS NULL ORDER BY m.effective_at`,
    ).map((r) => medicationOf(r as Row & { stopped_at: string | null })),
    immunizations: all(
      `SELECT cvx, administered_on, lot FROM immunizations WHERE patient_id = ? AND deleted_at IS NULL AND status = 'completed' ORDER BY administered_on`,
    ).map((r) => immunizationOf(r, (cvx) => vaccines.vaccines.get(cvx)?.name ?? `CVX ${cvx}`)),
    results: observations.filter((o) => o['category'] === 'laboratory').map(observationOf),
    vitals: observations.filter((o) => o['category'] === 'vital-signs').map(observationOf),
    smoking: observations.filter((o) => o['loinc'] === SMOKING_LOINC).map(smokingOf),
    encounters: all(
      `SELECT reason, start_at, end_at FROM encounters WHERE patient_id = ? AND deleted_at IS NULL AND start_at IS NOT NULL ORDER BY start_at`,
    ).map((r) => encounterOf(r, clinic.name)),
    procedures: all(
      `SELECT code, code_system, display, performed_start FROM procedures WHERE patient_id = ? AND deleted_at IS NULL ORDER BY performed_start`,
    ).map(procedureOf),
  };
}

/**
 * A Referral Note for a referral: the chart's CCD sections plus why, to whom and how urgently
 * (the referral's reason, specialty, receiving contact and diagnoses, ICD-10-CM).
 */
export function referralNoteFor(repos: Repos, referralId: string, actor: Actor, now: Date): CcdaExport {
  const st = statementsFor(repos.store.sqlite);
  const r = st.get(`SELECT * FROM referrals WHERE id = ? AND deleted_at IS NULL`).get(referralId) as Row | undefined;
  if (!r) throw new CairnFailure('not_found', `no referral with id ${referralId}`);
  const contact = r['contact_id']
    ? (st.get(`SELECT name, organization FROM referral_contacts WHERE id = ?`).get(r['contact_id']) as
        { name: string; organization: string | null } | undefined)
    : undefined;
  const base = chartToCcda(repos, String(r['patient_id']), actor, now);
  const icd = repos.icd10();
  const diagnoses = (JSON.parse(String(r['diagnoses'] ?? '[]')) as string[]).map((c) => {
    const d = icd.get(c)?.description ?? c;
    return coded(code(OID.icd10cm, 'ICD-10-CM', c, d), d);
  });
  return {
    ...base,
    kind: 'referral',
    referral: {
      reason: String(r['reason']),
      specialty: String(r['specialty']),
      urgency: String(r['urgency']),
      to: contact ? [contact.name, contact.organization].filter(Boolean).join(', ') : String(r['specialty']),
      diagnoses,
    },
  };
}
