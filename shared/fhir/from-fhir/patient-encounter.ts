import type { Encounter, Patient } from '@medplum/fhirtypes';
import { isIsoDate } from '../../domain/dates';
import type { Draft, Issues, MapContext } from './context';
import { coding, dateOnly, ref, textOf, when } from './readers';

// Patient and Encounter mappers.

// ---------------------------------------------------------------- Patient

/** The identifier system Cairn exports its MRNs under (see to-fhir.ts). */
export const CAIRN_MRN_SYSTEM = 'urn:cairn:mrn';

const ADMIN_SEX = new Set(['female', 'male', 'other', 'unknown']);

/** Patient → patient row. */
export function mapPatient(p: Patient, issues: Issues): Draft[] {
  const names = p.name ?? [];
  const name = names.find((n) => n.use === 'official') ?? names.find((n) => n.use !== 'nickname' && n.use !== 'old') ?? names[0];
  const i = names.indexOf(name!);
  const given = name?.given ?? [];
  if (!name?.family?.trim()) issues.add(`name[${Math.max(i, 0)}].family`, 'the patient has no family name');
  if (!given[0]?.trim()) issues.add(`name[${Math.max(i, 0)}].given`, 'the patient has no given name');
  const nickname = names.find((n) => n !== name && (n.use === 'nickname' || n.use === 'usual'))?.given?.[0] ?? null;
  if (!p.birthDate) issues.add('birthDate', 'the patient has no birth date');
  else if (!isIsoDate(p.birthDate)) issues.add('birthDate', `birth date "${p.birthDate}" is not a full calendar date (YYYY-MM-DD)`);
  if (p.gender !== undefined && !ADMIN_SEX.has(p.gender)) issues.add('gender', `gender "${String(p.gender)}" is not one of female, male, other, unknown`);
  const phones = (p.telecom ?? []).filter((t) => t.system === 'phone' && t.value);
  const phone = (phones.find((t) => t.use === 'mobile') ?? phones.find((t) => t.use === 'home') ?? phones[0])?.value ?? null;
  const email = (p.telecom ?? []).find((t) => t.system === 'email' && t.value)?.value ?? null;
  const address = (p.address ?? []).find((a) => a.use === 'home') ?? p.address?.[0];
  // A Cairn MRN (from another Cairn's export) is offered back as the MRN; other identifiers are kept as they are.
  const cairnMrn = p.identifier?.find((id) => id.system === CAIRN_MRN_SYSTEM && id.value && /^[A-Za-z0-9-]{1,30}$/.test(id.value))?.value ?? null;
  const identifiers = (p.identifier ?? [])
    .filter((id) => id.system && id.value && id.system !== CAIRN_MRN_SYSTEM)
    .slice(0, 20)
    .map((id) => {
      const type = coding(id.type)?.code ?? id.type?.text;
      return { system: id.system!, value: id.value!.slice(0, 100), ...(type && { type: type.slice(0, 40) }) };
    });
  const language = p.communication?.find((c) => c.preferred) ?? p.communication?.[0];
  return [
    {
      entity: 'patient',
      table: 'patients',
      key: '',
      row: {
        given_name: given[0]?.trim() ?? '',
        middle_name: given.length > 1 ? given.slice(1).join(' ') : null,
        family_name: name?.family?.trim() ?? '',
        preferred_name: nickname,
        birth_date: p.birthDate ?? '',
        sex: p.gender ?? 'unknown',
        phone,
        phone_digits: phone ? phone.replace(/\D/g, '') : null,
        email,
        address_line1: address?.line?.[0] ?? null,
        address_line2: address?.line && address.line.length > 1 ? address.line.slice(1).join(', ') : null,
        city: address?.city ?? null,
        state: address?.state ?? null,
        postal_code: address?.postalCode ?? null,
        country: address?.country ?? null,
        preferred_language: language ? textOf(language.language) : null,
        identifiers: JSON.stringify(identifiers),
        mrn: cairnMrn,
        ...(p.deceasedDateTime !== undefined && { deceased_on: dateOnly(when(issues, 'deceasedDateTime', p.deceasedDateTime)) }),
      },
    },
  ];
}

// ---------------------------------------------------------------- Encounter

const ENCOUNTER_STATUS: Record<string, string> = {
  planned: 'planned',
  arrived: 'checked_in',
  triaged: 'checked_in',
  'in-progress': 'in_progress',
  onleave: 'in_progress',
  finished: 'finished',
};

/** Cairn's visit types from the FHIR class and type (Synthea types are SNOMED encounter codes with free text). */
export function visitTypeOf(e: Encounter): string {
  // SNOMED's semantic tags ("Encounter for check up (procedure)") say nothing about the visit.
  const text = (e.type ?? [])
    .map((t) => textOf(t) ?? '')
    .join(' ')
    .toLowerCase()
    .replace(/\s*\((procedure|finding|disorder|situation|regime\/therapy|environment)\)/g, '');
  if (/telephone|phone/.test(text)) return 'phone';
  if (/telehealth|video|virtual/.test(text)) return 'telehealth';
  if (/follow[- ]?up/.test(text)) return 'follow_up';
  if (/well child|well-child/.test(text)) return 'well_child';
  if (/procedure/.test(text)) return 'procedure';
  if (e.class?.code === 'VR') return 'telehealth';
  const known = ['office_visit', 'follow_up', 'telehealth', 'phone', 'well_child', 'procedure'];
  const coded = (e.type ?? []).flatMap((t) => t.coding ?? []).find((c) => known.includes(c.code ?? ''));
  return coded?.code ?? 'office_visit';
}

/** Encounter → encounter row. */
export function mapEncounter(e: Encounter, issues: Issues, ctx: MapContext): Draft[] | string {
  const status = ENCOUNTER_STATUS[e.status];
  if (!status) return `encounter status "${e.status}" is not imported (only planned, arrived, in-progress and finished visits are)`;
  const reason = e.reasonCode?.[0] ? textOf(e.reasonCode[0]) : e.type?.[0] ? textOf(e.type[0]) : null;
  return [
    {
      entity: 'encounter',
      table: 'encounters',
      key: '',
      row: {
        patient_id: ref(ctx, e.subject),
        visit_type: visitTypeOf(e),
        status,
        provider_id: null,
        reason: reason?.slice(0, 500) ?? null,
        start_at: when(issues, 'period.start', e.period?.start),
        end_at: when(issues, 'period.end', e.period?.end),
      },
    },
  ];
}
