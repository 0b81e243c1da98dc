import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A self-signed P-256 certificate and its key, made with the openssl command (node:crypto cannot
 * write X.509), written as `<dir>/<name>.crt` and `.key`, naming `san` (localhost and 127.0.0.1 unless told).
 */
export function selfSignedCertificate(
  dir: string,
  name: string,
  o: { san?: string; days?: number; cn?: string } = {},
): { cert: string; key: string; fingerprint: string } {
  const cert = join(dir, `${name}.crt`);
  const key = join(dir, `${name}.key`);
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      String(o.days ?? 2),
      '-subj',
      `/CN=${o.cn ?? name}`,
      '-addext',
      `subjectAltName=${o.san ?? 'DNS:localhost,IP:127.0.0.1'}`,
    ],
    { stdio: 'ignore' },
  );
  return { cert, key, fingerprint: new X509Certificate(readFileSync(cert)).fingerprint256 };
}
