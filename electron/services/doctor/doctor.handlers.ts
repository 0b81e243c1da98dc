import type { doctorChannels } from '../../../shared/api/doctor.contract';
import { CairnFailure } from '../../../shared/api/result';
import type { BackupSettings } from '../../../shared/domain/doctor';
import { checkWritableFolder } from '../backup/destination';
import { backupPlace, readBackupSettings, writeBackupSettings } from '../backup/settings';
import type { AreaHandlers, HandlerContext } from '../handler-context';
import { storeDoctorReport } from './doctor.service';

/** The doctor area's handlers, one per channel of shared/api/doctor.contract.ts. */
export function doctorHandlers({ session, now, sync }: HandlerContext): AreaHandlers<typeof doctorChannels> {
  const view = (s: BackupSettings): BackupSettings & { dir: string } => {
    const store = session.repos.store;
    return { ...s, dir: backupPlace(store.file, store.deviceId, s.folder).dir };
  };
  return {
    'doctor.run': () => storeDoctorReport(session.repos.store, { now, lastSyncedAt: sync?.status().lastSyncedAt }),
    'settings.backups': () => view(readBackupSettings(session.repos.store.sqlite)),
    'settings.setBackups': (i, me) => {
      if (i.folder !== null) {
        try {
          checkWritableFolder(i.folder);
        } catch (e) {
          // Shown under the folder field.
          const msg = e instanceof Error ? e.message : String(e);
          throw new CairnFailure('invalid_input', msg, [{ path: 'folder', message: msg }]);
        }
      }
      const { sqlite } = session.repos.store;
      const saved = sqlite.transaction(() => {
        const s = writeBackupSettings(sqlite, i);
        session.repos.audit.append({ action: 'settings.backups', userId: me.actor.userId, detail: JSON.stringify(s) }, now().toISOString());
        return s;
      })();
      return view(saved);
    },
  };
}
