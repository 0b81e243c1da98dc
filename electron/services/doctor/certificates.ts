import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ago, fail, pass, warn, type Outcome } from './context';

/** A certificate's name and validity (epoch ms). */
export interface Validity {
  subject: string;
  validFrom: number;
  validTo: number;
}

const DAY = 86_400_000;
const PEM = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** Every certificate in a PEM file (a chain has several). Throws one line when there is none or it cannot be read. */
export function certificatesIn(file: string): Validity[] {
  return certificatesInPem(readFileSync(file, 'utf8'), file);
}

/** Every certificate in PEM text; `what` names it in an error. */
export function certificatesInPem(text: string, what: string): Validity[] {
  const blocks = text.match(PEM) ?? [];
  if (blocks.length === 0) throw new Error(`${what} holds no PEM certificate`);
  return blocks.map((b) => {
    const c = new X509Certificate(b);
    const cn = /(?:^|\n)CN=([^\n]+)/.exec(c.subject)?.[1] ?? c.subject.replace(/\n/g, ', ');
    return { subject: cn, validFrom: Date.parse(c.validFrom), validTo: Date.parse(c.validTo) };
  });
}

const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** Judges one certificate: expired or not yet valid fail, expiring within `warnDays` warns. `what` names it in the sentence. */
export function judgeValidity(c: Validity, what: string, now: number, warnDays: number): Outcome {
  const name = `${what} (${c.subject})`;
  if (!Number.isFinite(c.validTo)) return fail(`${name} has no readable expiry date: replace it`);
  if (c.validTo <= now)
    return fail(`${name} expired on ${day(c.validTo)}, ${ago(now - c.validTo)} ago: devices refuse it; issue a new certificate and restart the server`);
  if (c.validFrom > now) return fail(`${name} is not valid until ${day(c.validFrom)}: check this computer's clock, or the certificate's dates`);
  const left = c.validTo - now;
  if (left < warnDays * DAY) return warn(`${name} expires on ${day(c.validTo)}, in ${ago(left)}: issue a new certificate before then and restart the server`);
  return pass(`${name} is valid until ${day(c.validTo)}`);
}
