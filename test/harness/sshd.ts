// A real OpenSSH server for tests and benches: its own config, host key, authorized_keys,
// pid file and VERBOSE log in a temp folder, listening on 127.0.0.1 at a random port.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import {
  descendants,
  findBinary,
  freePort,
  readBanner,
  removeDir,
  runTool,
  spawnTracked,
  stopTracked,
  tempDir,
  waitFor,
} from './util';

export const SSHD = '/usr/sbin/sshd';

function signalAll(pids: number[], signal: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {
      // gone already
    }
  }
}
const PASSWORD_USER = 'opsdeck-test';

export interface SshdOptions {
  /** sshd KexAlgorithms, e.g. only legacy ones to test negotiation failures. */
  kexAlgorithms?: string[];
  /** sshd Ciphers. */
  ciphers?: string[];
  /** Create (once) and enable the local password user; needs root. */
  passwordUser?: boolean;
  /** Extra sshd_config lines. */
  extraConfig?: string[];
}

export interface SshdPasswordUser {
  user: string;
  password: string;
}

export interface Sshd {
  host: '127.0.0.1';
  port: number;
  /** The user whose authorized_keys holds keyPath's public key (the current OS user). */
  user: string;
  /** Client private key, ed25519, no passphrase. */
  keyPath: string;
  /** The same kind of key, protected by keyPassphrase. */
  encryptedKeyPath: string;
  keyPassphrase: string;
  /** A valid key that is not in authorized_keys. */
  wrongKeyPath: string;
  /** Present when a dedicated password user could be set up (root only). */
  passwordUser?: SshdPasswordUser;
  /** "SHA256:..." of the host key, as `ssh-keygen -lf` prints it. */
  hostKeyFingerprint: string;
  /** "ssh-ed25519 AAAA..." of the host key. */
  hostKeyLine: string;
  /** This server's log (LogLevel VERBOSE). */
  logPath: string;
  readLog(): string;
  /**
   * Freezes (SIGSTOP) every established connection's sshd processes, so clients see a
   * silent peer, as with a dead network path; returns the function that thaws them.
   */
  pauseConnections(): () => void;
  /**
   * Stops and starts again on the same port with the same keys; established connections
   * drop too, as when the host reboots.
   */
  restart(): Promise<void>;
  /**
   * Stops this server and starts a second one on the same port with a different host key
   * and its own log file. The returned server shares the client keys.
   */
  withOtherHostKey(): Promise<Sshd>;
  stop(): Promise<void>;
}

/** Why sshd cannot run here, or null when it can. */
export function sshdUnavailable(): string | null {
  if (!findBinary(SSHD)) return `${SSHD} is not installed`;
  if (!findBinary('/usr/bin/ssh-keygen')) return 'ssh-keygen is not installed';
  if (process.getuid?.() !== 0) return 'sshd needs root here (it switches to the login user)';
  return null;
}

interface Keys {
  dir: string;
  keyPath: string;
  encryptedKeyPath: string;
  keyPassphrase: string;
  wrongKeyPath: string;
}

async function keygen(path: string, passphrase = '', comment = 'opsdeck-test'): Promise<void> {
  await runTool('ssh-keygen', ['-q', '-t', 'ed25519', '-N', passphrase, '-C', comment, '-f', path]);
}

async function fingerprintOfFile(pubPath: string): Promise<string> {
  const out = await runTool('ssh-keygen', ['-l', '-E', 'sha256', '-f', pubPath]);
  const m = /(SHA256:[A-Za-z0-9+/]+)/.exec(out);
  if (!m) throw new Error(`harness: no fingerprint in ssh-keygen output: ${out}`);
  return m[1];
}

async function makeClientKeys(): Promise<Keys> {
  const dir = tempDir('ssh-client');
  const keyPassphrase = randomBytes(9).toString('base64url');
  const keys: Keys = {
    dir,
    keyPath: join(dir, 'id_ed25519'),
    encryptedKeyPath: join(dir, 'id_ed25519_enc'),
    keyPassphrase,
    wrongKeyPath: join(dir, 'id_ed25519_wrong'),
  };
  await Promise.all([
    keygen(keys.keyPath),
    keygen(keys.encryptedKeyPath, keyPassphrase),
    keygen(keys.wrongKeyPath),
  ]);
  return keys;
}

