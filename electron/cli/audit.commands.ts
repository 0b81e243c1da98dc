import { CliError, usageError } from './cli-error';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { unlockDatabase } from '../services/db/open';
import { defaultResourcesDir } from '../services/paths';
import { createRepos } from '../services/repos';
import type { ChainAnchor } from '../services/repos/audit.repo';
import { serverAuditHead } from '../services/sync/audit-head';
import { fetchTrusting } from '../services/sync/transport';
import { secretFrom } from './prompt';

export const AUDIT_VERIFY_HELP = `  cairn audit verify --db FILE [--ca FILE] [--offline]
      Walks the audit chain (HMAC-keyed, older entries SHA-256) and compares its head with the anchors
      kept outside the file: the key header's and, for an enrolled device, the clinic server's copy
      (--ca trusts the clinic certificate; --offline skips the server). Names the first problem
      ("3 entries missing after seq 17", "entry 12 was changed") and exits non-zero.`;

function options(args: string[]): { db?: string; ca?: string; offline?: boolean } {
  try {
    return parseArgs({ args, options: { db: { type: 'string' }, ca: { type: 'string' }, offline: { type: 'boolean' } }, strict: true, allowPositionals: false })
      .values;
  } catch (e) {
    throw usageError(e);
  }
}

/** `cairn audit verify`: prints the verdict as JSON; a broken or cut chain is one line on stderr and exit 1. */
export async function auditVerify(args: string[]): Promise<number> {
  const o = options(args);
  if (!o.db) throw new CliError('missing --db (see cairn --help)', 2);
  const db = resolve(o.db);
  if (!existsSync(db)) throw new CliError(`no such database file: ${db}`);
  const { store } = await unlockDatabase(db, await secretFrom('CAIRN_PASSPHRASE', 'clinic passphrase'), { resourcesDir: defaultResourcesDir() });
  try {
    const extra: ChainAnchor[] = [];
    let server: string;
    if (o.offline) server = 'not asked (--offline)';
    else {
      const answer = await serverAuditHead(store.sqlite, o.ca ? fetchTrusting(readFileSync(o.ca)) : undefined);
      if (!answer.enrolled) server = 'not enrolled';
      else if ('error' in answer) server = `not reached: ${answer.error}`;
      else if (answer.head === null) server = 'holds no entry yet';
      else {
        server = `seq ${answer.head.seq}`;
        extra.push({ source: 'clinic server', ...answer.head });
      }
    }
    const v = createRepos(store).audit.verify(extra);
    const header = v.anchors.find((a) => a.source === 'key header');
    process.stdout.write(
      JSON.stringify(
        {
          entries: v.entries,
          lastSeq: v.lastSeq,
          chain: v.problems.length === 0 ? 'intact' : 'broken',
          firstBrokenEntry: v.firstBroken,
          keyedFrom: v.keyedFrom,
          anchors: { keyHeader: header ? `seq ${header.seq}` : 'none yet', clinicServer: server },
          problems: v.problems,
        },
        null,
        2,
      ) + '\n',
    );
    if (v.problems.length > 0) throw new CliError(v.problems.join('; '));
    return 0;
  } finally {
    store.close();
  }
}
