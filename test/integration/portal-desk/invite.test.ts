import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import QRCode from 'qrcode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PortalInviteView } from '../../../shared/api/portal.contract';
import { INVITE_CODE_ALPHABET, normaliseInviteCode } from '../../../shared/domain/portal';
import type { Patient } from '../../../shared/domain/patient';
import { portalSettings } from '../../../electron/services/portal/portal-settings';
import { pdfLines, pdfStreams } from '../../helpers/pdf-text';
import { tempDir } from '../../helpers/temp-db';
import { openDesk, type Desk } from './desk-setup';

interface Invited {
  inviteId: string;
  code: string;
  expiresAt: string;
  fileName: string;
  letterPdfBase64: string;
}

/** Every filled rectangle the PDF's content streams draw (`x y w h re`). */
function rectangles(pdf: Buffer): { x: number; y: number; w: number; h: number }[] {
  const out: { x: number; y: number; w: number; h: number }[] = [];
  for (const content of pdfStreams(pdf)) {
    for (const r of content.matchAll(/(-?[\d.]+) (-?[\d.]+) (-?[\d.]+) (-?[\d.]+) re/g)) out.push({ x: +r[1]!, y: +r[2]!, w: +r[3]!, h: +r[4]! });
  }
  return out;
}

/** The QR symbol drawn on the page, read back module by module from its rectangles (true: dark). */
function drawnQr(pdf: Buffer): boolean[][] {
  const modules = rectangles(pdf).filter((r) => r.h < 10);
  const unit = modules[0]!.h;
  const left = Math.min(...modules.map((r) => r.x));
  const top = Math.max(...modules.map((r) => r.y + r.h));
  const n = Math.round((Math.max(...modules.map((r) => r.x + r.w)) - left) / unit);
  const grid = Array.from({ length: n }, () => Array<boolean>(n).fill(false));
  for (const r of modules) {
    const row = Math.round((top - (r.y + r.h)) / unit);
    const col = Math.round((r.x - left) / unit);
    for (let k = 0; k < Math.round(r.w / unit); k++) grid[row]![col + k] = true;
  }
  return grid;
}

