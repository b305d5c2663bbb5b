/**
 * The corpus of spec changes (test/diff/corpus.ts): each distinct spec is synthesized once with the
 * per-target synth functions (Pulumi previews in this process), then every pair is diffed and each
 * platform's class, the cited sources and named rows are checked.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { synthArtifactSets, type ArtifactSet } from '../../lib/diff/artifacts';
import { diffArtifacts } from '../../lib/diff';
import { cfnBehavior } from '../../lib/diff/rules';
import { CASES, specText } from './corpus';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'redis-iac-diff-corpus-'));
const files = new Map<string, string>();
const fileFor = (text: string) => {
  if (!files.has(text)) {
    const f = path.join(work, `spec-${files.size}.yaml`);
    fs.writeFileSync(f, text);
    files.set(text, f);
  }
  return files.get(text)!;
};
const pairs = CASES.map((c) => ({
  c,
  from: fileFor(specText(c.example, c.from, true)),
  to: fileFor(specText(c.example, c.to, true)),
}));
let sets: Map<string, ArtifactSet>;

beforeAll(async () => {
  const paths = [...files.values()];
  const out = await synthArtifactSets(
    paths.map((f) => ({ label: path.basename(f), specPath: f })),
    { pulumi: 'in-process', work: path.join(work, 'synth') },
  );
  sets = new Map(paths.map((f, i) => [f, out[i]]));
}, 300_000);

afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

test('every AWS resource type the corpus synthesizes has its CloudFormation update behaviour', () => {
  // A type missing from cfn-update-behavior.json would be classified as an in-place update whatever
  // the registry says (add it to CFN_TYPES in lib/diff/gen-cfn-update-behavior.ts and regenerate).
  const types = new Set(
    [...sets.values()].flatMap((s) => Object.values(s.aws?.template.Resources ?? {}).map((r) => r.Type)),
  );
  expect(types.size).toBeGreaterThan(5);
  expect([...types].filter((t) => cfnBehavior(t, '(any)') === 'unknown')).toEqual([]);
  expect(cfnBehavior('AWS::ElastiCache::NoSuchType', 'UserId')).toBe('unknown');
});

test('the corpus has at least 20 spec changes', () => {
  expect(CASES.filter((c) => c.name !== 'no change').length).toBeGreaterThanOrEqual(20);
});

describe.each(pairs)('$c.name', ({ c, from, to }) => {
  let memo: ReturnType<typeof diffArtifacts> | undefined;
  const result = () => (memo ??= diffArtifacts(sets.get(from)!, sets.get(to)!));

  test('each platform has the expected class', () => {
    const got = Object.fromEntries(result().platforms.map((p) => [p.platform, p.overall]));
    const want = Object.fromEntries(Object.keys(c.expect).map((k) => [k, got[k]]));
    expect(want).toEqual(c.expect);
  });

  test('every change cites a dated source, and the expected sources are cited', () => {
    const changes = result().platforms.flatMap((p) => p.changes);
    for (const ch of changes) {
      expect(ch.source.url).toMatch(/^(https:\/\/|docs\/)/);
      expect(ch.source.retrieved).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(ch.reason.length).toBeGreaterThan(10);
    }
    const cited = new Set(changes.map((ch) => ch.source.id));
    expect(c.cites.filter((id) => !cited.has(id))).toEqual([]);
  });

  if (c.mentions?.length)
    test('reasons and safe paths say what to do', () => {
      for (const m of c.mentions!) {
        const texts = result()
          .platforms.filter((p) => p.platform === m.platform)
          .flatMap((p) => p.changes.map((ch) => `${ch.reason} ${ch.safePath ?? ''}`));
        expect(texts.some((t) => t.includes(m.text))).toBe(true);
      }
    });

  if (c.rows?.length)
    test('named rows have their class', () => {
      const all = result().platforms.flatMap((p) => p.changes);
      for (const row of c.rows!) {
        const found = all.filter((ch) => ch.platform === row.platform && ch.property === row.property);
        expect(found.map((f) => `${row.platform} ${row.property} ${f.class}`)).toContain(
          `${row.platform} ${row.property} ${row.class}`,
        );
      }
    });
});
