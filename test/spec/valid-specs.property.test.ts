/**
 * Fuzzed VALID specs: names and prefixes with digits and hyphens, every optional field. A valid spec
 * must never fail the secret scan or a conformance rule by accident (a spec named hotel-prod-v2 once
 * did: its Sentinel service name looked like a generated token). The self-hosted render and the
 * Kubernetes charts run in-process here (seconds); the AWS and Pulumi paths of the same specs are
 * covered by the every-example synth tests.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { parse, stringify } from 'yaml';
import { scanDirectory } from '../../lib/checks/secret-scan';
import { readConformance } from '../../lib/conformance';
import { fromSpec } from '../../lib/deployment';
import { synthKubernetes } from '../../lib/k8s/synth';
import { renderSelfHosted } from '../../lib/selfhosted/render';
import { validateSpec } from '../../lib/spec/load';

const root = path.join(__dirname, '..', '..');
/** The parts of a spec this test rewrites. */
interface SpecYaml {
  name: string;
  description?: string;
  tags?: Record<string, string>;
  keyspace?: {
    prefix?: string;
    keyspaceNotifications?: string;
    defaultTtlSeconds?: number;
    databases?: Array<{ prefix: string }>;
  };
  targets?: { kubernetes?: { namespace?: string } };
}

const base = (name: string) =>
  parse(fs.readFileSync(path.join(root, 'examples', `${name}.yaml`), 'utf8')) as SpecYaml;

/** Deployment names as the schema allows them: a letter, then letters, digits and single hyphens. */
const name = fc
  .tuple(
    fc.constantFrom('a', 'h', 'x', 'r'),
    fc.array(fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789'), { minLength: 2, maxLength: 12 }),
    fc.array(fc.tuple(fc.constantFrom('-'), fc.stringMatching(/^[a-z0-9]{1,4}$/)), { maxLength: 3 }),
  )
  .map(([first, rest, parts]) => `${first}${rest.join('')}${parts.map(([h, p]) => h + p).join('')}`)
  .filter((n) => n.length <= 30 && !n.includes('--'));

const prefix = fc.stringMatching(/^[a-z][a-z0-9]{0,6}(-[a-z0-9]{1,4})?$/);

const spec = fc.record({
  example: fc.constantFrom('default', 'platform-cache', 'go-api', 'hospitality-staging'),
  name,
  prefix,
  description: fc.option(
    fc.string({ minLength: 1, maxLength: 60 }).map((s) => s.replace(/[^\x20-\x7e]/g, 'x')),
  ),
  ttl: fc.option(fc.integer({ min: 1, max: 86_400 })),
  notifications: fc.constantFrom('', 'Ex', 'KEA'),
  tag: fc.option(
    fc.tuple(fc.stringMatching(/^[a-z][a-z0-9_-]{0,10}$/), fc.stringMatching(/^[a-z0-9-]{1,20}$/)),
  ),
});

test('valid fuzzed specs render without a secret-scan finding or a failing conformance cell', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'valid-specs-'));
  let run = 0;
  try {
    fc.assert(
      fc.property(spec, (s) => {
        const y = base(s.example);
        y.name = s.name;
        y.keyspace = { ...(y.keyspace ?? {}), prefix: s.prefix, keyspaceNotifications: s.notifications };
        // Databases keep their own prefixes only in the examples that have them; make them follow the prefix.
        if (Array.isArray(y.keyspace.databases))
          y.keyspace.databases = y.keyspace.databases.map((db, i) => ({
            ...db,
            prefix: `${s.prefix}-db${i}-`,
          }));
        if (s.description !== null) y.description = s.description;
        if (s.ttl !== null) y.keyspace.defaultTtlSeconds = s.ttl;
        if (s.tag !== null) y.tags = { ...(y.tags ?? {}), [s.tag[0]]: s.tag[1] };
        if (y.targets?.kubernetes) y.targets.kubernetes.namespace = `${s.name}-ns`.slice(0, 63);
        const d = fromSpec(validateSpec(parse(stringify(y))), `${s.name}.yaml`);

        const out = path.join(dir, String(run++));
        renderSelfHosted(d, path.join(out, 'self-hosted'));
        if (d.spec.targets.kubernetes) synthKubernetes(d, path.join(out, 'k8s'));
        expect(scanDirectory(out)).toEqual([]);
        const failing = readConformance(out, d).flatMap((t) =>
          Object.entries(t.cells)
            .filter(([, c]) => c.status === 'fail')
            .map(([inv, c]) => `${t.target} ${inv}: ${c.detail}`),
        );
        expect(failing).toEqual([]);
        fs.rmSync(out, { recursive: true, force: true });
      }),
      { numRuns: 12 },
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
