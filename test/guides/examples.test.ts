/**
 * The five guides as acceptance tests: every example spec is synthesized as `npm run synth` does,
 * and every recommendation that applies must be honoured in the artifacts or departed with a reason.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { synthAll, type SpecRun } from '../../lib/synth/run';

const root = path.join(__dirname, '..', '..');
const examples = fs
  .readdirSync(path.join(root, 'examples'))
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => path.join(root, 'examples', f));

let runs: SpecRun[] = [];
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'guides-examples-'));

beforeAll(async () => {
  runs = await synthAll({ specs: examples, outRoot: out });
}, 300_000);
afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

test('every example synthesizes', () => {
  expect(runs.map((r) => r.failures).flat()).toEqual([]);
  expect(runs).toHaveLength(examples.length);
});

test.each(examples.map((e) => path.basename(e, '.yaml')))(
  '%s: no recommendation that applies is left unexplained, and the report has a Guides section',
  (name) => {
    const run = runs.find((r) => path.basename(r.specPath, '.yaml') === name)!;
    const unexplained = run.guides.filter((g) => g.status === 'unexplained');
    // Name the first one, so a failure says what to fix or explain.
    expect(unexplained.slice(0, 1).map((g) => `${g.id}: ${g.says}: ${g.detail}`)).toEqual([]);
    expect(run.guides.filter((g) => g.status === 'honoured').length).toBeGreaterThan(30);
    const md = fs.readFileSync(path.join(run.outDir, 'report.md'), 'utf8');
    expect(md).toMatch(/^## Guides$/m);
    expect(md).toMatch(
      /Guide recommendations: \d+ honoured, \d+ departed with a reason, \d+ not applicable, 0 unexplained/,
    );
  },
);
