/**
 * Small helpers for the role tests on real redis-server: start a server (or a 3-node cluster) on
 * given loopback ports with an ACL file, run redis-cli as a user, fill an ACL template, stop by PID.
 * Passwords go to redis-cli through REDISCLI_AUTH, never on its command line.
 */
import { spawnSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { alive, sleep } from './local';

export interface Server {
  port: number;
  pid: number;
  dir: string;
}

export interface Auth {
  user?: string;
  pass?: string;
  /** CA file: talk TLS to the server. */
  tlsCa?: string;
}

export const sha256 = (s: string): string => crypto.createHash('sha256').update(s).digest('hex');

/** A random test password (hex, 48 characters). */
export const testPassword = (): string => crypto.randomBytes(24).toString('hex');

/** redis-cli against 127.0.0.1:`port`; returns stdout and stderr joined, trimmed. `timeoutMs` stops a stream. */
export function rcli(port: number, args: string[], auth: Auth = {}, timeoutMs = 10_000): string {
  const r = spawnSync(
    'redis-cli',
    [
      '-h',
      '127.0.0.1',
      '-p',
      String(port),
      '--no-auth-warning',
      ...(auth.tlsCa ? ['--tls', '--cacert', auth.tlsCa] : []),
      ...(auth.user ? ['--user', auth.user] : []),
      ...args,
    ],
    {
      encoding: 'utf8',
      timeout: timeoutMs,
      env: { PATH: process.env.PATH!, ...(auth.pass !== undefined ? { REDISCLI_AUTH: auth.pass } : {}) },
    },
  );
  return `${r.stdout ?? ''}${r.stderr ?? ''}`.trim();
}

/**
 * Start redis-server on `port` in `dir` (daemonized, pidfile) with `args`; resolves once it answers
 * PING (or NOAUTH). With `tlsCa`, `port` is the TLS port and the plaintext port is 0.
 */
export async function startServer(
  dir: string,
  port: number,
  args: string[],
  tlsCa?: string,
): Promise<Server> {
  fs.mkdirSync(dir, { recursive: true });
  const pidfile = path.join(dir, 'redis.pid');
  const r = spawnSync(
    'redis-server',
    [
      ...(tlsCa ? ['--port', '0', '--tls-port'] : ['--port']),
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--daemonize',
      'yes',
      '--pidfile',
      pidfile,
      '--logfile',
      path.join(dir, 'redis.log'),
      '--save',
      '',
      ...args,
    ],
    { encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`redis-server failed to start: ${r.stdout}${r.stderr}`);
  for (let i = 0; i < 100; i++) {
    if (fs.existsSync(pidfile) && /PONG|NOAUTH/.test(rcli(port, ['PING'], { tlsCa }))) {
      return { port, dir, pid: Number(fs.readFileSync(pidfile, 'utf8').trim()) };
    }
    await sleep(50);
  }
  const log = path.join(dir, 'redis.log');
  throw new Error(
    `redis-server on ${port} did not come up:\n${fs.existsSync(log) ? fs.readFileSync(log, 'utf8').slice(-2000) : ''}`,
  );
}

/** SIGTERM, wait, SIGKILL fallback: never leaves a server running. */
export async function stopServer(s: Server | undefined): Promise<void> {
  if (!s || !alive(s.pid)) return;
  process.kill(s.pid, 'SIGTERM');
  for (let i = 0; i < 100 && alive(s.pid); i++) await sleep(50);
  if (alive(s.pid)) process.kill(s.pid, 'SIGKILL');
  for (let i = 0; i < 40 && alive(s.pid); i++) await sleep(50);
}

/**
 * A 3-primary Redis Cluster on `ports` (bus ports +10000 free), each node started with `args`
 * (the ACL file), created with `redis-cli --cluster create` as `admin`. Resolves when every node
 * reports cluster_state:ok.
 */
export async function startCluster(
  root: string,
  ports: number[],
  args: string[],
  admin: Auth,
): Promise<Server[]> {
  const nodes: Server[] = [];
  try {
    for (const p of ports) {
      nodes.push(
        await startServer(path.join(root, `node-${p}`), p, [
          '--cluster-enabled',
          'yes',
          '--cluster-config-file',
          `nodes-${p}.conf`,
          '--cluster-node-timeout',
          '2000',
          ...args,
        ]),
      );
    }
    const create = rcli(
      ports[0],
      [
        '--cluster',
        'create',
        ...ports.map((p) => `127.0.0.1:${p}`),
        '--cluster-replicas',
        '0',
        '--cluster-yes',
      ],
      admin,
      60_000,
    );
    if (!/All 16384 slots covered/.test(create)) throw new Error(`cluster create failed:\n${create}`);
    for (let i = 0; i < 100; i++) {
      if (ports.every((p) => rcli(p, ['CLUSTER', 'INFO'], admin).includes('cluster_state:ok'))) return nodes;
      await sleep(100);
    }
    throw new Error('cluster did not reach cluster_state:ok');
  } catch (e) {
    for (const n of nodes) await stopServer(n);
    throw e;
  }
}

/** Replace `@X_PASSWORD_SHA256@` placeholders of an ACL template with the digests of `passwords`. */
export function fillAclTemplate(template: string, passwords: Record<string, string>): string {
  let out = template;
  for (const [placeholderText, pw] of Object.entries(passwords))
    out = out.split(placeholderText).join(sha256(pw));
  if (/@[A-Z_]+@/.test(out)) throw new Error(`unfilled placeholder in ACL template:\n${out}`);
  return out;
}
