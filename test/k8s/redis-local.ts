/**
 * Minimal local redis-server control for the Kubernetes tests (backup script, ACL procedure):
 * free loopback port, daemonized start with a pidfile, stop by PID (TERM, then KILL), cleanup.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { alive, reservePort, sleep } from '../support/local';

export { reservePort };

export interface LocalRedis {
  port: number;
  dir: string;
  pid: number;
}

export function cli(port: number, args: string[], opts: { user?: string; pass?: string } = {}): string {
  const auth = [
    ...(opts.user ? ['--user', opts.user] : []),
    ...(opts.pass !== undefined ? ['--pass', opts.pass] : []),
  ];
  const r = spawnSync(
    'redis-cli',
    ['-h', '127.0.0.1', '-p', String(port), '--no-auth-warning', ...auth, ...args],
    {
      encoding: 'utf8',
    },
  );
  return (r.stdout + r.stderr).trim();
}

/**
 * Start redis-server in `dir` with extra arguments; resolves once it answers (PING or NOAUTH).
 * With `tlsCa` the port is the TLS port and the plaintext port is 0 (pass the TLS file arguments).
 */
export async function startRedis(dir: string, args: string[], tlsCa?: string): Promise<LocalRedis> {
  fs.mkdirSync(dir, { recursive: true });
  const port = await reservePort();
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
      ...args,
    ],
    { encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`redis-server failed to start: ${r.stderr}`);
  for (let i = 0; i < 100; i++) {
    if (fs.existsSync(pidfile)) {
      const out = cli(port, [...(tlsCa ? ['--tls', '--cacert', tlsCa] : []), 'PING']);
      if (/PONG|NOAUTH/.test(out)) return { port, dir, pid: Number(fs.readFileSync(pidfile, 'utf8').trim()) };
    }
    await sleep(50);
  }
  const log = fs.existsSync(path.join(dir, 'redis.log'))
    ? fs.readFileSync(path.join(dir, 'redis.log'), 'utf8')
    : '';
  throw new Error(`redis-server on ${port} did not come up:\n${log.slice(-2000)}`);
}

export async function stopRedis(r: LocalRedis | undefined): Promise<void> {
  if (!r || !alive(r.pid)) return;
  process.kill(r.pid, 'SIGTERM');
  for (let i = 0; i < 100 && alive(r.pid); i++) await sleep(50);
  if (alive(r.pid)) process.kill(r.pid, 'SIGKILL');
  for (let i = 0; i < 40 && alive(r.pid); i++) await sleep(50);
}
