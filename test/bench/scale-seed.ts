/**
 * The scale profile's clinic, written straight into the clinic server's change log (sync_changes)
 * in set-based SQL, a chunk of patients at a time: ten years (Dec 2016 – Nov 2026) of a
 * five-provider practice. Each row carries the device columns the app writes (shared/sync/entities.ts,
 * electron/services/db/schema), so a new device's pull applier takes it as it would take a real
 * clinic's history. One patient in ten is "heavy" (50 visits, 30 lab panels, 8 medications…); the
 * others have 5 visits and 2 panels. Per patient on average: 9.5 encounters, 10.5 appointments,
 * 9.5 signed notes, 66.5 vital signs, 38 lab results, ~4 medication events, 2.4 problems, one allergy
 * record, 5.1 immunizations: ~148 rows, so 50,000 patients are ~7.4 M synced rows.
 */
import type { RunningServer } from '../../electron/server/server';
import type { PatientInput } from '../../shared/domain/patient';
import type { PatientGenerator } from './generate';

/** Patients per SQL chunk: big statements, bounded memory on the server. */
const CHUNK = 2500;
const T0 = "timestamp '2016-12-01 08:00:00'";
const SPAN_DAYS = 3640;

/** A deterministic UUID-shaped id (version 7 nibble, RFC variant) per kind of record and number. */
const uuid = (kind: number, n: string): string => `('0190' || lpad(to_hex(${kind}), 4, '0') || '-0000-7000-8000-' || lpad(to_hex((${n})::bigint), 12, '0'))`;
/** A pseudo-random integer in [0, m) from an integer expression (hashint8 is PostgreSQL's own, also in PGlite). */
const rnd = (x: string, m: number): string => `(((hashint8((${x})::bigint)::bigint + 2147483648) % ${m}))`;
/** An ISO-8601 UTC string as the app stores it. */
const iso = (ts: string): string => `to_char(${ts}, 'YYYY-MM-DD"T"HH24:MI:SS".000Z"')`;
const day = (ts: string): string => `to_char(${ts}, 'YYYY-MM-DD')`;
/** The audited columns every clinical row has. */
const audited = (at: string, by: string): string => `'created_at', ${at}, 'created_by', ${by}, 'updated_at', ${at}, 'updated_by', ${by}`;

export const patientIdSql = (g: string): string => uuid(1, g);
/** The id the SQL gives patient number g (1-based), for the benchmark's own lists. */
export function patientId(g: number): string {
  return `01900001-0000-7000-8000-${g.toString(16).padStart(12, '0')}`;
}

const VITALS = [
  ['8480-6', 'Systolic blood pressure', 'mm[Hg]', 105, 50],
  ['8462-4', 'Diastolic blood pressure', 'mm[Hg]', 62, 30],
  ['8867-4', 'Heart rate', '/min', 58, 40],
  ['9279-1', 'Respiratory rate', '/min', 12, 8],
  ['8310-5', 'Body temperature', 'Cel', 36.2, 1.4],
  ['59408-5', 'Oxygen saturation in Arterial blood by Pulse oximetry', '%', 93, 7],
  ['29463-7', 'Body weight', 'kg', 50, 60],
] as const;

const LABS = [
  ['4548-4', 'Hemoglobin A1c/Hemoglobin.total in Blood', '%', 4.8, 5, 4, 5.6],
  ['2345-7', 'Glucose [Mass/volume] in Serum or Plasma', 'mg/dL', 70, 120, 70, 99],
  ['2160-0', 'Creatinine [Mass/volume] in Serum or Plasma', 'mg/dL', 0.5, 1.2, 0.6, 1.3],
  ['2951-2', 'Sodium [Moles/volume] in Serum or Plasma', 'mmol/L', 131, 14, 136, 145],
  ['2823-3', 'Potassium [Moles/volume] in Serum or Plasma', 'mmol/L', 3.2, 2, 3.5, 5.1],
  ['13457-7', 'Cholesterol in LDL [Mass/volume] in Serum or Plasma by calculation', 'mg/dL', 60, 120, 0, 99],
  ['718-7', 'Hemoglobin [Mass/volume] in Blood', 'g/dL', 10, 7, 12, 17.5],
  ['6690-2', 'Leukocytes [#/volume] in Blood by Automated count', '10*3/uL', 3, 9, 4.5, 11],
] as const;
/** The test a results trend is drawn for: HbA1c, measured at every panel. */
export const TREND_LOINC = '4548-4';

