/**
 * Documents in the chart and the unfiled scan\/fax inbox.
 */
export const documentsChannels = {};
