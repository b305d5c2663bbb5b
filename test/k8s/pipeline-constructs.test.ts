/**
 * `npm run synth` writes what the public constructs of redis-iac/k8s build: each flavor's chart
 * holds one OpsTreeRedisCluster or BitnamiRedis and nothing else, and the same construct with the
 * same props in a user's own chart gives the same objects. So the pipeline cannot drift from the
 * public API (or grow a second implementation) without this failing.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ApiObject, App, Chart } from 'cdk8s';
import { deploymentFromYaml } from '../../lib/deployment';
import { buildFlavor, flavorChart, flavorProps } from '../../lib/k8s/synth';
import type { ManifestObject } from '../../lib/k8s/validate';
import { BitnamiRedis, OpsTreeRedisCluster } from '../../lib/public/k8s';

const EXAMPLE = 'examples/hospitality-staging.yaml';
const d = deploymentFromYaml(fs.readFileSync(EXAMPLE, 'utf8'), path.basename(EXAMPLE));
const kinds = (objs: ManifestObject[]) => objs.map((o) => `${o.kind}/${o.metadata?.name}`);

describe.each([
  ['opstree', OpsTreeRedisCluster],
  ['bitnami', BitnamiRedis],
] as const)('%s: the pipeline chart is the public construct', (flavor, construct) => {
  const { chart, redis } = flavorChart(d, flavor);

  test(`its only child is a ${construct.name}, and every object is under it`, () => {
    expect(redis).toBeInstanceOf(construct);
    expect(chart.node.children).toEqual([redis]);
    const objects = chart.node.findAll().filter((c) => c instanceof ApiObject);
    expect(objects.length).toBeGreaterThan(10);
    expect(redis.apiObjects).toEqual(objects);
    expect(objects.every((o) => o.node.path.startsWith(`${redis.node.path}/`))).toBe(true);
  });

  test(`a ${construct.name} with the spec's props in a user chart writes the same objects`, () => {
    const user = new Chart(new App(), 'user-app');
    const props = flavorProps(d, flavor);
    const same =
      flavor === 'opstree'
        ? new OpsTreeRedisCluster(user, 'Cache', props)
        : new BitnamiRedis(user, 'Cache', props);
    expect(user.toJson()).toEqual(buildFlavor(d, flavor).objects);
    expect(same.secretCommands).toEqual(redis.secretCommands);
    if (same instanceof BitnamiRedis) expect(same.values).toEqual((redis as BitnamiRedis).values);
  });
});

test('targets.kubernetes.chartPath reaches BitnamiRedis: the chart objects come after ours and before the connection ConfigMap', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'k8s-local-chart-'));
  try {
    // The smallest chart Helm renders: one ConfigMap naming the release and a value we set.
    fs.mkdirSync(path.join(dir, 'templates'));
    fs.writeFileSync(path.join(dir, 'Chart.yaml'), 'apiVersion: v2\nname: redis\nversion: 0.0.1\n');
    fs.writeFileSync(
      path.join(dir, 'templates', 'probe.yaml'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-probe\n  namespace: {{ .Release.Namespace }}\ndata:\n  architecture: {{ .Values.architecture | quote }}\n',
    );
    const text = fs
      .readFileSync(EXAMPLE, 'utf8')
      .replace(/^ {4}namespace: .*$/m, (line) => `${line}\n    chartPath: ${JSON.stringify(dir)}`);
    const local = deploymentFromYaml(text, 'hospitality-staging.yaml');
    const { chart, redis } = flavorChart(local, 'bitnami');
    const names = kinds(chart.toJson() as ManifestObject[]);
    const name = `${local.policy.name}-bitnami`;
    expect(names.slice(-2)).toEqual([`ConfigMap/${name}-probe`, `ConfigMap/${name}-connection`]);
    const probe = (chart.toJson() as Array<ManifestObject & { data: Record<string, string> }>).find(
      (o) => o.metadata?.name === `${name}-probe`,
    )!;
    expect(probe.data.architecture).toBe((redis as BitnamiRedis).values.architecture);
    expect(() => flavorChart(local, 'opstree')).not.toThrow();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
