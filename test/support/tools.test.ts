/**
 * The one rule for missing tools (test/support/tools.ts): missing -> the tests fail naming the tool
 * and the fix; `<NAME>_TESTS=skip` -> skipped with a printed warning; present -> they run. And no
 * test file skips any other way.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  availability,
  commandCheck,
  commandProblem,
  have,
  LOOP_DISK,
  PHP_REDIS,
  PROMTOOL,
  PYTHON_REDIS,
  redisServer,
  SKIP_VARIABLES,
  SYSTEMD_ANALYZE,
  TOOL_CHECKS_DIR,
  type Requirement,
} from './tools';

const saved = { ...process.env };
afterEach(() => {
  for (const k of Object.keys(SKIP_VARIABLES)) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
  jest.restoreAllMocks();
});

let n = 0;
/** A fresh requirement each time (availability is cached per name). */
const fake = (problem: string | undefined): Requirement => ({
  name: `fake-tool-${++n}`,
  install: 'apt-get install -y fake-tool',
  skipVar: 'SYSTEMD_TESTS',
  problem: () => problem,
});

test('a missing tool is an error naming the tool, why, the install command and the skip variable', () => {
  delete process.env.REDIS_TESTS;
  const req = redisServer('redis-server-that-does-not-exist');
  expect(() => have(req)).toThrow(
    /^redis-server 7 is required: redis-server-that-does-not-exist: ENOENT\. Install it \(apt-get install -y redis-server\), or set REDIS_TESTS=skip/,
  );
});

test('<NAME>_TESTS=skip skips with a warning naming what is not tested', () => {
  process.env.SYSTEMD_TESTS = 'skip';
  const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  expect(have(fake('not on PATH'))).toBe(false);
  expect(warn).toHaveBeenCalledWith(
    expect.stringMatching(
      /SKIPPED because SYSTEMD_TESTS=skip: .*systemd-analyze verify.*not on PATH.*NOT tested/,
    ),
  );
});

test('any other value of the variable does not skip', () => {
  process.env.SYSTEMD_TESTS = '1';
  expect(availability(fake('not on PATH')).state).toBe('missing');
});

test('a present tool runs, with or without the variable, and warns nothing', () => {
  process.env.SYSTEMD_TESTS = 'skip';
  const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  expect(have(fake(undefined))).toBe(true);
  expect(warn).not.toHaveBeenCalled();
});

test('commandProblem: a missing command, a failing command, a working one', () => {
  expect(commandProblem('no-such-command-x1')).toBe('no-such-command-x1: ENOENT');
  expect(commandProblem('sh', ['-c', 'echo broken >&2; exit 3'])).toBe(
    '`sh -c echo broken >&2; exit 3` exited 3: broken',
  );
  expect(commandProblem('sh', ['-c', 'true'])).toBeUndefined();
});

test('commandCheck gives the stdout with the answer, recorded with it for the rest of the run', () => {
  const script = 'echo "cfn-lint 9.8.7"';
  expect(commandCheck('sh', ['-c', script])).toEqual({ output: 'cfn-lint 9.8.7\n' });
  expect(commandCheck('sh', ['-c', script])).toEqual({ output: 'cfn-lint 9.8.7\n' });
  expect(commandCheck('sh', ['-c', 'echo half; exit 4'])).toEqual({
    problem: '`sh -c echo half; exit 4` exited 4: half',
    output: 'half\n',
  });
});

test('commandProblem asks a PATH command once per run; a command given as a path every time', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tool-checks-'));
  try {
    const runs = path.join(dir, 'runs');
    const count = () => fs.readFileSync(runs, 'utf8').length;
    const script = `printf x >> ${runs}; echo broken >&2; exit 3`;
    const first = commandProblem('sh', ['-c', script]);
    expect(first).toMatch(/exited 3: broken$/);
    expect(commandProblem('sh', ['-c', script])).toBe(first);
    expect(count()).toBe(1);
    // Recorded in the run's folder, which the teardown keeps out of the leak check.
    expect(fs.existsSync(path.join(process.env.REDIS_IAC_JEST_TMP!, TOOL_CHECKS_DIR))).toBe(true);
    const shim = path.join(dir, 'shim');
    fs.writeFileSync(shim, `#!/bin/sh\n${script}\n`, { mode: 0o755 });
    commandProblem(shim);
    commandProblem(shim);
    expect(count()).toBe(3);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('no test file skips other than through this module', () => {
  const root = path.join(__dirname, '..');
  let out = '';
  try {
    out = execFileSync(
      'grep',
      [
        '-rnE',
        String.raw`(test|it|describe)\.skip|return;.*skip|=== 'skip'|ALLOW_NO_`,
        root,
        '--include=*.ts',
      ],
      {
        encoding: 'utf8',
      },
    );
  } catch (e) {
    if ((e as { status?: number }).status !== 1) throw e;
  }
  const offenders = out
    .split('\n')
    .filter(Boolean)
    .map((l) => path.relative(root, l))
    .filter(
      (l) =>
        !l.startsWith(`support${path.sep}tools.ts:`) && !l.startsWith(`support${path.sep}tools.test.ts:`),
    );
  expect(offenders).toEqual([]);
});

test('every probe accepts the installed tool (fails naming a missing one, unless its *_TESTS=skip)', () => {
  // CI's machine has every tool (.ci/run installs them): each probe must find it, or its tests would fail.
  for (const req of [PROMTOOL, PHP_REDIS, PYTHON_REDIS, SYSTEMD_ANALYZE, LOOP_DISK, redisServer()]) have(req);
});
