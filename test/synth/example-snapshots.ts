/**
 * The body of the example snapshot tests (test/synth/examples-<n>.test.ts): the examples of one
 * shard are synthesized once, together, and each target's files are compared with the snapshot files
 * in test/synth/__snapshots__/examples/<example>/. One shard (one jest file, examples-1.test.ts):
 * two shards synthesized in parallel workers each paid the Pulumi child, the template validation
 * engine and the module loads again (19.2 -> 15.9 s CPU for all examples in one); with more examples,
 * raise SHARDS and add examples-<n>.test.ts files.
 */
import * as path from 'node:path';
import {
  compareWithSnapshotFiles,
  exampleShard,
  filesOf,
  SNAPSHOT_ROOT,
  SNAPSHOT_TARGETS,
  synthExamples,
  updateMode,
  type ExampleArtifacts,
  writesTarget,
} from '../support/example-snapshots';

export const SHARDS = 1;

export function describeExampleSnapshots(shard: number): void {
  const examples = exampleShard(shard, SHARDS);
  let synthesized: Map<string, ExampleArtifacts>;

  beforeAll(async () => {
    synthesized = await synthExamples(examples);
  }, 300_000);

  test('this shard has examples', () => {
    expect(examples.length).toBeGreaterThan(0);
  });

  describe.each(examples.map((e) => e.example))('%s', (example) => {
    test('synthesizes with no failure', () => {
      expect(synthesized.get(example)!.run.failures).toEqual([]);
    });
    // The five guides as acceptance tests (lib/guides): every recommendation that applies is honoured
    // in the artifacts or departed with a reason; the first unexplained one is named.
    test('no guide recommendation that applies is left unexplained; the report has a Guides section', () => {
      const { run } = synthesized.get(example)!;
      const unexplained = run.guides.filter((g) => g.status === 'unexplained');
      expect(unexplained.slice(0, 1).map((g) => `${g.id}: ${g.says}: ${g.detail}`)).toEqual([]);
      expect(run.guides.filter((g) => g.status === 'honoured').length).toBeGreaterThan(30);
      expect(filesOf(synthesized.get(example)!, ['report.md']).get('report.md')).toMatch(
        /^### Guide recommendations: \d+ honoured, \d+ departed with a reason, \d+ not applicable, 0 unexplained$/m,
      );
    });
    test.each(SNAPSHOT_TARGETS.map((t) => [t.target, t] as const))(
      '%s matches its snapshot files',
      (_, t) => {
        const artifacts = synthesized.get(example)!;
        const files = filesOf(artifacts, t.paths);
        // A target the spec does not ask for writes nothing (and must have no snapshot files left).
        if (writesTarget(t, artifacts.run.deployment.spec.targets)) expect(files.size).toBeGreaterThan(0);
        else expect([...files.keys()]).toEqual([]);
        const problems = compareWithSnapshotFiles(
          files,
          path.join(SNAPSHOT_ROOT, example),
          t.paths,
          updateMode(),
        );
        if (problems.length) throw new Error(problems.join('\n\n'));
      },
    );
  });
}
