/**
 * Real-client matrix: ioredis, node-redis (@redis/client), redis-py (Debian python3-redis 4.3.4) and
 * phpredis (Debian php-redis 5.3) against three self-hosted layouts started from the rendered files
 * by the rendered install.sh / start.sh (/ create-cluster.sh) under a temp dir:
 * standalone (examples/go-api.yaml), Sentinel (examples/default.yaml, 1 primary + 2 replicas +
 * 3 Sentinels) and Redis Cluster 3+3 (examples/platform-cache.yaml).
 *
 * Each client is configured ONLY from the installed contract.env and the files it names (drivers in
 * test/clients/drivers) and runs as an unprivileged uid in the application group (setpriv). Each must
 * connect over TLS verifying the server certificate against the contract's CA, SET/GET under
 * REDIS_KEY_PREFIX and get NOPERM outside it, be refused without a password, over plaintext and
 * without the CA. On the Sentinel and cluster layouts the primary holding the clients' keys is
 * SIGKILLed while all four write (SET + WAIT for every replica): each must write again within the
 * contract's REDIS_FAILOVER_TIMEOUT_MS and lose none of its writes every replica acknowledged.
 * The layouts render small Sentinel / cluster timeouts so the suite stays fast; the bound follows.
 *
 * Needs redis-server 7, /usr/bin/python3 with redis, php with the redis extension and setpriv;
 * a missing one fails the suite naming it, unless REDIS_TESTS=skip (then a warning is printed).
 */
