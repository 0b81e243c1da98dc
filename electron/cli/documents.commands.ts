import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { DOCUMENT_CATEGORIES, DOCUMENT_MAX_BYTES, tooLargeMessage } from '../../shared/domain/records';
import { DocumentsService } from '../services/records/documents.service';
import { ScanInbox } from '../services/records/scan-inbox';
import { CliError } from './cli-error';
import { need, parse, print, withSession } from './cli-session';

export const DOCUMENTS_HELP = `  cairn documents attach --db FILE --patient ID --category C --title T [--date YYYY-MM-DD] [--source S] FILE
      Attaches a PDF or image (JPEG, PNG, TIFF; at most 32 MB) to a chart and prints it as JSON.
      Categories: ${DOCUMENT_CATEGORIES.join(', ')}.
  cairn documents inbox --db FILE --dir DIR
      Takes the scanner/fax folder's files once into the unfiled queue (staff file them into charts):
      one JSON line per file, kept (moved to DIR/filed-into-cairn) or refused (moved to DIR/refused
      with a note saying why). A file still being written is left for the next run.
  cairn documents list --db FILE --patient ID
      Prints a chart's documents as JSON, newest document date first.`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function patientFlag(v: string | boolean | undefined): string {
  const id = need(v, '--patient');
  if (!UUID.test(id)) throw new CliError(`--patient takes the patient's id (a UUID, as cairn patients search prints it), got "${id}"`, 2);
  return id;
}

/** The file's bytes, refused before reading when it is missing, a folder or over the limit. */
function readDocument(path: string): Buffer {
  const file = resolve(path);
  if (!existsSync(file)) throw new CliError(`no such file: ${file}`);
  const s = statSync(file);
  if (!s.isFile()) throw new CliError(`${file} is not a file`);
  if (s.size > DOCUMENT_MAX_BYTES) throw new CliError(`${basename(file)}: ${tooLargeMessage(s.size)}`);
  return readFileSync(file);
}

async function attach(args: string[]): Promise<void> {
  const f = { type: 'string' } as const;
  const { values: v, positionals } = parse(args, { db: f, patient: f, category: f, title: f, date: f, source: f }, true);
  const patientId = patientFlag(v.patient);
  const category = need(v.category, '--category');
  if (!(DOCUMENT_CATEGORIES as readonly string[]).includes(category))
    throw new CliError(`--category is one of ${DOCUMENT_CATEGORIES.join(', ')}, got "${category}"`, 2);
  const title = need(v.title, '--title');
  if (positionals.length !== 1) throw new CliError('give exactly one FILE to attach (see cairn --help)', 2);
  const path = positionals[0]!;
  const bytes = readDocument(path);
  await withSession(v.db, async ({ call }) => {
    print(
      await call('documents.attach', {
        patientId,
        category,
        title,
        documentDate: v.date ?? null,
        source: v.source ?? null,
        fileName: basename(path),
        dataBase64: bytes.toString('base64'),
      }),
    );
  });
}

async function inbox(args: string[]): Promise<void> {
  const f = { type: 'string' } as const;
  const { values: v } = parse(args, { db: f, dir: f });
  const dir = resolve(need(v.dir, '--dir'));
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new CliError(`no such folder: ${dir}`);
  await withSession(v.db, async ({ session }) => {
    const actor = { userId: session.requireUser().id };
    const scan = new ScanInbox({
      dir,
      documents: new DocumentsService(session.repos),
      actor: () => actor,
      onFile: (o) => process.stdout.write(`${JSON.stringify(o)}\n`),
      onError: (m) => process.stderr.write(`cairn: ${m}\n`),
    });
    const r = await scan.scanOnce();
    if (r.changing > 0) process.stderr.write(`cairn: ${r.changing} file(s) still being written were left for the next run\n`);
  });
}

async function list(args: string[]): Promise<void> {
  const f = { type: 'string' } as const;
  const { values: v } = parse(args, { db: f, patient: f });
  const patientId = patientFlag(v.patient);
  await withSession(v.db, async ({ call }) => print(await call('documents.list', { patientId })));
}

/** `cairn documents …`. */
export async function documentsCommand(sub: string | undefined, rest: string[]): Promise<number> {
  if (sub === 'attach') await attach(rest);
  else if (sub === 'inbox') await inbox(rest);
  else if (sub === 'list') await list(rest);
  else throw new CliError(`unknown command "documents${sub ? ` ${sub}` : ''}" (see cairn --help)`, 2);
  return 0;
}
