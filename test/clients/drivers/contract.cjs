/* global process, setTimeout */
/**
 * Reads a connection contract (contract.env) and the files it names, for the Node drivers.
 * Nothing else configures a driver: no host, port, user, prefix or CA comes from anywhere else.
 */
const fs = require('node:fs');

function readContract(file) {
  const c = {};
  for (const line of fs.readFileSync(file, 'utf8').split(/\r?\n/)) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (m) c[m[1]] = m[2];
  }
  return c;
}

/** `file:<path>` -> its content; `none` -> undefined; anything else cannot be read here. */
function fromSource(source, trim) {
  if (source === 'none' || source === '') return undefined;
  if (!source.startsWith('file:')) throw new Error(`cannot read ${source}: only file: sources are local`);
  const text = fs.readFileSync(source.slice('file:'.length), 'utf8');
  return trim ? text.replace(/[\r\n]+$/, '') : text;
}

function hostPort(s) {
  const at = s.lastIndexOf(':');
  return { host: s.slice(0, at), port: Number(s.slice(at + 1)) };
}

/** Everything a client needs, from the contract. */
function settings(file) {
  const c = readContract(file);
  const tls = c.REDIS_TLS_ENABLED === 'true';
  const ca = tls && c.REDIS_TLS_CA_FROM !== 'system' ? fromSource(c.REDIS_TLS_CA_FROM) : undefined;
  return {
    c,
    host: c.REDIS_HOST,
    port: Number(c.REDIS_PORT),
    tls,
    verify: c.REDIS_TLS_VERIFY === 'true',
    ca,
    username: c.REDIS_USERNAME || undefined,
    password: fromSource(c.REDIS_PASSWORD_FROM, true),
    prefix: c.REDIS_KEY_PREFIX,
    cluster: c.REDIS_CLUSTER_ENABLED === 'true',
    nodes: c.REDIS_CLUSTER_NODES.split(',').filter(Boolean).map(hostPort),
    sentinel: c.REDIS_SENTINEL_ENABLED === 'true',
    sentinels: c.REDIS_SENTINELS.split(',').filter(Boolean).map(hostPort),
    master: c.REDIS_SENTINEL_MASTER,
    sentinelUsername: c.REDIS_SENTINEL_USERNAME || undefined,
    sentinelPassword: fromSource(c.REDIS_SENTINEL_PASSWORD_FROM, true),
    sentinelTls: c.REDIS_SENTINEL_TLS === 'true',
    connectTimeoutMs: Number(c.REDIS_CONNECT_TIMEOUT_MS),
    commandTimeoutMs: Number(c.REDIS_COMMAND_TIMEOUT_MS),
    maxRetries: Number(c.REDIS_MAX_RETRIES),
    retryMinMs: Number(c.REDIS_RETRY_MIN_DELAY_MS),
    retryMaxMs: Number(c.REDIS_RETRY_MAX_DELAY_MS),
  };
}

/** Exponential backoff between the contract's minimum and maximum delay. */
function backoff(s, attempt) {
  return Math.min(s.retryMinMs * 2 ** Math.max(0, attempt - 1), s.retryMaxMs);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** What a refused attempt said, in one line. */
function errText(e) {
  return String((e && (e.message || e)) || 'error').split('\n')[0];
}

/**
 * The common protocol of every driver (see test/clients/README.md):
 * `check`    -> {set, get, outside, noPassword, plaintext, wrongCa}; `check-access`: the first three
 * `failover <tag> <stop-file> <replicas>` -> {writes: [[i, start, end, status]], lost: [...]}: writes
 *   (SET, then WAIT <replicas>) until the stop file exists; a write is acknowledged ('ack') when every
 *   one of the layout's <replicas> replicas has it, so whichever replica a failover promotes holds it
 *   (WAIT 1 with two replicas would not: Sentinel may promote the other one). Prints READY on stderr
 *   after its first acknowledged write and
 *   `OK <ms since epoch>` after every successful write (the orchestrator's progress signal).
 */
async function main(api) {
  const [file, mode, tag, stopFile, replicas] = process.argv.slice(2);
  const s = settings(file);
  const out = mode.startsWith('check')
    ? await check(api, s, mode === 'check')
    : await failover(api, s, tag, stopFile, Number(replicas));
  process.stdout.write(JSON.stringify(out) + '\n');
  process.exit(0);
}

async function attempt(fn) {
  try {
    return { ok: true, value: String(await fn()) };
  } catch (e) {
    return { ok: false, error: errText(e) };
  }
}

async function check(api, s, refusals) {
  const key = `${s.prefix}matrix:${api.name}`;
  const out = {};
  const client = await api.connect(s);
  try {
    out.set = await attempt(() => api.set(client, key, `v-${api.name}`));
    out.get = await attempt(() => api.get(client, key));
    out.outside = await attempt(() => api.set(client, `outside:${api.name}`, 'x'));
  } finally {
    await api.close(client);
  }
  if (!refusals) return out;
  const single = { ...s, cluster: false, sentinel: false };
  out.noPassword = await attempt(async () => {
    const c = await api.connect({ ...single, username: undefined, password: undefined });
    try {
      return await api.set(c, key, 'no-password');
    } finally {
      await api.close(c);
    }
  });
  out.plaintext = await attempt(async () => {
    const c = await api.connect({ ...single, tls: false });
    try {
      return await api.set(c, key, 'plaintext');
    } finally {
      await api.close(c);
    }
  });
  // Verification is on: without the contract's CA (the system store only) the handshake must fail.
  out.wrongCa = await attempt(async () => {
    const c = await api.connect({ ...single, ca: undefined });
    try {
      return await api.set(c, key, 'system-ca');
    } finally {
      await api.close(c);
    }
  });
  return out;
}

/** A new client from the contract (the old one is closed); the old one when no node answers yet. */
async function renew(api, s, old) {
  try {
    const fresh = await api.connect(s);
    await api.close(old);
    return fresh;
  } catch {
    return old;
  }
}

async function failover(api, s, tag, stopFile, replicas) {
  if (!(replicas >= 1)) throw new Error(`failover needs the replica count, got ${replicas}`);
  let client = await api.connect(s);
  const writes = [];
  const acked = [];
  let failures = 0;
  for (let i = 1; !fs.existsSync(stopFile); i++) {
    // One hash tag per run: in a cluster every key of the run lives in one slot, on one primary.
    const key = `${s.prefix}{${tag}}:${api.name}:${i}`;
    const t = Date.now();
    try {
      const n = await api.setAndWait(client, key, String(i), replicas);
      const end = Date.now();
      writes.push([i, t, end, n >= replicas ? 'ack' : 'noack']);
      if (n >= replicas && acked.push(key) === 1) process.stderr.write('READY\n');
      process.stderr.write(`OK ${end}\n`);
      failures = 0;
      await sleep(50);
    } catch (e) {
      writes.push([i, t, Date.now(), `err:${errText(e)}`]);
      await sleep(backoff(s, ++failures));
      if (api.renewAfter && failures >= api.renewAfter(s)) client = await renew(api, s, client);
    }
  }
  const lost = [];
  for (const key of acked) {
    const v = await attempt(() => api.get(client, key));
    if (!v.ok || v.value !== key.slice(key.lastIndexOf(':') + 1)) lost.push([key, v.error ?? v.value]);
  }
  await api.close(client);
  return { writes, lost };
}

module.exports = { main, settings, backoff, errText };
