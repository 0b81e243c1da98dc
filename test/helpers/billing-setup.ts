import { npiCheckDigit } from '../../shared/domain/prescriber';

/** A valid NPI from its first nine digits (the check digit computed, Luhn over 80840). */
export const npiOf = (nine: string): string => `${nine}${npiCheckDigit(nine)}`;
export const BILLING_NPI = npiOf('123456789');
export const DOC_NPI = npiOf('198765432');

/** A synthetic clinic's billing settings (they live in each device's `meta`; README, "Billing"). */
export const BILLING_SETTINGS = {
  billingName: 'Hilltop Family Medicine',
  billingNpi: BILLING_NPI,
  taxId: '12-3456789',
  taxonomy: '207Q00000X',
  addressLine1: '12 Main St',
  city: 'Springfield',
  state: 'IL',
  zip: '627011234',
  phone: '2175550100',
  submitterId: 'HILLTOP',
  submitterContact: 'Bea Biller',
  receiverName: 'Demo Clearinghouse',
  receiverId: 'DEMOCH',
} as const;
