/**
 * dist/<name>/ is replaced whole or not at all: a failing run (a target, an invariant, or a secret in
 * a report) leaves the earlier good output byte for byte; two runs at once do not write into each
 * other's staging folder; what a killed run left behind is cleaned up or put back; two specs with one
 * name are bad input (exit 2). Only the self-hosted target runs (no targets in the spec), so it is fast.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isSpecError } from '../../lib/errors';
import { loadAll, synthAll } from '../../lib/synth/run';

const control = { failSelfHosted: false, plantInReport: '', corruptLayout: false };

jest.mock('../../lib/selfhosted/render', () => {
  const actual = jest.requireActual('../../lib/selfhosted/render');
  return {
    ...actual,
    renderSelfHosted: (...args: unknown[]) => {
      if (control.failSelfHosted) throw new Error('renderer broke');
      const files = actual.renderSelfHosted(...args);
      if (control.corruptLayout)
        fs.writeFileSync(path.join(args[1] as string, 'layout.json'), '{"mode": "clu');
      return files;
    },
  };
});
jest.mock('../../lib/report', () => {
  const actual = jest.requireActual('../../lib/report');
  return {
    ...actual,
    writeReports: (dir: string, r: unknown) => {
      actual.writeReports(dir, r);
      if (control.plantInReport)
        fs.appendFileSync(path.join(dir, 'report.html'), `<p>${control.plantInReport}</p>\n`);
    },
  };
});

let tmp: string;
let spec: string;
let out: string;
beforeEach(() => {
  control.failSelfHosted = false;
  control.plantInReport = '';
  control.corruptLayout = false;
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-atomic-'));
  spec = path.join(tmp, 'spec.yaml');
  fs.writeFileSync(spec, 'name: atomic\nprofile: development\nworkload: { datasetGb: 1 }\n');
  out = path.join(tmp, 'dist');
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Every file below dir with its content. */
function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(
    fs
      .readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => {
        const full = path.join(e.parentPath, e.name);
        return [path.relative(dir, full), fs.readFileSync(full, 'utf8')];
      })
      .sort(([a], [b]) => a.localeCompare(b)),
  );
}

const hidden = () => fs.readdirSync(out).filter((f) => f.startsWith('.'));

test('a failing target leaves the earlier good dist/<name>/ exactly as it was', async () => {
  const [good] = await synthAll({ specs: [spec], outRoot: out });
  expect(good.failures).toEqual([]);
  // Readable like any build output (the staging folder it was built in is owner-only).
  expect(fs.statSync(path.join(out, 'atomic')).mode & 0o777).toBe(0o755);
  const before = snapshot(path.join(out, 'atomic'));
  expect(Object.keys(before)).toEqual(expect.arrayContaining(['report.html', 'report.md']));

  control.failSelfHosted = true;
  const [bad] = await synthAll({ specs: [spec], outRoot: out });
  expect(bad.failures).toEqual(['atomic self-hosted: renderer broke']);
  expect(snapshot(path.join(out, 'atomic'))).toEqual(before);
  expect(hidden()).toEqual([]);
});

test('a secret planted in report.html fails the run and publishes nothing', async () => {
  control.plantInReport = `connect with ${['rediss://app', 'hunter2hunter2@cache:6380'].join(':')}`;
  const [run] = await synthAll({ specs: [spec], outRoot: out });
  expect(run.failures).toEqual([
    expect.stringMatching(/^atomic secret scan: password in URL at report\.html:\d+/),
  ]);
  expect(run.failures[0]).not.toContain('hunter2hunter2');
  expect(fs.readdirSync(out)).toEqual([]);
});

test('two runs of the same spec at once both publish a complete folder', async () => {
  const runs = await Promise.all([
    synthAll({ specs: [spec], outRoot: out }),
    synthAll({ specs: [spec], outRoot: out }),
  ]);
  expect(runs.flat().flatMap((r) => r.failures)).toEqual([]);
  const files = Object.keys(snapshot(path.join(out, 'atomic')));
  expect(files).toEqual(expect.arrayContaining(['report.html', 'report.md', 'self-hosted/layout.json']));
  expect(hidden()).toEqual([]);
});

test('leftovers of a killed run: its staging folder goes, the output it moved aside comes back', async () => {
  // A process id that is certainly gone: a child that already exited.
  const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
  fs.mkdirSync(path.join(out, `.staging-atomic-${dead}-AbC123`, 'self-hosted'), { recursive: true });
  fs.mkdirSync(path.join(out, `.previous-atomic-${dead}`));
  fs.writeFileSync(path.join(out, `.previous-atomic-${dead}`, 'report.md'), 'earlier good output\n');
  // Another spec's leftovers and a live process's folders are not touched.
  fs.mkdirSync(path.join(out, `.staging-atomic-other-${dead}-AbC123`));
  fs.mkdirSync(path.join(out, `.staging-atomic-${process.pid}-XyZ789`));

  control.failSelfHosted = true;
  const [run] = await synthAll({ specs: [spec], outRoot: out });
  expect(run.failures).toHaveLength(1);
  expect(fs.readFileSync(path.join(out, 'atomic', 'report.md'), 'utf8')).toBe('earlier good output\n');
  expect(hidden().sort()).toEqual(
    [`.staging-atomic-${process.pid}-XyZ789`, `.staging-atomic-other-${dead}-AbC123`].sort(),
  );
});

test('two specs with one name, or one spec given twice, are bad input naming the field', () => {
  const twin = path.join(tmp, 'twin.yaml');
  fs.copyFileSync(spec, twin);
  for (const specs of [
    [spec, twin],
    [spec, spec],
  ]) {
    let err: unknown;
    try {
      loadAll(specs);
    } catch (e) {
      err = e;
    }
    expect(isSpecError(err)).toBe(true);
    expect((err as Error).message).toMatch(/: name: got "atomic"; /);
    expect((err as Error).message).not.toContain('\n');
  }
});

test('an artifact the reader cannot parse fails its target with the file and the reason, not the whole run', async () => {
  control.corruptLayout = true;
  const [run] = await synthAll({ specs: [spec], outRoot: out });
  expect(run.failures.length).toBeGreaterThan(0);
  expect(run.failures[0]).toMatch(
    /^atomic self-hosted: \S+ fails: cannot read self-hosted: layout.json: .*JSON/,
  );
  expect(fs.readdirSync(out)).toEqual([]);
});

test('an --out that is a file, or below one, is bad input naming --out (exit 2), not a raw EEXIST', async () => {
  fs.writeFileSync(path.join(tmp, 'a-file'), '');
  for (const outRoot of [path.join(tmp, 'a-file'), path.join(tmp, 'a-file', 'sub')]) {
    const err = await synthAll({ specs: [spec], outRoot }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isSpecError(err)).toBe(true);
    expect((err as Error).message).toMatch(/^synth: --out: got ".*a-file(\/sub)?"; expected a directory/);
  }
});
