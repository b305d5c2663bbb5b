/**
 * Kubernetes output for one deployment: `<outDir>/opstree.yaml`, `<outDir>/bitnami.yaml` and
 * `<outDir>/values-redis.yaml`, for the flavors in spec.targets.kubernetes.flavors. Every object
 * is validated before anything is written (kubernetes-models for core objects, the CRD schemas for
 * custom resources, the chart schema for the values), and no Secret or private key may appear.
 * The objects are those of the public constructs (lib/public/k8s.ts) given the spec's props: this
 * file only maps the spec onto them and writes the files with their headers.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, Chart } from 'cdk8s';
import { stringify } from 'yaml';
import type { Deployment } from '../deployment';
import { isSpecError } from '../errors';
import { asSpecField, specPolicy } from '../public/common';
import {
  BitnamiRedis,
  OpsTreeRedisCluster,
  type BitnamiRedisProps,
  type OpsTreeRedisClusterProps,
} from '../public/k8s';
import { BITNAMI_CHART_VERSION, helmInstallCommand } from './bitnami';
import {
  flavorsOf,
  kubernetesTarget,
  makeContext,
  operatorOf,
  ZONE_LABEL,
  type Flavor,
  type K8sContext,
  type ZoneSpread,
} from './context';
import type { ManifestObject } from './validate';

/** The OpsTree operator chart the manifests are written for. */
export const OPSTREE_OPERATOR_CHART = { chart: 'ot-helm/redis-operator', version: '0.26.1', app: '0.26.0' };

/** Versions of the cluster-side prerequisites the manifests are written for. */
export const PREREQUISITES = {
  redisOperator: (op: K8sContext['operator']) =>
    `OT-CONTAINER-KIT redis-operator ${OPSTREE_OPERATOR_CHART.app} (Helm chart ${OPSTREE_OPERATOR_CHART.chart} ${OPSTREE_OPERATOR_CHART.version}) in namespace ${op.namespace} ` +
    `(the NetworkPolicy admits its pods labelled ${labelList(op.podLabels)} from there; targets.kubernetes.operatorNamespace/operatorPodSelector), ` +
    'with featureGates.GenerateConfigInInitContainer=true (TLS cluster nodes then announce resolvable FQDNs)',
  certManager: 'cert-manager v1.21.1',
  prometheusOperator: 'prometheus-operator v0.93.0 (ServiceMonitor, PrometheusRule CRDs)',
  externalSecrets: 'external-secrets with the external-secrets.io/v1 API (chart 0.17 or later)',
  bitnamiChart: `bitnami/redis ${BITNAMI_CHART_VERSION}`,
};

/** The command that installs the operator where the NetworkPolicy expects it. */
export function operatorInstallCommand(op: K8sContext['operator']): string {
  return (
    `helm install redis-operator ${OPSTREE_OPERATOR_CHART.chart} --version ${OPSTREE_OPERATOR_CHART.version} ` +
    `--namespace ${op.namespace} --create-namespace --set featureGates.GenerateConfigInInitContainer=true`
  );
}

