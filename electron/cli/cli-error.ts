/**
 * The one failure a `cairn` command reports as one line on stderr (`cairn: <message>`) and a
 * non-zero exit code: 1 unless the command says otherwise (2 for a usage error, 3 for a broken
 * audit chain…). Anything else thrown is reported the same way with exit code 1.
 */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

/** The exit code a failure ends the command with. */
export function exitCodeOf(e: unknown): number {
  return e instanceof CliError ? e.exitCode : 1;
}

/** A command line node:util parseArgs refused, as one line a person can act on (exit code 2). */
export function usageError(e: unknown): CliError {
  const msg = e instanceof Error ? e.message.split('\n')[0]! : String(e);
  const unknown = /Unknown option '([^']+)'/.exec(msg);
  return new CliError(unknown ? `unknown option ${unknown[1]} (see cairn --help)` : `${msg} (see cairn --help)`, 2);
}
