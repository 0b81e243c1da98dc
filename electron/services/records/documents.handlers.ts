import type { documentsChannels } from '../../../shared/api/documents.contract';
import type { AreaHandlers, HandlerContext } from '../handler-context';
import type { Repos } from '../repos';
import { DocumentsService, decodeBase64 } from './documents.service';
import { readInboxDir, writeInboxDir } from './inbox-settings';

/** The handlers of shared/api/documents.contract.ts, one per channel. */
export function documentsHandlers(ctx: HandlerContext): AreaHandlers<typeof documentsChannels> {
  const { session, reading } = ctx;
  let built: { repos: Repos; service: DocumentsService } | null = null;
  // Built once per open database (a new unlock opens a new one).
  const docs = (): DocumentsService => {
    const repos = session.repos;
    if (built?.repos !== repos) built = { repos, service: new DocumentsService(repos, ctx.documentFetcher) };
    return built.service;
  };

  return {
    'documents.list': (i, me) => {
      session.repos.patients.peek(i.patientId);
      reading(me, 'document.listed', i.patientId);
      return docs().store.listForPatient(i.patientId, i.category);
    },
    'documents.attach': (i, me) =>
      docs().attach(me.actor, {
        patientId: i.patientId,
        category: i.category,
        title: i.title,
        documentDate: i.documentDate,
        source: i.source,
        note: i.note,
        fileName: i.fileName,
        bytes: decodeBase64(i.dataBase64),
      }),
    'documents.open': async (i, me) => {
      const { document, bytes } = await docs().open(me.actor, i.id);
      return { document, dataBase64: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64') };
    },
    'documents.update': (i, me) =>
      session.repos.writer.write((at) =>
        docs().store.update(at, me.actor, i.id, { title: i.title, category: i.category, documentDate: i.documentDate, note: i.note }, i.version),
      ),
    'documents.remove': (i, me) => session.repos.writer.write((at) => docs().store.remove(at, me.actor, i.id, i.reason)),
    'documents.inbox': (_i, me) => {
      // Unfiled documents belong to no chart: one audit entry for looking at the queue.
      session.repos.writer.read('document.inbox', me.actor, null);
      return docs().store.inbox();
    },
    // A count and a time, nothing about anyone: not audited (the navigation asks every few seconds).
    'documents.inboxCount': () => docs().store.inboxCount(),
    'documents.inboxAdd': (i, me) => docs().addToInbox(me.actor, { fileName: i.fileName, bytes: decodeBase64(i.dataBase64), source: i.source, title: i.title }),
    'documents.file': (i, me) =>
      session.repos.writer.write((at) =>
        docs().store.file(at, me.actor, i.id, {
          patientId: i.patientId,
          category: i.category,
          title: i.title,
          documentDate: i.documentDate,
          orderId: i.orderId,
          referralId: i.referralId,
        }),
      ),
    'documents.inboxSettings': () => ({ dir: readInboxDir(session.repos.store.sqlite) }),
    'documents.setInboxSettings': (i, me) => ({
      dir: writeInboxDir(session.repos.store.sqlite, session.repos.audit, i.dir, me.actor.userId, ctx.now().toISOString()),
    }),
  };
}
