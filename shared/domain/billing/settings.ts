import { z } from 'zod';
import { npi } from '../prescriber';

const x12Text = (what: string, max: number) =>
  z
    .string()
    .trim()
    .min(1, `${what} is required`)
    .max(max, `${what}: at most ${max} characters`)
    .regex(/^[^*~:^|]*$/, `${what} cannot contain * ~ : ^ or |`);

/**
 * How the clinic bills: the billing provider printed on every claim, who it sends batches to, and the
 * claim flags that OpenEMR hard-coded (CLM07/CLM08/CLM09), set here by the practice instead.
 */
export const billingSettings = z
  .object({
    billingName: x12Text('billing provider name', 60),
    billingNpi: npi,
    /** EIN, 9 digits. */
    taxId: z
      .string()
      .transform((v) => v.replace(/[\s-]/g, ''))
      .pipe(z.string().regex(/^\d{9}$/, 'tax id (EIN): 9 digits')),
    taxonomy: z
      .string()
      .regex(/^[0-9A-Z]{9}X$/, 'taxonomy: 10 characters ending in X (e.g. 207Q00000X family medicine)')
      .optional(),
    addressLine1: x12Text('billing street address', 55),
    city: x12Text('city', 30),
    state: z.string().regex(/^[A-Z]{2}$/, 'state: two capital letters'),
    zip: z.string().regex(/^\d{9}$/, 'billing ZIP: all 9 digits (ZIP+4), as the 837P requires'),
    phone: z.string().regex(/^\d{10}$/, 'phone: 10 digits'),
    submitterId: x12Text('submitter id', 15),
    submitterContact: x12Text('submitter contact name', 60),
    receiverName: x12Text('clearinghouse name', 60),
    receiverId: x12Text('clearinghouse id', 15),
    usage: z.enum(['P', 'T']).default('T'),
    /** CLM07: A accepts assignment, C does not. */
    acceptAssignment: z.enum(['A', 'B', 'C']).default('A'),
    /** CLM08: the patient assigned benefits to the provider. */
    benefitsAssigned: z.enum(['Y', 'N', 'W']).default('Y'),
    /** CLM09: release of information. */
    releaseOfInformation: z.enum(['Y', 'I']).default('Y'),
    providerSignatureOnFile: z.boolean().default(true),
    /** Folder-drop clearinghouse: batches are written to outbound, replies read from inbound. */
    outboundFolder: z.string().max(500).optional(),
    inboundFolder: z.string().max(500).optional(),
  })
  .strict();
export type BillingSettings = z.output<typeof billingSettings>;
