import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseFlags, UsageError } from '../../lib/cli/run';

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

test('synth: an unknown flag exits 2 with one line naming it and the usage, and writes nothing', () => {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'synth-cli-')), 'dist');
  const r = spawnSync(
    tsx,
    [path.join(root, 'lib/cli/synth.ts'), '--sepc', 'examples/default.yaml', '--out', out],
    {
      encoding: 'utf8',
      cwd: root,
    },
  );
  expect(r.status).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr.trimEnd().split('\n')).toEqual([
    "error: Unknown option '--sepc'; usage: npm run synth -- [--spec FILE ... | --all] [--out DIR]",
  ]);
  expect(fs.existsSync(out)).toBe(false);
  fs.rmSync(path.dirname(out), { recursive: true, force: true });
});
