import { randomBytes } from 'node:crypto';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { serverServiceCommand } from '../../electron/cli/server-service.commands';
import { cairn } from '../helpers/cli';
import { tempDir } from '../helpers/temp-db';

/**
 * `cairn server install-service`: the systemd unit it writes is checked by systemd's own
 * `systemd-analyze verify` and `security --offline`, its ExecStart is run as the service's user
 * and serves /health and /ready, the data directory is handed over owner-only, and the launchd
 * property list is read by a real plist parser. Never --enable here: no systemctl is ever called
 * (this machine has no systemd as PID 1 anyway).
 */

const ROOT = process.getuid?.() === 0;
const NOBODY = { uid: 65534, gid: 65534 };
const MAIN = resolve('electron/cli/main.ts');
// ProtectHome=yes hides /home and /root from the service: install-service refuses a Cairn installed there.
const REPO_HIDDEN = /^\/(home|root|run\/user)\//.test(`${process.cwd()}/`);

function analyze(args: string[], cwd: string): { code: number; out: string; err: string } {
  const r = spawnSync('systemd-analyze', args, { cwd, encoding: 'utf8' });
  if (r.error) throw new Error(`systemd-analyze could not run (apt-get install systemd): ${r.error.message}`);
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

/** One ExecStart= line split into words as systemd does for what install-service writes (systemd.syntax(7): quotes, C escapes, %% and $$). */
function execWords(line: string): string[] {
  const words: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
  for (let m = re.exec(line); m; m = re.exec(line)) {
    const w = m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2]!;
    words.push(w.replaceAll('%%', '%').replaceAll('$$', '$'));
  }
  return words;
}

function unitValue(unit: string, key: string): string {
  const line = unit.split('\n').find((l) => l.startsWith(`${key}=`));
  if (!line) throw new Error(`no ${key}= in the unit`);
  return line.slice(key.length + 1);
}

/** The uid and gid of an account, or null when there is none. */
function ids(user: string): { uid: number; gid: number } | null {
  const r = spawnSync('id', [user], { encoding: 'utf8' });
  const m = /uid=(\d+).*gid=(\d+)/.exec(r.stdout);
  return r.status === 0 && m ? { uid: Number(m[1]), gid: Number(m[2]) } : null;
}

