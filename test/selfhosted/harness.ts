/**
 * Test harness for the self-hosted integration tests: a real redis-server 7 started from the
 * RENDERED configs, installed by the RENDERED install.sh with test-generated secrets.
 *
 * Every process a test starts is recorded by PID and stopped in `stop()` (SIGTERM, wait,
 * SIGKILL fallback), which the tests call from afterAll/finally, so a failing test leaves nothing running.
 */
import { execFile, execFileSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import Redis, { type RedisOptions } from 'ioredis';
import type { Deployment } from '../../lib/deployment';
import { resolvePolicy } from '../../lib/policy/resolve';
import { parseSpec } from '../../lib/spec/load';
import { fakePlan } from '../redisconf/fixtures';
import type { Plan } from '../../lib/planner/types';
import type { Layout, SelfHostedOptions } from '../../lib/selfhosted/layout';
import { buildSelfHosted, renderSelfHosted } from '../../lib/selfhosted/render';
import { aclRules } from '../../lib/redisconf';
import { EC_P256, makeCa, makeSigned } from '../support/certs';
import { alive, reservePorts, sleep } from '../support/local';
import { have, redisServer, SYSTEMD_ANALYZE } from '../support/tools';

const run = promisify(execFile);
const REPO = path.join(__dirname, '../..');

/** `n` ports of this jest worker's range, each with its cluster bus port free (test/support/local.ts). */
export const freePorts = (n: number, _withBus?: boolean): Promise<number[]> => reservePorts(n);

/**
 * redis-server 7 present: true; skipped on purpose with REDIS_TESTS=skip: false (warned); missing:
 * throws naming it (test/support/tools.ts is the one rule).
 */
export const redisAvailable = (bin?: string): boolean => have(redisServer(bin));

/** systemd-analyze present: true; SYSTEMD_TESTS=skip: false (warned); missing: throws naming it. */
export const systemdAnalyzeAvailable = (): boolean => have(SYSTEMD_ANALYZE);

export interface Tls {
  dir: string;
  ca: Buffer;
  /** A CA the servers do not use: a client trusting only this must be rejected. */
  rogueCa: Buffer;
}

/**
 * A test CA and a node certificate for 127.0.0.1 (serverAuth + clientAuth), with the openssl CLI.
 * ECDSA P-256 unless `key` says otherwise (the key type the Kubernetes certificates use, and about a
 * hundred times cheaper to generate than RSA); test/selfhosted/security.integration.test.ts proves
 * RSA 2048 certificates, which many users bring, with `RSA_2048`.
 */
export function makeTls(dir: string, key: string[] = EC_P256): Tls {
  fs.mkdirSync(dir, { recursive: true });
  const ext = path.join(dir, 'node.ext');
  // keyEncipherment is an RSA key usage (RSA key exchange); an ECDSA key only signs.
  const usage = key.includes('ec') ? 'digitalSignature' : 'digitalSignature,keyEncipherment';
  fs.writeFileSync(
    ext,
    `subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth,clientAuth\nkeyUsage=${usage}\n`,
  );
  for (const name of ['ca', 'rogue']) makeCa(dir, name, `/CN=redis-iac test ${name}`, key);
  makeSigned(dir, { name: 'redis', subject: '/CN=127.0.0.1', key, ca: 'ca', extFile: ext });
  fs.chmodSync(path.join(dir, 'redis.key'), 0o600);
  return {
    dir,
    ca: fs.readFileSync(path.join(dir, 'ca.crt')),
    rogueCa: fs.readFileSync(path.join(dir, 'rogue.crt')),
  };
}

export { sleep };

export async function waitFor<T>(
  what: string,
  timeoutMs: number,
  probe: () => Promise<T | undefined>,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < end) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    await sleep(100);
  }
  throw new Error(
    `timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`,
  );
}

/**
 * The default example's policy (production: TLS, ACL, AOF everysec, denied/renamed commands) with
 * the topology a scenario needs and a small fixed plan (64 MiB maxmemory, 1000 maxclients): these
 * tests prove the rendered configs on a real server, independent of the planner's sizing numbers
 * (test/selfhosted/render.test.ts renders every example end to end through the planner).
 */
export function deploymentWith(
  topology: Plan['topology'],
  edit: (yaml: string) => string = (y) => y,
): Deployment {
  const spec = parseSpec(
    edit(fs.readFileSync(path.join(REPO, 'examples/default.yaml'), 'utf8')),
    'default.yaml',
  );
  const policy = resolvePolicy(spec, 'default.yaml');
  const plan = fakePlan(topology, 1000);
  return { spec, policy, plan, id: spec.name, source: 'default.yaml' };
}