function labelList(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

export interface FlavorOutput {
  flavor: Flavor;
  objects: ManifestObject[];
  /** Shell commands that create the Secrets by hand (empty with an external secret store). */
  secretCommands: string[];
  values?: Record<string, unknown>;
}

/** The spec's policy, plan and `targets.kubernetes` as the props of the public flavor constructs. */
export function flavorProps(d: Deployment, flavor: Flavor): OpsTreeRedisClusterProps & BitnamiRedisProps {
  const { flavors: _flavors, chartPath, ...target } = kubernetesTarget(d);
  return {
    ...target,
    name: d.policy.name,
    policy: specPolicy(d.spec),
    sizing: d.plan,
    ...(flavor === 'bitnami' && chartPath !== undefined ? { chartPath } : {}),
  };
}

/**
 * The chart of one flavor: the public construct (OpsTreeRedisCluster or BitnamiRedis) given the
 * spec's props, so `npm run synth` writes exactly what a user's cdk8s app gets. Its errors are
 * named by their spec field, like every other spec error.
 */
export function flavorChart(
  d: Deployment,
  flavor: Flavor,
): { chart: Chart; redis: OpsTreeRedisCluster | BitnamiRedis } {
  // Charts are rendered with toJson(); the App never writes its own output directory.
  const chart = new Chart(new App(), `${d.policy.name}-${flavor}`, {
    namespace: kubernetesTarget(d).namespace,
  });
  const props = flavorProps(d, flavor);
  try {
    const redis =
      flavor === 'opstree'
        ? new OpsTreeRedisCluster(chart, 'Redis', props)
        : new BitnamiRedis(chart, 'Redis', props);
    return { chart, redis };
  } catch (e) {
    throw isSpecError(e) ? asSpecField(e, 'kubernetes', d.source) : e;
  }
}

/** Build and validate one flavor in memory (no files written). */
export function buildFlavor(d: Deployment, flavor: Flavor): FlavorOutput {
  const { chart, redis } = flavorChart(d, flavor);
  return {
    flavor,
    objects: chart.toJson() as ManifestObject[],
    secretCommands: redis.secretCommands,
    values: redis instanceof BitnamiRedis ? (redis.values as unknown as Record<string, unknown>) : undefined,
  };
}

export { assertNoSecretMaterial, checkNameLengths, derivedNames, NAME_LIMITS } from './checks';

/** What the zone spreading asks of the nodes (targets.kubernetes.zoneSpread). */
export function zonePrerequisite(spread: ZoneSpread): string {
  switch (spread) {
    case 'required':
      return `every node labelled ${ZONE_LABEL} (zone spreading is required, DoNotSchedule: without the label, e.g. on kind, kubeadm or k3s, the Redis pods stay Pending; label the nodes or set targets.kubernetes.zoneSpread: preferred or off)`;
    case 'preferred':
      return `nodes labelled ${ZONE_LABEL} to spread over zones (zone spreading is preferred, ScheduleAnyway: without the label the pods spread over hosts only)`;
    case 'off':
      return 'no zone labels needed (targets.kubernetes.zoneSpread: off; the pods spread over hosts only)';
  }
}

function prerequisitesFor(d: Deployment, flavor: Flavor): string[] {
  const p = PREREQUISITES;
  const ctx = makeContext(d, flavor);
  return [
    flavor === 'opstree' ? p.redisOperator(operatorOf(kubernetesTarget(d))) : p.bitnamiChart,
    ...(d.policy.security.tls ? [p.certManager] : []),
    p.prometheusOperator,
    ...(kubernetesTarget(d).externalSecretStore ? [p.externalSecrets] : []),
    zonePrerequisite(ctx.zoneSpread),
    `Prometheus pods labelled ${labelList(ctx.prometheus.podLabels)} in namespace ${ctx.prometheus.namespace} (the only pods admitted to the exporter port; targets.kubernetes.prometheus), cluster DNS pods labelled ${labelList(ctx.dns.podLabels)} in ${ctx.dns.namespace} (targets.kubernetes.dns)`,
  ];
}

function header(lines: string[]): string {
  return lines.map((l) => (l === '' ? '#' : `# ${l}`)).join('\n') + '\n';
}

/**
 * YAML 1.1 output: kubectl and Helm parse YAML 1.1-style, where a bare `on`/`off`/`yes` is a
 * boolean; the 1.1 stringifier quotes such strings (an ACL user's `enabled: "on"`).
 */
export function toYaml(value: unknown): string {
  return stringify(value, { lineWidth: 0, version: '1.1' });
}

function toYamlDocs(objects: ManifestObject[]): string {
  return objects.map((o) => toYaml(o)).join('---\n');
}

function manifestHeader(d: Deployment, out: FlavorOutput, file: string): string {
  const ns = kubernetesTarget(d).namespace;
  const lines = [
    `${file}: Redis "${d.policy.name}" (${out.flavor}) generated by redis-iac from ${d.source}. Do not edit.`,
    '',
    'Prerequisites on the cluster:',
    ...prerequisitesFor(d, out.flavor).map((p) => `  - ${p}`),
    '',
  ];
  if (out.flavor === 'opstree') {
    lines.push(`Operator (once per cluster): ${operatorInstallCommand(operatorOf(kubernetesTarget(d)))}`, '');
  }
  // The secret commands read the <name>-acl-template ConfigMap and need the namespace, so they come
  // after the apply; the pods wait in ContainerCreating until their Secrets exist.
  lines.push(
    `1. Apply: kubectl create namespace ${ns} --dry-run=client -o yaml | kubectl apply -f - && kubectl apply -f ${file}`,
  );
  if (out.secretCommands.length) {
    lines.push(
      '2. Then create the Secrets (nothing secret is in this file; the pods start once they exist):',
      ...out.secretCommands.map((c) => `  ${c}`),
    );
  } else if (d.policy.security.auth) {
    lines.push(
      `2. Secrets come from the ClusterSecretStore "${kubernetesTarget(d).externalSecretStore}" (ExternalSecrets below).`,
    );
  }
  if (out.flavor === 'bitnami' && !kubernetesTarget(d).chartPath) {
    lines.push(`3. Then: ${helmInstallCommand(makeContext(d, 'bitnami'))}`);
  }
  return header(lines);
}

/** Write the Kubernetes artifacts of one deployment; returns the paths written. */
export function synthKubernetes(deployment: Deployment, outDir: string): string[] {
  const target = kubernetesTarget(deployment);
  const outputs = flavorsOf(target).map((f) => buildFlavor(deployment, f));
  fs.mkdirSync(outDir, { recursive: true });
  const written: string[] = [];
  for (const out of outputs) {
    const file = path.join(outDir, `${out.flavor}.yaml`);
    fs.writeFileSync(file, manifestHeader(deployment, out, path.basename(file)) + toYamlDocs(out.objects));
    written.push(file);
    if (out.values) {
      const vfile = path.join(outDir, 'values-redis.yaml');
      const ctx = makeContext(deployment, 'bitnami');
      const head = header([
        `values-redis.yaml: bitnami/redis ${BITNAMI_CHART_VERSION} values for "${deployment.policy.name}", generated by redis-iac. Do not edit.`,
        `Install after applying bitnami.yaml: ${helmInstallCommand(ctx, 'values-redis.yaml')}`,
      ]);
      fs.writeFileSync(vfile, head + toYaml(out.values));
      written.push(vfile);
    }
  }
  return written;
}
