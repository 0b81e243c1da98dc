/**
 * The clinic server as an operating-system service: the systemd unit, the launchd property list and
 * the Windows commands, made from one description (pure text; `cairn server install-service` writes
 * and enables them). Kept here, in code, so there is one source: `--dry-run` prints what it would write.
 */

export interface ServiceSpec {
  /** Absolute path of the node binary. */
  node: string;
  /** Flags for node before the script (`--import tsx` when running from source). */
  nodeArgs: string[];
  /** The `cairn` entry point: electron/cli/main.ts from source, or the bundled script in the container. */
  script: string;
  /** Where Cairn is installed (its package.json and node_modules); the service's working directory. */
  installDir: string;
  /** `server …` and its flags. */
  serverArgs: string[];
  /** The account the service runs as (never root). */
  user: string;
  /** Folders the service may write: the data directory, the log folder. Everything else is read-only. */
  writablePaths: string[];
  /** The TCP port (below 1024 needs CAP_NET_BIND_SERVICE, granted and nothing more). */
  port: number;
}

/** Where the unit reads secrets from (PGPASSWORD for PostgreSQL): root-owned, mode 0600, optional. */
export const SYSTEMD_ENV_FILE = '/etc/cairn/server.env';
export const SYSTEMD_UNIT_NAME = 'cairn-server.service';
export const LAUNCHD_LABEL = 'org.cairn.clinic-server';
export const WINDOWS_SERVICE = 'CairnServer';

/**
 * One word of a systemd command line or path list: `%` is a specifier and `$` an environment
 * reference, so both are doubled; a word with spaces, quotes or backslashes is double-quoted
 * with C escapes (systemd.syntax(7), "Quoting").
 */
export function systemdWord(arg: string): string {
  const escaped = arg.replaceAll('%', '%%').replaceAll('$', '$$$$');
  if (/^[A-Za-z0-9_\-.,/:=@+%$]+$/.test(escaped)) return escaped;
  return `"${escaped.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}

/** A value systemd takes whole (WorkingDirectory=, Description=): only specifiers need escaping. */
const systemdValue = (v: string): string => v.replaceAll('%', '%%');

/**
 * The systemd unit. Hardening, each line for a reason:
 * - its own user, no new privileges, no capabilities (CAP_NET_BIND_SERVICE only for a port below 1024);
 * - the whole file system read-only but the data and log folders, a private /tmp, no /home, /root or /run/user;
 * - UMask 0077 so every file it creates is owner-only (the server also sweeps PGlite's 0666 files);
 * - no kernel tunables, modules, logs, clock, hostname, namespaces, realtime, set-uid files, devices;
 *   system calls limited to the system-service set (a refused one fails with EPERM, it does not kill).
 * Not MemoryDenyWriteExecute: V8's JIT needs writable-executable memory, node would not start.
 */
export function systemdUnit(s: ServiceSpec): string {
  const caps = s.port > 0 && s.port < 1024 ? 'CAP_NET_BIND_SERVICE' : '';
  const exec = [s.node, ...s.nodeArgs, s.script, ...s.serverArgs].map(systemdWord).join(' ');
  return `# Written by \`cairn server install-service\`. Run it again to change this file: edits made here are overwritten.
[Unit]
Description=Cairn clinic server
After=network-online.target
Wants=network-online.target

[Service]
Type=exec
User=${s.user}
Group=${s.user}
WorkingDirectory=${systemdValue(s.installDir)}
Environment=NODE_ENV=production CAIRN_LOG_LEVEL=info
# Secrets (PGPASSWORD=… for PostgreSQL) go here, never on the command line: root-owned, mode 0600.
EnvironmentFile=-${SYSTEMD_ENV_FILE}
ExecStart=${exec}
Restart=on-failure
RestartSec=5
# The server finishes the requests in flight and writes out its FHIR access log before it exits.
TimeoutStopSec=90
UMask=0077
NoNewPrivileges=yes
CapabilityBoundingSet=${caps}
AmbientCapabilities=${caps}
ProtectSystem=strict
${s.writablePaths.length > 0 ? `ReadWritePaths=${s.writablePaths.map(systemdWord).join(' ')}\n` : ''}PrivateTmp=yes
PrivateMounts=yes
ProtectHome=yes
PrivateDevices=yes
ProtectKernelTunables=yes
ProtectKernelModules=yes
ProtectKernelLogs=yes
ProtectControlGroups=yes
ProtectClock=yes
ProtectHostname=yes
ProtectProc=invisible
RestrictNamespaces=yes
RestrictRealtime=yes
RestrictSUIDSGID=yes
LockPersonality=yes
RemoveIPC=yes
RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX
SystemCallArchitectures=native
SystemCallFilter=@system-service
SystemCallFilter=~@privileged
SystemCallErrorNumber=EPERM

[Install]
WantedBy=multi-user.target
`;
}

const xml = (v: string): string => v.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

/**
 * The launchd daemon (/Library/LaunchDaemons): its own user, owner-only umask (63 = 0077), started
 * at boot, restarted when it exits with an error, and given time to finish its requests on stop.
 * `stderr` receives the one-line problems; request logs go to the server's rotated --log-file.
 */
export function launchdPlist(s: ServiceSpec, stderrPath: string): string {
  const args = [s.node, ...s.nodeArgs, s.script, ...s.serverArgs].map((a) => `    <string>${xml(a)}</string>`).join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
  <key>Label</key>
  <string>${LAUNCHD_LABEL}</string>
  <key>ProgramArguments</key>
  <array>
${args}
  </array>
  <key>WorkingDirectory</key>
  <string>${xml(s.installDir)}</string>
  <key>UserName</key>
  <string>${xml(s.user)}</string>
  <key>GroupName</key>
  <string>${xml(s.user)}</string>
  <key>Umask</key>
  <integer>63</integer>
  <key>EnvironmentVariables</key>
  <dict>
    <key>NODE_ENV</key>
    <string>production</string>
  </dict>
  <key>RunAtLoad</key>
  <true/>
  <key>KeepAlive</key>
  <dict>
    <key>SuccessfulExit</key>
    <false/>
  </dict>
  <key>ThrottleInterval</key>
  <integer>10</integer>
  <key>ExitTimeOut</key>
  <integer>90</integer>
  <key>StandardErrorPath</key>
  <string>${xml(stderrPath)}</string>
</dict>
</plist>
`;
}

