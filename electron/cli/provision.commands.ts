import { X509Certificate } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { PROVISIONING_FILE_NAME, PROVISIONING_VERSION, parseProvisioningFile } from '../../shared/domain/provisioning';
import { keepOwnerOnly, secureDataDir } from '../server/data-dir';
import { openServerDb, type ServerDbTarget } from '../server/db/open';
import { runningInfo, type RunningInfo } from '../server/server-info';
import { SyncService } from '../server/sync.service';
import { defaultResourcesDir } from '../services/paths';
import { PinError, pinServerCertificate } from '../services/provision/tls-pin';
import { CliError, usageError } from './cli-error';

export const PROVISION_HELP = `  cairn provision --make --server URL --ca FILE --count N --out DIR (--data-dir DIR | --database-url URL)
      [--clinic NAME] [--update-channel stable] [--backup-dir DIR] [--roles physician,nurse] [--hours 72]
      Makes N provisioning files for laptops, OUT/device-01/cairn-provisioning.json and so on, each
      with its own one-time enrollment code, made as cairn server enroll makes one (--data-dir or
      --database-url of the clinic server; a running embedded server is reached through its admin
      endpoint), valid --hours hours (72 by default, at most 720). --server is the address laptops use;
      --ca is the server's self-signed certificate, or the CA certificate its chain includes: the
      laptops accept only a server presenting it (its SHA-256 fingerprint goes in each file).
      --backup-dir is a folder on the laptops; --roles limits who may sign in on them.`;

type Values = Record<string, string | boolean | undefined>;

function options(args: string[]): Values {
  const spec: Record<string, 'string' | 'boolean'> = {
    make: 'boolean',
    server: 'string',
    ca: 'string',
    count: 'string',
    out: 'string',
    clinic: 'string',
    'update-channel': 'string',
    'backup-dir': 'string',
    roles: 'string',
    hours: 'string',
    'data-dir': 'string',
    'database-url': 'string',
  };
  try {
    return parseArgs({ args, options: Object.fromEntries(Object.entries(spec).map(([k, type]) => [k, { type }])), strict: true, allowPositionals: false })
      .values;
  } catch (e) {
    throw usageError(e);
  }
}

function need(v: string | boolean | undefined, flag: string): string {
  if (typeof v !== 'string' || v.trim() === '') throw new CliError(`missing ${flag} (see cairn --help)`, 2);
  return v;
}

/** The first certificate in the --ca file: its PEM and SHA-256 fingerprint. */
function certificateOf(file: string): { pem: string; fingerprint: string } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new CliError(`cannot read --ca ${file} (${(e as NodeJS.ErrnoException).code ?? String(e)})`, 2);
  }
  const pem = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(text)?.[0];
  if (!pem) {
    if (/PRIVATE KEY-----/.test(text))
      throw new CliError(`--ca ${file} holds a private key: give the certificate (the .crt), and keep the key on the server`, 2);
    throw new CliError(`--ca ${file} holds no PEM certificate (-----BEGIN CERTIFICATE-----): give the clinic server's certificate or its CA's`, 2);
  }
  try {
    return { pem, fingerprint: new X509Certificate(pem).fingerprint256 };
  } catch (e) {
    throw new CliError(`--ca ${file}: the certificate cannot be read (${e instanceof Error ? e.message : String(e)})`, 2);
  }
}

function target(v: Values): ServerDbTarget {
  if (typeof v['database-url'] === 'string') return { databaseUrl: v['database-url'] };
  if (typeof v['data-dir'] === 'string') return { dataDir: resolve(v['data-dir']) };
  throw new CliError(
    "give the clinic server's --data-dir DIR (embedded database) or --database-url postgres://… to make the enrollment codes (see cairn --help)",
    2,
  );
}

/**
 * POST to a running embedded server's loopback admin endpoint, over HTTPS when it serves HTTPS
 * (trusting the --ca certificate; the name is not checked, the address is this machine).
 */
function adminPost<T>(info: RunningInfo, path: string, body: unknown, caPem: string): Promise<T> {
  const url = new URL(info.url);
  const tls = url.protocol === 'https:';
  const send = tls ? httpsRequest : httpRequest;
  return new Promise<T>((done, fail) => {
    const req = send(
      {
        host: '127.0.0.1',
        port: Number(url.port || (tls ? 443 : 80)),
        path,
        method: 'POST',
        headers: { authorization: `Bearer ${info.adminToken}`, 'content-type': 'application/json' },
        ...(tls && { ca: caPem, checkServerIdentity: () => undefined }),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          let json: T & { error?: { message: string } };
          try {
            json = JSON.parse(Buffer.concat(chunks).toString('utf8')) as T & { error?: { message: string } };
          } catch {
            return fail(new CliError(`the running clinic server answered HTTP ${res.statusCode} with something that is not JSON`));
          }
          if ((res.statusCode ?? 500) >= 400) return fail(new CliError(json.error?.message ?? `the running clinic server answered HTTP ${res.statusCode}`));
          done(json);
        });
      },
    );
    req.on('error', (e: NodeJS.ErrnoException) => {
      const chain = /certificate|self.signed|issuer/i.test(e.message);
      fail(
        new CliError(
          chain
            ? `the running clinic server's certificate is not the one in --ca (${e.code ?? e.message}): laptops given these files would refuse it`
            : `the running clinic server did not answer: ${e.message}`,
        ),
      );
    });
    req.end(JSON.stringify(body));
  });
}

