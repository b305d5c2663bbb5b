/**
 * Issue 6, proofs 1 and 2 on a real redis-server started from the rendered standalone config:
 * TLS only (plaintext refused, test CA accepted, untrusted CA rejected) and ACL/command restrictions.
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import * as tls from 'node:tls';
import { ioThreadsLines, tuningLines } from '../../lib/redisconf';
import { Env, standaloneDeployment, startStandalone } from './harness';
import { RSA_2048 } from '../support/certs';
import { describeWith, redisServer } from '../support/tools';

const suite = describeWith(redisServer());

suite('self-hosted standalone from the rendered config (real redis-server)', () => {
  const env = new Env(standaloneDeployment(), 'security');
  // RSA 2048 certificates here, as many users bring them; the other suites use ECDSA P-256.
  env.tlsKey = RSA_2048;
  let port = 0;

  beforeAll(async () => {
    port = await startStandalone(env);
  });
  afterAll(() => env.stop());

  test('1. plaintext is refused, TLS with the test CA works, an untrusted CA is rejected', async () => {
    // Plaintext: the only listener speaks TLS, so a RESP PING gets no RESP reply and the connection closes.
    const reply = await new Promise<string>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => s.write('PING\r\n'));
      let data = '';
      s.on('data', (d) => (data += d.toString('latin1')));
      s.on('close', () => resolve(data));
      s.on('error', () => resolve(data));
      s.setTimeout(3000, () => s.destroy());
    });
    expect(reply).not.toMatch(/PONG|NOAUTH|^-/);

    const ok = await env.connected(port, 'app');
    expect(await ok.ping()).toBe('PONG');
    const proto = await ok.call('HELLO', '2', 'AUTH', env.users.app.name, env.passwords.app);
    expect(JSON.stringify(proto)).toContain('redis');

    // A client that trusts only another CA must refuse the server's certificate.
    const rogue = await new Promise<string>((resolve) => {
      const s = tls.connect({ host: '127.0.0.1', port, ca: env.tls.rogueCa }, () => {
        s.destroy();
        resolve('connected');
      });
      s.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
    });
    expect(rogue).toMatch(/UNABLE_TO_VERIFY|SELF_SIGNED|CERT/);
    // And the same handshake with the test CA succeeds (control for the line above).
    let serverKey = '';
    const trusted = await new Promise<string>((resolve) => {
      const s = tls.connect({ host: '127.0.0.1', port, ca: env.tls.ca }, () => {
        const cert = s.getPeerCertificate();
        serverKey = cert.modulus ? `RSA ${cert.bits}` : `EC ${cert.asn1Curve}`;
        resolve(s.getProtocol() ?? 'unknown');
        s.destroy();
      });
      s.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
    });
    expect(trusted).toMatch(/^TLSv1\.[23]$/);
    // This suite's certificates are RSA 2048 (env.tlsKey); the others' are ECDSA P-256.
    expect(serverKey).toBe('RSA 2048');

    const noTls = env.client(port, 'app', { tls: undefined });
    await expect(noTls.connect().then(() => noTls.ping())).rejects.toThrow();
    console.log(
      `[tls] port ${port}: plaintext reply ${JSON.stringify(reply)} (refused); test CA: ${trusted} + PONG; rogue CA: ${rogue}`,
    );
  });

  test('2. NOAUTH without auth; app user confined to its prefix; FLUSHALL, DEBUG and CONFIG refused', async () => {
    const anon = await env.connected(port);
    await expect(anon.ping()).rejects.toThrow(/NOAUTH/);

    await expect(anon.call('AUTH', env.users.app.name, 'not-the-password')).rejects.toThrow(/WRONGPASS/);

    const app = await env.connected(port, 'app');
    expect(await app.set('app:user:1', 'v')).toBe('OK');
    expect(await app.get('app:user:1')).toBe('v');
    await expect(app.set('other:user:1', 'v')).rejects.toThrow(/NOPERM/);
    await expect(app.get('other:user:1')).rejects.toThrow(/NOPERM/);
    for (const cmd of [
      ['FLUSHALL'],
      ['FLUSHDB'],
      ['DEBUG', 'SLEEP', '0'],
      ['KEYS', '*'],
      ['CONFIG', 'GET', 'maxmemory'],
    ]) {
      // Disabled/renamed on the server: unknown command for everyone.
      await expect(app.call(cmd[0], ...cmd.slice(1))).rejects.toThrow(/unknown command/i);
    }
    // The secret CONFIG name exists, but ACL still refuses it to the application.
    await expect(app.call(env.passwords.configCommand, 'GET', 'maxmemory')).rejects.toThrow(/NOPERM/);

    const admin = await env.connected(port, 'admin');
    const admin2 = await admin.call(env.passwords.configCommand, 'GET', 'maxmemory');
    expect(admin2).toEqual(['maxmemory', String(env.deployment.plan.memory.maxmemoryBytesPerShard)]);
    await expect(admin.call('FLUSHALL')).rejects.toThrow(/unknown command/i);

    // Every policy/plan tuning directive of the rendered file is in force on the server (CONFIG GET),
    // except those CONFIG GET reports in another unit (buffer limits in bytes, save checked in test 3).
    const rendered = [
      ...tuningLines(env.deployment.policy, env.deployment.plan),
      ...ioThreadsLines(env.layout.cores),
    ];
    let checked = 0;
    for (const line of rendered) {
      const [name, ...rest] = line.split(' ');
      if (name === 'client-output-buffer-limit' || name === 'save') continue;
      const want = rest.join(' ').replace(/^"(.*)"$/, '$1');
      expect([name, (await admin.call(env.passwords.configCommand, 'GET', name)) as string[]]).toEqual([
        name,
        [name, want],
      ]);
      checked++;
    }
    expect(checked).toBeGreaterThan(15);

    const metrics = await env.connected(port, 'metrics');
    expect(await metrics.info('server')).toContain('redis_version');
    // The exporter runs with --config-command=-: even under the secret name, CONFIG GET (masterauth!) is refused.
    await expect(metrics.call(env.passwords.configCommand, 'GET', 'maxclients')).rejects.toThrow(/NOPERM/);
    await expect(metrics.call('SLOWLOG', 'GET', '10')).rejects.toThrow(/NOPERM/);
    // Everything else redis_exporter runs is permitted (a non-ACL error such as "cluster support disabled" is fine).
    for (const cmd of [
      ['SLOWLOG', 'LEN'],
      ['LATENCY', 'LATEST'],
      ['LATENCY', 'HISTOGRAM'],
      ['CLUSTER', 'INFO'],
      ['CLUSTER', 'NODES'],
      ['CLIENT', 'SETNAME', 'redis_exporter'],
    ]) {
      await metrics
        .call(cmd[0], ...cmd.slice(1))
        .catch((e: Error) => expect(e.message).not.toMatch(/NOPERM/));
    }
    await expect(metrics.get('app:user:1')).rejects.toThrow(/NOPERM/);
    await expect(metrics.set('app:x', '1')).rejects.toThrow(/NOPERM/);

    // No secret in the rendered artifact; only hashes in the installed ACL file.
    const dist = env.distText();
    const acl = fs.readFileSync(path.join(env.layout.confDir, 'users.acl'), 'utf8');
    for (const role of ['app', 'metrics', 'admin', 'replication', 'sentinel']) {
      expect(dist).not.toContain(env.passwords[role]);
      expect(acl).not.toContain(env.passwords[role]);
    }
    expect(dist).not.toContain(env.passwords.configCommand);
    expect(acl).toMatch(/^user app-app on resetpass #[0-9a-f]{64} /m);
    console.log(
      '[acl] NOAUTH anonymous, WRONGPASS bad password, app NOPERM outside app:*, FLUSHALL/FLUSHDB/DEBUG/KEYS/CONFIG unknown, secret CONFIG name NOPERM for app, no password in dist/',
    );
  });
});