/**
 * The dedicated password user: created once with useradd (no home, /bin/sh), its password
 * kept in a root-only file so parallel harnesses agree. Nothing else is changed.
 */
async function ensurePasswordUser(): Promise<SshdPasswordUser | undefined> {
  if (process.getuid?.() !== 0 || !findBinary('/usr/sbin/useradd', '/usr/sbin/chpasswd')) {
    return undefined;
  }
  const secretFile = '/root/.opsdeck-test-password';
  let password: string;
  if (existsSync(secretFile)) {
    password = readFileSync(secretFile, 'utf8').trim();
  } else {
    password = randomBytes(18).toString('base64url');
    writeFileSync(secretFile, password + '\n', { mode: 0o600 });
  }
  const exists = await runTool('getent', ['passwd', PASSWORD_USER]).then(
    () => true,
    () => false,
  );
  if (!exists) {
    await runTool('useradd', [
      '--system',
      '--no-create-home',
      '--home-dir',
      '/nonexistent',
      '--shell',
      '/bin/sh',
      PASSWORD_USER,
    ]);
  }
  await runTool('chpasswd', [], { input: `${PASSWORD_USER}:${password}\n` });
  return { user: PASSWORD_USER, password };
}

function sshdConfig(dir: string, port: number, user: string, opts: SshdOptions): string {
  const lines = [
    `Port ${port}`,
    'ListenAddress 127.0.0.1',
    `HostKey ${join(dir, 'host_ed25519')}`,
    `PidFile ${join(dir, 'sshd.pid')}`,
    `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
    'StrictModes no',
    'UsePAM no',
    'LogLevel VERBOSE',
    'PubkeyAuthentication yes',
    'PasswordAuthentication yes',
    'KbdInteractiveAuthentication no',
    'PermitEmptyPasswords no',
    user === 'root' ? 'PermitRootLogin prohibit-password' : '',
    `AllowUsers ${user} ${PASSWORD_USER}`,
    // 50 parallel connections in the bench, several channels each.
    'MaxStartups 200:30:400',
    'MaxSessions 100',
    'MaxAuthTries 10',
    'AllowTcpForwarding yes',
    'X11Forwarding no',
    'PrintMotd no',
    'PrintLastLog no',
    'UseDNS no',
    'ClientAliveInterval 0',
    opts.kexAlgorithms ? `KexAlgorithms ${opts.kexAlgorithms.join(',')}` : '',
    opts.ciphers ? `Ciphers ${opts.ciphers.join(',')}` : '',
    ...(opts.extraConfig ?? []),
  ];
  return lines.filter(Boolean).join('\n') + '\n';
}

interface Instance {
  dir: string;
  port: number;
  child: ChildProcess;
  logPath: string;
  hostKeyFingerprint: string;
  hostKeyLine: string;
}

async function launch(
  dir: string,
  port: number,
  user: string,
  opts: SshdOptions,
  logName: string,
): Promise<ChildProcess> {
  const conf = join(dir, 'sshd_config');
  writeFileSync(conf, sshdConfig(dir, port, user, opts));
  const logPath = join(dir, logName);
  // The privilege separation folder sshd insists on; systemd normally creates it.
  if (!existsSync('/run/sshd')) mkdirSync('/run/sshd', { mode: 0o755, recursive: true });
  await runTool(SSHD, ['-t', '-f', conf]);
  const child = spawnTracked(SSHD, ['-D', '-f', conf, '-E', logPath]);
  await waitFor(
    `sshd on 127.0.0.1:${port}`,
    async () => {
      if (child.exitCode !== null) throw new Error(`sshd exited with ${child.exitCode}`);
      const banner = await readBanner(port);
      return banner?.startsWith('SSH-2.0-') ?? false;
    },
    10_000,
    () => (existsSync(logPath) ? readFileSync(logPath, 'utf8').slice(-2000) : ''),
  );
  return child;
}

async function startInstance(
  keys: Keys,
  user: string,
  opts: SshdOptions,
  port?: number,
): Promise<Instance> {
  const dir = tempDir('sshd');
  await keygen(join(dir, 'host_ed25519'), '', 'opsdeck-test-host');
  writeFileSync(
    join(dir, 'authorized_keys'),
    readFileSync(`${keys.keyPath}.pub`, 'utf8') +
      readFileSync(`${keys.encryptedKeyPath}.pub`, 'utf8'),
    { mode: 0o644 },
  );
  const hostKeyFingerprint = await fingerprintOfFile(join(dir, 'host_ed25519.pub'));
  const hostKeyLine = readFileSync(join(dir, 'host_ed25519.pub'), 'utf8')
    .split(' ')
    .slice(0, 2)
    .join(' ');
  for (let attempt = 0; ; attempt++) {
    const p = port ?? (await freePort());
    try {
      const child = await launch(dir, p, user, opts, 'sshd.log');
      return {
        dir,
        port: p,
        child,
        logPath: join(dir, 'sshd.log'),
        hostKeyFingerprint,
        hostKeyLine,
      };
    } catch (err) {
      // Another process may have taken the free port between probe and bind.
      if (port !== undefined || attempt >= 2) {
        removeDir(dir);
        throw err;
      }
    }
  }
}

export async function startSshd(opts: SshdOptions = {}): Promise<Sshd> {
  const why = sshdUnavailable();
  if (why) throw new Error(`harness: ${why}`);
  const user = userInfo().username;
  const keys = await makeClientKeys();
  const passwordUser = opts.passwordUser ? await ensurePasswordUser() : undefined;
  const first = await startInstance(keys, user, opts);
  return handle(first, keys, user, opts, passwordUser, true);
}

function handle(
  inst: Instance,
  keys: Keys,
  user: string,
  opts: SshdOptions,
  passwordUser: SshdPasswordUser | undefined,
  ownsKeys: boolean,
): Sshd {
  const current = inst;
  let stopped = false;
  const sshd: Sshd = {
    host: '127.0.0.1',
    port: inst.port,
    user,
    keyPath: keys.keyPath,
    encryptedKeyPath: keys.encryptedKeyPath,
    keyPassphrase: keys.keyPassphrase,
    wrongKeyPath: keys.wrongKeyPath,
    passwordUser,
    hostKeyFingerprint: inst.hostKeyFingerprint,
    hostKeyLine: inst.hostKeyLine,
    logPath: inst.logPath,
    readLog: () => (existsSync(current.logPath) ? readFileSync(current.logPath, 'utf8') : ''),
    pauseConnections() {
      const pids = current.child.pid === undefined ? [] : descendants(current.child.pid);
      signalAll(pids, 'SIGSTOP');
      return () => signalAll(pids, 'SIGCONT');
    },
    async restart() {
      await stopTracked(current.child);
      current.child = await launch(current.dir, current.port, user, opts, 'sshd.log');
    },
    async withOtherHostKey() {
      await stopTracked(current.child);
      const other = await startInstance(keys, user, opts, current.port);
      return handle(other, keys, user, opts, passwordUser, false);
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await stopTracked(current.child);
      removeDir(current.dir);
      if (ownsKeys) removeDir(keys.dir);
    },
  };
  return sshd;
}

export interface SshAgent {
  /** The agent's socket, for SSH_AUTH_SOCK or SshHost's agent auth. */
  socket: string;
  stop(): Promise<void>;
}

/** An ssh-agent of its own (never the user's), holding the given private keys. */
export async function startSshAgent(keyPaths: string[]): Promise<SshAgent> {
  if (!findBinary('/usr/bin/ssh-agent', '/usr/bin/ssh-add'))
    throw new Error('harness: ssh-agent is not installed');
  const dir = tempDir('ssh-agent');
  const socket = join(dir, 'agent.sock');
  const child = spawnTracked('ssh-agent', ['-D', '-a', socket]);
  await waitFor('ssh-agent socket', () => existsSync(socket), 5000);
  for (const key of keyPaths) {
    await runTool('ssh-add', ['-q', key], {
      env: { PATH: '/usr/bin:/bin', SSH_AUTH_SOCK: socket },
    });
  }
  return {
    socket,
    async stop() {
      await stopTracked(child);
      removeDir(dir);
    },
  };
}