describe('cairn server install-service (systemd, launchd)', () => {
  const t = tempDir('cairn-service-');
  // As root the command creates the service's own system user, as it does on a clinic server; removed afterwards.
  const user = ROOT ? `cairnt${randomBytes(3).toString('hex')}` : (process.env['USER'] ?? 'cairn');
  afterAll(() => {
    if (ROOT && ids(user)) spawnSync('userdel', [user]);
    t.cleanup();
  });

  it('--dry-run prints a unit that systemd-analyze verifies clean, and writes or changes nothing', () => {
    const units = join(t.dir, 'dry-units');
    const data = join(t.dir, 'dry-data');
    const r = cairn(['server', 'install-service', '--dry-run', '--unit-dir', units, '--data-dir', data]);
    if (REPO_HIDDEN) {
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/ProtectHome/);
      return;
    }
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain(`Would write ${join(units, 'cairn-server.service')}`);
    expect(existsSync(units)).toBe(false);
    expect(existsSync(data)).toBe(false);
    const unit = r.out.slice(r.out.indexOf('# Written by'), r.out.indexOf('WantedBy=multi-user.target') + 'WantedBy=multi-user.target\n'.length);
    expect(unitValue(unit, 'User')).toBe('cairn');
    expect(execWords(unitValue(unit, 'ExecStart'))).toEqual([process.execPath, '--import', 'tsx', MAIN, 'server', '--data-dir', data, '--port', '8443']);
    mkdirSync(join(t.dir, 'verify-dry'));
    writeFileSync(join(t.dir, 'verify-dry', 'cairn-server.service'), unit);
    const v = analyze(['verify', '--man=no', './cairn-server.service'], join(t.dir, 'verify-dry'));
    expect(v.err).toBe('');
    expect(v.code).toBe(0);
    // And the other systems' equivalents are printed, Windows through a service host (node.exe alone would be stopped with error 1053).
    expect(r.out).toContain('nssm install CairnServer "C:\\Program Files\\nodejs\\node.exe" --import tsx C:\\Cairn\\electron\\cli\\main.ts server');
    expect(r.out).toContain('sc.exe config CairnServer obj= "NT SERVICE\\CairnServer"');
    expect(r.out).toContain('icacls C:\\ProgramData\\Cairn\\server /inheritance:r /grant:r "NT SERVICE\\CairnServer:(OI)(CI)F"');
    expect(r.out).not.toMatch(/sc(\.exe)? create/);
    expect(r.out).toMatch(/On macOS: .*sysadminctl -addUser _cairn .*-roleAccount/);
  });

  it('writes the unit, hands the data directory to the service user owner-only, and the unit passes verify and the security review', async () => {
    if (REPO_HIDDEN) return void expect(cairn(['server', 'install-service', '--no-enable', '--unit-dir', t.dir]).code).toBe(2);
    const units = join(t.dir, 'units');
    const data = join(t.dir, 'data');
    const logs = join(t.dir, 'logs');
    // What an older install or a wide umask left: a world-readable folder and file.
    mkdirSync(join(data, 'old'), { recursive: true, mode: 0o755 });
    writeFileSync(join(data, 'old', 'notes.txt'), 'synthetic', { mode: 0o644 });
    chmodSync(data, 0o755);
    chmodSync(join(data, 'old'), 0o755);
    // The temp folder itself must let the service user reach its data (mkdtemp makes it 0700).
    chmodSync(t.dir, 0o755);
    const port = await freePort();
    expect(ids(user) === null).toBe(ROOT);
    const r = cairn([
      'server',
      'install-service',
      '--no-enable',
      '--unit-dir',
      units,
      '--data-dir',
      data,
      '--user',
      user,
      '--port',
      String(port),
      '--log-file',
      join(logs, 'server.log'),
    ]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain(`Wrote ${join(units, 'cairn-server.service')}.`);
    expect(r.out).toMatch(/Not enabled \(--no-enable\)/);
    expect(r.out).toContain(`systemctl daemon-reload && systemctl enable --now ${join(units, 'cairn-server.service')}`);
    const unit = readFileSync(join(units, 'cairn-server.service'), 'utf8');
    for (const line of [
      `User=${user}`,
      'NoNewPrivileges=yes',
      'ProtectSystem=strict',
      `ReadWritePaths=${data} ${logs}`,
      'PrivateTmp=yes',
      'ProtectHome=yes',
      'UMask=0077',
      'Restart=on-failure',
      'CapabilityBoundingSet=',
    ])
      expect(unit.split('\n')).toContain(line);
    expect(statSync(join(units, 'cairn-server.service')).mode & 0o777).toBe(0o644);
    if (ROOT) {
      expect(r.out).toContain(`Created the system user ${user}`);
      const account = ids(user)!;
      expect(account.uid).toBeGreaterThan(0);
      expect(readFileSync('/etc/passwd', 'utf8')).toMatch(new RegExp(`^${user}:x:${account.uid}:${account.gid}:.*:/usr/sbin/nologin$`, 'm'));
      for (const p of [data, join(data, 'old'), join(data, 'old', 'notes.txt'), logs]) {
        const st = statSync(p);
        expect([st.uid, st.gid], p).toEqual([account.uid, account.gid]);
        expect(st.mode & 0o077, p).toBe(0);
      }
      expect(statSync(data).mode & 0o777).toBe(0o700);
      expect(r.out).toContain(`${data}: owned by ${user}, mode 0700`);
    } else {
      expect(r.out).toContain('Not running as root');
    }

    const v = analyze(['verify', '--man=no', './cairn-server.service'], units);
    expect(v.err).toBe('');
    expect(v.code).toBe(0);
    const sec = analyze(['security', '--offline=yes', '--no-pager', './cairn-server.service'], units);
    const level = /Overall exposure level for cairn-server\.service: ([\d.]+) (\w+)/.exec(sec.out + sec.err);
    expect(level, sec.out + sec.err).not.toBeNull();
    expect(Number(level![1])).toBeLessThanOrEqual(2);
    expect(level![2]).toBe('OK');

    // A broken copy is flagged: a misspelt hardening key, a mode that is not one, a program that is not there.
    const broken = join(t.dir, 'broken');
    mkdirSync(broken);
    copyFileSync(join(units, 'cairn-server.service'), join(broken, 'cairn-server.service'));
    const text = unit.replace('ProtectSystem=strict', 'ProtectSytem=strict').replace('UMask=0077', 'UMask=0o77');
    writeFileSync(join(broken, 'cairn-server.service'), text.replace(/^ExecStart=\S+/m, 'ExecStart=/nonexistent/node'));
    const b = analyze(['verify', '--man=no', './cairn-server.service'], broken);
    expect(b.err).toMatch(/Unknown key 'ProtectSytem'/);
    expect(b.err).toMatch(/Failed to parse mode value/);
    expect(b.err).toMatch(/\/nonexistent\/node is not executable/);
    expect(b.code).not.toBe(0);
  });

  it("the unit's ExecStart, run as its user in its working directory, serves /health and /ready and keeps its files owner-only", async () => {
    if (REPO_HIDDEN) return;
    const unit = readFileSync(join(t.dir, 'units', 'cairn-server.service'), 'utf8');
    const [node, ...args] = execWords(unitValue(unit, 'ExecStart'));
    const env: Record<string, string> = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: '/nonexistent' };
    for (const pair of unitValue(unit, 'Environment').split(' ')) env[pair.split('=')[0]!] = pair.split('=')[1]!;
    const account = ROOT ? ids(user) : null;
    if (ROOT) expect(account).not.toBeNull();
    const child = spawn(node!, args, { cwd: unitValue(unit, 'WorkingDirectory'), env, stdio: ['ignore', 'pipe', 'pipe'], ...(account ?? {}) });
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    try {
      const first = await new Promise<string>((res, rej) => {
        child.stdout.once('data', (c: Buffer) => res(c.toString()));
        child.once('exit', (code) => rej(new Error(`the service's command exited (${code}): ${err}`)));
      });
      const url = String((JSON.parse(first.split('\n')[0]!) as { listening: string }).listening);
      expect((await fetch(`${url}/health`)).status).toBe(200);
      const ready = await fetch(`${url}/ready`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ ready: true });
      await fetch(`${url}/sync/pull`);
    } finally {
      const exited = new Promise<number | null>((r) => child.once('exit', r));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
    const data = join(t.dir, 'data');
    const files = readdirSync(data, { recursive: true }).map((f) => join(data, String(f)));
    expect(files.length).toBeGreaterThan(10);
    for (const f of files) {
      const st = statSync(f);
      expect(st.mode & 0o077, f).toBe(0);
      if (account) expect(st.uid, f).toBe(account.uid);
    }
    // The request log went to the rotated file given at install.
    const log = readFileSync(join(t.dir, 'logs', 'current.log'), 'utf8');
    expect(log).toContain('"route":"/sync/pull","status":401');
  });

  it('refuses what would not run or would leak: root, nobody, a password in the URL, data the service cannot see, plain HTTP on the network', () => {
    const refuse = (args: string[], message: RegExp): void => {
      let thrown: { message: string; code?: number } | null = null;
      try {
        serverServiceCommand(['--dry-run', ...args], (m, code) => Object.assign(new Error(m), { code }));
      } catch (e) {
        thrown = e as { message: string; code?: number };
      }
      expect(thrown, args.join(' ')).not.toBeNull();
      expect(thrown!.code).toBe(2);
      expect(thrown!.message).toMatch(message);
    };
    refuse(['--user', 'root'], /must not run as root/);
    refuse(['--user', 'nobody'], /nobody is shared by every program/);
    refuse(['--user', 'bad user'], /invalid --user/);
    refuse(
      ['--database-url', 'postgres://cairn:s3cret-pw@db.clinic.lan/cairn'],
      /take the password out of --database-url.*PGPASSWORD=.*\/etc\/cairn\/server\.env/,
    );
    refuse(['--data-dir', '/home/alice/cairn-data'], /cannot see \/home\/alice\/cairn-data.*ProtectHome/);
    refuse(['--host', '0.0.0.0'], /needs the clinic certificate/);
    refuse(['--tls-cert', '/etc/cairn/clinic.crt'], /give both --tls-cert and --tls-key/);
    refuse(['--port', '70000'], /invalid --port/);
    refuse(['stray', '--', '--mllp-port', '2575'], /unexpected "stray"/);
  });

  it('PostgreSQL: the URL without its password, extra server flags after --, and no folder to write', () => {
    if (REPO_HIDDEN) return;
    const r = cairn(['server', 'install-service', '--dry-run', '--database-url', 'postgres://cairn@db.clinic.lan/cairn', '--', '--mllp-port', '2575']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const exec = execWords(unitValue(r.out, 'ExecStart'));
    expect(exec.slice(exec.indexOf('server'))).toEqual([
      'server',
      '--database-url',
      'postgres://cairn@db.clinic.lan/cairn',
      '--port',
      '8443',
      '--mllp-port',
      '2575',
    ]);
    expect(r.out).not.toMatch(/^ReadWritePaths=/m);
    expect(unitValue(r.out, 'EnvironmentFile')).toBe('-/etc/cairn/server.env');
  });

  it('not run as root: writes the unit where it may, changes no ownership, and says what root must run', () => {
    if (REPO_HIDDEN) return;
    const units = join(t.dir, 'user-units');
    const data = join(t.dir, 'user-data');
    chmodSync(t.dir, 0o755);
    mkdirSync(units, { mode: 0o777 });
    chmodSync(units, 0o777);
    mkdirSync(data, { mode: 0o755 });
    chmodSync(data, 0o755);
    // As root, the command itself runs as nobody; otherwise as this (non-root) user.
    const r = spawnSync(process.execPath, ['--import', 'tsx', MAIN, 'server', 'install-service', '--no-enable', '--unit-dir', units, '--data-dir', data], {
      encoding: 'utf8',
      env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: '/nonexistent' },
      ...(ROOT && NOBODY),
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Not running as root, so cairn was not created');
    expect(r.stdout).toContain(`useradd --system --user-group --home-dir ${data} --no-create-home --shell /usr/sbin/nologin cairn`);
    expect(r.stdout).toContain(`chown -R cairn:cairn ${data}`);
    expect(existsSync(join(units, 'cairn-server.service'))).toBe(true);
    expect(statSync(data).mode & 0o777).toBe(0o755);
  });

  it('writes a property list that a plist parser reads: its own user, owner-only umask, restarted on failure, rotated log', () => {
    if (REPO_HIDDEN) return;
    const dir = join(t.dir, 'launchd');
    const data = join(dir, 'Cairn Server');
    const logFile = join(dir, 'logs', 'server.log');
    const r = cairn(['server', 'install-service', '--launchd', '--no-enable', '--unit-dir', dir, '--data-dir', data, '--user', user, '--log-file', logFile]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const file = join(dir, 'org.cairn.clinic-server.plist');
    const parsed = JSON.parse(
      execFileSync('python3', ['-c', 'import json,plistlib,sys; print(json.dumps(plistlib.load(open(sys.argv[1], "rb"))))', file], { encoding: 'utf8' }),
    ) as Record<string, unknown>;
    expect(parsed).toMatchObject({
      Label: 'org.cairn.clinic-server',
      UserName: user,
      Umask: 0o077,
      RunAtLoad: true,
      KeepAlive: { SuccessfulExit: false },
      WorkingDirectory: process.cwd(),
      StandardErrorPath: join(dir, 'logs', 'server.err.log'),
    });
    expect(parsed['ProgramArguments']).toEqual([
      process.execPath,
      '--import',
      'tsx',
      MAIN,
      'server',
      '--data-dir',
      data,
      '--port',
      '8443',
      '--log-file',
      logFile,
    ]);
    expect(r.out).toContain(`launchctl bootstrap system ${file}`);
    // A broken copy is refused by the same parser.
    writeFileSync(join(dir, 'broken.plist'), readFileSync(file, 'utf8').replace('</dict>\n</plist>', '</plist>'));
    const b = spawnSync('python3', ['-c', 'import plistlib,sys; plistlib.load(open(sys.argv[1], "rb"))', join(dir, 'broken.plist')], { encoding: 'utf8' });
    expect(b.status).not.toBe(0);
  });
});
