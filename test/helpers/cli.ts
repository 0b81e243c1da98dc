import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';

export const CLI_ENV = { CAIRN_PASSPHRASE: 'cli test passphrase', CAIRN_ADMIN_PASSWORD: 'cli admin password' };

/** Runs the real CLI as `npm run -s cairn` does (tsx on electron/cli/main.ts). */
export function cairn(args: string[], extraEnv: Record<string, string> = {}): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', resolve('electron/cli/main.ts'), ...args], {
    env: { ...process.env, ...CLI_ENV, ...extraEnv },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

/**
 * The real CLI, run without blocking this process (`cairn()` uses spawnSync, which would stop the
 * test's own servers from answering the command it runs).
 */
export function cairnAsync(args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', resolve('electron/cli/main.ts'), ...args], {
    env: { ...process.env, ...CLI_ENV, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  return new Promise((res) => child.once('close', (code) => res({ code: code ?? -1, out, err })));
}

/** Starts `cairn server …` as a child process and waits for its "listening" line. */
export async function cliServer(args: string[]): Promise<{ url: string; first: Record<string, unknown>; child: ChildProcess; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', resolve('electron/cli/main.ts'), 'server', ...args], {
    env: { ...process.env, ...CLI_ENV },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const first = await new Promise<Record<string, unknown>>((res, rej) => {
    const lines = createInterface({ input: child.stdout });
    lines.once('line', (l) => res(JSON.parse(l) as Record<string, unknown>));
    child.once('exit', (code) => rej(new Error(`cairn server exited (${code}): ${err}`)));
  });
  return {
    url: String(first['listening']),
    first,
    child,
    stop: () =>
      new Promise((res) => {
        if (child.exitCode !== null) return res();
        child.once('exit', () => res());
        child.kill('SIGTERM');
      }),
  };
}
