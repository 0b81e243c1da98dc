/**
 * Imaging orders: the shipped study list (resources/imaging/imaging-procedures.json, LOINC codes of
 * the LOINC/RSNA Radiology Playbook), what an order asks for, and how it shows. An imaging order is a
 * lab order of category 'imaging' (one placer-number scheme, one ORU path for reports); its status
 * is the lab order's: ordered, then final once a report arrives (HL7 ORU or a filed document).
 */
import { z } from 'zod';
import { labOrderStatus, loincCode } from './lab-orders';
import { diagnosisList } from './referrals';

export const IMAGING_MODALITIES = ['XR', 'CT', 'MR', 'US', 'MG', 'DXA', 'NM'] as const;
export const imagingModality = z.enum(IMAGING_MODALITIES);
export const IMAGING_MODALITY_LABELS: Readonly<Record<z.infer<typeof imagingModality>, string>> = {
  XR: 'X-ray',
  CT: 'CT',
  MR: 'MRI',
  US: 'Ultrasound',
  MG: 'Mammography',
  DXA: 'Bone density (DXA)',
  NM: 'Nuclear medicine',
};

/** One orderable study of the shipped list. */
export const imagingProcedure = z
  .object({
    loinc: loincCode,
    /** The LOINC long common name (the Playbook's long name). */
    display: z.string().trim().min(1).max(200),
    modality: imagingModality,
    bodyPart: z.string().trim().min(1).max(100),
    /** Contrast: none, IV, or with and without. */
    contrast: z.enum(['none', 'iv', 'with_and_without']),
    /** What the patient should know before the study (printed on the requisition). */
    preparation: z.string().trim().max(300).optional(),
  })
  .strict();
export type ImagingProcedure = z.infer<typeof imagingProcedure>;

/** resources/imaging/imaging-procedures.json. */
export const imagingProceduresFile = z
  .object({ $comment: z.string().optional(), procedures: z.array(imagingProcedure).min(1) })
  .strict()
  .superRefine((f, ctx) => {
    const seen = new Set<string>();
    f.procedures.forEach((p, i) => {
      if (seen.has(p.loinc)) ctx.addIssue({ code: 'custom', path: ['procedures', i, 'loinc'], message: `LOINC ${p.loinc} is listed twice` });
      seen.add(p.loinc);
    });
  });

export const IMAGING_PRIORITIES = ['routine', 'urgent', 'stat'] as const;
export const imagingPriority = z.enum(IMAGING_PRIORITIES);

/** imaging.order: one or more studies of the shipped list, why, and how soon. */
export const imagingOrderInput = z
  .object({
    patientId: z.uuid('not a patient id'),
    encounterId: z.uuid('not an encounter id').optional(),
    loincCodes: z.array(loincCode).min(1, 'choose at least one study').max(10, 'at most 10 studies on one order'),
    /** The clinical indication (the radiologist reads the study for this). */
    indication: z.string().trim().min(3, 'give the clinical indication: why is the study ordered?').max(1000, 'at most 1000 characters'),
    diagnoses: diagnosisList,
    priority: imagingPriority.default('routine'),
  })
  .strict();

/** What an imaging order carries beyond a lab order's columns (lab_orders.detail, JSON). */
export const imagingOrderDetail = z
  .object({
    indication: z.string(),
    priority: imagingPriority,
    diagnoses: z.array(z.string()),
  })
  .strict();
export type ImagingOrderDetail = z.infer<typeof imagingOrderDetail>;

/** An imaging order as the chart shows it. */
export const imagingOrder = z.object({
  id: z.string(),
  patientId: z.string(),
  encounterId: z.string().nullable(),
  placerNumber: z.string(),
  studies: z.array(z.object({ loinc: z.string(), display: z.string(), modality: z.string().nullable() })),
  indication: z.string().nullable(),
  priority: imagingPriority.nullable(),
  diagnoses: z.array(z.object({ code: z.string(), display: z.string().nullable() })),
  status: labOrderStatus,
  orderedBy: z.string().nullable(),
  orderedByName: z.string().nullable(),
  orderedAt: z.string(),
  /** A report arrived: a filed document (reportDocumentId) or HL7 results on the order. */
  reported: z.boolean(),
  reportDocumentId: z.string().nullable(),
  version: z.number().int(),
});
export type ImagingOrder = z.infer<typeof imagingOrder>;
