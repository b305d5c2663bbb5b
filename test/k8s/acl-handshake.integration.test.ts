/**
 * The ACL file the Kubernetes manifests carry, read from the synthesized opstree.yaml / bitnami.yaml
 * (the `<name>-acl-template` ConfigMap), filled as the header commands fill it, loaded into real
 * redis-server 7.0.15 next to `requirepass` (as both flavors start Redis), and used by real clients
 * as the application user:
 * - ioredis standalone (Bitnami's ACL): connects without "Skipping the ready check";
 * - ioredis Cluster and redis-py 4.3.4 RedisCluster (/usr/bin/python3) against a 3-node cluster
 *   loaded with the OpsTree ACL;
 * - the old rules (`+@all -@dangerous`, no INFO) as a control: the same clients fail or warn, so
 *   these checks can fail.
 * Skipped only with REDIS_TESTS=skip.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Redis, { Cluster } from 'ioredis';
import { parseAllDocuments } from 'yaml';
import { loadPatched } from './patched-bitnami';
import { makeContext, type Flavor } from '../../lib/k8s/context';
import { ACL_TEMPLATE_KEY, placeholder, type PasswordRef } from '../../lib/k8s/secrets';
import { synthKubernetes } from '../../lib/k8s/synth';
import { freePorts } from '../selfhosted/harness';
import {
  fillAclTemplate,
  rcli,
  type Server,
  startCluster,
  startServer,
  stopServer,
  testPassword,
} from '../support/acl-redis';

const suite = describeWith(redisServer());

const PYTHON = '/usr/bin/python3';
const REFS: PasswordRef[] = ['admin', 'app', 'metrics', 'backup', 'tlsReload'];
/** The rules the application user had before the role model: INFO (in @dangerous) was denied. */
const OLD_APP_RULES = ['resetkeys', '~app:*', 'resetchannels', '&app:*', '+@all', '-@dangerous'];

const PY_CLIENT = `
import os, sys
import redis
from redis.cluster import RedisCluster
kw = dict(host="127.0.0.1", port=int(os.environ["PORT"]), username=os.environ["RUSER"], password=os.environ["RPASS"])
c = RedisCluster(**kw) if sys.argv[1] == "cluster" else redis.Redis(**kw)
for i in range(20):
    c.set("app:py%d" % i, i)
assert c.get("app:py7") == b"7", c.get("app:py7")
print("redis-py %s %s OK" % (redis.__version__, sys.argv[1]))
`;
import { describeWith, redisServer } from '../support/tools';

