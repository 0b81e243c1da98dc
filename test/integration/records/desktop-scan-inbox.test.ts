import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocumentMeta } from '../../../shared/api/documents.contract';
import { startDesktopScanInbox, type DesktopScanInbox } from '../../../electron/launch/scan-inbox';
import { FILED_DIR } from '../../../electron/services/records/scan-inbox';
import { openClinic, type Clinic } from '../../helpers/clinic';
import { tempDir } from '../../helpers/temp-db';
import { png } from './document-files';

const until = async (ok: () => boolean, ms = 8000): Promise<void> => {
  const deadline = Date.now() + ms;
  while (!ok() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
};

describe('the desktop scan inbox follows the device setting and the lock', () => {
  const t = tempDir('cairn-desk-scan-');
  const scans = join(t.dir, 'scans');
  let c: Clinic;
  let desk: DesktopScanInbox;
  const lines: string[] = [];

  beforeAll(async () => {
    mkdirSync(scans);
    c = await openClinic(t.dir);
    desk = startDesktopScanInbox(c.session, { log: { info: (l) => lines.push(l), warn: (l) => lines.push(l) }, checkMs: 100, pollMs: 200, settleMs: 50 });
  });
  afterAll(async () => {
    await desk.close();
    c.session.close();
    t.cleanup();
  });

  it('starts watching once a folder is set, keeps files as the signed-in user, and stops at the lock', async () => {
    expect(desk.watching()).toBeNull();
    await c.ok('documents.setInboxSettings', { dir: scans });
    await until(() => desk.watching() === scans);
    expect(desk.watching()).toBe(scans);
    writeFileSync(join(scans, 'front-desk-scan.png'), png());
    // The file is in the filed folder as soon as the rename lands; its log line follows when the rename's
    // promise settles, which on a loaded machine can be after this poll sees the file: wait for both.
    const kept = (): boolean => lines.some((l) => l.startsWith('scan inbox: kept front-desk-scan.png'));
    await until(() => existsSync(join(scans, FILED_DIR, 'front-desk-scan.png')) && kept());
    const inbox = await c.ok<DocumentMeta[]>('documents.inbox');
    expect(inbox.find((d) => d.originRef === 'front-desk-scan.png')).toMatchObject({ createdBy: c.session.requireUser().id, origin: 'scan' });
    expect(kept()).toBe(true);

    c.session.lock();
    expect(desk.watching()).toBeNull();
    writeFileSync(join(scans, 'while-locked.png'), png());
    await new Promise((r) => setTimeout(r, 600));
    expect(existsSync(join(scans, 'while-locked.png'))).toBe(true);
  });
});