const MEDS = [
  ['314076', 'lisinopril 10 MG Oral Tablet', '10 mg', 'oral', 'once daily'],
  ['860975', 'metformin hydrochloride 500 MG Oral Tablet', '500 mg', 'oral', 'twice daily'],
  ['617312', 'atorvastatin 40 MG Oral Tablet', '40 mg', 'oral', 'once daily'],
  ['197361', 'amlodipine 5 MG Oral Tablet', '5 mg', 'oral', 'once daily'],
  ['966247', 'levothyroxine sodium 0.05 MG Oral Tablet', '50 mcg', 'oral', 'once daily'],
  ['198211', 'simvastatin 40 MG Oral Tablet', '40 mg', 'oral', 'at bedtime'],
  ['310965', 'ibuprofen 200 MG Oral Tablet', '400 mg', 'oral', 'every 6 hours as needed'],
  ['311989', 'nitrofurantoin 100 MG Oral Capsule', '100 mg', 'oral', 'twice daily'],
] as const;

const PROBLEMS = [
  ['I10', 'Essential (primary) hypertension'],
  ['E11.9', 'Type 2 diabetes mellitus without complications'],
  ['E78.5', 'Hyperlipidemia, unspecified'],
  ['J45.909', 'Unspecified asthma, uncomplicated'],
  ['F41.1', 'Generalized anxiety disorder'],
  ['M54.50', 'Low back pain, unspecified'],
  ['K21.9', 'Gastro-esophageal reflux disease without esophagitis'],
  ['E03.9', 'Hypothyroidism, unspecified'],
] as const;

const ALLERGENS = [
  ['Penicillin', 'drug', '7980'],
  ['Sulfamethoxazole', 'drug', '10180'],
  ['Peanut', 'food', null],
  ['Latex', 'environment', null],
] as const;

const VACCINES = ['150', '141', '115', '133', '187', '213', '33', '43'] as const;

/** SQL literal of a JSON array of rows, to join on by index. */
const table = (rows: readonly (readonly (string | number | null)[])[]): string => `'${JSON.stringify(rows).replace(/'/g, "''")}'::jsonb`;
const col = (t: string, i: string, c: number): string => `(${t}->(${i})::int->>${c})`;

export interface Clinic {
  /** User ids of the five physicians (the providers) and the two nurses. */
  physicians: string[];
  nurses: string[];
}

export interface Seeded {
  rows: Record<string, number>;
  total: number;
  head: number;
}

type Query = RunningServer['db']['query'];

/** Appends `sql`'s rows (a SELECT of entity, entity_id, patient_id, fields, ord) to the log after `base`; returns how many. */
async function append(q: Query, base: number, select: string, params: unknown[]): Promise<number> {
  const [r] = await q<{ n: number }>(
    `WITH src AS (${select}),
     ins AS (
       INSERT INTO sync_changes (server_seq, device_id, device_seq, entity, entity_id, patient_id, op, fields, clocks, hlc, author_id)
       SELECT ${base} + row_number() OVER (ORDER BY ord), NULL, NULL, entity, entity_id, patient_id, 'insert', fields, '{}'::jsonb, $1::text, fields->>'created_by'
       FROM src RETURNING 1
     )
     SELECT count(*)::int AS n FROM ins`,
    params,
  );
  return Number(r!.n);
}

/** Patient rows as the device writes them (the columns of patients.repo), from the generator's inputs. */
function patientFields(p: PatientInput, g: number, by: string, at: string): Record<string, string | number | null> {
  const f: Record<string, string | number | null> = {
    id: patientId(g),
    mrn: p.mrn ?? String(1_000_000 + g),
    given_name: p.givenName,
    family_name: p.familyName,
    birth_date: p.birthDate,
    sex: p.sex,
    identifiers: JSON.stringify(p.identifiers ?? []),
    restricted: 0,
    created_at: at,
    created_by: by,
    updated_at: at,
    updated_by: by,
  };
  const opt: Record<string, string | null | undefined> = {
    middle_name: p.middleName,
    preferred_name: p.preferredName,
    gender_identity: p.genderIdentity,
    phone: p.phone,
    phone_digits: p.phone ? p.phone.replace(/\D/g, '') : null,
    email: p.email,
    address_line1: p.address?.line1,
    address_line2: p.address?.line2,
    city: p.address?.city,
    state: p.address?.state,
    postal_code: p.address?.postalCode,
    country: p.address?.country,
    preferred_language: p.preferredLanguage,
    insurance_payer: p.insurance?.payer,
    insurance_member_id: p.insurance?.memberId,
    insurance_group: p.insurance?.groupNumber,
  };
  for (const [k, v] of Object.entries(opt)) if (v !== undefined && v !== null) f[k] = v;
  return f;
}

