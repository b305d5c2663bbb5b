import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseFlags, UsageError, userPath } from '../../lib/cli/run';

const root = path.join(__dirname, '..', '..');
const tsx = path.join(root, 'node_modules', '.bin', 'tsx');

test('parseFlags turns a parseArgs error into a usage error that lists the flags', () => {
  const config = { args: ['--sepc', 'x'], options: { spec: { type: 'string' as const } }, strict: true };
  expect(() => parseFlags(config, 'usage: tool [--spec FILE]')).toThrow(UsageError);
  expect(() => parseFlags(config, 'usage: tool [--spec FILE]')).toThrow(
    "Unknown option '--sepc'; usage: tool [--spec FILE]",
  );
  expect(parseFlags({ ...config, args: ['--spec', 'x'] }, 'usage').values).toEqual({ spec: 'x' });
});

test('userPath resolves against INIT_CWD when npm set it', () => {
  const saved = process.env.INIT_CWD;
  try {
    process.env.INIT_CWD = '/somewhere/else';
    expect(userPath('spec.yaml')).toBe('/somewhere/else/spec.yaml');
    expect(userPath('/abs/spec.yaml')).toBe('/abs/spec.yaml');
    delete process.env.INIT_CWD;
    expect(userPath('spec.yaml')).toBe(path.join(process.cwd(), 'spec.yaml'));
  } finally {
    if (saved === undefined) delete process.env.INIT_CWD;
    else process.env.INIT_CWD = saved;
  }
});

test('synth: an unknown flag exits 2 with one line naming it and the usage, and writes nothing', () => {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'synth-cli-')), 'dist');
  const r = spawnSync(
    tsx,
    [path.join(root, 'lib/cli/synth.ts'), '--sepc', 'examples/default.yaml', '--out', out],
    {
      encoding: 'utf8',
      cwd: root,
      env: { ...process.env, INIT_CWD: root },
    },
  );
  expect(r.status).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr.trimEnd().split('\n')).toEqual([
    "error: Unknown option '--sepc'; usage: npm run synth -- [--spec FILE ... | --dir FOLDER ... | --all] [--out DIR]",
  ]);
  expect(fs.existsSync(out)).toBe(false);
  fs.rmSync(path.dirname(out), { recursive: true, force: true });
});
