import type { Encounter, Patient, Practitioner } from '@medplum/fhirtypes';
import { CLINICAL_ROLES, SYSTEMS, type Row } from './systems';
import { clean, fhirDate, fhirDateTime, meta, own, parseJson, ref, str, subject, text } from './values';

// Patient, Practitioner (clinical users) and Encounter.

/** A patient row as a Patient. */
export function patient(row: Row): Patient {
  const given = [str(row['given_name']), str(row['middle_name'])].filter((g): g is string => Boolean(g));
  const ids = parseJson(row['identifiers']);
  const extra = Array.isArray(ids)
    ? ids
        .filter(
          (i): i is { system: string; value: string; type?: string } =>
            typeof (i as { system?: unknown })?.system === 'string' && typeof (i as { value?: unknown })?.value === 'string',
        )
        .map((i) => clean({ system: i.system, value: i.value, type: text(i.type ?? undefined) }))
    : [];
  const identifiers = [
    ...(str(row['mrn'])
      ? [
          {
            use: 'usual' as const,
            type: { coding: [{ system: SYSTEMS.identifierType, code: 'MR', display: 'Medical record number' }] },
            system: SYSTEMS.mrn,
            value: str(row['mrn'])!,
          },
        ]
      : []),
    ...extra,
  ];
  const telecom = [
    str(row['phone']) ? { system: 'phone' as const, value: str(row['phone'])!, use: 'home' as const } : null,
    str(row['email']) ? { system: 'email' as const, value: str(row['email'])! } : null,
  ].filter((t) => t !== null);
  const lines = [str(row['address_line1']), str(row['address_line2'])].filter((l): l is string => Boolean(l));
  const hasAddress = lines.length > 0 || ['city', 'state', 'postal_code', 'country'].some((c) => str(row[c]));
  const mergedInto = str(row['merged_into']);
  const preferred = str(row['preferred_name']);
  const sex = str(row['sex']);
  return clean<Patient>({
    resourceType: 'Patient',
    id: String(row['id']),
    ...meta(row),
    identifier: identifiers.length > 0 ? identifiers : undefined,
    active: !mergedInto,
    name: [
      clean({ use: 'official' as const, family: str(row['family_name']), given: given.length > 0 ? given : undefined }),
      ...(preferred ? [{ use: 'usual' as const, given: [preferred] }] : []),
    ],
    telecom: telecom.length > 0 ? telecom : undefined,
    gender: sex === 'female' || sex === 'male' || sex === 'other' ? sex : 'unknown',
    birthDate: fhirDate(row['birth_date']),
    deceasedDateTime: fhirDateTime(row['deceased_on']),
    address: hasAddress
      ? [
          clean({
            line: lines.length > 0 ? lines : undefined,
            city: str(row['city']),
            state: str(row['state']),
            postalCode: str(row['postal_code']),
            country: str(row['country']),
          }),
        ]
      : undefined,
    communication: str(row['preferred_language']) ? [{ language: { text: str(row['preferred_language'])! }, preferred: true }] : undefined,
    link: mergedInto ? [{ other: { reference: `Patient/${mergedInto}` }, type: 'replaced-by' }] : undefined,
  });
}

/** A user row as a Practitioner; null for a user who is not a clinician. */
export function practitioner(row: Row): Practitioner | null {
  if (!CLINICAL_ROLES.includes(String(row['role']))) return null;
  const name = str(row['display_name']);
  return clean<Practitioner>({
    resourceType: 'Practitioner',
    id: String(row['id']),
    ...meta(row),
    identifier: str(row['username']) ? [{ system: SYSTEMS.username, value: str(row['username'])! }] : undefined,
    active: !Number(row['disabled'] ?? 0),
    name: name ? [{ text: name }] : undefined,
    qualification: [{ code: { text: String(row['role']) } }],
  });
}

const ENCOUNTER_STATUS: Record<string, Encounter['status']> = {
  planned: 'planned',
  checked_in: 'arrived',
  in_progress: 'in-progress',
  finished: 'finished',
  cancelled: 'cancelled',
};

/** An encounter row as an Encounter. */
export function encounter(row: Row): Encounter {
  const visit = str(row['visit_type']);
  const virtual = visit === 'telehealth' || visit === 'phone';
  const start = fhirDateTime(row['start_at']);
  const end = fhirDateTime(row['end_at']);
  const provider = ref('Practitioner', row['provider_id']);
  return clean<Encounter>({
    resourceType: 'Encounter',
    id: String(row['id']),
    ...meta(row),
    status: own(ENCOUNTER_STATUS, String(row['status'])) ?? 'unknown',
    class: { system: SYSTEMS.actCode, code: virtual ? 'VR' : 'AMB', display: virtual ? 'virtual' : 'ambulatory' },
    type: visit ? [{ text: visit.replace(/_/g, ' ') }] : undefined,
    ...subject(row),
    participant: provider ? [{ individual: provider }] : undefined,
    period: start || end ? clean({ start, end }) : undefined,
    reasonCode: str(row['reason']) ? [{ text: str(row['reason'])! }] : undefined,
  });
}
