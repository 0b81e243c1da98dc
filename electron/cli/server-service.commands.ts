import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, lstatSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  launchdPlist,
  LAUNCHD_LABEL,
  SYSTEMD_ENV_FILE,
  SYSTEMD_UNIT_NAME,
  systemdUnit,
  shellWord,
  windowsCommands,
  type ServiceSpec,
} from './server-service.units';

export const SERVER_SERVICE_HELP = `  cairn server install-service [--data-dir DIR | --database-url postgres://USER@HOST/DB] [--user cairn]
      [--port 8443] [--host H --tls-cert FILE --tls-key FILE] [--log-file FILE] [--unit-dir DIR]
      [--dry-run] [--no-enable] [--launchd] [-- more cairn server flags]
      Installs the clinic server as a service that runs as its own user (created when missing),
      with everything read-only but its data and log folders. Linux: writes the systemd unit
      (DIR/${SYSTEMD_UNIT_NAME}, default /etc/systemd/system), gives the data directory to that user
      with mode 0700, and enables and starts it (--no-enable: not started). --launchd: the macOS
      daemon (${LAUNCHD_LABEL}.plist in /Library/LaunchDaemons). Also prints the Windows commands.
      --dry-run prints what it would write and run, and changes nothing. A PostgreSQL password
      belongs in ${SYSTEMD_ENV_FILE} (PGPASSWORD=…, mode 0600), never in the URL.`;

type Fail = (message: string, code?: number) => Error;

interface Plan {
  spec: ServiceSpec;
  dataDir: string | null;
  logFile: string | null;
  logDir: string | null;
  tls: { cert: string; key: string } | null;
  unitPath: string;
  launchd: boolean;
  dryRun: boolean;
  enable: boolean;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);
/** ProtectHome=yes hides these from the service: nothing it needs may live there. */
const HIDDEN = ['/home/', '/root/', '/run/user/'];

const isRoot = (): boolean => process.getuid?.() === 0;
const hidden = (p: string): boolean => HIDDEN.some((h) => `${p}/`.startsWith(h));

/** Where Cairn is installed: the nearest folder above the entry script holding package.json. */
function installDirOf(script: string): string {
  let dir = dirname(script);
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) return dirname(script);
    dir = up;
  }
  return dir;
}

function parse(args: string[], fail: Fail): { v: Record<string, string | boolean | undefined>; extra: string[] } {
  try {
    const { values, positionals } = parseArgs({
      args,
      options: {
        'data-dir': { type: 'string' },
        'database-url': { type: 'string' },
        user: { type: 'string' },
        port: { type: 'string' },
        host: { type: 'string' },
        'tls-cert': { type: 'string' },
        'tls-key': { type: 'string' },
        'log-file': { type: 'string' },
        'unit-dir': { type: 'string' },
        'dry-run': { type: 'boolean' },
        'no-enable': { type: 'boolean' },
        launchd: { type: 'boolean' },
      },
      strict: true,
      allowPositionals: true,
    });
    // Only what follows `--` is passed on to `cairn server`; a stray word before it is a mistake.
    const dash = args.indexOf('--');
    const extra = dash === -1 ? [] : args.slice(dash + 1);
    if (positionals.length !== extra.length) throw new Error(`unexpected "${positionals[0]}"; flags for cairn server itself go after --`);
    return { v: values, extra };
  } catch (e) {
    throw fail(`${e instanceof Error ? e.message.split('\n')[0]! : String(e)} (see cairn --help)`, 2);
  }
}

