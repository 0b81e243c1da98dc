/**
 * C-CDA (R1.1 and R2.1), pure: no files, no DOM. Reads CCD, Referral Note, Consultation Note, Discharge
 * Summary, Progress Note, H&P, Transfer Summary, Care Plan, Diagnostic Imaging Report, Operative and
 * Procedure Notes and Unstructured Documents into plain data (model.ts).
 *
 * ```ts
 * const r = readCcda(bytes);                    // string or Uint8Array; { ok: true, value } | { ok: false, error }
 * if (!r.ok) return show(r.error.message);      // "this file is not a C-CDA document: its root element is <foo>, …"
 * const doc = r.value;
 * doc.header.docType;                           // 'CCD' | 'Referral Note' | … | 'Clinical Document'
 * doc.header.patient?.family;                   // the patient (never null when ok)
 * doc.problems[0];                              // { code: { code: '233604007', system: OID.snomed, … }, name: 'Pneumonia', onset: '2008-01-03', status: 'resolved', … }
 * countEntries(doc);                            // { problems: 3, medications: 2, … }
 * doc.skipped;                                  // [{ section: 'results', reason: 'Results, entry 4: an observation with no code and no name' }]
 * doc.sections[0].narrativeHtml;                // whitelisted tags only, everything escaped: safe to render as is
 * readCcda(text, { maxBytes: 5_000_000 });      // too_large above the limit (default 20 MB)
 * ```
 *
 * Error codes: `not_xml` (with line and column), `unsafe_xml` (a DOCTYPE declaring entities), `not_cda`
 * (root not ClinicalDocument in urn:hl7-org:v3), `too_large`, `no_patient`.
 */
export * from './model';
export { readCcda, type ReadCcdaOptions, type ReadCcdaResult } from './read';
export { escapeHtml } from './narrative';
export { hl7Date } from './dates';