/** The default example as one standalone node (the suites that test a single server). */
export function standaloneDeployment(): Deployment {
  return deploymentWith({ mode: 'standalone', shards: 1, replicasPerShard: 0, reason: 'test' });
}

/** Install a one-node environment on a free port and start it; returns the port. */
export async function startStandalone(env: Env): Promise<number> {
  const [port] = await freePorts(1);
  await env.install({ ports: [port] });
  await env.start();
  return port;
}

/**
 * The account the integration tests run Redis as. As root (CI): Debian's `redis` user, installed the
 * real way (root-owned config dir, Redis-owned nodes/ and data dirs); otherwise the caller, installing
 * unprivileged into its own temp dirs.
 */
export function redisAccount(): { user: string; uid: number; gid: number } {
  if (process.getuid?.() !== 0) {
    const me = os.userInfo();
    return { user: me.username, uid: me.uid, gid: me.gid };
  }
  const [uid, gid] = ['-u', '-g'].map((f) =>
    Number(execFileSync('id', [f, 'redis'], { encoding: 'utf8' }).trim()),
  );
  return { user: 'redis', uid, gid };
}

/** setpriv flags that run a command as redisAccount(). */
export function asRedisAccount(): string[] {
  const a = redisAccount();
  return [`--reuid=${a.uid}`, `--regid=${a.gid}`, '--init-groups'];
}

/** A group for the applications that is not the Redis account's: nogroup when it exists. */
export function appGroupId(): number {
  try {
    return Number(execFileSync('getent', ['group', 'nogroup'], { encoding: 'utf8' }).split(':')[2]);
  } catch {
    return os.userInfo().gid;
  }
}

/**
 * install.sh flags for a temp tree: as root, the tree is made traversable (mkdtemp makes it 700) and
 * the TLS key is given to the Redis account; unprivileged, everything stays the caller's.
 */
export function installFlags(root: string, tlsDir: string): string[] {
  if (process.getuid?.() !== 0) return [];
  const a = redisAccount();
  fs.chmodSync(root, 0o755);
  fs.chownSync(path.join(tlsDir, 'redis.key'), a.uid, a.gid);
  return ['--user', a.user, '--app-group', String(appGroupId())];
}

/** One rendered, installed and (once started) running self-hosted deployment in a temp dir. */
export class Env {
  /** Created in install() (not at collection time, so a filtered-out suite leaves no directory). */
  root = '';
  secretsDir = '';
  distDir = '';
  readonly passwords: Record<string, string> = {};
  readonly users;
  layout!: Layout;
  tls!: Tls;
  /** The `-newkey` arguments of the test certificates made in install() (../support/certs). */
  tlsKey: string[] = EC_P256;
  private readonly pids = new Set<number>();
  private readonly clients: Redis[] = [];

  constructor(
    readonly deployment: Deployment,
    readonly name: string,
  ) {
    this.users = aclRules(deployment.policy);
  }

  /** Render with test paths/ports, make certs, write test passwords, run the rendered install.sh. */
  async install(options: SelfHostedOptions): Promise<void> {
    this.root = fs.mkdtempSync(path.join(os.tmpdir(), `redis-iac-${this.name}-`));
    this.secretsDir = path.join(this.root, 'secrets');
    this.distDir = path.join(this.root, 'dist', this.deployment.id, 'self-hosted');
    this.tls = makeTls(path.join(this.root, 'tls'), this.tlsKey);
    const opts: SelfHostedOptions = {
      confDir: path.join(this.root, 'conf'),
      dataDir: path.join(this.root, 'data'),
      tlsDir: this.tls.dir,
      host: '127.0.0.1',
      ...options,
    };
    this.layout = buildSelfHosted(this.deployment, opts).layout;
    renderSelfHosted(this.deployment, this.distDir, opts);
    fs.mkdirSync(this.secretsDir, { recursive: true, mode: 0o700 });
    const len = this.deployment.policy.security.authTokenLength;
    for (const role of ['app', 'metrics', 'admin', 'replication', 'sentinel', 'default']) {
      this.passwords[role] = crypto.randomBytes(len).toString('base64url').slice(0, len);
      fs.writeFileSync(path.join(this.secretsDir, `${role}.password`), this.passwords[role] + '\n');
    }
    this.passwords.configCommand = `CONFIG-test${crypto.randomBytes(8).toString('hex')}`;
    fs.writeFileSync(path.join(this.secretsDir, 'config-command'), this.passwords.configCommand);
    await run('bash', [
      path.join(this.distDir, 'install.sh'),
      ...installFlags(this.root, this.tls.dir),
      this.secretsDir,
    ]);
  }