/** A cmd.exe argument: quoted when it holds spaces or quotes (inner quotes backslash-escaped, as the C runtime reads them). */
export function windowsArg(arg: string): string {
  return /^[^\s"]+$/.test(arg) ? arg : `"${arg.replaceAll('"', '\\"')}"`;
}

/** A POSIX shell word. */
export function shellWord(arg: string): string {
  return /^[A-Za-z0-9_\-.,/:=@+]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`;
}

/** What the Windows service may touch: folders it owns, files (the certificate's key) it may read. */
export interface WindowsAccess {
  folders: string[];
  readable: string[];
  logDir: string;
}

/**
 * The Windows service, as commands an administrator runs in cmd.exe. Important: node.exe cannot be
 * registered with a bare `sc.exe create`: a service program must answer the Service Control Manager,
 * node does not, and Windows stops it after 30 seconds (error 1053). NSSM (the Non-Sucking Service
 * Manager) is the host that answers it and runs node; the service then runs as its own virtual
 * account, NT SERVICE\\CairnServer, which alone (with administrators and SYSTEM) may open its folders.
 */
export function windowsCommands(s: ServiceSpec, access: WindowsAccess): string[] {
  const account = `NT SERVICE\\${WINDOWS_SERVICE}`;
  const admins = '"BUILTIN\\Administrators:(OI)(CI)F" "NT AUTHORITY\\SYSTEM:(OI)(CI)F"';
  return [
    ...access.folders.map((d) => `mkdir ${windowsArg(d)}`),
    `nssm install ${WINDOWS_SERVICE} ${[s.node, ...s.nodeArgs, s.script, ...s.serverArgs].map(windowsArg).join(' ')}`,
    `nssm set ${WINDOWS_SERVICE} DisplayName "Cairn clinic server"`,
    `nssm set ${WINDOWS_SERVICE} AppDirectory ${windowsArg(s.installDir)}`,
    `nssm set ${WINDOWS_SERVICE} AppEnvironmentExtra NODE_ENV=production CAIRN_LOG_LEVEL=info`,
    `nssm set ${WINDOWS_SERVICE} AppStderr ${windowsArg(`${access.logDir}\\server.log`)}`,
    `nssm set ${WINDOWS_SERVICE} AppRotateFiles 1`,
    `nssm set ${WINDOWS_SERVICE} AppRotateBytes 10485760`,
    `nssm set ${WINDOWS_SERVICE} AppExit Default Restart`,
    `nssm set ${WINDOWS_SERVICE} AppStopMethodConsole 90000`,
    `nssm set ${WINDOWS_SERVICE} Start SERVICE_AUTO_START`,
    `sc.exe config ${WINDOWS_SERVICE} obj= "${account}"`,
    ...access.folders.map((d) => `icacls ${windowsArg(d)} /inheritance:r /grant:r "${account}:(OI)(CI)F" ${admins}`),
    ...access.readable.map((f) => `icacls ${windowsArg(f)} /inheritance:r /grant:r "${account}:R" "BUILTIN\\Administrators:F" "NT AUTHORITY\\SYSTEM:F"`),
    `sc.exe start ${WINDOWS_SERVICE}`,
  ];
}
