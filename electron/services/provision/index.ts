import { type ProvisionFailure, type ProvisionOutcome, type ProvisioningFile } from '../../../shared/domain/provisioning';
import type { Repos } from '../repos';
import { TransportError, type FetchLike } from '../sync/transport';
import { enrolledServer } from '../sync/user-sessions';
import { enrollInMemory, persistProvisioning, usedCodeHere, type Enrolled } from './enroll';
import { findProvisioningFile } from './locations';
import { readProvisioningFile, removeCodeFromFile } from './provision-file';
import { PinError, pinnedFetch, pinServerCertificate } from './tls-pin';

export { provisioningCandidates, systemConfigDir, findProvisioningFile, type ProvisioningPlaces } from './locations';
export { deviceSettings, allowedRoles, pinnedServerFetch, refuseRoleNotAllowedHere, DEVICE_KEYS, type DeviceSettings } from './device-settings';
export { pinServerCertificate, pinnedFetch, PinError } from './tls-pin';
export type { ProvisionOutcome, ProvisionFailure } from '../../../shared/domain/provisioning';

/** Where provisioning writes its lines (a pino logger fits). Lines never hold the enrollment code. */
export interface ProvisionLog {
  info(line: string): void;
  warn(line: string): void;
  error(line: string): void;
}

/** How provisioning reaches the clinic server: real TLS unless a test says otherwise. */
export interface ProvisionNet {
  /** Looks at the server's certificate chain and sends nothing; throws PinError. */
  pin(serverUrl: string, fingerprint: string): Promise<{ pem: string }>;
  /** The fetch that trusts only the pinned certificate. */
  fetchFor(pem: string, fingerprint: string): FetchLike;
}

export interface ProvisionDeps {
  /** Where to look, in order (provisioningCandidates). */
  candidates: readonly string[];
  /**
   * The device's open database (created or unlocked). Asked for only once a valid file with a code
   * is found; nothing is written to it unless enrollment succeeds.
   */
  device: () => Repos | Promise<Repos>;
  /** The name the clinic server lists this device under (the computer's name). */
  deviceName: string;
  now: () => Date;
  log: ProvisionLog;
  net?: ProvisionNet;
}

const REAL_NET: ProvisionNet = { pin: (u, f) => pinServerCertificate(u, f), fetchFor: (pem, f) => pinnedFetch(pem, f) };

/** What a screen says for each failure: a title, and one sentence of what to do. */
function screen(reason: ProvisionFailure, file: string, s: ProvisioningFile | null): { title: string; action: string } {
  const server = s?.serverUrl ?? 'the clinic server';
  const newFile = `ask the clinic administrator for a new provisioning file (cairn provision --make) and put it in place of ${file}`;
  switch (reason) {
    case 'invalid-file':
      return { title: 'The provisioning file cannot be used', action: `Correct ${file} as listed, or ${newFile}.` };
    case 'code-expired':
      return {
        title: "This computer's enrollment code has expired",
        action: `${newFile[0]!.toUpperCase()}${newFile.slice(1)} (if this computer's date is wrong, correct it first).`,
      };
    case 'code-refused':
      return { title: 'The clinic server refused the enrollment code', action: `The code is wrong, expired or already used: ${newFile}.` };
    case 'unreachable':
      return {
        title: 'The clinic server cannot be reached',
        action: `Connect this computer to the clinic network and start Cairn again; if it still fails, check that the clinic server is running at ${server}.`,
      };
    case 'fingerprint-mismatch':
      return {
        title: 'This is not the clinic server the provisioning file names',
        action: `The server at ${server} showed a different certificate, so nothing was sent to it: check the address, or ${newFile} made with the server's current certificate.`,
      };
    case 'wrong-address':
      return {
        title: "The clinic server's certificate is for another address",
        action: `Ask the clinic administrator for a provisioning file whose server address is one the certificate names, instead of ${server}.`,
      };
    case 'device-unavailable':
      return {
        title: "Cairn could not open this computer's database",
        action: 'Unlock or set up Cairn on this computer, then start it again to finish enrolling.',
      };
    case 'enrollment-failed':
      return {
        title: 'The clinic server did not enroll this computer',
        action: `Show the clinic administrator the message in the log; they may need to ${newFile.replace(/^ask the clinic administrator for /, 'make ')}.`,
      };
    case 'save-failed':
      return {
        title: 'The enrollment could not be saved on this computer',
        action: `Ask the clinic administrator to revoke this computer on the server (cairn server devices, then revoke) and to make a new provisioning file for it.`,
      };
  }
}

/**
 * The first start of a provisioned computer. Finds `cairn-provisioning.json`, validates it, opens
 * the device database, checks the clinic server's certificate against the file's fingerprint before
 * anything is sent, enrolls with the one-time code, saves the enrollment and the device's settings
 * in one transaction, and removes the code from the file (or, for a read-only file, relies on the
 * record of its use kept on the device). A later start finds no code, or a code it used, and does
 * nothing. Never throws for what a person can fix: every failure is an outcome with a screen's text
 * and a log line, and leaves the device as it was.
 */
