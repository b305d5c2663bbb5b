/**
 * `npm run synth [-- --spec <file> ... | --dir <folder> ... | --all] [--out dist]`: every adapter,
 * conformance, secret scan and reports into dist/<name>/. Bad input: exit 2 and one line. A failed
 * target or invariant: exit 1 with the target and the reason; that spec's folder is not written.
 *
 * `--dir` takes every `*.yaml` / `*.yml` file directly in a folder (not its sub-folders), sorted by
 * name; it may be repeated and combined with `--spec` (the folders' specs first, then the `--spec`
 * files in the order given). A spec named twice, or two specs with one name, are bad input.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_SPEC_PATH } from '../deployment';
import { guideSummary } from '../guides/evaluate';
import { synthAll } from '../synth/run';
import { parseFlags, runCli, UsageError, userPath } from './run';

import { SpecError } from '../errors';

const USAGE = 'usage: npm run synth -- [--spec FILE ... | --dir FOLDER ... | --all] [--out DIR]';

const ROOT = path.join(__dirname, '..', '..');

export function specsFromArgs(argv: string[]): { specs: string[]; out: string } {
  const { values } = parseFlags(
    {
      args: argv,
      options: {
        spec: { type: 'string', multiple: true },
        dir: { type: 'string', multiple: true },
        all: { type: 'boolean', default: false },
        out: { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    },
    USAGE,
  );
  if (values.all && (values.spec?.length || values.dir?.length))
    throw new UsageError(
      `--all: cannot be combined with ${values.spec?.length ? '--spec' : '--dir'}; use one`,
    );
  const examples = path.join(ROOT, 'examples');
  const specs = values.all
    ? fs
        .readdirSync(examples)
        .filter((f) => f.endsWith('.yaml'))
        .sort()
        .map((f) => path.join(examples, f))
    : values.spec?.length || values.dir?.length
      ? [...(values.dir ?? []).flatMap(specsInDir), ...(values.spec ?? []).map(userPath)]
      : [DEFAULT_SPEC_PATH];
  return { specs, out: values.out ? userPath(values.out) : path.join(ROOT, 'dist') };
}

const SPEC_FILE = /\.ya?ml$/;

/** The spec files directly in a `--dir` folder, sorted by name; bad input when there are none. */
export function specsInDir(dir: string): string[] {
  const full = userPath(dir);
  const bad = (why: string) =>
    new SpecError(
      '--dir',
      dir,
      `expected a folder holding *.yaml or *.yml deployment specs (${why})`,
      'synth',
    );
  let names: string[];
  try {
    if (!fs.statSync(full).isDirectory()) throw bad('it is a file; pass a file with --spec');
    names = fs.readdirSync(full);
  } catch (e) {
    if (e instanceof SpecError) throw e;
    throw bad(
      (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'it does not exist' : String((e as Error).message),
    );
  }
  const specs = names
    .filter((n) => SPEC_FILE.test(n) && fs.statSync(path.join(full, n)).isFile())
    .sort()
    .map((n) => path.join(full, n));
  if (!specs.length) throw bad('it has none; sub-folders are not searched');
  return specs;
}

/**
 * The CLI itself: what `npm run synth` runs with process.argv, exported so tests can run the same code
 * in-process (test/support/run-cli.ts) instead of paying a tsx child per case.
 */
export async function main(argv: string[]): Promise<void> {
  const { specs, out } = specsFromArgs(argv);
  const started = Date.now();
  process.stdout.write(`synth: ${specs.length} spec(s) -> ${path.relative(process.cwd(), out) || '.'}/\n`);
  const results = await synthAll({ specs, outRoot: out, log: (l) => process.stdout.write(`  ${l}\n`) });
  const failures = results.flatMap((r) => r.failures);
  process.stdout.write('\nSummary\n');
  for (const r of results) {
    const cells = r.conformance.flatMap((t) => Object.values(t.cells));
    const count = (s: string) => cells.filter((c) => c.status === s).length;
    const state = r.failures.length ? 'FAILED' : 'ok';
    process.stdout.write(
      `  ${r.id.padEnd(20)} ${state.padEnd(7)} ${r.failures.length ? '' : `${path.relative(process.cwd(), r.outDir)}/  conformance: ${count('pass')} pass, ${count('waived')} waived, ${count('na')} n/a, ${count('fail')} fail`}\n`,
    );
    if (!r.failures.length) {
      const g = guideSummary(r.guides);
      process.stdout.write(
        `  ${''.padEnd(28)}guides: ${g.honoured} honoured, ${g.departed} departed with a reason, ${g['n/a']} n/a, ${g.unexplained} unexplained\n`,
      );
    }
  }
  process.stdout.write(`  ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  if (failures.length) {
    for (const f of failures) process.stderr.write(`error: ${f}\n`);
    process.exitCode = 1;
  }
}

if (require.main === module) void runCli(() => main(process.argv.slice(2)));
