import { MLLP_DEFAULTS } from '../services/labs/mllp.listener';
import { mllpAddress, type MllpSettings } from '../launch/lab-interface';

export const MLLP_OPTIONS_HELP = `TLS-CERT/TLS-KEY: PEM files for MLLP over TLS, required for any host but loopback. Limits:
      max-connections (default ${MLLP_DEFAULTS.maxConnections}), idle-timeout seconds without a byte before a
      connection is closed (default ${MLLP_DEFAULTS.idleTimeoutMs / 1000}), max-message-bytes (default ${MLLP_DEFAULTS.maxMessageBytes}; a
      larger frame is answered AR and its connection closed)`;

/**
 * Reads `--<prefix>host`, `--<prefix>tls-cert/-key`, `--<prefix>max-connections`,
 * `--<prefix>idle-timeout` (seconds) and `--<prefix>max-message-bytes`; throws a one-line message
 * (via `fail`) for a bad value, and for a non-loopback host without TLS before anything starts.
 */
export function mllpSettings(v: Record<string, string | boolean | undefined>, prefix: string, fail: (message: string) => Error): MllpSettings {
  const str = (k: string): string | undefined => (typeof v[prefix + k] === 'string' ? (v[prefix + k] as string) : undefined);
  const whole = (k: string, scale = 1): number | undefined => {
    const raw = str(k);
    if (raw === undefined) return undefined;
    const n = Number(raw);
    if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n * scale) || n < 1) throw fail(`invalid --${prefix}${k} "${raw}": a whole number of at least 1`);
    return n * scale;
  };
  const cert = str('tls-cert');
  const key = str('tls-key');
  if (Boolean(cert) !== Boolean(key)) throw fail(`give both --${prefix}tls-cert and --${prefix}tls-key`);
  let address: Pick<MllpSettings, 'host' | 'tls'>;
  try {
    address = mllpAddress(str('host'), cert && key ? { cert, key } : undefined);
  } catch (e) {
    throw fail(e instanceof Error ? e.message : String(e));
  }
  const maxConnections = whole('max-connections');
  const idleTimeoutMs = whole('idle-timeout', 1000);
  const maxMessageBytes = whole('max-message-bytes');
  return {
    ...address,
    ...(maxConnections !== undefined && { maxConnections }),
    ...(idleTimeoutMs !== undefined && { idleTimeoutMs }),
    ...(maxMessageBytes !== undefined && { maxMessageBytes }),
  };
}
