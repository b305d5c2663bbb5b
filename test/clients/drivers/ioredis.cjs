/* global process */
/** ioredis driver: standalone, Sentinel or cluster, from contract.env only (protocol in contract.cjs). */
const Redis = require('ioredis');
const { main, backoff } = require('./contract.cjs');

function tlsOptions(s, on) {
  return on ? { ca: s.ca, rejectUnauthorized: s.verify } : undefined;
}

function common(s) {
  return {
    username: s.username,
    password: s.password,
    connectTimeout: s.connectTimeoutMs,
    commandTimeout: s.commandTimeoutMs,
    maxRetriesPerRequest: s.maxRetries,
    retryStrategy: (times) => (times > s.maxRetries * 10 ? null : backoff(s, times)),
  };
}

/** A command's error with the connection error behind it ("max retries" alone says nothing). */
async function explained(c, fn) {
  try {
    return await fn();
  } catch (e) {
    const cause = c.lastConnectionError;
    throw cause && cause !== e ? new Error(`${e.message} (connection: ${cause.message})`) : e;
  }
}

const api = {
  name: 'ioredis',
  async connect(s) {
    let c;
    if (s.cluster) {
      c = new Redis.Cluster(s.nodes, {
        redisOptions: { ...common(s), tls: tlsOptions(s, s.tls) },
        clusterRetryStrategy: (times) => backoff(s, times),
        slotsRefreshTimeout: s.commandTimeoutMs,
      });
    } else if (s.sentinel) {
      c = new Redis({
        ...common(s),
        sentinels: s.sentinels,
        name: s.master,
        role: 'master',
        sentinelUsername: s.sentinelUsername,
        sentinelPassword: s.sentinelPassword,
        enableTLSForSentinelMode: s.sentinelTls,
        sentinelTLS: tlsOptions(s, s.sentinelTls),
        tls: tlsOptions(s, s.tls),
        sentinelRetryStrategy: (times) => backoff(s, times),
      });
    } else {
      c = new Redis({ ...common(s), host: s.host, port: s.port, tls: tlsOptions(s, s.tls) });
    }
    // ioredis reports a refused connection only as an 'error' event; keep it for the command's error.
    c.on('error', (e) => (c.lastConnectionError = e));
    return c;
  },
  set: (c, k, v) => explained(c, () => c.set(k, v)),
  get: (c, k) => explained(c, () => c.get(k)),
  /** SET, then WAIT <replicas> on the same node (a pipeline goes to the key's node in a cluster too). */
  async setAndWait(c, k, v, replicas) {
    // A cluster pipeline does not follow a MOVED (after a failover) by itself: a plain SET does, and
    // updates the slot map, so the pipeline below lands on the key's current primary.
    if (c.isCluster) await c.set(k, v);
    const res = await c.pipeline().set(k, v).call('WAIT', replicas, 1000).exec();
    for (const [e] of res) if (e) throw e;
    return Number(res[1][1]);
  },
  close: async (c) => c.disconnect(),
};

main(api).catch((e) => {
  process.stdout.write(JSON.stringify({ fatal: String(e && e.stack) }) + '\n');
  process.exit(1);
});
