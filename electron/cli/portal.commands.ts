import { accessSync, constants, existsSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { CliError } from './cli-error';
import { need, parse, print, withSession } from './cli-session';

export const PORTAL_HELP = `  cairn portal invite --db FILE --patient ID --out letter.pdf [--proxy-name "Full Name" --relationship R]
      Makes a one-time patient portal code (valid 14 days), writes the invitation letter (PDF, with
      the portal's address as a QR code) and prints { code, expiresAt, inviteId, file } as JSON.
      With --proxy-name and --relationship the code gives a parent or guardian access to the chart.`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Refuses an --out the letter cannot be written to, before any code is made. */
function writablePath(out: string): string {
  const file = resolve(out);
  if (existsSync(file)) throw new CliError(`refusing to overwrite ${file}: it may be the only copy of another letter; choose another --out`);
  const dir = dirname(file);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new CliError(`cannot write the letter: the folder ${dir} does not exist`);
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    throw new CliError(`cannot write the letter: the folder ${dir} is not writable`);
  }
  return file;
}

async function invite(args: string[]): Promise<void> {
  const f = { type: 'string' } as const;
  const { values: v } = parse(args, { db: f, patient: f, out: f, 'proxy-name': f, relationship: f });
  const patientId = need(v.patient, '--patient');
  if (!UUID.test(patientId)) throw new CliError(`--patient takes the patient's id (a UUID, as cairn patients search prints it), got "${patientId}"`, 2);
  const proxyName = v['proxy-name'];
  const relationship = v.relationship;
  if ((proxyName === undefined) !== (relationship === undefined))
    throw new CliError('a proxy invitation needs both --proxy-name and --relationship (see cairn --help)', 2);
  const file = writablePath(need(v.out, '--out'));
  await withSession(v.db, async ({ call }) => {
    const r = (await call('portal.invite', {
      patientId,
      ...(proxyName === undefined ? { kind: 'self' } : { kind: 'proxy', proxyName, proxyRelationship: relationship }),
    })) as { inviteId: string; code: string; expiresAt: string; letterPdfBase64: string };
    try {
      writeFileSync(file, Buffer.from(r.letterPdfBase64, 'base64'), { mode: 0o600, flag: 'wx' });
    } catch (e) {
      // A code nobody can read must not stay valid: revoke it, then say what happened.
      await call('portal.revoke', { inviteId: r.inviteId, reason: 'the invitation letter could not be written' });
      throw new CliError(`cannot write the letter to ${file} (${e instanceof Error ? e.message : String(e)}): the code was revoked`);
    }
    print({ code: r.code, expiresAt: r.expiresAt, inviteId: r.inviteId, file });
  });
}

/** `cairn portal …`. */
export async function portalCommand(sub: string | undefined, rest: string[]): Promise<number> {
  if (sub === 'invite') await invite(rest);
  else throw new CliError(`unknown command "portal${sub ? ` ${sub}` : ''}" (see cairn --help)`, 2);
  return 0;
}