export async function provisionOnFirstStart(deps: ProvisionDeps): Promise<ProvisionOutcome> {
  const { log } = deps;
  const file = findProvisioningFile(deps.candidates);
  if (!file) return { status: 'no-file', looked: [...deps.candidates] };
  const fail = (reason: ProvisionFailure, s: ProvisioningFile | null, detail: string): ProvisionOutcome => {
    const { title, action } = screen(reason, file, s);
    log.error(`provisioning: ${reason}: ${detail} (${file})`);
    return { status: 'failed', file, reason, title, action: reason === 'invalid-file' ? `${action} Problems: ${detail}.` : action };
  };
  const read = readProvisioningFile(file);
  if (!read.ok) return fail('invalid-file', null, read.problems.join('; '));
  const s = read.value;
  const code = s.enrollmentCode;
  if (!code) return done(log, file, 'code-used', `provisioning: ${file} has no enrollment code (used ${s.codeUsedAt ?? 'before'}); nothing to do`);

  let repos: Repos;
  try {
    repos = await deps.device();
  } catch (e) {
    return fail('device-unavailable', s, e instanceof Error ? e.message : String(e));
  }
  const now = deps.now();
  if (usedCodeHere(repos, code)) {
    const again = removeCodeFromFile(file, read.raw, now);
    return done(
      log,
      file,
      'code-used',
      `provisioning: this device already used the code in ${file}${again.removed ? ' (now removed from the file)' : ''}; nothing to do`,
    );
  }
  const existing = enrolledServer(repos.store.sqlite);
  if (existing)
    return done(
      log,
      file,
      'already-enrolled',
      `provisioning: this device is already enrolled with ${existing.serverUrl}; ${file} was not used (its code stays valid for another device)`,
      'warn',
    );
  if (s.codeExpiresAt && Date.parse(s.codeExpiresAt) <= now.getTime()) return fail('code-expired', s, `the code expired at ${s.codeExpiresAt}`);

  const net = deps.net ?? REAL_NET;
  let pem: string;
  try {
    ({ pem } = await net.pin(s.serverUrl, s.serverCertificateSha256));
  } catch (e) {
    return fail(e instanceof PinError ? e.kind : 'unreachable', s, e instanceof Error ? e.message : String(e));
  }
  let enrolled: Enrolled;
  try {
    enrolled = await enrollInMemory(repos, {
      serverUrl: s.serverUrl,
      code,
      deviceName: deps.deviceName,
      fetchImpl: net.fetchFor(pem, s.serverCertificateSha256),
    });
  } catch (e) {
    if (!(e instanceof TransportError)) return fail('enrollment-failed', s, e instanceof Error ? e.message : String(e));
    const reason: ProvisionFailure = e.status === 0 ? 'unreachable' : e.code === 'enrollment_refused' ? 'code-refused' : 'enrollment-failed';
    return fail(reason, s, `${e.code}: ${e.message}`);
  }
  try {
    persistProvisioning(repos, enrolled, { file, settings: s, code, deviceName: deps.deviceName, certificatePem: pem, at: now });
  } catch (e) {
    // The server took the code but this device holds nothing: the administrator revokes and re-issues.
    return fail('save-failed', s, `enrolled as ${enrolled.deviceId} but not saved: ${e instanceof Error ? e.message : String(e)}`);
  }
  const removed = removeCodeFromFile(file, read.raw, now);
  log.info(`provisioning: enrolled as device ${enrolled.deviceId} with ${s.serverUrl}`);
  if (removed.removed) log.info(`provisioning: removed the enrollment code from ${file}`);
  else
    log.warn(
      `provisioning: could not remove the enrollment code from ${file} (${removed.why}); its use is recorded on this device, so it is not used again: delete the file or its code`,
    );
  return {
    status: 'enrolled',
    file,
    serverUrl: s.serverUrl,
    deviceId: enrolled.deviceId,
    clinicName: s.clinicName ?? null,
    codeRemoved: removed.removed,
    message: `This computer is enrolled with ${s.clinicName ?? 'the clinic'} (${s.serverUrl}).`,
  };
}

function done(log: ProvisionLog, file: string, why: 'code-used' | 'already-enrolled', line: string, level: 'info' | 'warn' = 'info'): ProvisionOutcome {
  log[level](line);
  return { status: 'nothing-to-do', file, why, message: line.replace(/^provisioning: /, '') };
}

/**
 * What the first screen needs to know before any database exists: is there a provisioning file
 * with a code waiting (show "choose this computer's passphrase" and then provision), a broken one
 * (show its problems), or nothing to do. Reads the file only.
 */
export function pendingProvisioning(
  candidates: readonly string[],
):
  | { status: 'none' }
  | { status: 'pending'; file: string; clinicName: string | null; serverUrl: string }
  | { status: 'used'; file: string }
  | { status: 'invalid'; file: string; problems: string[] } {
  const file = findProvisioningFile(candidates);
  if (!file) return { status: 'none' };
  const read = readProvisioningFile(file);
  if (!read.ok) return { status: 'invalid', file, problems: read.problems };
  if (!read.value.enrollmentCode) return { status: 'used', file };
  return { status: 'pending', file, clinicName: read.value.clinicName ?? null, serverUrl: read.value.serverUrl };
}
