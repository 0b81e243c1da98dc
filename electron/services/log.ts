import { destination, pino, type DestinationStream, type Logger } from 'pino';

/**
 * Structured logs that never carry PHI. Call sites log codes, channels, ids and counts only;
 * as a second guard, any field that could hold PHI is censored wherever it appears.
 */
const PHI_FIELDS = [
  'givenName',
  'familyName',
  'middleName',
  'preferredName',
  'name',
  'birthDate',
  'phone',
  'email',
  'address',
  'mrn',
  'identifiers',
  'insurance',
  'content',
  'text',
  'note',
  'reason',
  'substance',
  'query',
  'input',
  'password',
  'passphrase',
  'detail',
];

export function createLogger(opts: { level?: string; destination?: DestinationStream } = {}): Logger {
  return pino(
    {
      level: opts.level ?? process.env['CAIRN_LOG_LEVEL'] ?? 'info',
      base: { app: 'cairn' },
      redact: { paths: [...PHI_FIELDS, ...PHI_FIELDS.map((f) => `*.${f}`)], censor: '[redacted]' },
    },
    opts.destination ?? destination(2),
  );
}

/** Quiet by default (the CLI's stderr is for one-line errors); CAIRN_LOG_LEVEL turns it on. */
export const silentLogger: Logger = pino({ level: 'silent' });
