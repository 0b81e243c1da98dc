import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { secureDataDir } from '../server/data-dir';
import { updatesDirFor } from '../server/update-feed';
import { PUBLISHING_KEY_FILE, PublishRefusal, publishUpdate } from '../server/update-publish';

export const SERVER_UPDATE_HELP = `  cairn server publish-update DIR (--data-dir DIR | --updates-dir DIR) [--channel stable]
      [--public-key FILE] [--signature FILE] [--rollback] [--keep N]
      Publishes the desktop release electron-builder wrote into DIR (its latest*.yml and the files they
      list) on the clinic server's update feed, /updates/CHANNEL/. Every listed file must be there with
      the size and SHA-512 written in the metadata; with a clinic publishing key (UPDATES/${PUBLISHING_KEY_FILE},
      or --public-key) each latest*.yml must carry a valid Ed25519 signature (latest….yml.sig, or
      --signature). Laptops see the new version only once all of it is in place. An older version than
      the published one needs --rollback. With PostgreSQL, give --updates-dir (the server reads
      CAIRN_UPDATES_DIR).`;

type Fail = (message: string, code?: number) => Error;

type Values = { 'data-dir'?: string; 'updates-dir'?: string; channel?: string; 'public-key'?: string; signature?: string; rollback?: boolean; keep?: string };

function parse(args: string[], fail: Fail): { dir: string | undefined; v: Values } {
  let parsed: { values: Values; positionals: string[] };
  try {
    parsed = parseArgs({
      args,
      options: {
        'data-dir': { type: 'string' },
        'updates-dir': { type: 'string' },
        channel: { type: 'string' },
        'public-key': { type: 'string' },
        signature: { type: 'string' },
        rollback: { type: 'boolean' },
        keep: { type: 'string' },
      },
      strict: true,
      allowPositionals: true,
    });
  } catch (e) {
    const msg = e instanceof Error ? e.message.split('\n')[0]! : String(e);
    const unknown = /Unknown option '([^']+)'/.exec(msg);
    throw fail(unknown ? `unknown option ${unknown[1]} (see cairn --help)` : `${msg} (see cairn --help)`, 2);
  }
  if (parsed.positionals.length > 1) throw fail(`give one release folder, not ${parsed.positionals.length} (see cairn --help)`, 2);
  return { dir: parsed.positionals[0], v: parsed.values };
}

/** `cairn server publish-update DIR`: one JSON line on success; one line on stderr and nothing changed when refused. */
export async function serverUpdateCommand(args: string[], fail: Fail): Promise<number> {
  const { dir, v } = parse(args, fail);
  if (!dir) throw fail('give the folder electron-builder wrote: cairn server publish-update DIR --data-dir SERVER_DIR (see cairn --help)', 2);
  if (Boolean(v['data-dir']) === Boolean(v['updates-dir'])) throw fail("give the clinic server's --data-dir DIR, or --updates-dir DIR (PostgreSQL)", 2);
  const keep = v.keep === undefined ? 3 : Number(v.keep);
  if (!Number.isInteger(keep) || keep < 1 || keep > 50) throw fail('--keep must be a whole number from 1 to 50', 2);
  for (const [flag, file] of [
    ['--public-key', v['public-key']],
    ['--signature', v.signature],
  ] as const)
    if (file !== undefined && !(existsSync(file) && statSync(file).isFile())) throw fail(`${flag}: no such file: ${file}`, 2);
  let root: string;
  if (v['data-dir']) {
    const dataDir = resolve(v['data-dir']);
    // The same rule as the server: an existing data directory others can read is refused, a new one is made 0700.
    try {
      secureDataDir(dataDir);
    } catch (e) {
      throw fail(e instanceof Error ? e.message : String(e));
    }
    root = updatesDirFor({ dataDir })!;
  } else {
    root = resolve(v['updates-dir']!);
  }
  try {
    const out = await publishUpdate({
      from: resolve(dir),
      root,
      channel: v.channel ?? 'stable',
      keep,
      ...(v['public-key'] && { publicKey: resolve(v['public-key']) }),
      ...(v.signature && { signature: resolve(v.signature) }),
      ...(v.rollback && { rollback: true }),
    });
    process.stdout.write(JSON.stringify({ published: out.feeds, channel: out.channel, release: out.release, files: out.files, carried: out.carried }) + '\n');
    return 0;
  } catch (e) {
    if (e instanceof PublishRefusal) throw fail(e.message);
    throw e;
  }
}
