import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';
import { SpecError } from '../../lib/errors';
import { specError } from '../helpers';
import { specJsonSchema, SPEC_SCHEMA_PATH } from '../../lib/spec/json-schema';
import { loadSpecFile, parseSpec } from '../../lib/spec/load';

const root = path.join(__dirname, '..', '..');
const examples = fs.readdirSync(path.join(root, 'examples')).filter((f) => f.endsWith('.yaml'));

test.each(examples)('example %s validates', (f) => {
  const spec = loadSpecFile(path.join(root, 'examples', f));
  expect(spec.name).toMatch(/^[a-z]/);
});

test('example names are unique (they name the dist/ folders)', () => {
  const names = examples.map((f) => loadSpecFile(path.join(root, 'examples', f)).name);
  expect(new Set(names).size).toBe(names.length);
});

test('an enum error names the field, the value and the allowed values', () => {
  const e = specError(() => parseSpec('name: x\nprofile: prod\n'));
  expect(e.field).toBe('profile');
  expect(e.message).toBe('spec: profile: got "prod"; expected one of "development", "staging", "production"');
});

test('an unknown key is named with a fix', () => {
  const e = specError(() => parseSpec('name: x\nprofile: staging\nsecurity:\n  tsl: true\n'));
  expect(e.field).toBe('security.tsl');
  expect(e.message).toBe(
    'spec: security.tsl: got true; unknown key: remove it or fix the spelling (allowed here: tls, tlsMinVersion, auth, authTokenLength, encryptionAtRest, privateNetworking, acl)',
  );
});

test('an unknown top-level key is named itself, not its parent with the whole document as the value', () => {
  const e = specError(() => parseSpec('name: x\nprofile: staging\nfoo: 1\nbar: 2\n'));
  expect(e.field).toBe('foo');
  expect(e.message).toMatch(/^spec: foo: got 1; unknown key \(also unknown: bar\): .*allowed here: name, /);
});

test('an unknown key inside a list item names the item and the allowed keys', () => {
  const e = specError(() =>
    parseSpec('name: x\nprofile: staging\nkeyspace: {databases: [{index: 0, name: a, prefix: a, ttl: 5}]}\n'),
  );
  expect(e.field).toBe('keyspace.databases.0.ttl');
  expect(e.message).toMatch(/allowed here: index, name, prefix, ttlSeconds\)$/);
});

test('a nested type error gives the dotted path', () => {
  const e = specError(() => parseSpec('name: x\nprofile: staging\nworkload:\n  devices: lots\n'));
  expect(e.field).toBe('workload.devices');
  expect(e.message).toMatch(/got "lots"; expected number/);
});

test('a fraction where a whole number is needed says so in words', () => {
  const e = specError(() => parseSpec('name: x\nprofile: staging\nworkload:\n  devices: 2.5\n'));
  expect(e.message).toBe('spec: workload.devices: got 2.5; expected a whole number');
});

test('invalid YAML is reported with its line and no stack', () => {
  const e = specError(() => parseSpec('name: x\nprofile: [staging\n'));
  expect(e.message).toMatch(/^spec: line \d+: got "invalid YAML"; fix the YAML syntax/);
  expect(e.message).not.toMatch(/\n/);
});

test('a name ElastiCache would refuse as a replication group id ("--", trailing "-", > 40 chars)', () => {
  for (const name of ['my--cache', 'cache-', 'a'.repeat(41), '1cache']) {
    const e = specError(() => parseSpec(`name: "${name}"\nprofile: staging\n`));
    expect(e.field).toBe('name');
    expect(e.message).toMatch(/single "-", 1-40 chars/);
  }
  expect(parseSpec('name: my-cache-2\nprofile: staging\n').name).toBe('my-cache-2');
});

test('duplicate keys are rejected', () => {
  expect(() => parseSpec('name: x\nname: y\nprofile: staging\n')).toThrow(SpecError);
});