let root: string;
const servers: Server[] = [];
const passwords = Object.fromEntries(REFS.map((r) => [r, testPassword()])) as Record<PasswordRef, string>;
// With the Bitnami flavor back (production examples run OpsTree only: no patched Bitnami image exists).
const d = loadPatched('examples/default.yaml');

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'k8s-acl-'));
  synthKubernetes(d, path.join(root, 'dist'));
});
afterAll(async () => {
  for (const s of servers) await stopServer(s);
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

/** The ACL file of a flavor: the template ConfigMap in its YAML, filled with the test passwords' digests. */
function aclFileOf(flavor: Flavor): string {
  const ctx = makeContext(d, flavor);
  const docs = parseAllDocuments(fs.readFileSync(path.join(root, 'dist', `${flavor}.yaml`), 'utf8')).map(
    (x) => x.toJS() as { kind?: string; metadata?: { name?: string }; data?: Record<string, string> },
  );
  const cm = docs.find((o) => o?.kind === 'ConfigMap' && o.metadata?.name === `${ctx.name}-acl-template`);
  if (!cm?.data) throw new Error(`no ${ctx.name}-acl-template ConfigMap in ${flavor}.yaml`);
  const filled = fillAclTemplate(
    cm.data[ACL_TEMPLATE_KEY],
    Object.fromEntries(REFS.map((r) => [placeholder(r, 'sha256'), passwords[r]])),
  );
  const file = path.join(root, `${flavor}.acl`);
  fs.writeFileSync(file, filled);
  return file;
}

/** How both flavors start Redis: the ACL file plus requirepass/masterauth (the admin password on `default`). */
const serverArgs = (aclFile: string) => [
  '--aclfile',
  aclFile,
  '--requirepass',
  passwords.admin,
  '--masterauth',
  passwords.admin,
];

function python(mode: 'cluster' | 'standalone', port: number, user: string, pass: string) {
  const r = spawnSync(PYTHON, ['-c', PY_CLIENT, mode], {
    env: { PATH: process.env.PATH!, PORT: String(port), RUSER: user, RPASS: pass },
    encoding: 'utf8',
    timeout: 30_000,
  });
  if (r.error)
    throw new Error(`${PYTHON} (Debian python3-redis) is required for this test: ${r.error.message}`);
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

/** Connect with ioredis and run a few commands; returns what console.warn received meanwhile. */
async function withWarnings(run: () => Promise<void>): Promise<string[]> {
  const warned: string[] = [];
  const spy = jest
    .spyOn(console, 'warn')
    .mockImplementation((...a: unknown[]) => void warned.push(a.join(' ')));
  try {
    await run();
  } finally {
    spy.mockRestore();
  }
  return warned;
}

suite('Kubernetes ACL (Bitnami) on real Redis: the application handshake', () => {
  let port: number;
  const ctx = makeContext(d, 'bitnami');

  beforeAll(async () => {
    [port] = await freePorts(1);
    servers.push(await startServer(path.join(root, 'bitnami'), port, serverArgs(aclFileOf('bitnami'))));
  });

  it('carries every role that runs on Kubernetes; the default user keeps the admin password', () => {
    const users = rcli(port, ['ACL', 'USERS'], { pass: passwords.admin }).split('\n');
    expect(users.sort()).toEqual(
      [
        'default',
        ...(['app', 'metrics', 'backup', 'tlsReload'] as const).map((r) => ctx.roles[r].user),
      ].sort(),
    );
  });

  it('ioredis standalone as the app user: ready check passes (no "Skipping the ready check")', async () => {
    const warned = await withWarnings(async () => {
      const r = new Redis({
        host: '127.0.0.1',
        port,
        username: ctx.appUser,
        password: passwords.app,
        lazyConnect: true,
      });
      try {
        await r.connect();
        expect(r.status).toBe('ready');
        expect(await r.set('app:io', '1')).toBe('OK');
        await expect(r.set('other:io', '1')).rejects.toThrow(/NOPERM/);
      } finally {
        r.disconnect();
      }
    });
    expect(warned.filter((w) => /ready check/i.test(w))).toEqual([]);
  });

  it('redis-py standalone as the app user', () => {
    const r = python('standalone', port, ctx.appUser, passwords.app);
    expect([r.status, r.out]).toEqual([0, expect.stringContaining('standalone OK')]);
  });

  it('control: with the old rules (INFO denied) ioredis skips its ready check', async () => {
    expect(
      rcli(port, ['ACL', 'SETUSER', 'old-app', 'on', `>${passwords.app}`, ...OLD_APP_RULES], {
        pass: passwords.admin,
      }),
    ).toBe('OK');
    const warned = await withWarnings(async () => {
      const r = new Redis({
        host: '127.0.0.1',
        port,
        username: 'old-app',
        password: passwords.app,
        lazyConnect: true,
      });
      try {
        await r.connect();
      } finally {
        r.disconnect();
      }
    });
    expect(warned.join('\n')).toMatch(/Skipping the ready check because INFO command fails: "NOPERM/);
  });
});

suite('Kubernetes ACL (OpsTree) on a real 3-node Redis Cluster: the application handshake', () => {
  let ports: number[];
  const ctx = makeContext(d, 'opstree');

  beforeAll(async () => {
    ports = await freePorts(3, true);
    servers.push(
      ...(await startCluster(path.join(root, 'opstree'), ports, serverArgs(aclFileOf('opstree')), {
        pass: passwords.admin,
      })),
    );
  });

  it('ioredis Cluster as the app user: every node passes the ready check, keys land on all shards', async () => {
    const warned = await withWarnings(async () => {
      const c = new Cluster([{ host: '127.0.0.1', port: ports[0] }], {
        redisOptions: { username: ctx.appUser, password: passwords.app },
      });
      try {
        await new Promise<void>((resolve, reject) => {
          c.once('ready', resolve);
          c.once('error', reject);
        });
        for (let i = 0; i < 30; i++) expect(await c.set(`app:c${i}`, String(i))).toBe('OK');
        expect(await c.get('app:c17')).toBe('17');
        await expect(c.get('other:c1')).rejects.toThrow(/NOPERM/);
      } finally {
        c.disconnect();
      }
    });
    expect(warned.filter((w) => /ready check/i.test(w))).toEqual([]);
    // The keys are spread over the three primaries.
    const counts = ports.map((p) => Number(rcli(p, ['DBSIZE'], { pass: passwords.admin })));
    expect(counts.every((n) => n > 0)).toBe(true);
  });

  it('redis-py 4.3.4 RedisCluster as the app user connects and writes', () => {
    const r = python('cluster', ports[1], ctx.appUser, passwords.app);
    expect([r.status, r.out]).toEqual([0, expect.stringContaining('cluster OK')]);
  });

  it('control: with the old rules redis-py RedisCluster cannot connect (INFO denied)', () => {
    for (const p of ports)
      expect(
        rcli(p, ['ACL', 'SETUSER', 'old-app', 'on', `>${passwords.app}`, ...OLD_APP_RULES], {
          pass: passwords.admin,
        }),
      ).toBe('OK');
    const r = python('cluster', ports[0], 'old-app', passwords.app);
    expect(r.status).not.toBe(0);
    expect(r.out).toMatch(/no permissions to run the 'info' command|NoPermission/i);
  });
});
