/* global process, setTimeout */
/** node-redis (@redis/client) driver: standalone, Sentinel or cluster, from contract.env only. */
const { createClient, createCluster, createSentinel } = require('@redis/client');
const { main, backoff } = require('./contract.cjs');

function socket(s, tls) {
  return {
    connectTimeout: s.connectTimeoutMs,
    reconnectStrategy: (retries) => backoff(s, retries + 1),
    ...(tls ? { tls: true, ca: s.ca, rejectUnauthorized: s.verify } : {}),
  };
}

const api = {
  name: 'node-redis',
  async connect(s) {
    let c;
    if (s.cluster) {
      c = createCluster({
        rootNodes: s.nodes.map((n) => ({ socket: { host: n.host, port: n.port } })),
        // A command for a node that is reconnecting fails at once instead of waiting in its queue
        // (for the dead primary: until a timeout); the caller's backoff retries after the rediscovery.
        defaults: {
          username: s.username,
          password: s.password,
          disableOfflineQueue: true,
          socket: socket(s, s.tls),
        },
      });
    } else if (s.sentinel) {
      c = createSentinel({
        name: s.master,
        sentinelRootNodes: s.sentinels,
        nodeClientOptions: { username: s.username, password: s.password, socket: socket(s, s.tls) },
        sentinelClientOptions: {
          username: s.sentinelUsername,
          password: s.sentinelPassword,
          socket: socket(s, s.sentinelTls),
        },
      });
    } else {
      c = createClient({
        username: s.username,
        password: s.password,
        socket: { host: s.host, port: s.port, ...socket(s, s.tls) },
      });
    }
    c.kind = s.cluster ? 'cluster' : s.sentinel ? 'sentinel' : 'single';
    // A refused first connection (TLS, AUTH, the handshake's CLIENT SETINFO) fails the attempt with
    // its reason instead of retrying forever; later errors are reconnects the client handles itself.
    let connected = false;
    let refused;
    const firstError = new Promise((_, reject) => (refused = reject));
    c.on('error', (e) => (connected ? undefined : refused(e)));
    await Promise.race([
      c.connect(),
      firstError,
      new Promise((_, reject) => setTimeout(() => reject(new Error('connect timeout')), s.connectTimeoutMs)),
    ]).then(
      () => (connected = true),
      async (e) => {
        connected = true;
        try {
          await c.destroy();
        } catch {
          // never opened
        }
        throw e;
      },
    );
    return c;
  },
  set: (c, k, v) => c.set(k, v),
  get: (c, k) => c.get(k),
  /** SET, then WAIT <replicas> on the same connection (cluster: routed by the key; Sentinel: one master lease). */
  async setAndWait(c, k, v, replicas) {
    const wait = ['WAIT', String(replicas), '1000'];
    if (c.kind === 'cluster') {
      await c.set(k, v);
      return Number(await c.sendCommand(k, false, wait));
    }
    if (c.kind === 'sentinel') {
      return c.use(async (m) => {
        await m.set(k, v);
        return Number(await m.sendCommand(false, wait));
      });
    }
    await c.set(k, v);
    return Number(await c.sendCommand(wait));
  },
  /**
   * A cluster client whose slot owner is gone keeps sending to it ("The client is offline") until
   * something makes it re-read the slot map; after two failed writes in a row a new client reads it
   * from a live node. Sentinel and single clients follow the primary themselves.
   */
  renewAfter: (s) => (s.cluster ? 2 : Infinity),
  close: async (c) => {
    try {
      await c.destroy();
    } catch {
      // already closed
    }
  },
};

main(api).catch((e) => {
  process.stdout.write(JSON.stringify({ fatal: String(e && e.stack) }) + '\n');
  process.exit(1);
});
