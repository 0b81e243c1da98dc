/**
 * The C-CDA writer: a chart's entries (the model in model.ts) as a C-CDA R2.1 document, either a
 * Continuity of Care Document (LOINC 34133-9) or a Referral Note (57133-1).
 *
 * ```ts
 * const xml = writeCcda({ kind: 'ccd', documentId, effectiveTime, patient, organization, author, problems, … });
 * readCcda(xml);   // the same entries back, section by section (countEntries equal)
 * ```
 *
 * Every section Cairn holds is written, with coded entries and a narrative table that lists exactly
 * those entries (each entry references its row); a section with nothing in it is still written,
 * `nullFlavor="NI"`, as the guide asks of sections whose entries are required. The document is
 * valid against the CDA R2 schema with the SDTC extensions (checked in the tests with xmllint).
 * Pure: no I/O; text and attributes are escaped by `write-xml.ts`.
 */
import type { CcdaExport } from './model';
import { allergiesSection } from './write-allergies';
import { encountersSection, proceduresSection, socialHistorySection } from './write-encounters';
import { header, stableUuid } from './write-header';
import { immunizationsSection } from './write-immunizations';
import { medicationsSection } from './write-medications';
import { problemsSection } from './write-problems';
import { assessmentAndPlanSection, reasonForReferralSection } from './write-referral';
import { resultsSection, vitalsSection } from './write-results';
import type { XmlParts } from './write-section';

const UUID_RE = /^[0-9a-zA-Z]{8}-[0-9a-zA-Z]{4}-[0-9a-zA-Z]{4}-[0-9a-zA-Z]{4}-[0-9a-zA-Z]{12}$/;
const OID_RE = /^[0-2](\.(0|[1-9][0-9]*))*$/;

const OPEN =
  '<?xml version="1.0" encoding="UTF-8"?>\n' +
  '<ClinicalDocument xmlns="urn:hl7-org:v3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:sdtc="urn:hl7-org:sdtc">';

/** Writes a CCD or a Referral Note as C-CDA R2.1 XML (UTF-8 text). */
export function writeCcda(input: CcdaExport): string {
  // Important: the document id is also the root of every entry id; one the schema would refuse
  // (not a UUID or OID) is replaced by a UUID derived from it rather than failing the export.
  const id = OID_RE.test(input.documentId) || UUID_RE.test(input.documentId) ? input.documentId : stableUuid(input.documentId);
  input = { ...input, documentId: id };
  const sections: XmlParts[] = [];
  if (input.kind === 'referral') sections.push(reasonForReferralSection(input), assessmentAndPlanSection(input));
  sections.push(
    allergiesSection(id, input.allergies),
    medicationsSection(id, input.medications),
    problemsSection(id, input.problems),
    immunizationsSection(id, input.immunizations),
    resultsSection(id, input.results),
    vitalsSection(id, input.vitals),
    encountersSection(id, input.encounters),
    proceduresSection(id, input.procedures),
    socialHistorySection(id, input.smoking),
  );
  // Joined once: see XmlParts.
  const out: string[] = [OPEN, header(input), '\n<component><structuredBody>'];
  for (const parts of sections) {
    out.push('\n');
    for (const p of parts) out.push(p);
  }
  out.push('\n</structuredBody></component></ClinicalDocument>\n');
  return out.join('');
}
