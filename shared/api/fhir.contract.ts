import { importBundleInput, importSummary } from '../fhir/import-summary';
import { PHYSICIAN } from './roles';
import { channel } from './channel';

/** The fhir area's channels: each one's input, output, roles, restricted-chart scope and what it does. */
export const fhirChannels = {
  'fhir.importBundle': channel({
    doc: 'Imports one FHIR R4 bundle file (File → Import): each patient in one transaction; a re-import changes nothing.',
    // Physicians only: the clinic server accepts clinical records from clinicians (the installer's bulk import runs as `cairn import fhir`).
    roles: PHYSICIAN,
    // Creates charts (or updates the ones an earlier import of the same bundle made).
    scope: 'none',
    input: importBundleInput,
    output: importSummary,
  }),
};
