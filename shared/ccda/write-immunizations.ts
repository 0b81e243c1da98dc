/**
 * Immunizations: Immunization Activity (4.52) with the vaccine (CVX) as Immunization Medication
 * Information (4.54), its lot and manufacturer; a vaccine not given is `negationInd="true"` with an
 * Immunization Refusal Reason (4.53) when the chart says why.
 */
import type { ImmunizationEntry } from './model';
import { entryId, narrativeTable, section, type Row, type SectionKind, type XmlParts } from './write-section';
import { codeAttrs, coded, el, numberText, pq, templateIds, text, ts, usableCode } from './write-xml';

export const IMMUNIZATIONS_SECTION: SectionKind = {
  templateRoot: '2.16.840.1.113883.10.20.22.2.2.1',
  templateExt: '2015-08-01',
  code: '11369-6',
  codeDisplay: 'History of Immunization Narrative',
  title: 'Immunizations',
};

const NO_IMMUNIZATION_REASON = '2.16.840.1.113883.5.8';
const REASONS: Record<string, string> = {
  IMMUNE: 'immunity',
  MEDPREC: 'medical precaution',
  OSTOCK: 'product out of stock',
  PATOBJ: 'patient objection',
  PHILISOP: 'philosophical objection',
  RELIG: 'religious objection',
  VACEFF: 'vaccine efficacy concerns',
  VACSAF: 'vaccine safety concerns',
};
const REASON_WORDS: [RegExp, string][] = [
  [/relig/i, 'RELIG'],
  [/philos/i, 'PHILISOP'],
  [/stock|unavailable/i, 'OSTOCK'],
  [/immun/i, 'IMMUNE'],
  [/safety/i, 'VACSAF'],
  [/efficacy/i, 'VACEFF'],
  [/precaution|contraindicat|medical/i, 'MEDPREC'],
  [/object|refus|declin/i, 'PATOBJ'],
];

/** A refusal reason in words or as a code, as a NoImmunizationReason code; null when it names none. */
export function refusalCode(reason: string): string | null {
  const s = reason.trim();
  if (REASONS[s.toUpperCase()]) return s.toUpperCase();
  for (const [re, code] of REASON_WORDS) if (re.test(s)) return code;
  return null;
}

function refusal(documentId: string, reason: string, ref: string): string {
  const code = refusalCode(reason);
  // The reason's own words stay reachable through the narrative reference, even when a code was found.
  const original = el('originalText', null, el('reference', { value: '#' + ref }));
  return el(
    'entryRelationship',
    { typeCode: 'RSON' },
    el(
      'observation',
      { classCode: 'OBS', moodCode: 'EVN' },
      templateIds('2.16.840.1.113883.10.20.22.4.53', '2014-06-09', true),
      entryId(documentId, ref),
      code
        ? el('code', { code, codeSystem: NO_IMMUNIZATION_REASON, codeSystemName: 'HL7 ActNoImmunizationReason', displayName: REASONS[code] }, original)
        : el('code', { nullFlavor: 'OTH' }, original),
      el('statusCode', { code: 'completed' }),
    ),
  );
}

function immunizationEntry(documentId: string, im: ImmunizationEntry, n: number): string {
  const row = `imm${n}`;
  const material = el(
    'manufacturedMaterial',
    null,
    coded('code', im, `${row}n`),
    im.lotNumber?.trim() ? el('lotNumberText', null, text(im.lotNumber.trim())) : null,
  );
  const manufacturer = im.manufacturer?.trim() ? el('manufacturerOrganization', null, el('name', null, text(im.manufacturer.trim()))) : null;
  return el(
    'substanceAdministration',
    { classCode: 'SBADM', moodCode: 'EVN', negationInd: im.given ? 'false' : 'true' },
    templateIds('2.16.840.1.113883.10.20.22.4.52', '2015-08-01', true),
    entryId(documentId, row),
    el('text', null, el('reference', { value: '#' + row })),
    el('statusCode', { code: 'completed' }),
    ts('effectiveTime', im.date),
    usableCode(im.route) ? el('routeCode', codeAttrs(im.route)) : null,
    pq('doseQuantity', im.dose),
    el(
      'consumable',
      null,
      el('manufacturedProduct', { classCode: 'MANU' }, templateIds('2.16.840.1.113883.10.20.22.4.54', '2014-06-09', true), material, manufacturer),
    ),
    !im.given && im.refusalReason?.trim() ? refusal(documentId, im.refusalReason.trim(), `${row}x`) : null,
  );
}

/** The Immunizations section. */
export function immunizationsSection(documentId: string, list: readonly ImmunizationEntry[]): XmlParts {
  const rows: Row[] = list.map((im, i) => {
    const id = `imm${i + 1}`;
    return {
      id,
      cells: [
        { text: im.name, id: `${id}n` },
        { text: im.date },
        { text: im.given ? 'Given' : 'Not given' },
        { text: im.given ? '' : (im.refusalReason?.trim() ?? ''), id: `${id}x` },
        { text: im.lotNumber },
        { text: im.manufacturer },
        { text: im.route ? (im.route.display ?? im.route.code) : '' },
        { text: im.dose ? `${numberText(im.dose.value)} ${im.dose.unit}` : '' },
      ],
    };
  });
  const narrative = narrativeTable(['Vaccine', 'Date', 'Status', 'Reason not given', 'Lot', 'Manufacturer', 'Route', 'Dose'], rows);
  return section(
    IMMUNIZATIONS_SECTION,
    narrative,
    list.map((im, i) => immunizationEntry(documentId, im, i + 1)),
    'No information about immunizations.',
  );
}