/**
 * Seeds `patients` charts after the log's current head; returns the rows per entity and the new head.
 * `gen` supplies the demographics (the core benchmark's realistic names, so search sees the same
 * name distribution), `onPatient` receives each one for the benchmark's query lists.
 */
export async function seedClinic(
  server: RunningServer,
  patients: number,
  clinic: Clinic,
  gen: PatientGenerator,
  onPatient: (g: number, p: PatientInput, mrn: string) => void,
  progress: (msg: string) => void,
): Promise<Seeded> {
  const q: Query = (sql, params) => server.db.query(sql, params);
  const hlc = `${String(Date.now()).padStart(15, '0')}.00000.bench`;
  let head = Number((await q<{ n: number }>('SELECT n FROM sync_counter WHERE id = 1'))[0]?.n ?? 0);
  const rows: Record<string, number> = {};
  const add = (entity: string, n: number): void => {
    rows[entity] = (rows[entity] ?? 0) + n;
    head += n;
  };
  const providers = `'${JSON.stringify(clinic.physicians)}'::jsonb`;
  const nurses = `'${JSON.stringify(clinic.nurses)}'::jsonb`;
  const provider = (g: string): string => `(${providers}->>((${g}) % 5)::int)`;
  const nurse = (x: string): string => `(${nurses}->>((${x}) % ${clinic.nurses.length})::int)`;

  for (let lo = 1; lo <= patients; lo += CHUNK) {
    const hi = Math.min(patients, lo + CHUNK - 1);
    // Registered over the decade in order, by the front desk of the patient's provider.
    const people = gen.take(hi - lo + 1).map((p, i) => {
      const g = lo + i;
      const at = new Date(Date.parse('2016-11-01T09:00:00Z') + Math.floor(((g - 1) / patients) * 3000) * 86_400_000).toISOString();
      const fields = patientFields(p, g, clinic.physicians[g % 5]!, at);
      onPatient(g, p, String(fields['mrn']));
      return fields;
    });
    add(
      'patient',
      await append(
        q,
        head,
        `SELECT 'patient' AS entity, f->>'id' AS entity_id, f->>'id' AS patient_id, f AS fields, o AS ord FROM jsonb_array_elements($2::jsonb) WITH ORDINALITY AS t(f, o)`,
        [hlc, JSON.stringify(people)],
      ),
    );

    // Visits: e(g, k, n, at) — heavy charts 50 visits, the rest 5, spread over the decade.
    const visits = `SELECT g, k, g * 64 + k AS n,
        ${T0} + (floor((k + ${rnd('g * 64 + k', 1000)} / 1000.0) * ${SPAN_DAYS} / nv) * interval '1 day') + (${rnd('g * 64 + k + 7', 32)} * interval '15 minutes') AS at
      FROM (SELECT g, CASE WHEN g % 10 = 0 THEN 50 ELSE 5 END AS nv FROM generate_series(${lo}, ${hi}) g) p, generate_series(0, nv - 1) k`;
    const vt = `(ARRAY['office_visit','follow_up','follow_up','telehealth','office_visit'])[1 + k % 5]`;
    add(
      'encounter',
      await append(
        q,
        head,
        `SELECT 'encounter' AS entity, ${uuid(2, 'n')} AS entity_id, ${patientIdSql('g')} AS patient_id, jsonb_build_object(
            'id', ${uuid(2, 'n')}, 'patient_id', ${patientIdSql('g')}, 'visit_type', ${vt}, 'status', 'finished', 'provider_id', ${provider('g')},
            'reason', (ARRAY['Follow-up','Annual exam','Cough','Back pain','Medication review','Blood pressure check'])[1 + n % 6],
            'start_at', ${iso('at')}, 'end_at', ${iso("at + interval '20 minutes'")}, ${audited(iso('at'), provider('g'))}) AS fields, n AS ord
         FROM (${visits}) e`,
        [hlc],
      ),
    );
    // Appointments: one per visit (checked out, with its flow-board times), and a no-show for every tenth.
    add(
      'appointment',
      await append(
        q,
        head,
        `SELECT 'appointment' AS entity, ${uuid(3, 'n * 2 + x')} AS entity_id, ${patientIdSql('g')} AS patient_id,
           jsonb_build_object('id', ${uuid(3, 'n * 2 + x')}, 'patient_id', ${patientIdSql('g')}, 'provider_id', ${provider('g')}, 'room', 'Room ' || (1 + n % 6),
             'appointment_type', (ARRAY['follow-up','annual-physical','new-patient','telehealth','acute'])[1 + k % 5],
             'start_at', ${iso("at + x * interval '9 days'")}, 'end_at', ${iso("at + x * interval '9 days' + interval '20 minutes'")},
             'status', CASE WHEN x = 0 THEN 'checked_out' ELSE 'no_show' END, 'reason', 'Visit',
             'encounter_id', CASE WHEN x = 0 THEN ${uuid(2, 'n')} END,
             'arrived_at', CASE WHEN x = 0 THEN ${iso("at - interval '10 minutes'")} END, 'checked_in_at', CASE WHEN x = 0 THEN ${iso("at - interval '8 minutes'")} END,
             'roomed_at', CASE WHEN x = 0 THEN ${iso('at')} END, 'with_provider_at', CASE WHEN x = 0 THEN ${iso("at + interval '5 minutes'")} END,
             'checked_out_at', CASE WHEN x = 0 THEN ${iso("at + interval '25 minutes'")} END,
             ${audited(iso("at - interval '14 days'"), provider('g'))}) AS fields, n * 2 + x AS ord
         FROM (${visits}) e, generate_series(0, CASE WHEN n % 10 = 9 THEN 1 ELSE 0 END) x`,
        [hlc],
      ),
    );
    // A signed SOAP note per visit (the primary-care template's sections).
    add(
      'note',
      await append(
        q,
        head,
        `SELECT 'note' AS entity, ${uuid(4, 'n')} AS entity_id, ${patientIdSql('g')} AS patient_id,
           jsonb_build_object('id', ${uuid(4, 'n')}, 'patient_id', ${patientIdSql('g')}, 'encounter_id', ${uuid(2, 'n')}, 'status', 'signed', 'kind', 'note',
             'template_id', 'primary-care-soap', 'title', 'Primary care visit (SOAP)', 'content', c, 'author_id', ${provider('g')},
             'signed_at', ${iso("at + interval '40 minutes'")}, 'signed_by', ${provider('g')}, 'content_hash', encode(sha256(convert_to(c, 'UTF8')), 'hex'),
             ${audited(iso('at'), provider('g'))}) AS fields, n AS ord
         FROM (SELECT *, jsonb_build_object(
             'chief-complaint', 'Follow-up visit ' || k,
             'hpi', 'Synthetic history: ' || (ARRAY['doing well, no new complaints.','intermittent cough for 5 days, no fever.','low back pain after lifting, no red flags.','here to review labs and medications.'])[1 + n % 4],
             'ros', jsonb_build_object('allOthersNegative', true, 'systems', jsonb_build_object('cardiovascular', jsonb_build_object('status', 'negative'))),
             'impression', 'Stable chronic conditions', 'plan', 'Continue current plan; labs before next visit; return in ' || (1 + n % 6) || ' months.')::text AS c
           FROM (${visits}) v) e`,
        [hlc],
      ),
    );
    // Vital signs: seven per visit, one set.
    const vit = table(VITALS);
    add(
      'observation',
      await append(
        q,
        head,
        `SELECT 'observation' AS entity, ${uuid(5, 'n * 8 + j')} AS entity_id, ${patientIdSql('g')} AS patient_id,
           jsonb_build_object('id', ${uuid(5, 'n * 8 + j')}, 'patient_id', ${patientIdSql('g')}, 'encounter_id', ${uuid(2, 'n')}, 'category', 'vital-signs',
             'loinc', ${col(vit, 'j', 0)}, 'display', ${col(vit, 'j', 1)}, 'unit', ${col(vit, 'j', 2)},
             'value_num', round((${col(vit, 'j', 3)}::numeric + ${rnd('n * 8 + j', 1000)} / 1000.0 * ${col(vit, 'j', 4)}::numeric), 1)::float8,
             'status', 'final', 'effective_at', ${iso("at + interval '3 minutes'")}, 'set_id', ${uuid(12, 'n')},
             ${audited(iso("at + interval '3 minutes'"), nurse('n'))}) AS fields, n * 8 + j AS ord
         FROM (${visits}) e, generate_series(0, ${VITALS.length - 1}) j`,
        [hlc],
      ),
    );
    // Lab results: panels of eight analytes (heavy charts 30 panels, the rest 2), each with its
    // reference range, flag and the lab's order and filler numbers.
    const lab = table(LABS);
    add(
      'observation',
      await append(
        q,
        head,
        `SELECT 'observation' AS entity, ${uuid(6, 'pn * 8 + j')} AS entity_id, ${patientIdSql('g')} AS patient_id,
           jsonb_build_object('id', ${uuid(6, 'pn * 8 + j')}, 'patient_id', ${patientIdSql('g')}, 'category', 'laboratory',
             'loinc', ${col(lab, 'j', 0)}, 'display', ${col(lab, 'j', 1)}, 'unit', ${col(lab, 'j', 2)}, 'value_num', v,
             'ref_low', ${col(lab, 'j', 5)}::float8, 'ref_high', ${col(lab, 'j', 6)}::float8,
             'interpretation', CASE WHEN v > ${col(lab, 'j', 6)}::float8 THEN 'H' WHEN v < ${col(lab, 'j', 5)}::float8 THEN 'L' ELSE 'N' END,
             'status', 'final', 'effective_at', ${iso('at')}, 'lab_filler_number', 'F' || pn, 'lab_placer_number', 'P' || pn,
             'lab_result_key', 'F' || pn || '|' || ${col(lab, 'j', 0)} || '|', 'lab_order_code', '24323-8', 'lab_order_display', 'Comprehensive metabolic and lipid panel',
             'lab_value_type', 'NM', ${audited(iso("at + interval '6 hours'"), provider('g'))}) AS fields, pn * 8 + j AS ord
         FROM (SELECT g, pn, at, j, round((${col(lab, 'j', 3)}::numeric + ${rnd('pn * 8 + j', 1000)} / 1000.0 * ${col(lab, 'j', 4)}::numeric), 1)::float8 AS v
               FROM (SELECT g, g * 64 + p AS pn,
                       ${T0} + (floor((p + 0.5) * ${SPAN_DAYS} / np) * interval '1 day') + interval '2 hours' AS at
                     FROM (SELECT g, CASE WHEN g % 10 = 0 THEN 30 ELSE 2 END AS np FROM generate_series(${lo}, ${hi}) g) pp, generate_series(0, np - 1) p) panels,
                    generate_series(0, ${LABS.length - 1}) j) r`,
        [hlc],
      ),
    );
    // Medications: courses started at a visit; every other course stopped a year later.
    const med = table(MEDS);
    add(
      'medication_event',
      await append(
        q,
        head,
        `SELECT 'medication_event' AS entity, ${uuid(7, 'cn * 2 + ev')} AS entity_id, ${patientIdSql('g')} AS patient_id,
           jsonb_build_object('id', ${uuid(7, 'cn * 2 + ev')}, 'patient_id', ${patientIdSql('g')}, 'course_id', ${uuid(8, 'cn')},
             'event', CASE WHEN ev = 0 THEN 'start' ELSE 'stop' END, 'rxcui', ${col(med, 'm', 0)}, 'drug_name', ${col(med, 'm', 1)},
             'dose', ${col(med, 'm', 2)}, 'route', ${col(med, 'm', 3)}, 'frequency', ${col(med, 'm', 4)}, 'source', 'prescribed',
             'reason', CASE WHEN ev = 1 THEN 'Course completed' END, 'effective_at', ${iso("at + ev * interval '365 days'")},
             ${audited(iso("at + ev * interval '365 days'"), provider('g'))}) AS fields, cn * 2 + ev AS ord
         FROM (SELECT g, g * 16 + c AS cn, (g + c) % ${MEDS.length} AS m, c,
                 ${T0} + (floor((c + 0.3) * 3000 / nc) * interval '1 day') AS at
               FROM (SELECT g, CASE WHEN g % 10 = 0 THEN 8 ELSE 2 END AS nc FROM generate_series(${lo}, ${hi}) g) p, generate_series(0, nc - 1) c) co,
              generate_series(0, CASE WHEN c % 2 = 1 THEN 1 ELSE 0 END) ev`,
        [hlc],
      ),
    );
    // Problems: heavy charts 6, the rest 2, chosen per chart.
    const prob = table(PROBLEMS);
    add(
      'condition',
      await append(
        q,
        head,
        `SELECT 'condition' AS entity, ${uuid(9, 'g * 16 + c')} AS entity_id, ${patientIdSql('g')} AS patient_id,
           jsonb_build_object('id', ${uuid(9, 'g * 16 + c')}, 'patient_id', ${patientIdSql('g')}, 'icd10', ${col(prob, 'pr', 0)}, 'display', ${col(prob, 'pr', 1)},
             'clinical_status', CASE WHEN c = 5 THEN 'resolved' ELSE 'active' END, 'onset_date', ${day(`${T0} + (c * 400 + g % 300) * interval '1 day'`)},
             'chronic', CASE WHEN pr < 3 THEN 1 ELSE 0 END, ${audited(iso(`${T0} + (c * 400 + g % 300) * interval '1 day'`), provider('g'))}) AS fields, g * 16 + c AS ord
         FROM (SELECT g, c, (${rnd('g', 8)} + c * 3) % ${PROBLEMS.length} AS pr
               FROM (SELECT g, CASE WHEN g % 10 = 0 THEN 6 ELSE 2 END AS nc FROM generate_series(${lo}, ${hi}) g) p, generate_series(0, nc - 1) c) x`,
        [hlc],
      ),
    );
    // Allergies: seven in ten "no known allergies" (a reviewed fact), the rest one allergy.
    const alg = table(ALLERGENS);
    add(
      'allergy',
      await append(
        q,
        head,
        `SELECT 'allergy' AS entity, ${uuid(10, 'g')} AS entity_id, ${patientIdSql('g')} AS patient_id,
           jsonb_build_object('id', ${uuid(10, 'g')}, 'patient_id', ${patientIdSql('g')}, 'kind', CASE WHEN a < 0 THEN 'nka' ELSE 'allergy' END,
             'substance', CASE WHEN a >= 0 THEN ${col(alg, 'greatest(a, 0)', 0)} END, 'substance_type', CASE WHEN a >= 0 THEN ${col(alg, 'greatest(a, 0)', 1)} END,
             'substance_code', CASE WHEN a >= 0 THEN ${col(alg, 'greatest(a, 0)', 2)} END,
             'reactions', CASE WHEN a >= 0 THEN '["hives"]' ELSE '[]' END, 'criticality', CASE WHEN a >= 0 THEN 'high' ELSE 'unable_to_assess' END,
             'status', 'active', 'recorded_at', ${iso(`${T0} + (g % 400) * interval '1 day'`)}, ${audited(iso(`${T0} + (g % 400) * interval '1 day'`), provider('g'))}) AS fields, g AS ord
         FROM (SELECT g, CASE WHEN ${rnd('g + 3', 10)} < 7 THEN -1 ELSE ${rnd('g + 5', ALLERGENS.length)} END AS a FROM generate_series(${lo}, ${hi}) g) x`,
        [hlc],
      ),
    );
    // Immunizations: a flu shot most autumns for heavy charts, a few for the rest.
    add(
      'immunization',
      await append(
        q,
        head,
        `SELECT 'immunization' AS entity, ${uuid(11, 'g * 16 + i')} AS entity_id, ${patientIdSql('g')} AS patient_id,
           jsonb_build_object('id', ${uuid(11, 'g * 16 + i')}, 'patient_id', ${patientIdSql('g')},
             'cvx', CASE WHEN i < 10 THEN (ARRAY['150','141'])[1 + i % 2] ELSE (ARRAY[${VACCINES.map((v) => `'${v}'`).join(',')}])[1 + i % ${VACCINES.length}] END,
             'administered_on', ${day(`${T0} + (i * ${SPAN_DAYS} / ni + g % 30) * interval '1 day'`)},
             'status', 'completed', 'source', 'administered', 'lot', 'L' || (1000 + i), 'site', 'LA', 'route', 'IM',
             ${audited(iso(`${T0} + (i * ${SPAN_DAYS} / ni + g % 30) * interval '1 day'`), nurse('g'))}) AS fields, g * 16 + i AS ord
         FROM (SELECT g, CASE WHEN g % 10 = 0 THEN 15 ELSE 4 END AS ni FROM generate_series(${lo}, ${hi}) g) p, generate_series(0, ni - 1) i`,
        [hlc],
      ),
    );
    if (Math.floor(hi / CHUNK) % 4 === 0 || hi === patients)
      progress(`scale: ${hi.toLocaleString('en-US')} / ${patients.toLocaleString('en-US')} charts in the change log (${head.toLocaleString('en-US')} changes)`);
  }
  await q('UPDATE sync_counter SET n = $1 WHERE id = 1', [head]);
  return { rows, total: Object.values(rows).reduce((a, b) => a + b, 0), head };
}
