/** test/support/typecheck.mjs: `tsc -b`, and a full check after npm changed node_modules. */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const SCRIPT = path.join(__dirname, 'typecheck.mjs');
let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'typecheck-'));
  fs.mkdirSync(path.join(dir, 'node_modules', '.cache'), { recursive: true });
  // The build info's path comes from tsconfig.json, as in the repository.
  fs.writeFileSync(
    path.join(dir, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { tsBuildInfoFile: 'node_modules/.cache/tsconfig.tsbuildinfo' } }),
  );
  // A stand-in for tsc: records its arguments, exits with the code in ./exit.
  fs.writeFileSync(path.join(dir, 'tsc'), '#!/bin/sh\necho "$@" > args\nexit $(cat exit)\n', { mode: 0o755 });
  fs.writeFileSync(path.join(dir, 'exit'), '0');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const info = () => path.join(dir, 'node_modules/.cache/tsconfig.tsbuildinfo');
const installed = () => path.join(dir, 'node_modules/.package-lock.json');
function write(file: string, secondsAgo: number): void {
  fs.writeFileSync(file, '{}');
  const t = new Date(Date.now() - secondsAgo * 1000);
  fs.utimesSync(file, t, t);
}
function run() {
  const r = spawnSync(process.execPath, [SCRIPT], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, TYPECHECK_TSC: path.join(dir, 'tsc') },
  });
  return { code: r.status, args: fs.readFileSync(path.join(dir, 'args'), 'utf8').trim() };
}

test('runs tsc in build mode on tsconfig.json and keeps the build info of a check made after the last install', () => {
  write(installed(), 60);
  write(info(), 10);
  expect(run()).toEqual({ code: 0, args: '-b tsconfig.json' });
  expect(fs.existsSync(info())).toBe(true);
});

test('removes the build info when npm changed node_modules after the last check (bad fixture: a stale check)', () => {
  write(info(), 60);
  write(installed(), 10);
  expect(run().code).toBe(0);
  expect(fs.existsSync(info())).toBe(false);
});

test("tsc's exit code is the script's", () => {
  fs.writeFileSync(path.join(dir, 'exit'), '2');
  expect(run().code).toBe(2);
});

test('the build info is the one tsconfig.json names (tsBuildInfoFile), wherever that is', () => {
  const other = path.join(dir, 'elsewhere.tsbuildinfo');
  fs.writeFileSync(
    path.join(dir, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { tsBuildInfoFile: 'elsewhere.tsbuildinfo' } }),
  );
  write(other, 60);
  write(info(), 60);
  write(installed(), 10);
  expect(run().code).toBe(0);
  expect([fs.existsSync(other), fs.existsSync(info())]).toEqual([false, true]);
});
