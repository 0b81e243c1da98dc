import { CliError, usageError } from './cli-error';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startCheckpointer } from '../services/db/checkpointer';
import { unlockDatabase, type Store } from '../services/db/open';
import { Hl7Ingest, type IngestOutcome } from '../services/labs/ingest';
import { startMllpListener } from '../services/labs/mllp.listener';
import { defaultResourcesDir } from '../services/paths';
import { createRepos } from '../services/repos';
import { decodeHl7 } from '../../shared/hl7';
import { MLLP_OPTIONS_HELP, mllpSettings } from './mllp-options';
import { secretFrom } from './prompt';

export const HL7_HELP = `  cairn hl7 import --db FILE FILE...
      Receives HL7 v2 messages from files (several per file allowed, each starting with MSH).
      What each message type does. A message about someone no chart matches is never attached to a guess:
      it is held in the unmatched queue (an MDM report: in the documents inbox, unfiled) for a person to attach or dismiss.
        ORU^R01, OUL^R22  results stored on the chart; the order they answer moves to partial or final
        MDM^T02           a report filed as a chart document; an imaging order it names is closed (resulted, final)
        VXU^V04           immunizations offered for reconciliation as pending items, never written as doses
        ADT^A01, ADT^A03  an admission / discharge becomes a care event; a discharge's follow-up is due in 2 business days
        ADT^A04, ADT^A28  updates the chart that matches, or registers the patient when none does
        ADT^A08, ADT^A31  demographic changes offered for review, never applied
        ADT^A40           a merge request held for review: charts are merged only by a person
        REF^I12           an incoming referral awaiting scheduling; its referring provider found or added in the address book
      Any other type or event is stored and answered AR. Prints one JSON line per message
      { file, controlId, type, ack, patientId, queued, results, error? }; exits 1 if any was not AA
      or a file held no message.
  cairn hl7 listen --db FILE --port N [--host 127.0.0.1] [--tls-cert FILE --tls-key FILE]
      [--max-connections N] [--idle-timeout SECONDS] [--max-message-bytes N]
      Runs an MLLP listener that stores, applies and acknowledges each message; prints
      { listening } and then one JSON line per message, until stopped (SIGINT/SIGTERM).
      ${MLLP_OPTIONS_HELP}.`;

function options(args: string[], spec: Record<string, 'string'>): { values: Record<string, string | boolean | undefined>; positionals: string[] } {
  try {
    return parseArgs({ args, options: Object.fromEntries(Object.entries(spec).map(([k, type]) => [k, { type }])), strict: true, allowPositionals: true });
  } catch (e) {
    throw usageError(e);
  }
}

async function open(dbFlag: string | boolean | undefined): Promise<Store> {
  if (typeof dbFlag !== 'string' || dbFlag === '') throw new CliError('missing --db (see cairn --help)', 2);
  const db = resolve(dbFlag);
  if (!existsSync(db)) throw new CliError(`no such database file: ${db}`);
  return (await unlockDatabase(db, await secretFrom('CAIRN_PASSPHRASE', 'clinic passphrase'), { resourcesDir: defaultResourcesDir() })).store;
}

/** The messages in a file: each begins at a line starting with MSH (batch headers are dropped). */
export function splitMessages(text: string): string[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  const out: string[] = [];
  for (const line of lines) {
    if (/^(FHS|BHS|BTS|FTS)\|/.test(line) || line.trim() === '') continue;
    if (line.startsWith('MSH') || out.length === 0) out.push(line);
    else out[out.length - 1] += `\r${line}`;
  }
  return out;
}

function line(file: string | undefined, o: IngestOutcome): string {
  const base = {
    ...(file !== undefined && { file }),
    controlId: o.controlId,
    type: o.type,
    ack: o.ack,
    patientId: o.patientId,
    queued: o.queued,
    results: o.results,
  };
  return JSON.stringify({ ...base, ...(o.duplicate && { duplicate: true }), ...(o.error !== undefined && { error: o.error }) }) + '\n';
}

async function importFiles(args: string[]): Promise<number> {
  const { values, positionals } = options(args, { db: 'string' });
  if (positionals.length === 0) throw new CliError('missing the message files to import (see cairn --help)', 2);
  for (const f of positionals) if (!existsSync(f)) throw new CliError(`no such file: ${f}`, 2);
  const store = await open(values['db']);
  try {
    const ingest = new Hl7Ingest(createRepos(store));
    let allAccepted = true;
    for (const file of positionals) {
      // A file is read in the character set its first message names (a batch comes from one system).
      const d = decodeHl7(readFileSync(file));
      const messages = splitMessages(d.text);
      if (messages.length === 0) {
        // Nothing to acknowledge is not success: say so, as a line like the others.
        allAccepted = false;
        process.stdout.write(
          JSON.stringify({ file, ack: null, results: 0, error: 'the file is empty: it holds no HL7 message (none begins with MSH)' }) + '\n',
        );
        continue;
      }
      for (const message of messages) {
        const o = ingest.receive(message, resolve(file), d.ok ? undefined : d.reason);
        allAccepted &&= o.ack === 'AA';
        process.stdout.write(line(file, o));
      }
    }
    return allAccepted ? 0 : 1;
  } finally {
    store.close();
  }
}

async function listen(args: string[]): Promise<number> {
  const { values } = options(args, {
    db: 'string',
    port: 'string',
    host: 'string',
    'tls-cert': 'string',
    'tls-key': 'string',
    'max-connections': 'string',
    'idle-timeout': 'string',
    'max-message-bytes': 'string',
  });
  const port = Number(values['port']);
  if (values['port'] === undefined || !Number.isInteger(port) || port < 0 || port > 65535)
    throw new CliError(`invalid or missing --port "${String(values['port'] ?? '')}"`, 2);
  // Checked before the database is opened: a refused host costs nothing.
  const settings = mllpSettings(values, '', (m) => new CliError(m.replace(/--mllp-/g, '--'), 2));
  const store = await open(values['db']);
  // Checkpoints run on the other core, so the listener's thread only parses, stores and commits.
  const checkpointer = startCheckpointer(store, { onError: (m) => void process.stderr.write(`cairn: checkpoint: ${m}\n`) });
  try {
    const listener = await startMllpListener(new Hl7Ingest(createRepos(store)), {
      port,
      ...settings,
      onMessage: (o, peer) => void process.stdout.write(line(undefined, o).replace(/^\{/, `{"peer":${JSON.stringify(peer)},`)),
      onProblem: (p, peer) => void process.stderr.write(`cairn: ${peer}: ${p}\n`),
    });
    process.stdout.write(JSON.stringify({ listening: listener.port }) + '\n');
    await new Promise<void>((done) => {
      process.once('SIGINT', () => done());
      process.once('SIGTERM', () => done());
    });
    await listener.close();
    return 0;
  } finally {
    await checkpointer.stop();
    store.close();
  }
}

/** `cairn hl7 import|listen`. */
export async function hl7Command(sub: string | undefined, args: string[]): Promise<number> {
  if (sub === 'import') return importFiles(args);
  if (sub === 'listen') return listen(args);
  throw new CliError(`unknown command "hl7${sub ? ` ${sub}` : ''}" (see cairn --help)`, 2);
}
