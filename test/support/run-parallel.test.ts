/** test/support/run-parallel.mjs, the runner of `npm test`'s lanes. */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const SCRIPT = path.join(__dirname, 'run-parallel.mjs');
let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'run-parallel-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function run(...lanes: string[]) {
  const r = spawnSync(process.execPath, [SCRIPT, ...lanes], { cwd: dir, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('lanes run at the same time: each waits for a file the other one writes', () => {
  const wait = (f: string) =>
    `i=0; while [ ! -f ${f} ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i+1)); done; test -f ${f}`;
  const r = run(
    `touch a1 && ${wait('b2')} && echo lane-1-done`,
    `touch b2 && ${wait('a1')} && echo lane-2-done`,
  );
  expect(r.code).toBe(0);
  expect(r.out).toContain('lane-1-done');
  expect(r.out).toContain('lane-2-done');
});

test('one failing lane fails the run; the other lanes still run to their end (bad fixture)', () => {
  const r = run('echo broken-lane && exit 3', 'sleep 0.2 && touch ran-3 && echo fine-lane');
  expect(r.code).toBe(1);
  expect(fs.existsSync(path.join(dir, 'ran-3'))).toBe(true);
  expect(r.out).toMatch(/\[FAILED\] echo broken-lane && exit 3 \(/);
  expect(r.out).toMatch(/\[ok\] sleep 0\.2 && touch ran-3 && echo fine-lane \(/);
});

test('a buffered lane prints its output in one piece; a --live lane streams it', () => {
  const r = run('echo one-1 && echo one-2', '--live', 'echo live-1 && sleep 0.3 && echo live-2');
  expect(r.code).toBe(0);
  // The buffered lane's two lines are never split by the live lane's output.
  expect(r.out).toMatch(/one-1\none-2\n/);
  expect(r.out).toContain('live-1\n');
  expect(r.out).toMatch(/\[ok\] echo live-1 && sleep 0\.3 && echo live-2/);
});

test('every lane gets the larger young generation in NODE_OPTIONS, after what the caller set', () => {
  const r = spawnSync(process.execPath, [SCRIPT, 'echo "opts=$NODE_OPTIONS"'], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '--no-warnings' },
  });
  expect(r.stdout).toContain('opts=--no-warnings --max-semi-space-size=32');
});

test('no lane is a usage error: exit 2', () => {
  const r = run();
  expect(r.code).toBe(2);
  expect(r.err).toMatch(/^usage: node test\/support\/run-parallel\.mjs/);
});
