import type { PortalInviteView } from '../../../shared/api/portal.contract';
import { CairnFailure } from '../../../shared/api/result';
import type { Actor } from '../repos/writer';
import { inviteCodeHash, inviteExpiry, newInviteCode } from './invite-code';
import type { PortalRows } from './portal-rows';

interface InviteRow {
  id: string;
  patient_id: string;
  kind: 'self' | 'proxy';
  proxy_name: string | null;
  proxy_relationship: string | null;
  created_at: string;
  created_by: string;
  creator: string | null;
  expires_at: string;
  redeemed_at: string | null;
  redeemed_account: string | null;
  revoked_at: string | null;
  revoked_by: string | null;
  revoker: string | null;
}

const SELECT = `SELECT i.id, i.patient_id, i.kind, i.proxy_name, i.proxy_relationship, i.created_at, i.created_by, c.display_name AS creator,
  i.expires_at, i.redeemed_at, i.redeemed_account, i.revoked_at, i.revoked_by, r.display_name AS revoker
  FROM portal_invites i LEFT JOIN users c ON c.id = i.created_by LEFT JOIN users r ON r.id = i.revoked_by`;

function view(r: InviteRow, now: string): PortalInviteView {
  const status = r.revoked_at ? 'revoked' : r.redeemed_at ? 'redeemed' : r.expires_at <= now ? 'expired' : 'pending';
  return {
    id: r.id,
    patientId: r.patient_id,
    kind: r.kind,
    proxyName: r.proxy_name,
    proxyRelationship: r.proxy_relationship,
    createdAt: r.created_at,
    createdBy: r.creator ?? r.created_by,
    expiresAt: r.expires_at,
    redeemedAt: r.redeemed_at,
    redeemedAccount: r.redeemed_account,
    revokedAt: r.revoked_at,
    revokedBy: r.revoker ?? r.revoked_by,
    status,
  };
}

export interface NewInvite {
  patientId: string;
  kind: 'self' | 'proxy';
  proxyName?: string | undefined;
  proxyRelationship?: string | undefined;
}

/** Portal invitations: made and revoked by staff, redeemed on the clinic server (which fills redeemed_*). */
export class InvitesRepo {
  constructor(
    private readonly rows: PortalRows,
    private readonly now: () => Date,
  ) {}

  /**
   * Makes a one-time code and keeps only its hash. Returns the code once, to be printed: it
   * cannot be read back later (a lost letter means a new invitation and revoking the old one).
   */
  create(i: NewInvite, actor: Actor): { invite: PortalInviteView; code: string } {
    const code = newInviteCode();
    const id = this.rows.writer.write((at) => {
      const stored = this.rows.insert(
        at,
        actor,
        'portal_invite',
        {
          patient_id: i.patientId,
          kind: i.kind,
          proxy_name: i.kind === 'proxy' ? (i.proxyName ?? null) : null,
          proxy_relationship: i.kind === 'proxy' ? (i.proxyRelationship ?? null) : null,
          code_hash: inviteCodeHash(code),
          expires_at: inviteExpiry(at),
        },
        i.patientId,
        'portal.invite',
        // Important: never the code (nor its hash) in the audit detail.
        i.kind === 'proxy' ? `proxy (${i.proxyRelationship ?? 'relationship not given'})` : 'self',
      );
      return String(stored['id']);
    });
    return { invite: this.get(id), code };
  }

  get(id: string): PortalInviteView {
    const r = this.rows.get<InviteRow>(`${SELECT} WHERE i.id = ? AND i.deleted_at IS NULL`, id);
    if (!r) throw new CairnFailure('not_found', `no portal invitation with id ${id}`);
    return view(r, this.now().toISOString());
  }

  /** A chart's invitations, newest first. */
  list(patientId: string): PortalInviteView[] {
    const now = this.now().toISOString();
    return this.rows
      .all<InviteRow>(`${SELECT} WHERE i.patient_id = ? AND i.deleted_at IS NULL ORDER BY i.created_at DESC, i.id DESC`, patientId)
      .map((r) => view(r, now));
  }

  /**
   * Revokes an invitation: an unused code stops working, and the access a used one gave ends (the
   * clinic server ends the link when this change reaches it). The reason goes into the audit entry.
   */
  revoke(id: string, reason: string, actor: Actor): PortalInviteView {
    this.rows.writer.write((at) => {
      const cur = this.get(id);
      if (cur.revokedAt) throw new CairnFailure('conflict', `this invitation was already revoked at ${cur.revokedAt}`);
      this.rows.update(at, actor, 'portal_invite', id, { revoked_at: at, revoked_by: actor.userId }, cur.patientId, 'portal.revoke', reason);
    });
    return this.get(id);
  }
}