function plan(args: string[], fail: Fail): Plan {
  const { v, extra } = parse(args, fail);
  const usage = (m: string): Error => fail(m, 2);
  const str = (k: string): string | undefined => (typeof v[k] === 'string' ? v[k] : undefined);
  const launchd = v['launchd'] === true;
  const user = str('user') ?? (launchd ? '_cairn' : 'cairn');
  if (!/^[a-z_][a-z0-9_-]{0,31}$/i.test(user)) throw usage(`invalid --user "${user}": a system account name (letters, digits, _ and -)`);
  if (user === 'root' || user === '0') throw usage('the clinic server must not run as root: give it its own account (--user cairn)');
  if (user === 'nobody' || user === 'nfsnobody')
    throw usage(`${user} is shared by every program that has no account of its own: give the clinic server its own (--user cairn)`);
  const databaseUrl = str('database-url');
  if (databaseUrl && str('data-dir')) throw usage('give --data-dir (embedded database) or --database-url (PostgreSQL), not both');
  if (databaseUrl) {
    let url: URL;
    try {
      url = new URL(databaseUrl);
    } catch {
      throw usage(`--database-url is not a URL: give postgres://USER@HOST:5432/DATABASE`);
    }
    if (url.password)
      throw usage(
        `take the password out of --database-url: a service's command line is visible to every user of the machine; put PGPASSWORD=… in ${SYSTEMD_ENV_FILE} (owned by root, mode 0600)`,
      );
  }
  const dataDir = databaseUrl ? null : resolve(str('data-dir') ?? (launchd ? '/Library/Application Support/Cairn/server' : '/var/lib/cairn'));
  const port = Number(str('port') ?? 8443);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw usage(`invalid --port "${str('port')}": 1 to 65535`);
  const host = str('host');
  const [cert, key] = [str('tls-cert'), str('tls-key')].map((f) => (f ? resolve(f) : undefined));
  if (Boolean(cert) !== Boolean(key)) throw usage('give both --tls-cert and --tls-key');
  if (host && !LOOPBACK.has(host) && !cert && !extra.includes('--allow-insecure-http'))
    throw usage(`the server would refuse to start: on ${host} it needs the clinic certificate (--tls-cert FILE --tls-key FILE)`);
  // launchd keeps no journal: the request log goes to a rotated file in the system's log folder.
  const logFile = str('log-file') ? resolve(str('log-file')!) : launchd ? '/Library/Logs/Cairn/server.log' : null;
  const script = resolve(process.argv[1] ?? '');
  const installDir = installDirOf(script);
  const fromSource = script.endsWith('.ts');
  const unitDir = resolve(str('unit-dir') ?? (launchd ? '/Library/LaunchDaemons' : '/etc/systemd/system'));
  const serverArgs = [
    'server',
    ...(dataDir ? ['--data-dir', dataDir] : ['--database-url', databaseUrl!]),
    '--port',
    String(port),
    ...(host ? ['--host', host] : []),
    ...(cert && key ? ['--tls-cert', cert, '--tls-key', key] : []),
    ...(logFile ? ['--log-file', logFile] : []),
    ...extra,
  ];
  const logDir = logFile ? dirname(logFile) : null;
  const spec: ServiceSpec = {
    node: process.execPath,
    nodeArgs: fromSource ? ['--import', 'tsx'] : [],
    script,
    installDir,
    serverArgs,
    user,
    writablePaths: [...(dataDir ? [dataDir] : []), ...(logDir ? [logDir] : [])],
    port,
  };
  if (!launchd) {
    const seen = [spec.node, installDir, ...spec.writablePaths, ...[cert, key].filter((f): f is string => !!f)].filter(hidden);
    if (seen.length > 0)
      throw usage(
        `the service cannot see ${seen.join(', ')}: it runs with ProtectHome (no /home, /root or /run/user); install node and Cairn under /usr or /opt, and keep its data and certificates elsewhere (/var/lib/cairn, /etc/cairn)`,
      );
  }
  for (const p of [spec.node, script]) if (!isAbsolute(p) || !existsSync(p)) throw fail(`cannot find ${p}, which the service would run`);
  return {
    spec,
    dataDir,
    logFile,
    logDir,
    tls: cert && key ? { cert, key } : null,
    unitPath: join(unitDir, launchd ? `${LAUNCHD_LABEL}.plist` : SYSTEMD_UNIT_NAME),
    launchd,
    dryRun: v['dry-run'] === true,
    enable: v['no-enable'] !== true,
  };
}

