/**
 * targets.kubernetes.zoneSpread (#14): required (DoNotSchedule, the production default), preferred
 * (ScheduleAnyway) or off, for both flavors; the manifest header names the node label it needs; the
 * conformance reader tells required from preferred.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { kubernetesEvidence, zoneSpreadMode } from '../../lib/conformance/kubernetes';
import { deploymentFromYaml } from '../../lib/deployment';
import { buildFlavor, synthKubernetes } from '../../lib/k8s/synth';
import { specError } from '../helpers';
import { withKubernetesLines } from './patched-bitnami';

/* eslint-disable-next-line @typescript-eslint/no-explicit-any -- test fixtures walk untyped manifests */
type Loose = Record<string, any>;

const RAW = fs.readFileSync(path.join('examples', 'default.yaml'), 'utf8');
const withSpread = (extra: string, text = RAW) =>
  deploymentFromYaml(withKubernetesLines(text, '    storageClass: gp3', extra), 'default.yaml');

function constraints(d: ReturnType<typeof withSpread>) {
  const rc = buildFlavor(d, 'opstree').objects.find((o) => o.kind === 'RedisCluster') as Loose;
  const v = buildFlavor(d, 'bitnami').values as Loose;
  return {
    opstree: [rc.spec.redisLeader.topologySpreadConstraints, rc.spec.redisFollower.topologySpreadConstraints],
    bitnami: [v.master.topologySpreadConstraints, v.replica.topologySpreadConstraints],
  };
}
const zoneRules = (list: Loose[][]) =>
  list
    .flat()
    .filter((c) => c.topologyKey === 'topology.kubernetes.io/zone')
    .map((c) => c.whenUnsatisfiable);

test.each([
  ['', ['DoNotSchedule'], 'required'],
  ['    zoneSpread: required', ['DoNotSchedule'], 'required'],
  ['    zoneSpread: preferred', ['ScheduleAnyway'], 'preferred'],
  ['    zoneSpread: off', [], 'missing'],
] as const)('production with "%s": zone constraints %j in both flavors', (line, expected, mode) => {
  const c = constraints(withSpread(line));
  for (const list of [c.opstree, c.bitnami]) {
    const zone = zoneRules(list);
    expect(new Set(zone)).toEqual(new Set(expected));
    // The host spread stays, best effort, whatever the zone setting.
    expect(list.flat().some((x) => x.topologyKey === 'kubernetes.io/hostname')).toBe(true);
    expect(zoneSpreadMode(list)).toBe(mode);
  }
});

test('staging defaults to preferred (the policy needs one zone)', () => {
  const staging = RAW.replace(/^profile: production$/m, 'profile: staging');
  const d = withSpread('', staging);
  const rc = buildFlavor(d, 'opstree').objects.find((o) => o.kind === 'RedisCluster') as Loose;
  expect(zoneRules([rc.spec.redisLeader.topologySpreadConstraints])).toEqual(['ScheduleAnyway']);
});

test('a bad value is a one-line SpecError naming the field and the choices', () => {
  const e = specError(() => withSpread('    zoneSpread: sometimes'));
  expect(e.message).toMatch(/targets\.kubernetes\.zoneSpread: got "sometimes".*required.*preferred.*off/);
  expect(e.message).not.toContain('\n');
});

test('the manifest header names the node label and what happens without it', () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'zone-'));
  try {
    const header = (line: string) => {
      synthKubernetes(withSpread(line), out);
      return fs
        .readFileSync(path.join(out, 'opstree.yaml'), 'utf8')
        .split('\n')
        .filter((l) => l.startsWith('#'))
        .join('\n');
    };
    expect(header('')).toMatch(
      /every node labelled topology\.kubernetes\.io\/zone \(zone spreading is required.*kind, kubeadm or k3s, the Redis pods stay Pending/,
    );
    expect(header('    zoneSpread: preferred')).toMatch(/zone spreading is preferred, ScheduleAnyway/);
    expect(header('    zoneSpread: off')).toMatch(/no zone labels needed/);
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});

test('conformance: required passes, preferred passes saying it is not guaranteed, off fails replicas-zones', () => {
  const cell = (line: string) => {
    const d = withSpread(line);
    const yaml = JSON.stringify(buildFlavor(d, 'opstree').objects.find((o) => o.kind === 'RedisCluster'));
    return kubernetesEvidence('opstree', { 'opstree.yaml': yaml }, d.policy)['replicas-zones'];
  };
  expect(cell('')).toMatchObject({ status: 'pass', detail: /zone topology spread required/ });
  expect(cell('    zoneSpread: preferred')).toMatchObject({
    status: 'pass',
    detail: /preferred \(ScheduleAnyway: not guaranteed\)/,
  });
  expect(cell('    zoneSpread: off')).toMatchObject({
    status: 'fail',
    detail: /zone topology spread missing/,
  });
});
