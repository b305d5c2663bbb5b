/**
 * The self-hosted rule data says which directives CONFIG SET refuses; this asks a real redis-server
 * (7.0.15 on this image) for each directive the renderer writes. Needs redis-server and redis-cli;
 * REDIS_TESTS=skip skips it with a warning.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import rulesData from '../../lib/catalog/data/change-rules.json';
import { reservePort } from '../support/local';
import { redisServer, testWith } from '../support/tools';

const SETTABLE = [
  'maxmemory',
  'maxmemory-policy',
  'appendonly',
  'save',
  'timeout',
  'tls-protocols',
  'notify-keyspace-events',
];

testWith(redisServer())(
  'CONFIG SET refuses exactly the directives the rules call immutable or protected',
  async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redis-iac-configset-'));
    const port = await reservePort();
    const pidfile = path.join(dir, 'redis.pid');
    execFileSync('redis-server', [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--daemonize',
      'yes',
      '--pidfile',
      pidfile,
      '--dir',
      dir,
      '--save',
      '',
    ]);
    const cli = (...args: string[]) =>
      spawnSync('redis-cli', ['-p', String(port), ...args], { encoding: 'utf8' }).stdout.trim();
    try {
      for (let i = 0; i < 50 && cli('ping') !== 'PONG'; i++) await new Promise((r) => setTimeout(r, 100));
      const { immutable, protected: prot } = rulesData.redisConfigSet;
      const refused = (k: string) => {
        const current = cli('config', 'get', k).split('\n')[1] ?? '';
        return /can't set (immutable|protected) config/.test(cli('config', 'set', k, current));
      };
      expect([...immutable, ...prot].filter((k) => !refused(k))).toEqual([]);
      expect(SETTABLE.filter(refused)).toEqual([]);
    } finally {
      cli('shutdown', 'nosave');
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
);
