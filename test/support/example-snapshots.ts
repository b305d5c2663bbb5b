/**
 * Snapshots of every example spec on every target, produced by the code path of
 * `npm run synth -- --all` (lib/cli/synth.ts finds the examples, lib/synth/run.ts synthesizes them)
 * and stored as plain files under test/synth/__snapshots__/examples/<example>/, laid out like
 * dist/<name>/, so a reviewer reads an artifact change as an ordinary file diff
 * (`npm run snapshots:diff` summarizes them).
 *
 * The files follow jest's snapshot rules: `--ci` fails on a missing file, a plain run writes missing
 * files, `-u` rewrites changed files and deletes obsolete ones; a mismatch always fails with a diff.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { diff } from 'jest-diff';
import { specsFromArgs } from '../../lib/cli/synth';
import { synthAll, type SpecRun } from '../../lib/synth/run';

export const REPO = path.join(__dirname, '..', '..');
export const SNAPSHOT_ROOT = path.join(REPO, 'test', 'synth', '__snapshots__', 'examples');

/**
 * One snapshotted group of files: the folder of dist/<name>/ (or a single file) a target writes,
 * and the spec's `targets` key without which the synth skips it (none: always written).
 */
export const SNAPSHOT_TARGETS = [
  { target: 'aws', paths: ['aws'], specTargets: ['aws'] },
  { target: 'pulumi', paths: ['pulumi'], specTargets: ['gcp', 'azure'] },
  { target: 'kubernetes', paths: ['k8s'], specTargets: ['kubernetes'] },
  { target: 'self-hosted', paths: ['self-hosted'], specTargets: [] },
  { target: 'report', paths: ['report.md'], specTargets: [] },
] as const;

/** True when the synth writes this snapshot target for a spec with these `targets` keys. */
export function writesTarget(t: (typeof SNAPSHOT_TARGETS)[number], specTargets: object): boolean {
  return (
    t.specTargets.length === 0 ||
    t.specTargets.some((k) => k in specTargets && (specTargets as Record<string, unknown>)[k])
  );
}

/** The example specs `npm run synth -- --all` synthesizes, by file stem (`acs-100k`), sorted. */
export function exampleSpecs(): Array<{ example: string; spec: string }> {
  return specsFromArgs(['--all']).specs.map((spec) => ({ example: path.basename(spec, '.yaml'), spec }));
}

/** Every `of`-th example starting at `shard`: splits the examples over test files (jest workers). */
export function exampleShard(shard: number, of: number) {
  return exampleSpecs().filter((_, i) => i % of === shard);
}

/**
 * What varies between runs or machines and is not part of the artifact: the output folder, the
 * checkout's path (the Pulumi preview records the spec's absolute path), temp paths, and today's
 * date. Two synth runs give identical files otherwise. The synth generates no secret (passwords are
 * made by install.sh or read from Secrets at deploy time), and a run whose secret scan finds one
 * fails ("synthesizes with no failure" in the snapshot tests), so no secret reaches a snapshot.
 */
export function redact(text: string, outRoot: string): string {
  const today = new Date().toISOString().slice(0, 10);
  return text
    .split(outRoot)
    .join('<out>')
    .split(REPO)
    .join('<repo>')
    .split(os.tmpdir() + path.sep)
    .join('<tmp>/')
    .split(today)
    .join('<today>');
}

export interface ExampleArtifacts {
  example: string;
  run: SpecRun;
  /** Relative path (as in dist/<name>/) -> redacted content. */
  files: Map<string, string>;
}

/**
 * Synthesizes the given examples in ONE synthAll call (one Pulumi preview batch for all of them)
 * into a temp folder, reads every file, and removes the folder.
 */
export async function synthExamples(
  examples: Array<{ example: string; spec: string }>,
): Promise<Map<string, ExampleArtifacts>> {
  const outRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'example-snapshots-'));
  try {
    const runs = await synthAll({ specs: examples.map((e) => e.spec), outRoot });
    const out = new Map<string, ExampleArtifacts>();
    examples.forEach(({ example }, i) => {
      const run = runs[i];
      const files = new Map<string, string>();
      if (fs.existsSync(run.outDir)) {
        for (const rel of listFiles(run.outDir)) {
          files.set(rel, redact(fs.readFileSync(path.join(run.outDir, rel), 'utf8'), outRoot));
        }
      }
      out.set(example, { example, run, files });
    });
    return out;
  } finally {
    fs.rmSync(outRoot, { recursive: true, force: true });
  }
}

/** Files under `dir`, relative, with `/` separators, sorted. */
export function listFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort();
}

/** The files of one snapshot target out of an example's artifacts. */
export function filesOf(a: ExampleArtifacts, paths: readonly string[]): Map<string, string> {
  const inTarget = (rel: string) => paths.some((p) => rel === p || rel.startsWith(`${p}/`));
  return new Map([...a.files].filter(([rel]) => inTarget(rel)));
}

type UpdateMode = 'all' | 'new' | 'none';

/** jest's own snapshot mode: `--ci` -> none, default -> new, `-u` -> all. */
export function updateMode(): UpdateMode {
  const state = expect.getState().snapshotState as unknown as { _updateSnapshot?: UpdateMode } | undefined;
  return state?._updateSnapshot ?? 'none';
}

/**
 * Compares `actual` (relative path -> content) with the files under `dir` that belong to `paths`.
 * Returns the problems (empty when they match), writing or deleting files as `mode` allows.
 */
export function compareWithSnapshotFiles(
  actual: Map<string, string>,
  dir: string,
  paths: readonly string[],
  mode: UpdateMode,
): string[] {
  const problems: string[] = [];
  const stored = listFiles(dir).filter((rel) => paths.some((p) => rel === p || rel.startsWith(`${p}/`)));
  const write = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  };
  for (const [rel, text] of actual) {
    const file = path.join(dir, rel);
    if (!fs.existsSync(file)) {
      if (mode === 'none')
        problems.push(`${rel}: no snapshot file (run \`npx jest <file> --ci=false\` to write it)`);
      else write(rel, text);
      continue;
    }
    const expected = fs.readFileSync(file, 'utf8');
    if (expected === text) continue;
    if (mode === 'all') {
      write(rel, text);
      continue;
    }
    const d = diff(expected, text, {
      expand: false,
      contextLines: 2,
      aAnnotation: 'Snapshot',
      bAnnotation: 'Synth',
    });
    problems.push(
      `${rel} differs from its snapshot (\`npx jest <file> --ci=false -u\` to accept):\n${truncate(d ?? '')}`,
    );
  }
  for (const rel of stored) {
    if (actual.has(rel)) continue;
    if (mode === 'all') fs.rmSync(path.join(dir, rel));
    else problems.push(`${rel}: snapshot file with no synthesized file (obsolete; \`-u\` deletes it)`);
  }
  return problems;
}

function truncate(text: string, max = 6000): string {
  return text.length <= max ? text : `${text.slice(0, max)}\n... (${text.length - max} more characters)`;
}
