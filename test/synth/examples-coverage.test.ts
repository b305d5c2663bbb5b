/**
 * Every example spec has snapshot files for every target, and every snapshot folder belongs to an
 * example: a new examples/*.yaml is picked up by test/synth/examples-<n>.test.ts without editing a
 * list, and this test fails until its snapshots are written and committed.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  exampleShard,
  exampleSpecs,
  listFiles,
  SNAPSHOT_ROOT,
  SNAPSHOT_TARGETS,
  writesTarget,
} from '../support/example-snapshots';
import { parseSpec } from '../../lib/spec/load';
import { SHARDS } from './example-snapshots';

const examples = exampleSpecs().map((e) => e.example);

test('the examples are found the way `npm run synth -- --all` finds them', () => {
  const onDisk = fs
    .readdirSync(path.join(__dirname, '..', '..', 'examples'))
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.replace(/\.yaml$/, ''))
    .sort();
  // Compared as sets: the synth orders spec files by file name (go-api-serverless.yaml before
  // go-api.yaml), the folder listing by stem.
  expect([...examples].sort()).toEqual(onDisk);
  expect(examples.length).toBeGreaterThanOrEqual(8);
});

test('the shards cover every example exactly once', () => {
  const sharded = Array.from({ length: SHARDS }, (_, i) =>
    exampleShard(i, SHARDS).map((e) => e.example),
  ).flat();
  expect(sharded.sort()).toEqual([...examples].sort());
  // One jest file per shard, and none for a shard that does not exist.
  const files = fs.readdirSync(__dirname).filter((f) => /^examples-\d+\.test\.ts$/.test(f));
  expect(files.sort()).toEqual(Array.from({ length: SHARDS }, (_, i) => `examples-${i + 1}.test.ts`));
});

test.each(exampleSpecs().map((e) => [e.example, e.spec]))(
  '%s has snapshot files for every target its spec asks for',
  (example, spec) => {
    const files = listFiles(path.join(SNAPSHOT_ROOT, example));
    const targets = parseSpec(fs.readFileSync(spec, 'utf8'), spec).targets;
    const has = (t: (typeof SNAPSHOT_TARGETS)[number]) =>
      files.some((f) => t.paths.some((p) => f === p || f.startsWith(`${p}/`)));
    const missing = SNAPSHOT_TARGETS.filter((t) => writesTarget(t, targets) && !has(t)).map((t) => t.target);
    expect(missing).toEqual([]);
  },
);

test('every snapshot folder belongs to an example', () => {
  const folders = fs.existsSync(SNAPSHOT_ROOT) ? fs.readdirSync(SNAPSHOT_ROOT).sort() : [];
  expect(folders.filter((f) => !examples.includes(f))).toEqual([]);
});
