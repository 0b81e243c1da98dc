import type Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { ago, fail, pass, warn, worst, type DoctorCheck, type DoctorContext, type Outcome } from './context';
import { DEVICE_KEYS } from '../provision/device-settings';
import { certificatesIn, certificatesInPem, judgeValidity } from './certificates';

/** Each certificate file given (or found in clinic-server.json): every certificate in it judged; the worst decides. */
function certificateFiles(ctx: DoctorContext): Outcome | null {
  if (ctx.certFiles.length === 0) return null;
  const now = ctx.now().getTime();
  const judged: Outcome[] = [];
  for (const file of ctx.certFiles) {
    if (!existsSync(file)) {
      judged.push(fail(`${file} does not exist: fix the path where the server or listener is configured`));
      continue;
    }
    try {
      for (const c of certificatesIn(file)) judged.push(judgeValidity(c, file, now, ctx.limits.certWarnDays));
    } catch (e) {
      judged.push(fail(`${e instanceof Error ? e.message : String(e)}: give the PEM certificate file`));
    }
  }
  const status = worst(judged.map((j) => j.status));
  const shown = status === 'pass' ? judged : judged.filter((j) => j.status !== 'pass');
  return { status, message: shown.map((j) => j.message).join('; ') };
}

/** The clinic server's certificate this device pinned when it was provisioned (kept in meta), which it trusts for sync. */
function pinnedCertificate(ctx: DoctorContext): Outcome | null {
  if (!ctx.device) return null;
  const pem = (ctx.device.sqlite.prepare('SELECT value FROM meta WHERE key = ?').get(DEVICE_KEYS.serverCertificate) as { value: string } | undefined)?.value;
  if (!pem) return null;
  const what = 'the clinic server certificate this device pinned at provisioning';
  let certs;
  try {
    certs = certificatesInPem(pem, what);
  } catch (e) {
    return fail(`${e instanceof Error ? e.message : String(e)}: provision this device again`);
  }
  const judged = certs.map((c) => judgeValidity(c, what, ctx.now().getTime(), ctx.limits.certWarnDays));
  const status = worst(judged.map((j) => j.status));
  const message = judged.map((j) => j.message).join('; ');
  // Renewing the server's certificate means new provisioning files for the devices that pinned the old one.
  return { status, message: status === 'pass' ? message : `${message}; then give the devices new provisioning files` };
}

interface LastMessage {
  n: number;
  receivedAt: string | null;
  status: string | null;
  messageType: string | null;
  facility: string | null;
  error: string | null;
}

/** The newest message, of all (the server's lab interface) or of those that came over MLLP (a device's own listener; file imports are no interface). */
const last = (mllpOnly: boolean): string => {
  const where = mllpOnly ? ` WHERE source LIKE 'mllp:%'` : '';
  return `SELECT (SELECT count(*) FROM hl7_messages${where}) AS n, received_at AS receivedAt, status, message_type AS messageType,
  sending_facility AS facility, error FROM hl7_messages${where} ORDER BY received_at DESC LIMIT 1`;
};

function judgeLast(sqlite: Database.Database, label: string, mustHave: boolean, ctx: DoctorContext): Outcome | null {
  // A device is judged only on what its own MLLP listener received; the server's lab interface on everything.
  const m = sqlite.prepare(last(!mustHave)).get() as LastMessage | undefined;
  if (!m || m.n === 0 || !m.receivedAt) {
    if (!mustHave) return null;
    return fail(`${label} has never received a message: check that the lab's system sends to this server's MLLP port, then have it send a test result`);
  }
  const age = ctx.now().getTime() - Date.parse(m.receivedAt);
  const what = `the last message to ${label} (${m.messageType ?? 'HL7'} from ${m.facility || 'an unnamed facility'}) arrived ${ago(age)} ago`;
  if (m.status === 'error')
    return warn(`${what} and could not be read (${m.error ?? 'error'}): ask the lab to resend it, and see the Results screen's Review tab`);
  if (age > ctx.limits.labWarnMs) return warn(`${what}: if results are expected, check the lab's connection to the MLLP port`);
  return pass(`${what} (${m.status})`);
}

/** The lab interface: the clinic server's own (it must have heard from the lab), or this device's when its MLLP listener received messages. */
function lastLabMessage(ctx: DoctorContext): Outcome | null {
  const results: Outcome[] = [];
  if (ctx.lab) {
    const r = 'problem' in ctx.lab ? ctx.lab.problem : judgeLast(ctx.lab.sqlite, ctx.lab.label, true, ctx);
    if (r) results.push(r);
  }
  if (ctx.device) {
    const r = judgeLast(ctx.device.sqlite, 'this device', false, ctx);
    if (r) results.push(r);
  }
  if (results.length === 0) return null;
  return { status: worst(results.map((r) => r.status)), message: results.map((r) => r.message).join('; ') };
}

export const FILE_CHECKS: readonly DoctorCheck[] = [
  { id: 'certificate.files', title: 'Certificate files are valid', run: certificateFiles },
  { id: 'certificate.device', title: 'Certificate this device trusts for the clinic server is valid', run: pinnedCertificate },
  { id: 'labs.last_message', title: "The lab interface's last message", run: lastLabMessage },
];
