/** Finding a document's sections and telling which of Cairn's sections each one is. */
import type { CcdaSection } from './model';
import { attr, child, children, templateIds } from './tree';
import type { XmlElement } from './xml';

/**
 * Section templateId roots: C-CDA R1.1/R2.1 entries-optional and entries-required (`.1`), HL7 CCD R1
 * (`10.20.1.x`) and the IHE PCC ones vendors still send.
 */
const SECTION_TEMPLATES: Record<string, CcdaSection> = {
  '2.16.840.1.113883.10.20.22.2.5': 'problems',
  '2.16.840.1.113883.10.20.22.2.5.1': 'problems',
  '2.16.840.1.113883.10.20.1.11': 'problems',
  '1.3.6.1.4.1.19376.1.5.3.1.3.6': 'problems',
  '2.16.840.1.113883.10.20.22.2.1': 'medications',
  '2.16.840.1.113883.10.20.22.2.1.1': 'medications',
  '2.16.840.1.113883.10.20.1.8': 'medications',
  '1.3.6.1.4.1.19376.1.5.3.1.3.19': 'medications',
  // Hospital discharge medications: what the patient goes home on, which is what the clinic must reconcile.
  '2.16.840.1.113883.10.20.22.2.11': 'medications',
  '2.16.840.1.113883.10.20.22.2.11.1': 'medications',
  '2.16.840.1.113883.10.20.22.2.6': 'allergies',
  '2.16.840.1.113883.10.20.22.2.6.1': 'allergies',
  '2.16.840.1.113883.10.20.1.2': 'allergies',
  '1.3.6.1.4.1.19376.1.5.3.1.3.13': 'allergies',
  '2.16.840.1.113883.10.20.22.2.2': 'immunizations',
  '2.16.840.1.113883.10.20.22.2.2.1': 'immunizations',
  '2.16.840.1.113883.10.20.1.6': 'immunizations',
  '2.16.840.1.113883.10.20.22.2.3': 'results',
  '2.16.840.1.113883.10.20.22.2.3.1': 'results',
  '2.16.840.1.113883.10.20.1.14': 'results',
  '2.16.840.1.113883.10.20.22.2.4': 'vitals',
  '2.16.840.1.113883.10.20.22.2.4.1': 'vitals',
  '2.16.840.1.113883.10.20.1.16': 'vitals',
  '2.16.840.1.113883.10.20.22.2.22': 'encounters',
  '2.16.840.1.113883.10.20.22.2.22.1': 'encounters',
  '2.16.840.1.113883.10.20.1.3': 'encounters',
  '2.16.840.1.113883.10.20.22.2.7': 'procedures',
  '2.16.840.1.113883.10.20.22.2.7.1': 'procedures',
  '2.16.840.1.113883.10.20.1.12': 'procedures',
  '2.16.840.1.113883.10.20.22.2.17': 'smoking',
  '2.16.840.1.113883.10.20.1.15': 'smoking',
};

/** Section LOINC codes, when no templateId says. Social history is read for smoking status only. */
const SECTION_CODES: Record<string, CcdaSection> = {
  '11450-4': 'problems',
  '10160-0': 'medications',
  '10183-2': 'medications',
  '75311-1': 'medications',
  '48765-2': 'allergies',
  '11369-6': 'immunizations',
  '30954-2': 'results',
  '8716-3': 'vitals',
  '46240-8': 'encounters',
  '47519-4': 'procedures',
  '29762-2': 'smoking',
};

/** Which of Cairn's sections this is, or 'other'. */
export function sectionKind(section: XmlElement): CcdaSection | 'other' {
  for (const t of templateIds(section)) {
    const k = SECTION_TEMPLATES[t];
    if (k) return k;
  }
  const code = attr(child(section, 'code'), 'code');
  return (code && SECTION_CODES[code]) || 'other';
}

/** Every section of a structured body in document order, nested ones after their parent. */
export function allSections(root: XmlElement): XmlElement[] {
  const out: XmlElement[] = [];
  const body = child(child(root, 'component'), 'structuredBody');
  const walk = (holder: XmlElement | null): void => {
    for (const comp of children(holder, 'component')) {
      for (const section of children(comp, 'section')) {
        out.push(section);
        walk(section);
      }
    }
  };
  walk(body);
  return out;
}