/** The flag a problem of the file's schema comes from, in front of it: "--roles: allowedRoles: …". */
const FLAGS: Record<string, string> = {
  serverUrl: '--server',
  allowedRoles: '--roles',
  backupDir: '--backup-dir',
  updateChannel: '--update-channel',
  clinicName: '--clinic',
};
const withFlag = (problem: string): string => {
  const field = Object.keys(FLAGS).find((f) => problem.startsWith(f));
  return field ? `${FLAGS[field]}: ${problem}` : problem;
};

type Code = { code: string; expiresAt: string };

async function makeCodes(t: ServerDbTarget, names: string[], hours: number, caPem: string): Promise<Code[]> {
  const running = 'dataDir' in t ? runningInfo(t.dataDir) : null;
  if (running) {
    const out: Code[] = [];
    for (const name of names) out.push(await adminPost<Code>(running, '/admin/enrollment-codes', { name, hours, operator: false }, caPem));
    return out;
  }
  // As `cairn server enroll` does: owner-only files, and no data directory others can read.
  if ('dataDir' in t) secureDataDir(t.dataDir);
  const db = await openServerDb(t, defaultResourcesDir());
  const ownerOnly = 'dataDir' in t ? keepOwnerOnly(t.dataDir) : null;
  try {
    const sync = new SyncService(db);
    const out: Code[] = [];
    for (const name of names) out.push(await sync.createEnrollmentCode(name, hours));
    return out;
  } finally {
    await db.close();
    ownerOnly?.stop();
  }
}

/** Whether the server the laptops will reach presents the --ca certificate; unreachable from here is only a warning. */
async function checkServerPresents(server: string, fingerprint: string): Promise<void> {
  try {
    await pinServerCertificate(server, fingerprint, 5_000);
  } catch (e) {
    if (e instanceof PinError && e.kind !== 'unreachable')
      throw new CliError(`${server} would be refused by the laptops: ${e.message}; give the --ca the server really uses, or the address its certificate names`);
    process.stderr.write(`cairn: note: ${server} could not be reached from here to check its certificate (${e instanceof Error ? e.message : String(e)})\n`);
  }
}

/** `cairn provision --make …`. */
export async function provisionCommand(args: string[]): Promise<number> {
  const v = options(args);
  if (v['make'] !== true) throw new CliError('cairn provision needs --make (see cairn --help)', 2);
  const server = need(v['server'], '--server');
  const ca = certificateOf(resolve(need(v['ca'], '--ca')));
  const count = Number(need(v['count'], '--count'));
  if (!Number.isInteger(count) || count < 1 || count > 500) throw new CliError('--count must be a whole number from 1 to 500', 2);
  const hours = Number(v['hours'] ?? 72);
  if (!(hours > 0 && hours <= 720)) throw new CliError('--hours must be between 0 and 720', 2);
  const outDir = resolve(need(v['out'], '--out'));
  const t = target(v);

  // The same schema the laptops read: a bad --roles, --backup-dir or --update-channel is refused here, in its words.
  const base = {
    version: PROVISIONING_VERSION,
    ...(typeof v['clinic'] === 'string' && { clinicName: v['clinic'] }),
    serverUrl: server,
    serverCertificateSha256: ca.fingerprint,
    updateChannel: typeof v['update-channel'] === 'string' ? v['update-channel'] : 'stable',
    ...(typeof v['backup-dir'] === 'string' && { backupDir: v['backup-dir'] }),
    ...(typeof v['roles'] === 'string' && { allowedRoles: v['roles'].split(',').map((r) => r.trim()) }),
  };
  const checked = parseProvisioningFile(JSON.stringify({ ...base, enrollmentCode: 'CHECK-ONLY' }));
  if (!checked.ok) throw new CliError(checked.problems.map(withFlag).join('; '), 2);

  const width = Math.max(2, String(count).length);
  const files = Array.from({ length: count }, (_, i) => join(outDir, `device-${String(i + 1).padStart(width, '0')}`, PROVISIONING_FILE_NAME));
  const taken = files.find((f) => existsSync(f));
  if (taken) throw new CliError(`refusing to overwrite ${taken}: give an empty --out folder`);

  await checkServerPresents(checked.value.serverUrl, ca.fingerprint);
  const names = files.map((_, i) => `provisioned ${String(i + 1).padStart(width, '0')}/${count}${base.clinicName ? ` (${base.clinicName})` : ''}`);
  const codes = await makeCodes(t, names, hours, ca.pem);
  files.forEach((file, i) => {
    mkdirSync(join(file, '..'), { recursive: true, mode: 0o700 });
    // Owner-only: each file holds a code that enrolls a device until it is used or expires.
    const fd = openSync(file, 'wx', 0o600);
    try {
      writeSync(
        fd,
        JSON.stringify({ ...base, serverUrl: checked.value.serverUrl, enrollmentCode: codes[i]!.code, codeExpiresAt: codes[i]!.expiresAt }, null, 2) + '\n',
      );
    } finally {
      closeSync(fd);
    }
  });
  process.stdout.write(
    JSON.stringify({ files, server: checked.value.serverUrl, certificateSha256: ca.fingerprint, expiresAt: codes[0]!.expiresAt, count }) + '\n',
  );
  return 0;
}
