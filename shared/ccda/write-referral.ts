/**
 * What a Referral Note adds to the summary: the Reason for Referral section (with a Patient Referral
 * Act, 4.140, carrying urgency and the diagnoses that prompted it as Indications, 4.19) and the
 * Assessment and Plan section the document type requires.
 */
import type { CcdaExport } from './model';
import { entryId, narrativeSection, section, type SectionKind, type XmlParts } from './write-section';
import { all, coded, el, templateIds, text, ts } from './write-xml';

const SNOMED = '2.16.840.1.113883.6.96';

export const REASON_FOR_REFERRAL_SECTION: SectionKind = {
  templateRoot: '1.3.6.1.4.1.19376.1.5.3.1.3.1',
  templateExt: '2014-06-09',
  code: '42349-1',
  codeDisplay: 'Reason for referral (narrative)',
  title: 'Reason for Referral',
};

export const ASSESSMENT_AND_PLAN_SECTION: SectionKind = {
  templateRoot: '2.16.840.1.113883.10.20.22.2.9',
  templateExt: '2014-06-09',
  code: '51847-2',
  codeDisplay: 'Evaluation + Plan note',
  title: 'Assessment and Plan',
};

/** HL7 ActPriority for Cairn's urgencies (routine, urgent, stat), and for the usual words. */
const PRIORITY: Record<string, [string, string]> = {
  routine: ['R', 'routine'],
  urgent: ['UR', 'urgent'],
  stat: ['S', 'stat'],
  asap: ['A', 'ASAP'],
  emergency: ['EM', 'emergency'],
};

type Referral = NonNullable<CcdaExport['referral']>;

function referralAct(documentId: string, r: Referral, effectiveTime: string): string {
  const p = PRIORITY[r.urgency.trim().toLowerCase()];
  const indications = r.diagnoses.map((d, i) =>
    el(
      'entryRelationship',
      { typeCode: 'RSON' },
      el(
        'observation',
        { classCode: 'OBS', moodCode: 'EVN' },
        templateIds('2.16.840.1.113883.10.20.22.4.19', '2014-06-09', true),
        entryId(documentId, `refd${i + 1}`),
        el('code', { code: '282291009', codeSystem: SNOMED, codeSystemName: 'SNOMED CT', displayName: 'Diagnosis' }),
        el('statusCode', { code: 'completed' }),
        coded('value', d, `refd${i + 1}`, { 'xsi:type': 'CD' }),
      ),
    ),
  );
  return el(
    'act',
    { classCode: 'PCPR', moodCode: 'INT' },
    templateIds('2.16.840.1.113883.10.20.22.4.140', null),
    entryId(documentId, 'refr'),
    el('code', { code: '44383000', codeSystem: SNOMED, codeSystemName: 'SNOMED CT', displayName: 'Patient referral for consultation' }),
    el('text', null, el('reference', { value: '#refr' })),
    el('statusCode', { code: 'active' }),
    ts('effectiveTime', effectiveTime),
    p ? el('priorityCode', { code: p[0], codeSystem: '2.16.840.1.113883.5.7', codeSystemName: 'ActPriority', displayName: p[1] }) : null,
    all(indications),
  );
}

function item(label: string, value: string): string | null {
  return value.trim() ? el('item', null, text(`${label}: ${value.trim()}`)) : null;
}

/** The Reason for Referral section: the reason in words, to whom, how urgently, and the diagnoses. */
export function reasonForReferralSection(x: CcdaExport): XmlParts {
  const r = x.referral;
  if (!r) return section(REASON_FOR_REFERRAL_SECTION, '', [], 'No information about the reason for referral.');
  const dx = r.diagnoses.map((d, i) => el('content', { ID: `refd${i + 1}` }, text(d.name))).join(text('; '));
  const narrative =
    el('paragraph', { ID: 'refr' }, text(r.reason.trim() || 'Referral')) +
    el(
      'list',
      null,
      item('Referred to', r.to),
      item('Specialty', r.specialty),
      item('Urgency', r.urgency),
      dx ? el('item', null, text('Diagnoses: '), dx) : null,
      // A list needs at least one item for the schema.
      !r.to.trim() && !r.specialty.trim() && !r.urgency.trim() && !dx ? el('item', null, text('No further details.')) : null,
    );
  return section(REASON_FOR_REFERRAL_SECTION, narrative, [referralAct(x.documentId, r, x.effectiveTime)], '');
}

/** The Assessment and Plan section: the plan is the referral itself. */
export function assessmentAndPlanSection(x: CcdaExport): XmlParts {
  const r = x.referral;
  if (!r) return section(ASSESSMENT_AND_PLAN_SECTION, '', [], 'No information about the assessment and plan.');
  const to = [r.specialty.trim(), r.to.trim()].filter(Boolean).join(', ');
  const plan = `Refer${to ? ` to ${to}` : ''}${r.urgency.trim() ? ` (${r.urgency.trim()})` : ''}: ${r.reason.trim() || 'see reason for referral'}.`;
  const dx = r.diagnoses.length ? el('paragraph', null, text(`Assessment: ${r.diagnoses.map((d) => d.name).join('; ')}.`)) : null;
  return narrativeSection(ASSESSMENT_AND_PLAN_SECTION, (dx ?? '') + el('paragraph', null, text(plan)));
}
