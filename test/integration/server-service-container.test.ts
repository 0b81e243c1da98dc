import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { builtinModules } from 'node:module';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { validate } from 'dockerfile-utils';
import yaml from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshPostgresDb } from '../helpers/sync-server';
import { tempDir } from '../helpers/temp-db';

/**
 * The container definition, checked as far as this machine can (base images cannot be pulled
 * here, so the image itself is built on a networked machine): deploy/Containerfile lints clean with
 * dockerfile-utils and follows our rules (node:20-slim, a non-root user, a HEALTHCHECK on /health,
 * no secret), .dockerignore lets in only what it copies, compose.yaml parses and holds no password;
 * and the image's own steps run here: its bundle command builds the server, whose packages are all
 * runtime dependencies, and its entrypoint starts it on PostgreSQL over TLS with the password read
 * from a secret file, never on the command line, while its HEALTHCHECK command tells up from down.
 */

const CONTAINERFILE = readFileSync('deploy/Containerfile', 'utf8');

/** Instructions with their line continuations joined: [keyword, rest]. */
function instructions(text: string): [string, string][] {
  return text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const [k, ...rest] = l.split(/\s+/);
      return [k!.toUpperCase(), rest.join(' ')];
    });
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

describe('deploy/Containerfile', () => {
  it('lints clean with dockerfile-utils, and a broken copy is flagged on its lines', () => {
    expect(validate(CONTAINERFILE)).toEqual([]);
    const broken = CONTAINERFILE.replace('FROM node:20-slim AS build', 'FORM node:20-slim AS build').replace('--interval=30s', '--interval=30x');
    const problems = validate(broken).map((d) => `${d.range.start.line + 1}: ${typeof d.message === 'string' ? d.message : d.message.value}`);
    const line = (needle: string): number => broken.split('\n').findIndex((l) => l.includes(needle)) + 1;
    expect(problems).toContain(`${line('FORM node')}: Unknown instruction: FORM`);
    expect(problems).toContain(`${line('--interval=30x')}: time: unknown unit x in duration 30x`);
  });

  it('builds on node:20-slim, runs as a non-root user with a data volume and a /health check, and bakes in no secret', () => {
    const all = instructions(CONTAINERFILE);
    const froms = all.filter(([k]) => k === 'FROM').map(([, v]) => v.split(/\s+/)[0]);
    expect(froms).toEqual(['node:20-slim', 'node:20-slim']);
    const final = all.slice(all.map(([k]) => k).lastIndexOf('FROM'));
    const users = final.filter(([k]) => k === 'USER').map(([, v]) => v);
    expect(users).toEqual(['cairn']);
    const at = (k: string): number => final.findIndex(([x]) => x === k);
    expect(at('USER')).toBeLessThan(at('ENTRYPOINT'));
    expect(final.find(([k]) => k === 'VOLUME')?.[1]).toBe('["/var/lib/cairn"]');
    expect(final.find(([k]) => k === 'HEALTHCHECK')?.[1]).toMatch(/CMD \[.*\/health/);
    for (const [k, v] of all.filter(([k]) => k === 'ENV' || k === 'ARG')) expect(v, `${k} ${v}`).not.toMatch(/(PASSWORD|SECRET|TOKEN|_KEY)[A-Z_]*=/i);
    const copies = all.filter(([k, v]) => k === 'COPY' && !v.startsWith('--from'));
    for (const [, v] of copies) expect(v).not.toMatch(/secrets|\.key\b|\.pem\b|\.cairn\b/);
    // .dockerignore is an allow-list that lets in exactly what is copied from the build context.
    const ignore = readFileSync('.dockerignore', 'utf8')
      .split('\n')
      .filter((l) => l && !l.startsWith('#'));
    expect(ignore[0]).toBe('**');
    const allowed = ignore.slice(1).map((l) => l.replace(/^!/, ''));
    const sources = copies.flatMap(([, v]) => v.split(/\s+/).slice(0, -1)).map((s) => s.replace(/^\.\//, '').replace(/\/$/, ''));
    expect(new Set(sources)).toEqual(new Set(allowed));
  });
});

describe('deploy/compose.yaml', () => {
  const compose = yaml.load(readFileSync('deploy/compose.yaml', 'utf8')) as {
    services: Record<string, { image?: string; environment?: Record<string, string>; secrets?: string[]; ports?: string[]; build?: unknown }>;
    secrets: Record<string, { file: string }>;
  };

  it('parses: the server and PostgreSQL as separate containers, the database unpublished, every secret a file kept out of git', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['db', 'server']);
    const { server, db } = compose.services;
    expect(server!.build).toEqual({ context: '..', dockerfile: 'deploy/Containerfile' });
    expect(db!.image).toMatch(/^postgres:\d+/);
    expect(db!.ports).toBeUndefined();
    expect(new URL(server!.environment!['CAIRN_DATABASE_URL']!).password).toBe('');
    expect(server!.environment!['CAIRN_DB_PASSWORD_FILE']).toBe('/run/secrets/postgres_password');
    expect(db!.environment!['POSTGRES_PASSWORD_FILE']).toBe('/run/secrets/postgres_password');
    for (const s of Object.values(compose.secrets)) {
      expect(s.file).toMatch(/^\.\/secrets\//);
      const ignored = spawnSync('git', ['check-ignore', '-q', join('deploy', s.file)]);
      expect(ignored.status, `${s.file} must be ignored by git`).toBe(0);
    }
  });

  it('holds no literal password anywhere', () => {
    // Every variable that names a password, secret or token points at a mounted secret file.
    const env = Object.values(compose.services).flatMap((svc) => Object.entries(svc.environment ?? {}));
    const sensitive = env.filter(([k]) => /PASSWORD|SECRET|TOKEN/i.test(k));
    expect(sensitive.length).toBe(2);
    for (const [k, v] of sensitive) expect(`${k}=${v}`).toMatch(/^[A-Z_]+_FILE=\/run\/secrets\/[a-z_]+$/);
    // And nowhere a key named like one, or a URL carrying credentials.
    const walk = (v: unknown, path: string): void => {
      if (typeof v === 'string') expect(v, path).not.toMatch(/:\/\/[^/@:\s]+:[^@/\s]+@/);
      else if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${path}[${i}]`));
      else if (v && typeof v === 'object')
        for (const [k, x] of Object.entries(v)) {
          expect(k, path).not.toMatch(/^(password|passwd|pass|token|secret)$/i);
          walk(x, `${path}.${k}`);
        }
    };
    walk(compose, 'compose');
    // The test can fail: the same walk on a compose file with a password in it.
    const leaky = { ...compose, services: { db: { environment: { DATABASE_URL: 'postgres://cairn:hunter2@db/cairn' } } } };
    expect(() => walk(leaky, 'leaky')).toThrow();
  });
});

describe("the image's build and start steps, run here", () => {
  const t = tempDir('cairn-container-');
  // Inside the repository, so the bundle finds node_modules and resources/ as it does in /app.
  const outDir = resolve('out', `container-test-${process.pid}`);
  const bundle = join(outDir, 'dist', 'cairn.mjs');
  let pgdb: Awaited<ReturnType<typeof freshPostgresDb>>;
  let child: ChildProcess | undefined;

  beforeAll(async () => {
    pgdb = await freshPostgresDb();
  });
  afterAll(async () => {
    if (child && child.exitCode === null) {
      const gone = new Promise((r) => child!.once('exit', r));
      child.kill('SIGTERM');
      await gone;
    }
    await pgdb?.drop();
    rmSync(outDir, { recursive: true, force: true });
    t.cleanup();
  });

  it("the Containerfile's bundle command builds the server, and every package it imports is a runtime dependency", () => {
    const run = instructions(CONTAINERFILE).find(([k, v]) => k === 'RUN' && v.includes('esbuild'))![1];
    const args = run
      .split(/\s+/)
      .slice(2)
      .map((a) => (a.startsWith('--outfile=') ? `--outfile=${bundle}` : a));
    expect(run.split(/\s+/).slice(0, 2)).toEqual(['npx', 'esbuild']);
    mkdirSync(outDir, { recursive: true });
    execFileSync(resolve('node_modules/.bin/esbuild'), [...args, `--metafile=${join(outDir, 'meta.json')}`, '--log-level=warning'], { stdio: 'inherit' });
    const meta = JSON.parse(readFileSync(join(outDir, 'meta.json'), 'utf8')) as { inputs: Record<string, { imports: { path: string; external?: boolean }[] }> };
    const builtins = new Set(builtinModules);
    const packages = new Set<string>();
    for (const input of Object.values(meta.inputs))
      for (const i of input.imports) {
        if (!i.external || i.path.startsWith('.') || i.path.startsWith('node:') || builtins.has(i.path)) continue;
        packages.add(i.path.startsWith('@') ? i.path.split('/').slice(0, 2).join('/') : i.path.split('/')[0]!);
      }
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { dependencies: Record<string, string> };
    expect(packages.size).toBeGreaterThan(5);
    // `npm ci --omit=dev` in the image must be enough.
    expect([...packages].filter((p) => !(p in pkg.dependencies))).toEqual([]);
    // Relative imports esbuild lists as external are type-only: none survives in the bundle.
    expect(readFileSync(bundle, 'utf8')).not.toMatch(/^import .* from "\.\.?\//m);
  });

  it('the entrypoint starts it on PostgreSQL over TLS, the password read from its secret file and on no command line; HEALTHCHECK tells up from down', async () => {
    const cert = join(t.dir, 'clinic.crt');
    const key = join(t.dir, 'clinic.key');
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=localhost'],
      { stdio: 'ignore' },
    );
    const secret = join(t.dir, 'postgres_password');
    writeFileSync(secret, 'synthetic-db-pass-7Hq2', { mode: 0o400 });
    const port = await freePort();
    const env = {
      PATH: process.env['PATH'] ?? '/usr/bin:/bin',
      CAIRN_APP: bundle,
      CAIRN_DATABASE_URL: pgdb.url,
      CAIRN_DB_PASSWORD_FILE: secret,
      CAIRN_TLS_CERT: cert,
      CAIRN_TLS_KEY: key,
      CAIRN_HOST: '127.0.0.1',
      CAIRN_PORT: String(port),
      CAIRN_LOG_LEVEL: 'info',
    };
    const c = spawn('/bin/sh', ['deploy/container-entrypoint.sh'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    child = c;
    let err = '';
    c.stderr.on('data', (b: Buffer) => (err += b.toString()));
    const first = await new Promise<{ listening: string; database: string }>((res, rej) => {
      createInterface({ input: c.stdout }).once('line', (l) => res(JSON.parse(l) as { listening: string; database: string }));
      c.once('exit', (code) => rej(new Error(`the entrypoint exited (${code}): ${err}`)));
    });
    expect(first).toEqual({ listening: `https://127.0.0.1:${port}`, database: 'postgresql' });
    // exec: the entrypoint's process is node's now; its command line has no password, its environment has it.
    const cmdline = readFileSync(`/proc/${c.pid}/cmdline`, 'utf8').split('\0');
    expect(cmdline).toContain('--database-url');
    expect(cmdline.join(' ')).not.toContain('synthetic-db-pass-7Hq2');
    expect(readFileSync(`/proc/${c.pid}/environ`, 'utf8').split('\0')).toContain('PGPASSWORD=synthetic-db-pass-7Hq2');

    const healthcheck = (): number => {
      const cmd = JSON.parse(/HEALTHCHECK .*?CMD (\[.*\])/.exec(CONTAINERFILE.replace(/\\\n\s*/g, ''))![1]!) as string[];
      return spawnSync(cmd[0]!, cmd.slice(1), { env: { ...env }, timeout: 20_000 }).status ?? -1;
    };
    expect(healthcheck()).toBe(0);
    const ready = spawnSync(process.execPath, [
      '-e',
      `require('https').get('https://127.0.0.1:${port}/ready',{rejectUnauthorized:false},r=>{let b='';r.on('data',c=>b+=c);r.on('end',()=>{console.log(r.statusCode,b)})})`,
    ]);
    expect(ready.stdout.toString()).toMatch(/^200 \{"ready":true/);

    const gone = new Promise<number | null>((r) => c.once('exit', r));
    c.kill('SIGTERM');
    expect(await gone).toBe(0);
    expect(healthcheck()).toBe(1);
  });

  it('the entrypoint will not serve plain HTTP on the network unless told it sits behind a TLS proxy', () => {
    const r = spawnSync('/bin/sh', ['deploy/container-entrypoint.sh'], {
      env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', CAIRN_APP: bundle, CAIRN_DATA_DIR: join(t.dir, 'data'), CAIRN_PORT: '0' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/refusing to serve patient data over plain HTTP on 0\.0\.0\.0/);
  });
});