  /** The rendered start.sh: starts every node and Sentinel and waits until they answer. */
  async start(): Promise<void> {
    try {
      await run('bash', [path.join(this.distDir, 'start.sh')], { timeout: 60_000 });
    } finally {
      this.recordPids();
    }
  }

  async script(name: string, ...args: string[]): Promise<string> {
    const { stdout } = await run('bash', [path.join(this.distDir, name), ...args], { timeout: 60_000 });
    return stdout;
  }

  private pidFiles(): string[] {
    return [
      ...this.layout.nodes.map((n) => path.join(n.dataDir, 'redis.pid')),
      ...this.layout.sentinels.map((s) => path.join(s.dataDir, 'sentinel.pid')),
    ];
  }

  recordPids(): void {
    for (const f of this.pidFiles()) {
      if (fs.existsSync(f)) this.pids.add(Number(fs.readFileSync(f, 'utf8').trim()));
    }
  }

  pidOf(port: number): number {
    const n = this.layout.nodes.find((x) => x.port === port);
    if (!n) throw new Error(`no node on port ${port}`);
    return Number(fs.readFileSync(path.join(n.dataDir, 'redis.pid'), 'utf8').trim());
  }

  /** SIGKILL a node (a crash: no final save, no AOF flush) and wait until it is gone. */
  async kill(port: number): Promise<void> {
    const pid = this.pidOf(port);
    process.kill(pid, 'SIGKILL');
    await waitFor(`pid ${pid} to exit`, 5000, async () => (alive(pid) ? undefined : true));
  }

  /** Restart one node from its installed (rendered) config. */
  async restart(port: number): Promise<void> {
    const n = this.layout.nodes.find((x) => x.port === port)!;
    await run('setpriv', [
      ...asRedisAccount(),
      '--',
      'redis-server',
      path.join(this.layout.nodeConfDir, n.conf),
      '--daemonize',
      'yes',
    ]);
    await waitFor(`node ${port} pidfile`, 5000, async () => {
      const pid = this.pidOf(port);
      return alive(pid) ? pid : undefined;
    });
    this.recordPids();
  }

  /** A TLS client as one of the deployment's users (or none). Fails fast instead of retrying. */
  client(port: number, user?: 'app' | 'metrics' | 'admin', extra: RedisOptions = {}): Redis {
    const c = new Redis({
      host: '127.0.0.1',
      port,
      tls: { ca: this.tls.ca },
      username: user ? this.users[user].name : undefined,
      password: user ? this.passwords[user] : undefined,
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
      enableOfflineQueue: false,
      connectTimeout: 3000,
      // The app user may not run INFO (@dangerous), which ioredis' ready check uses.
      enableReadyCheck: false,
      ...extra,
    });
    c.on('error', () => undefined);
    this.clients.push(c);
    return c;
  }

  async connected(
    port: number,
    user?: 'app' | 'metrics' | 'admin',
    extra: RedisOptions = {},
  ): Promise<Redis> {
    const c = this.client(port, user, extra);
    await c.connect();
    return c;
  }

  track<T extends { disconnect(): void }>(c: T): T {
    this.clients.push(c as unknown as Redis);
    return c;
  }

  /** Stop everything this environment started: SIGTERM, wait up to 10 s, then SIGKILL. */
  async stop(): Promise<void> {
    for (const c of this.clients) c.disconnect();
    if (this.layout) this.recordPids();
    for (const pid of this.pids) {
      if (alive(pid)) process.kill(pid, 'SIGTERM');
    }
    const end = Date.now() + 10_000;
    while ([...this.pids].some(alive) && Date.now() < end) await sleep(50);
    for (const pid of this.pids) {
      if (alive(pid)) process.kill(pid, 'SIGKILL');
    }
    while ([...this.pids].some(alive)) await sleep(20);
    if (this.root && process.env.KEEP_REDIS_TEST_DIRS !== '1')
      fs.rmSync(this.root, { recursive: true, force: true });
  }

  /** Every rendered and installed file, to check that no test password leaked into dist/. */
  distText(): string {
    return fs
      .readdirSync(this.distDir)
      .map((f) => fs.readFileSync(path.join(this.distDir, f), 'utf8'))
      .join('\n');
  }
}
