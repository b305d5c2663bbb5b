/** The change rules' data: sources resolve, broken files fail with the field, the CFN table is current. */
import rulesData from '../../lib/catalog/data/change-rules.json';
import cfnData from '../../lib/catalog/data/cfn-update-behavior.json';
import { readServiceSpec } from '../../lib/diff/gen-cfn-update-behavior';
import { cfnBehavior, rule, validateRules } from '../../lib/diff/rules';

const copy = () => JSON.parse(JSON.stringify(rulesData)) as typeof rulesData;

test('every rule resolves to a dated source', () => {
  for (const id of Object.keys(rulesData.rules)) {
    const v = rule(id);
    expect(v.source.retrieved).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(v.reason.length).toBeGreaterThan(10);
  }
});

test('a rule naming an unknown source fails with the field', () => {
  const bad = copy();
  (bad.rules as Record<string, { source: string }>)['cfn.update'].source = 'nowhere';
  expect(() => validateRules(bad)).toThrow('rules.cfn.update.source: got "nowhere"');
});

test('a bad class or date fails with the field', () => {
  const bad = copy();
  (bad.rules as Record<string, { class: string }>)['cfn.update'].class = 'maybe';
  expect(() => validateRules(bad)).toThrow(/change-rules.json: rules.cfn.update.class/);
  const bad2 = copy();
  (bad2.sources as Record<string, { retrieved: string }>)['cfn-registry'].retrieved = '7 Dec 2026';
  expect(() => validateRules(bad2)).toThrow(/sources.cfn-registry.retrieved/);
});

test('cfn-update-behavior.json matches the installed @aws-cdk/aws-service-spec', () => {
  const live = readServiceSpec(Object.keys(cfnData.types));
  expect(live.version).toBe(cfnData.source.version);
  expect(live.types).toEqual(cfnData.types);
  expect(cfnBehavior('AWS::ElastiCache::ReplicationGroup', 'Port')).toBe('replace');
  expect(cfnBehavior('AWS::ElastiCache::ReplicationGroup', 'CacheNodeType')).toBe('update');
});