test('a missing file names the flag', () => {
  expect(specError(() => loadSpecFile('/nonexistent/spec.yaml')).field).toBe('--spec');
});

describe('exported JSON schema', () => {
  const committed = JSON.parse(fs.readFileSync(path.join(root, SPEC_SCHEMA_PATH), 'utf8'));

  test('the committed schema is current (run `npm run schema` after changing lib/spec/schema.ts)', () => {
    expect(committed).toEqual(specJsonSchema());
  });

  test('every example validates against it, and a bad spec does not', () => {
    // With the formats the schema names (email for alert addresses), so they are checked, not ignored.
    const ajv = addFormats(new Ajv2020({ strict: false, allErrors: true }));
    const validate = ajv.compile(committed);
    for (const f of examples) {
      const ok = validate(parse(fs.readFileSync(path.join(root, 'examples', f), 'utf8')));
      expect({ f, ok, errors: validate.errors }).toEqual({ f, ok: true, errors: null });
    }
    expect(validate({ name: 'x', profile: 'prod' })).toBe(false);
    expect(validate({ name: 'my--cache', profile: 'staging' })).toBe(false);
  });

  test('it names only formats a JSON Schema validator knows', () => {
    const formats = new Set<string>();
    JSON.stringify(committed, (k, v: unknown) => {
      if (k === 'format' && typeof v === 'string') formats.add(v);
      return v;
    });
    const known = new Set(Object.keys(addFormats(new Ajv2020()).formats));
    expect([...formats].filter((f) => !known.has(f))).toEqual([]);
  });
});

test('targets.kubernetes.operatorNamespace: a namespace name, else one line naming field, value and rule', () => {
  const base = 'name: x\nprofile: staging\ntargets:\n  kubernetes:\n    namespace: app\n';
  expect(
    parseSpec(`${base}    operatorNamespace: redis-system\n`).targets.kubernetes?.operatorNamespace,
  ).toBe('redis-system');
  expect(parseSpec(base).targets.kubernetes?.operatorNamespace).toBeUndefined();
  const e = specError(() => parseSpec(`${base}    operatorNamespace: Redis.Ops\n`));
  expect(e.field).toBe('targets.kubernetes.operatorNamespace');
  expect(e.message).toBe(
    'spec: targets.kubernetes.operatorNamespace: got "Redis.Ops"; expected the namespace the redis-operator is installed in, an RFC 1123 label: lower-case letters, digits and "-", 1-63 chars, starting and ending with a letter or digit',
  );
});

test('targets.kubernetes.imagePullSecrets and images.bitnamiDigest: parsed, else one line naming field, value and rule', () => {
  const base = 'name: x\nprofile: staging\ntargets:\n  kubernetes:\n    namespace: app\n';
  const digest = `sha256:${'ab'.repeat(32)}`;
  const ok = parseSpec(
    `${base}    imagePullSecrets: [regcred]\n    images: { bitnamiDigest: "${digest}" }\n`,
  );
  expect(ok.targets.kubernetes?.imagePullSecrets).toEqual(['regcred']);
  expect(ok.targets.kubernetes?.images?.bitnamiDigest).toBe(digest);
  const e = specError(() => parseSpec(`${base}    imagePullSecrets: [Reg_Cred]\n`));
  expect(e.field).toBe('targets.kubernetes.imagePullSecrets.0');
  expect(e.message).toMatch(
    /^spec: targets\.kubernetes\.imagePullSecrets\.0: got "Reg_Cred"; expected .*DNS-1123 subdomain/,
  );
  const d = specError(() => parseSpec(`${base}    images: { bitnamiDigest: "sha256:xyz" }\n`));
  expect(d.message).toBe(
    'spec: targets.kubernetes.images.bitnamiDigest: got "sha256:xyz"; expected an image digest "sha256:" followed by 64 lower-case hex digits',
  );
});
