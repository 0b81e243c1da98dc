/**
 * The channel names alone, with no schema library, so the preload script can build
 * `window.cairn` without bundling zod. `contract.ts` checks that both lists agree.
 */
export const CHANNELS = [
  'session.status',
  'session.setup',
  'session.unlock',
  'session.login',
  'session.logout',
  'session.lock',
  'patients.create',
  'patients.update',
  'patients.get',
  'patients.search',
  'patients.chartHeader',
  'users.list',
  'users.create',
  'encounters.create',
  'encounters.setStatus',
  'encounters.list',
  'encounters.get',
  'templates.list',
  'notes.saveDraft',
  'notes.sign',
  'notes.addendum',
  'notes.enteredInError',
  'notes.list',
  'notes.pdf',
  'vitals.record',
  'vitals.trends',
  'problems.searchCodes',
  'problems.add',
  'problems.update',
  'problems.list',
  'allergies.add',
  'allergies.changeStatus',
  'allergies.list',
  'immunizations.vaccines',
  'immunizations.manufacturers',
  'immunizations.add',
  'immunizations.list',
  'immunizations.due',
  'chart.summary',
  'meds.searchDrugs',
  'meds.check',
  'meds.list',
  'meds.add',
  'meds.prescribe',
  'meds.change',
  'meds.stop',
  'meds.reconcile',
  'meds.prescriptionPdf',
] as const;

export type Channel = (typeof CHANNELS)[number];

/** IPC prefix so Cairn's channels never collide with Electron's own. */
export const IPC_PREFIX = 'cairn:';
