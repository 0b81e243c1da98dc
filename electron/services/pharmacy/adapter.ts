/**
 * Sending prescriptions to pharmacies goes through this interface. No vendor is in scope: the
 * shipped adapter prints. A clinic that contracts an e-prescribing network (NCPDP SCRIPT via a
 * vendor) implements `PharmacyAdapter` and registers it; Cairn passes the FHIR MedicationRequest
 * it already stores and records the adapter's reference as the prescription's transmission.
 */
export interface PharmacyAdapter {
  /** Short name shown to the clinician, e.g. "Print" or "Surescripts via Vendor X". */
  readonly name: string;
  /** Sends one prescription; resolves with a reference to record, or rejects with a message a person can act on. */
  send(medicationRequest: Record<string, unknown>, pharmacy: { name: string; ncpdpId?: string } | null): Promise<{ reference: string }>;
}

/** The default: nothing leaves the clinic electronically; the clinician prints the PDF. */
export const printOnlyAdapter: PharmacyAdapter = {
  name: 'Print',
  send: () => Promise.resolve({ reference: 'printed' }),
};
