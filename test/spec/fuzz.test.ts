/**
 * Fuzz: random and mutated specs must either plan cleanly or be rejected with a SpecError whose
 * message is one line naming a field. Anything else (TypeError, RangeError, a hang) is a bug.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { parse, stringify } from 'yaml';
import { fromSpec } from '../../lib/deployment';
import { SpecError } from '../../lib/errors';
import { parseSpec, validateSpec } from '../../lib/spec/load';

const root = path.join(__dirname, '..', '..');
const examples = fs
  .readdirSync(path.join(root, 'examples'))
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => parse(fs.readFileSync(path.join(root, 'examples', f), 'utf8')) as Record<string, unknown>);

function outcome(run: () => unknown): 'ok' | 'spec-error' {
  try {
    run();
    return 'ok';
  } catch (e) {
    if (!(e instanceof SpecError)) throw e;
    expect(e.message).not.toMatch(/\n/);
    expect(e.message).not.toMatch(/\bat .+:\d+:\d+/);
    expect(e.field.length).toBeGreaterThan(0);
    return 'spec-error';
  }
}

/** Paths to every leaf of an object, for targeted mutation. */
function leaves(o: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> {
  if (o === null || typeof o !== 'object') return [prefix];
  const entries = Array.isArray(o) ? o.map((v, i) => [i, v] as const) : Object.entries(o);
  return entries.flatMap(([k, v]) => leaves(v, [...prefix, k]));
}

function setAt(
  o: Record<string, unknown>,
  p: Array<string | number>,
  value: unknown,
): Record<string, unknown> {
  const copy = structuredClone(o);
  let cur: Record<string | number, unknown> = copy;
  for (const k of p.slice(0, -1)) cur = cur[k] as Record<string | number, unknown>;
  if (p.length) cur[p[p.length - 1]] = value;
  return copy;
}

const weird = fc.oneof(
  fc.constant(null),
  fc.constant(undefined),
  fc.boolean(),
  fc.integer({ min: -1e12, max: 1e12 }),
  fc.double(),
  fc.string(),
  fc.constantFrom(
    'production',
    'cluster',
    '7.1',
    'sun:05:00-sun:06:00',
    '03:00-04:00',
    'tls',
    '',
    '0',
    '-1',
    'NaN',
  ),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.integer(), { maxKeys: 3 }),
);

test('mutated example specs plan or fail with a clean SpecError', () => {
  const seen = { ok: 0, 'spec-error': 0 };
  fc.assert(
    fc.property(fc.nat(examples.length - 1), fc.nat(10_000), weird, (i, pick, value) => {
      const spec = examples[i];
      const paths = leaves(spec);
      const mutated = setAt(spec, paths[pick % paths.length], value);
      seen[outcome(() => fromSpec(validateSpec(mutated)))]++;
    }),
    { numRuns: 400 },
  );
  // Both outcomes must occur, or the fuzzer is not exercising anything.
  expect(seen.ok).toBeGreaterThan(0);
  expect(seen['spec-error']).toBeGreaterThan(0);
});

test('random objects are rejected cleanly', () => {
  fc.assert(
    fc.property(fc.anything(), (value) => {
      // A random value is never a valid spec (it has no name and workload): it must be refused, cleanly.
      expect(outcome(() => fromSpec(validateSpec(value)))).toBe('spec-error');
    }),
    { numRuns: 300 },
  );
});

test('random YAML text is rejected cleanly', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 200 }), (text) => {
      expect(outcome(() => fromSpec(parseSpec(text)))).toBe('spec-error');
    }),
    { numRuns: 300 },
  );
});

test('structurally valid random workloads always plan', () => {
  fc.assert(
    fc.property(
      fc.record({
        devices: fc.option(fc.integer({ min: 1, max: 5_000_000 }), { nil: undefined }),
        organizations: fc.option(fc.integer({ min: 1, max: 20_000_000 }), { nil: undefined }),
        datasetGb: fc.option(fc.double({ min: 0.01, max: 2000, noNaN: true }), { nil: undefined }),
        peakOpsPerSecond: fc.option(fc.integer({ min: 1, max: 2_000_000 }), { nil: undefined }),
        concurrentRequests: fc.option(fc.integer({ min: 1, max: 100_000 }), { nil: undefined }),
      }),
      fc.constantFrom('production', 'staging', 'development'),
      (workload, profile) => {
        const w = Object.fromEntries(Object.entries(workload).filter(([, v]) => v !== undefined));
        if (!w.devices && !w.organizations && !w.datasetGb) w.devices = 1000;
        const text = stringify({ name: 'fuzz', profile, workload: w });
        expect(outcome(() => fromSpec(parseSpec(text)))).toBe('ok');
      },
    ),
    { numRuns: 150 },
  );
});