function run(cmd: string, args: string[]): void {
  execFileSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'] });
}

function idOf(user: string, flag: '-u' | '-g'): number | null {
  try {
    return Number(execFileSync('id', [flag, user], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
  } catch {
    return null;
  }
}

/** Gives a folder and everything in it to the service's user, owner-only (0700 folders, files without group/other bits). */
function giveTo(dir: string, uid: number, gid: number): void {
  const walk = (p: string): void => {
    const st = lstatSync(p);
    if (st.isSymbolicLink()) return;
    chownSync(p, uid, gid);
    chmodSync(p, st.isDirectory() ? 0o700 : st.mode & 0o700);
    if (st.isDirectory()) for (const name of readdirSync(p)) walk(join(p, name));
  };
  walk(dir);
}

/** The folders the service writes, made and handed to its user (root), or what to do about them (not root). */
function prepareFolders(p: Plan, say: (line: string) => void, fail: Fail): void {
  const dirs = [p.dataDir, p.logDir].filter((d): d is string => d !== null);
  const { user } = p.spec;
  if (!isRoot()) {
    say(`Not running as root, so ${user} was not created and ${dirs.join(' and ') || 'no folder'} not given to it. As root:`);
    if (!p.launchd)
      say(`  id ${user} || useradd --system --user-group --home-dir ${dirs[0] ?? '/nonexistent'} --no-create-home --shell /usr/sbin/nologin ${user}`);
    for (const d of dirs) say(`  mkdir -p ${d} && chown -R ${user}:${user} ${d} && chmod -R go-rwx ${d} && chmod 700 ${d}`);
    return;
  }
  if (idOf(user, '-u') === null) {
    if (p.launchd)
      throw fail(`there is no user ${user}: create it first (sudo sysadminctl -addUser ${user} -fullName "Cairn clinic server" -UID 399 -roleAccount)`);
    run('useradd', ['--system', '--user-group', '--home-dir', dirs[0] ?? '/nonexistent', '--no-create-home', '--shell', '/usr/sbin/nologin', user]);
    say(`Created the system user ${user} (no login, no home of its own).`);
  }
  const uid = idOf(user, '-u');
  const gid = idOf(user, '-g');
  if (uid === null || gid === null) throw fail(`cannot find the user ${user}`);
  for (const d of dirs) {
    mkdirSync(d, { recursive: true, mode: 0o700 });
    giveTo(d, uid, gid);
    say(`${d}: owned by ${user}, mode 0700, nothing in it readable by others.`);
  }
  for (const f of p.tls ? [p.tls.cert, p.tls.key] : []) {
    if (!readableBy(f, uid, gid)) say(`${user} cannot read ${f}: chgrp ${user} ${shellWord(f)} && chmod 640 ${shellWord(f)}`);
  }
}

function readableBy(file: string, uid: number, gid: number): boolean {
  try {
    const st = lstatSync(file);
    return (st.uid === uid && (st.mode & 0o400) !== 0) || (st.gid === gid && (st.mode & 0o040) !== 0) || (st.mode & 0o004) !== 0;
  } catch {
    return false;
  }
}

/** systemd is managing this machine (not a container or a chroot). */
const systemdRunning = (): boolean => existsSync('/run/systemd/system');

function enable(p: Plan, say: (line: string) => void): void {
  const byPath = dirname(p.unitPath) !== '/etc/systemd/system';
  const unit = byPath ? p.unitPath : SYSTEMD_UNIT_NAME;
  if (p.launchd) {
    if (process.platform === 'darwin' && isRoot() && p.enable) {
      run('launchctl', ['bootstrap', 'system', p.unitPath]);
      say(`Started ${LAUNCHD_LABEL} (launchctl bootstrap system ${p.unitPath}).`);
    } else say(`To start it on the Mac, as root: launchctl bootstrap system ${p.unitPath}`);
    return;
  }
  if (!p.enable || !isRoot() || !systemdRunning()) {
    const why = !p.enable ? '--no-enable' : !isRoot() ? 'not running as root' : 'systemd is not running on this machine (a container?)';
    say(`Not enabled (${why}). To enable and start it, as root:`);
    say(`  systemctl daemon-reload && systemctl enable --now ${unit}`);
    return;
  }
  run('systemctl', ['daemon-reload']);
  run('systemctl', ['enable', '--now', unit]);
  say(`Enabled and started ${SYSTEMD_UNIT_NAME}: systemctl status cairn-server; journalctl -u cairn-server`);
}

/** The same service elsewhere, printed for the installer (on Windows, paths are Windows' own: adjust them). */
function elsewhere(p: Plan, say: (line: string) => void): void {
  const base = 'C:\\ProgramData\\Cairn';
  const data = `${base}\\server`;
  const tls = p.tls ? { cert: `${base}\\clinic.crt`, key: `${base}\\clinic.key` } : null;
  const windowsPath = (a: string): string => (a === p.dataDir ? data : a === p.tls?.cert ? tls!.cert : a === p.tls?.key ? tls!.key : a);
  const args = p.spec.serverArgs.filter((a, i, all) => a !== '--log-file' && all[i - 1] !== '--log-file');
  const win: ServiceSpec = {
    ...p.spec,
    node: 'C:\\Program Files\\nodejs\\node.exe',
    script: p.spec.nodeArgs.length > 0 ? 'C:\\Cairn\\electron\\cli\\main.ts' : 'C:\\Cairn\\dist\\cairn.mjs',
    installDir: 'C:\\Cairn',
    serverArgs: args.map(windowsPath),
  };
  say('');
  say('On Windows (cmd.exe as an administrator; NSSM from nssm.cc on the PATH; Cairn installed in C:\\Cairn):');
  const access = { folders: [...(p.dataDir ? [data] : []), `${base}\\logs`], readable: tls ? [tls.key] : [], logDir: `${base}\\logs` };
  for (const line of windowsCommands(win, access)) say(`  ${line}`);
  if (!p.launchd) {
    say('');
    say('On macOS: sudo sysadminctl -addUser _cairn -fullName "Cairn clinic server" -UID 399 -roleAccount, then the same');
    say('  command with --launchd (the daemon in /Library/LaunchDaemons; data in /Library/Application Support/Cairn/server by default).');
  }
}

/** `cairn server install-service …` */
export function serverServiceCommand(args: string[], fail: Fail): number {
  const p = plan(args, fail);
  const lines: string[] = [];
  const say = (line: string): void => void lines.push(line);
  const text = p.launchd ? launchdPlist(p.spec, join(p.logDir ?? '/Library/Logs/Cairn', 'server.err.log')) : systemdUnit(p.spec);
  try {
    if (p.dryRun) {
      say(`Would write ${p.unitPath}:`);
      say('');
      say(text);
      say(
        `Would give ${[p.dataDir, p.logDir].filter(Boolean).join(' and ') || 'no folder'} to ${p.spec.user} (mode 0700) and ${p.enable ? 'enable and start' : 'not start'} the service.`,
      );
      elsewhere(p, say);
      return 0;
    }
    try {
      mkdirSync(dirname(p.unitPath), { recursive: true });
      writeFileSync(p.unitPath, text, { mode: 0o644 });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw fail(
        code === 'EACCES' || code === 'EPERM'
          ? `cannot write ${p.unitPath}: permission denied; run as root (sudo), or give --unit-dir DIR and copy the file there later`
          : `cannot write ${p.unitPath}: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
    say(`Wrote ${p.unitPath}.`);
    prepareFolders(p, say, fail);
    enable(p, say);
    if (!p.dataDir) say(`PostgreSQL: put PGPASSWORD=… in ${SYSTEMD_ENV_FILE} (chown root:root, chmod 600) when the database asks for a password.`);
    elsewhere(p, say);
    return 0;
  } finally {
    process.stdout.write(lines.join('\n') + '\n');
  }
}
