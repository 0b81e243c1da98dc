/**
 * C-CDA documents in and out: import, reconciliation, export.
 */
export const ccdaChannels = {};