describe('portal invitations from the chart: a one-time code kept only as its hash, a letter with a QR code, access and revoking', () => {
  const t = tempDir('cairn-portal-invite-');
  let now = new Date('2026-12-07T15:30:00.000Z');
  let d: Desk;
  let ana: Patient;
  let leo: Patient;
  let self: Invited;
  let proxy: Invited;
  const portalUrl = (): string => portalSettings(d.session.repos.resources).settings.portalUrl;

  beforeAll(async () => {
    d = await openDesk(t.dir, () => now);
    ana = await d.patient('Ana', 'Invitada');
    leo = await d.patient('Leo', 'Pequeño', '2014-02-01');
    await d.as('desk');
    self = await d.ok<Invited>('portal.invite', { patientId: ana.id, kind: 'self' });
    proxy = await d.ok<Invited>('portal.invite', { patientId: leo.id, kind: 'proxy', proxyName: 'Marta Pequeño', proxyRelationship: 'mother' });
  });
  afterAll(() => {
    d.session.close();
    t.cleanup();
  });

  it('makes a 10-character code from the unambiguous alphabet, valid 14 days to the millisecond', () => {
    for (const inv of [self, proxy]) {
      expect(inv.code).toMatch(/^[2-9A-HJ-NP-Z]{5}-[2-9A-HJ-NP-Z]{5}$/);
      expect([...normaliseInviteCode(inv.code)].every((ch) => INVITE_CODE_ALPHABET.includes(ch))).toBe(true);
      expect(inv.expiresAt).toBe('2026-12-21T15:30:00.000Z');
    }
    expect(self.code).not.toBe(proxy.code);
  });

  it('keeps only the SHA-256 of the normalised code: never the code, in no table, not in the audit, not in the file', () => {
    const sqlite = d.session.repos.store.sqlite;
    const row = sqlite.prepare('SELECT * FROM portal_invites WHERE id = ?').get(self.inviteId) as Record<string, unknown>;
    expect(row['code_hash']).toBe(createHash('sha256').update(normaliseInviteCode(self.code)).digest('hex'));
    expect(row).toMatchObject({ patient_id: ana.id, kind: 'self', proxy_name: null, expires_at: self.expiresAt, redeemed_at: null, revoked_at: null });
    // Every text in every table, decrypted: neither form of either code appears anywhere.
    const forms = [self.code, normaliseInviteCode(self.code), proxy.code, normaliseInviteCode(proxy.code)];
    const tables = (sqlite.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[]).map((r) => r.name);
    for (const table of tables) {
      const text = JSON.stringify(sqlite.prepare(`SELECT * FROM "${table}"`).all());
      for (const f of forms) expect(text.includes(f), `${table} holds the code`).toBe(false);
    }
    const audit = d.session.repos.audit.list({ patientId: ana.id }).find((e) => e.action === 'portal.invite')!;
    expect(audit).toMatchObject({ recordId: self.inviteId, detail: 'self' });
    expect(d.session.repos.audit.list({ patientId: leo.id }).find((e) => e.action === 'portal.invite')!.detail).toBe('proxy (mother)');
    expect(d.outbox('portal_invite', self.inviteId)).toEqual([{ op: 'insert' }]);
    // The encrypted file on disk (and its WAL): no code, no name, not a plain SQLite file.
    sqlite.pragma('wal_checkpoint(TRUNCATE)');
    for (const f of readdirSync(t.dir).filter((n) => n.startsWith('clinic.cairn'))) {
      const bytes = readFileSync(join(t.dir, f)).toString('latin1');
      expect(bytes.startsWith('SQLite format 3')).toBe(false);
      for (const s of [...forms, 'Invitada']) expect(bytes.includes(s), `${f} holds ${s}`).toBe(false);
    }
  });

  it('prints a letter that pdf-lib reads: the patient, the code, its expiry, the portal address and steps in English and Spanish', async () => {
    const pdf = Buffer.from(self.letterPdfBase64, 'base64');
    expect((await PDFDocument.load(pdf)).getPageCount()).toBe(1);
    const lines = pdfLines(pdf);
    expect(lines).toEqual(expect.arrayContaining(['To: Ana Invitada', self.code, portalUrl(), 'How to sign up', 'Cómo registrarse']));
    expect(lines).toEqual(expect.arrayContaining(['Valid until Dec 21, 2026', 'Válido hasta el 21 de diciembre de 2026']));
    expect(lines.some((l) => l.includes('scan the QR code'))).toBe(true);
    expect(lines.some((l) => l.includes('escanee el código QR'))).toBe(true);
    // Nothing about health, and no birth date (the patient types it to register).
    expect(lines.join(' ')).not.toContain('1980');
    expect(self.fileName).toBe(`portal-invitation-${ana.mrn}.pdf`);
  });

  it('draws a QR code that is exactly the symbol of the portal address', () => {
    const drawn = drawnQr(Buffer.from(self.letterPdfBase64, 'base64'));
    const qr = QRCode.create(portalUrl(), { errorCorrectionLevel: 'M' }).modules;
    expect(drawn.length).toBe(qr.size);
    const expected = Array.from({ length: qr.size }, (_, r) => Array.from({ length: qr.size }, (_, c) => Boolean(qr.get(r, c))));
    expect(drawn).toEqual(expected);
  });

  it('addresses a proxy letter to the parent or guardian of the child', () => {
    const lines = pdfLines(Buffer.from(proxy.letterPdfBase64, 'base64'));
    expect(lines).toEqual(expect.arrayContaining(['To: Parent/guardian of Leo Pequeño', 'Attention: Marta Pequeño', proxy.code]));
    expect(lines.some((l) => l.includes("your child's date of birth"))).toBe(true);
    expect(d.session.repos.store.sqlite.prepare('SELECT kind, proxy_name, proxy_relationship FROM portal_invites WHERE id = ?').get(proxy.inviteId)).toEqual({
      kind: 'proxy',
      proxy_name: 'Marta Pequeño',
      proxy_relationship: 'mother',
    });
  });

  it('refuses a proxy invitation without the parent’s name, and an unknown chart', async () => {
    const r = await d.call('portal.invite', { patientId: leo.id, kind: 'proxy' });
    expect(d.code(r)).toBe('invalid_input');
    expect(!r.ok && r.error.issues).toContainEqual({ path: 'proxyName', message: 'name the parent or guardian' });
    expect(await d.call('portal.invite', { patientId: '01960000-0000-7000-8000-0000000000ff' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('lists a chart’s invitations for its portal card, and revokes one with the reason (audited, synced)', async () => {
    const list = await d.ok<PortalInviteView[]>('portal.access', { patientId: ana.id });
    expect(list).toEqual([
      expect.objectContaining({
        id: self.inviteId,
        kind: 'self',
        status: 'pending',
        createdBy: 'Frank Desk',
        expiresAt: self.expiresAt,
        redeemedAt: null,
        revokedAt: null,
      }),
    ]);
    // The clinic server filled the redemption (a sync pull): the card says who redeemed it.
    d.session.repos.store.sqlite
      .prepare('UPDATE portal_invites SET redeemed_at = ?, redeemed_account = ? WHERE id = ?')
      .run('2026-12-08T10:00:00.000Z', 'acct-1', self.inviteId);
    expect((await d.ok<PortalInviteView[]>('portal.access', { patientId: ana.id }))[0]).toMatchObject({ status: 'redeemed', redeemedAccount: 'acct-1' });

    const revoked = await d.ok<PortalInviteView>('portal.revoke', { inviteId: self.inviteId, reason: 'patient asked to close the account' });
    expect(revoked).toMatchObject({ status: 'revoked', revokedAt: now.toISOString(), revokedBy: 'Frank Desk' });
    expect(d.session.repos.audit.list({ patientId: ana.id }).at(-1)).toMatchObject({
      action: 'portal.revoke',
      recordId: self.inviteId,
      detail: 'patient asked to close the account',
    });
    expect(d.outbox('portal_invite', self.inviteId).map((o) => o.op)).toEqual(['insert', 'update']);
    expect(await d.call('portal.revoke', { inviteId: self.inviteId, reason: 'again' })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(await d.call('portal.revoke', { inviteId: self.inviteId, reason: 'x' })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });

  it('shows an unused invitation as expired after 14 days', async () => {
    now = new Date('2026-12-21T15:30:00.001Z');
    await d.as('desk');
    expect((await d.ok<PortalInviteView[]>('portal.access', { patientId: leo.id }))[0]).toMatchObject({ id: proxy.inviteId, status: 'expired' });
  });

  it('is not for billing: a biller can neither invite nor see portal access', async () => {
    await d.as('biller');
    expect(d.code(await d.call('portal.invite', { patientId: ana.id }))).toBe('forbidden');
    expect(d.code(await d.call('portal.access', { patientId: ana.id }))).toBe('forbidden');
    await d.as('doc');
  });
});
