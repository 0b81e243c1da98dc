import { z } from 'zod';
import { backupSettings, doctorReport } from '../domain/doctor';
import { channel, none } from './channel';
import { ADMIN } from './roles';

/** The Health screen: `cairn doctor`'s checks in the app, and this device's backup settings. */
export const doctorChannels = {
  'doctor.run': channel({
    doc: 'Runs the health checks on this device (database, backups, sync, clock, certificates, lab interface): each pass, warn or fail with what to do.',
    roles: ADMIN,
    scope: 'none',
    input: none,
    output: doctorReport,
  }),
  'settings.backups': channel({
    doc: "This device's automatic backups: the folder, how many are kept, and when cairn doctor warns that the newest is too old.",
    roles: ADMIN,
    scope: 'none',
    input: none,
    output: backupSettings.extend({ dir: z.string() }),
  }),
  'settings.setBackups': channel({
    doc: 'Changes where and how many automatic backups are kept; a folder must exist and be writable.',
    roles: ADMIN,
    scope: 'none',
    input: backupSettings,
    output: backupSettings.extend({ dir: z.string() }),
  }),
};
