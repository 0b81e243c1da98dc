import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';

/** Asks for a secret on a TTY without echoing it. */
export function promptHidden(question: string): Promise<string> {
  let muted = false;
  const out = new Writable({
    write(chunk: Buffer, _enc, cb): void {
      if (!muted) process.stderr.write(chunk);
      cb();
    },
  });
  const rl = createInterface({ input: process.stdin, output: out, terminal: true });
  return new Promise((resolve) => {
    rl.question(question, (answer) => {
      rl.close();
      process.stderr.write('\n');
      resolve(answer);
    });
    muted = true;
  });
}

/**
 * A secret from an environment variable, else a prompt on a TTY (asked twice when `confirm`),
 * else a clear failure: a script with no TTY must set the variable.
 */
export async function secretFrom(envName: string, label: string, confirm = false): Promise<string> {
  const fromEnv = process.env[envName];
  if (fromEnv) return fromEnv;
  if (!process.stdin.isTTY) throw new Error(`${label} required: set ${envName} or run on a terminal to be asked`);
  const first = await promptHidden(`${label}: `);
  if (confirm && (await promptHidden(`${label} again: `)) !== first) throw new Error(`the two ${label}s differ`);
  return first;
}
