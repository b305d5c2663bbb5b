/**
 * cfn-lint on synthesized templates, with each template's findings remembered across runs by the
 * template's bytes and the cfn-lint version (./result-cache.ts): a template that is byte for byte
 * one cfn-lint of the same version has already read gets the same findings. cfn-lint on the ten
 * example templates costs ~8 s of CPU per run, and on a warm checkout they are the same bytes every
 * time. A template that changed, another cfn-lint or `TEST_RESULT_CACHE=off` lints for real. The
 * checker's own tests (test/aws/checkers.test.ts: a bad template must fail, a missing executable must
 * not pass) call cfn-lint directly every run, so every run proves the tool present and working.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runCfnLint, type CfnLintFinding, type CfnLintResult } from '../../lib/aws/cfn-lint';
import { hashParts } from '../../lib/cli/build-assets';
import { readResult, RESULT_CACHE_DIR, resultCacheEnabled, writeResult } from './result-cache';
import { commandCheck } from './tools';

export interface CachedLintOptions {
  /** Where entries are kept. */
  dir?: string;
  /** The linter (cfn-lint in one process for all the files it is given). */
  lint?: (files: string[]) => CfnLintResult;
  /** What identifies the linter: executable, `--version` output, config; undefined when it cannot say. */
  version?: () => string | undefined;
}

/** The executable, its version and the config files it reads from the working directory. */
function cfnLintVersion(): string | undefined {
  const exe = process.env.CFN_LINT ?? 'cfn-lint';
  const check = commandCheck(exe);
  if (check.problem) return undefined;
  const configs = ['.cfnlintrc', '.cfnlintrc.yaml', '.cfnlintrc.yml']
    .filter((f) => fs.existsSync(f))
    .map((f) => `${f}\0${fs.readFileSync(f, 'utf8')}`);
  return [exe, check.output.trim(), ...configs].join('\0');
}

type Entry = Array<Omit<CfnLintFinding, 'file'>>;
const KIND = 'cfn-lint';

/** cfn-lint's findings for `files`, linting only those it has not seen with this version. */
export function cachedCfnLint(files: string[], options: CachedLintOptions = {}): CfnLintResult {
  const { dir = RESULT_CACHE_DIR, lint = (f: string[]) => runCfnLint(f), version = cfnLintVersion } = options;
  const id = resultCacheEnabled() ? version() : undefined;
  if (id === undefined) return lint(files);
  const keys = new Map(files.map((f) => [f, hashParts([id, fs.readFileSync(f)])]));
  const known = new Map<string, Entry>();
  for (const file of files) {
    const entry = readResult<Entry>(KIND, keys.get(file)!, dir);
    if (entry) known.set(file, entry);
  }
  const misses = files.filter((f) => !known.has(f));
  if (misses.length) {
    const fresh = lint(misses);
    if (!fresh.available) return fresh;
    const given = new Set(misses.map((f) => path.resolve(f)));
    const stray = fresh.findings.filter((f) => !given.has(path.resolve(f.file)));
    // A finding that cannot be put to its template must not be dropped as if the template were clean.
    if (stray.length)
      throw new Error(`cfn-lint named files it was not given: ${stray.map((f) => f.file).join(', ')}`);
    for (const file of misses) {
      const entry = fresh.findings
        .filter((f) => path.resolve(f.file) === path.resolve(file))
        .map(({ file: _file, ...rest }) => rest);
      writeResult(KIND, keys.get(file)!, entry, dir);
      known.set(file, entry);
    }
  }
  return {
    available: true,
    findings: files.flatMap((file) => known.get(file)!.map((f) => ({ ...f, file }))),
  };
}
