/** lib/redisconf/parse.ts: the one redis.conf reader (conformance cells, guides checker, npm run diff). */
import { directives } from '../../lib/redisconf/parse';

test('repeated directives keep every line in order; names are lower-cased; comments and blanks skipped', () => {
  const d = directives(
    '# c\n\n  # indented comment\nrename-command KEYS ""\nRENAME-COMMAND DEBUG ""\nport 0\r\ntls-port 6380\nport 7000\n',
  );
  expect([...d.keys()]).toEqual(['rename-command', 'port', 'tls-port']);
  expect(d.get('rename-command')).toEqual(['KEYS ""', 'DEBUG ""']);
  expect(d.get('port')).toEqual(['0', '7000']);
  expect(d.get('tls-port')).toEqual(['6380']);
});

test('arguments are split as Redis splits them: whitespace runs are one separator, quoted spaces stay', () => {
  const d = directives(
    'bind  127.0.0.1\t10.0.0.5 -::1\nsave "900 1  300 10"\nuser app2 on >x ~app2:* \'&*\'\n',
  );
  expect(d.get('bind')).toEqual(['127.0.0.1 10.0.0.5 -::1']);
  expect(d.get('save')).toEqual(['"900 1  300 10"']);
  expect(d.get('user')).toEqual(["app2 on >x ~app2:* '&*'"]);
});

test('a directive without arguments and an unterminated quote still parse', () => {
  const d = directives('appendonly\nrequirepass "abc\n');
  expect(d.get('appendonly')).toEqual(['']);
  expect(d.get('requirepass')).toEqual(['"abc']);
});

test('sentinel lines: one key by default, keyed by sub-command and master on request', () => {
  const conf =
    'sentinel monitor app 127.0.0.1 6380 2\nsentinel down-after-milliseconds app 5000\nsentinel monitor app2 127.0.0.1 6390 2\n';
  expect(directives(conf).get('sentinel')).toHaveLength(3);
  const keyed = directives(conf, { sentinelSubcommands: true });
  expect(keyed.get('sentinel monitor app')).toEqual(['monitor app 127.0.0.1 6380 2']);
  expect(keyed.get('sentinel monitor app2')).toEqual(['monitor app2 127.0.0.1 6390 2']);
  expect(keyed.get('sentinel down-after-milliseconds app')).toEqual(['down-after-milliseconds app 5000']);
  expect(keyed.has('sentinel')).toBe(false);
});

test('an empty file has no directives', () => {
  expect(directives('').size).toBe(0);
  expect(directives('\n# only a comment\n').size).toBe(0);
});