import { execFile, execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { parseEnvFile } from '../../lib/conformance/selfhosted';
import type { Deployment } from '../../lib/deployment';
import type { Plan } from '../../lib/planner/types';
import { resolvePolicy } from '../../lib/policy/resolve';
import { parseSpec } from '../../lib/spec/load';
import { fakePlan } from '../redisconf/fixtures';
import { Env, appGroupId, freePorts, sleep, waitFor } from '../selfhosted/harness';
import { availability, describeWith, PHP_REDIS, PYTHON_REDIS, redisServer } from '../support/tools';

const run = promisify(execFile);
const DRIVERS = path.join(__dirname, 'drivers');
const PYTHON = '/usr/bin/python3';
const CLIENTS = ['ioredis', 'node-redis', 'redis-py', 'phpredis'] as const;
type Client = (typeof CLIENTS)[number];
/** Small timeouts so failovers take seconds; the contract's bound is computed from them. */
const SENTINEL_DOWN_AFTER_MS = 1000;
const CLUSTER_NODE_TIMEOUT_MS = 1000;

/** The matrix needs every client's runtime: redis-server first, then the two Debian client packages. */
const suite = describeWith(
  [redisServer(), PHP_REDIS, PYTHON_REDIS].find((r) => availability(r).state !== 'present') ?? redisServer(),
);

function exampleDeployment(file: string, topology: Partial<Plan['topology']>, edit = (y: string) => y) {
  const yaml = edit(fs.readFileSync(path.join(__dirname, '../../examples', file), 'utf8'));
  const spec = parseSpec(yaml, file);
  const d: Deployment = {
    spec,
    policy: resolvePolicy(spec, file),
    // The example's policy with a small fixed plan: the clients are under test, not the sizing.
    plan: fakePlan({ reason: 'test', ...topology }),
    id: spec.name,
    source: file,
  };
  return d;
}

/** The client's command line: the driver, run as an unprivileged uid in the app group when root. */
function command(client: Client, args: string[]): [string, string[]] {
  const [bin, driver] =
    client === 'redis-py'
      ? [PYTHON, 'redis_py.py']
      : client === 'phpredis'
        ? ['php', 'phpredis.php']
        : [process.execPath, `${client}.cjs`];
  const argv = [path.join(DRIVERS, driver), ...args];
  if (process.getuid?.() !== 0) return [bin, argv];
  const nobody = Number(execFileSync('id', ['-u', 'nobody'], { encoding: 'utf8' }).trim());
  return ['setpriv', [`--reuid=${nobody}`, `--regid=${appGroupId()}`, '--clear-groups', '--', bin, ...argv]];
}

interface Outcome {
  ok: boolean;
  value?: string;
  error?: string;
}
type CheckResult = Record<'set' | 'get' | 'outside' | 'noPassword' | 'plaintext' | 'wrongCa', Outcome>;

/**
 * `check`: access and the refusals (no password, plaintext, no CA); `check-access`: access only. The
 * refusals try one node outside Sentinel/cluster mode, the same node config on every layout, so they
 * run on the standalone layout only.
 */
async function checkClient(
  client: Client,
  contractFile: string,
  mode: 'check' | 'check-access',
): Promise<CheckResult> {
  const [bin, argv] = command(client, [contractFile, mode]);
  const { stdout } = await run(bin, argv, { timeout: 30_000, env: { PATH: process.env.PATH } });
  return JSON.parse(stdout.trim().split('\n').pop()!) as CheckResult;
}

/** The contract every client reads: the copy install.sh put in <confDir>/client for the app group. */
function installedContract(env: Env): { file: string; c: Record<string, string> } {
  const file = path.join(env.layout.clientDir, 'contract.env');
  return { file, c: parseEnvFile(fs.readFileSync(file, 'utf8')) };
}

function expectConnectionChecks(env: Env, results: Record<Client, CheckResult>, refusals: boolean): void {
  const { c } = installedContract(env);
  expect(c.REDIS_TLS_ENABLED).toBe('true');
  expect(c.REDIS_TLS_CA_FROM).toBe(`file:${env.layout.clientDir}/ca.crt`);
  for (const client of CLIENTS) {
    const r = results[client];
    const got = (k: keyof CheckResult) => `${client} ${k}: ${JSON.stringify(r[k])}`;
    expect(got('set')).toBe(`${client} set: ${JSON.stringify({ ok: true, value: 'OK' })}`);
    expect(got('get')).toBe(`${client} get: ${JSON.stringify({ ok: true, value: `v-${client}` })}`);
    // redis-py names the server's NOPERM in its exception class.
    expect(got('outside')).toMatch(/"ok":false,"error":".*(NOPERM|NoPermissionError)/);
    if (!refusals) continue;
    expect(got('noPassword')).toMatch(/"ok":false,"error":".*(NOAUTH|Authentication required|WRONGPASS)/i);
    expect(got('plaintext')).toMatch(/"ok":false/);
    expect(got('wrongCa')).toMatch(/"ok":false,"error":".*(certificate|verify|SSL|TLS|handshake|connect)/i);
  }
}

type Write = [number, number, number, string];
interface FailoverRun {
  writes: Write[];
  lost: Array<[string, string]>;
}

/**
 * All four clients write (SET + WAIT <replicas>, every replica of the layout) into the hash tag `tag`
 * until a stop file appears; once each has an acknowledged write, `kill` SIGKILLs the primary. Returns
 * each client's writes, the kill time and the contract's bound. A write counts as acknowledged only
 * when every replica has it: with two replicas, WAIT 1 promises no survival, because Sentinel may
 * promote the replica that had not received it yet (it picks by the replication offsets it last
 * read, which may be a second old).
 */
async function failoverRound(env: Env, tag: string, kill: () => Promise<void>) {
  const replicas = env.deployment.plan.topology.replicasPerShard;
  const { file, c } = installedContract(env);
  const bound = Number(c.REDIS_FAILOVER_TIMEOUT_MS);
  const stopDir = fs.mkdtempSync(path.join(os.tmpdir(), 'redis-iac-clients-stop-'));
  fs.chmodSync(stopDir, 0o755);
  const stopFile = path.join(stopDir, 'stop');
  const procs = CLIENTS.map((client) => {
    const [bin, argv] = command(client, [file, 'failover', tag, stopFile, String(replicas)]);
    const p = spawn(bin, argv, { env: { PATH: process.env.PATH }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let lastOk = 0;
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => {
      err += d;
      for (const m of String(d).matchAll(/^OK (\d+)$/gm)) lastOk = Math.max(lastOk, Number(m[1]));
    });
    const done = new Promise<FailoverRun>((resolve, reject) =>
      p.on('close', (code) => {
        try {
          resolve(JSON.parse(out.trim().split('\n').pop()!) as FailoverRun);
        } catch {
          reject(new Error(`${client} failover driver exited ${code}: ${out} ${err}`));
        }
      }),
    );
    return {
      client,
      p,
      done,
      ready: () => err.includes('READY'),
      lastOk: () => lastOk,
      stderr: () => err.slice(-2000),
    };
  });
  try {
    await waitFor('every client to have a WAIT-acknowledged write', 20_000, async () =>
      procs.every((x) => x.ready()) ? true : undefined,
    ).catch(async (e: Error) => {
      fs.writeFileSync(stopFile, '');
      const outcomes = await Promise.allSettled(procs.map((x) => x.done));
      const detail = procs
        .map((x, i) => [x, outcomes[i]] as const)
        .filter(([x]) => !x.ready())
        .map(([x, o]) => `${x.client}: ${x.stderr().slice(-300)} ${JSON.stringify(o).slice(0, 600)}`);
      throw new Error(`${e.message}; not ready: ${detail.join(' | ')}`, { cause: e });
    });
    const tKill = Date.now();
    await kill();
    // Stop once every client has written after the kill (a few more writes after that one), or
    // after the whole bound and one more second.
    const end = tKill + bound + 1000;
    while (Date.now() < end && !procs.every((x) => x.lastOk() > tKill + 300)) await sleep(100);
    await sleep(500);
    fs.writeFileSync(stopFile, '');
    const runs = await Promise.all(procs.map((x) => x.done));
    return {
      tKill,
      bound,
      runs: Object.fromEntries(CLIENTS.map((cl, i) => [cl, runs[i]])) as Record<Client, FailoverRun>,
    };
  } finally {
    fs.writeFileSync(stopFile, '');
    for (const x of procs) if (x.p.exitCode === null) setTimeout(() => x.p.kill('SIGKILL'), 15_000).unref();
    await Promise.allSettled(procs.map((x) => x.done));
    fs.rmSync(stopDir, { recursive: true, force: true });
  }
}

function expectFailoverWithinBound(result: Awaited<ReturnType<typeof failoverRound>>): void {
  const { tKill, bound } = result;
  const problems: string[] = [];
  for (const client of CLIENTS) {
    const { writes, lost } = result.runs[client];
    const before = writes.filter(([, , end, st]) => end < tKill && st === 'ack').length;
    const again = writes.find(([, start, , st]) => start >= tKill && (st === 'ack' || st === 'noack'));
    const summary = `${client}: ${before} acknowledged before the kill, first write after it ${
      again ? `done ${again[2] - tKill} ms after the kill` : 'never'
    } (bound ${bound} ms); lost ${JSON.stringify(lost)}; errors ${JSON.stringify(
      writes.filter(([, , , st]) => st.startsWith('err')).slice(0, 2),
    )}`;
    if (!(before > 0 && again !== undefined && again[2] - tKill <= bound && lost.length === 0))
      problems.push(summary);
  }
  expect(problems).toEqual([]);
}

async function checkAll(env: Env, refusals: boolean): Promise<void> {
  const { file } = installedContract(env);
  const mode = refusals ? 'check' : 'check-access';
  const results = Object.fromEntries(
    await Promise.all(CLIENTS.map(async (cl) => [cl, await checkClient(cl, file, mode)] as const)),
  ) as Record<Client, CheckResult>;
  expectConnectionChecks(env, results, refusals);
}

/*
 * The three layouts run side by side (test.concurrent): each test installs and starts its own
 * layout, runs the four clients' checks and, where there is a failover, the kill. Sequential, the
 * suite took about 90 s on 2 cores; side by side it takes the longest layout's time.
 */
suite('real clients against the rendered self-hosted layouts (contract.env only)', () => {
  const standalone = new Env(
    exampleDeployment('go-api.yaml', { mode: 'standalone', shards: 1, replicasPerShard: 0 }),
    'clients-standalone',
  );
  const sentinel = new Env(
    exampleDeployment('default.yaml', { mode: 'replication', shards: 1, replicasPerShard: 2 }),
    'clients-sentinel',
  );
  // Valkey 8 is what the example deploys; this machine runs redis-server 7.0, so the engine is Redis 7.0.
  const cluster = new Env(
    exampleDeployment('platform-cache.yaml', { mode: 'cluster', shards: 3, replicasPerShard: 1 }, (y) =>
      y.replace(/^engine: valkey\nengineVersion: "8.0"$/m, 'engine: redis\nengineVersion: "7.0"'),
    ),
    'clients-cluster',
  );
  afterAll(() => Promise.all([standalone.stop(), sentinel.stop(), cluster.stop()]));

  test.concurrent(
    'standalone (examples/go-api.yaml): each client connects over verified TLS from contract.env, stays in its prefix, is refused without password, TLS or CA',
    async () => {
      await standalone.install({ ports: await freePorts(1) });
      await standalone.start();
      expect(installedContract(standalone).c).toMatchObject({
        REDIS_KEY_PREFIX: 'openctem:',
        REDIS_SENTINEL_ENABLED: 'false',
        REDIS_CLUSTER_ENABLED: 'false',
      });
      await checkAll(standalone, true);
    },
  );

  test.concurrent(
    'Sentinel (examples/default.yaml, 1+2 and 3 Sentinels): verified TLS and prefix through the Sentinels; primary SIGKILLed, every client writes again within REDIS_FAILOVER_TIMEOUT_MS, no WAIT-acknowledged write lost',
    async () => {
      const ports = await freePorts(6);
      await sentinel.install({
        ports: ports.slice(0, 3),
        sentinelPorts: ports.slice(3),
        sentinelDownAfterMs: SENTINEL_DOWN_AFTER_MS,
        sentinelFailoverTimeoutMs: 5000,
      });
      await sentinel.start();
      expect(installedContract(sentinel).c).toMatchObject({
        REDIS_SENTINEL_ENABLED: 'true',
        REDIS_SENTINEL_TLS: 'true',
        REDIS_KEY_PREFIX: 'app:',
      });
      await checkAll(sentinel, false);
      const result = await failoverRound(sentinel, 'fo-sentinel', () =>
        sentinel.kill(sentinel.layout.nodes[0].port),
      );
      expect(result.bound).toBe(SENTINEL_DOWN_AFTER_MS + 7000);
      expectFailoverWithinBound(result);
    },
  );

  test.concurrent(
    "Redis Cluster 3+3 (examples/platform-cache.yaml): verified TLS and prefix with cluster discovery; the primary of the clients' slot SIGKILLed, every client writes again within the bound, no WAIT-acknowledged write lost",
    async () => {
      await cluster.install({
        ports: await freePorts(6, true),
        clusterNodeTimeoutMs: CLUSTER_NODE_TIMEOUT_MS,
      });
      await cluster.start();
      await cluster.script('create-cluster.sh', cluster.secretsDir);
      expect(installedContract(cluster).c).toMatchObject({
        REDIS_CLUSTER_ENABLED: 'true',
        REDIS_KEY_PREFIX: 'pitchey:',
      });
      await checkAll(cluster, false);
      const tag = 'fo-cluster';
      const admin = await cluster.connected(cluster.layout.nodes[0].port, 'admin');
      const slot = (await admin.call('CLUSTER', 'KEYSLOT', `pitchey:{${tag}}:x`)) as number;
      const ranges = (await admin.call('CLUSTER', 'SLOTS')) as Array<[number, number, [string, number]]>;
      const owner = ranges.find(([from, to]) => slot >= from && slot <= to)![2][1];
      admin.disconnect();
      const result = await failoverRound(cluster, tag, () => cluster.kill(owner));
      expect(result.bound).toBe(2 * CLUSTER_NODE_TIMEOUT_MS + 6000);
      expectFailoverWithinBound(result);
    },
  );
});
