import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { passphrase as passphraseSchema } from '../../shared/domain/user';
import { backupServer, restoreServer, ServerBackupRefusal } from '../server/server-backup';
import { secretFrom } from './prompt';

export const SERVER_BACKUP_HELP = `  cairn server backup --data-dir DIR --out FILE|FOLDER
  cairn server restore --backup FILE --data-dir NEW_DIR
      An encrypted, checked backup of the clinic server's embedded database (stop the server first):
      the device backup's file format, the payload AES-256-GCM under a key derived by scrypt from the
      backup passphrase (CAIRN_PASSPHRASE, else asked twice on a terminal). A restore goes into a folder
      that holds no data yet, and is opened and read before it counts. With PostgreSQL, use pg_dump to
      an encrypted volume instead.`;

type Fail = (message: string, code?: number) => Error;

function values(args: string[], fail: Fail): { 'data-dir'?: string; out?: string; backup?: string } {
  try {
    return parseArgs({
      args,
      options: { 'data-dir': { type: 'string' }, out: { type: 'string' }, backup: { type: 'string' } },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (e) {
    const msg = e instanceof Error ? e.message.split('\n')[0]! : String(e);
    const unknown = /Unknown option '([^']+)'/.exec(msg);
    throw fail(unknown ? `unknown option ${unknown[1]} (see cairn --help)` : `${msg} (see cairn --help)`, 2);
  }
}

/** `cairn server backup` and `cairn server restore`: one JSON line on success, one line on stderr when refused. */
export async function serverBackupCommand(sub: 'backup' | 'restore', args: string[], fail: Fail): Promise<number> {
  const v = values(args, fail);
  const need = (x: string | undefined, flag: string): string => {
    if (!x) throw fail(`missing ${flag} (see cairn --help)`, 2);
    return resolve(x);
  };
  const dataDir = need(v['data-dir'], '--data-dir');
  try {
    if (sub === 'backup') {
      let out = need(v.out, '--out');
      if (existsSync(out) && statSync(out).isDirectory()) out = join(out, `clinic-server-${new Date().toISOString().replace(/[:.]/g, '-')}.cairnbak`);
      const pass = await secretFrom('CAIRN_PASSPHRASE', 'backup passphrase', true);
      const ok = passphraseSchema.safeParse(pass);
      if (!ok.success) throw fail(`backup ${ok.error.issues[0]?.message ?? 'passphrase is not valid'}`);
      process.stdout.write(JSON.stringify(await backupServer({ dataDir, out, passphrase: pass })) + '\n');
    } else {
      const backup = need(v.backup, '--backup');
      process.stdout.write(
        JSON.stringify(await restoreServer({ backup, dataDir, passphrase: await secretFrom('CAIRN_PASSPHRASE', 'backup passphrase') })) + '\n',
      );
    }
    return 0;
  } catch (e) {
    if (e instanceof ServerBackupRefusal) throw fail(e.message);
    throw e;
  }
}
