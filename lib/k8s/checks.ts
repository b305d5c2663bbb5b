/**
 * Checks every Kubernetes object of a flavor passes before anything is handed out (the public
 * constructs run them, so the pipeline's charts and a user's chart get the same): the schemas
 * (kubernetes-models, the CRDs, the Bitnami values schema), name lengths and no secret material.
 */
import { SpecError } from '../errors';
import type { K8sContext } from './context';
import { objectId, validateBitnamiValues, validateObjects, type ManifestObject } from './validate';

/** Every check of one flavor's objects (and Bitnami values), in the order the pipeline always ran them. */
export function checkFlavorObjects(ctx: K8sContext, objects: ManifestObject[], values?: object): void {
  if (values) validateBitnamiValues(values);
  checkNameLengths(ctx, objects);
  validateObjects(objects);
  assertNoSecretMaterial(objects, values);
}

/**
 * Kubernetes name limits the schemas do not check: a CronJob name may have at most 52 characters (the
 * controller appends 11 for its Jobs, whose names are limited to 63; kubernetes.io/docs/concepts/
 * workloads/controllers/cron-jobs), a StatefulSet name in practice 52 (its pods get the label
 * `controller-revision-hash: <name>-<hash of up to 10>`, label values at most 63), a Service name 63
 * (DNS-1035 label). The StatefulSets and Services the operator or the chart create count too.
 */
export const NAME_LIMITS = { CronJob: 52, StatefulSet: 52, Service: 63 } as const;

/** Names the operator (OpsTree) or the chart (Bitnami) derive from ours, by kind. */
export function derivedNames(ctx: K8sContext): Array<[keyof typeof NAME_LIMITS, string]> {
  const n = ctx.name;
  if (ctx.flavor === 'opstree') {
    const roles = [`${n}-leader`, `${n}-follower`];
    return [
      ...roles.map((r): [keyof typeof NAME_LIMITS, string] => ['StatefulSet', r]),
      ...roles.flatMap((r) =>
        ['', '-headless', '-additional', '-metrics'].map((x): [keyof typeof NAME_LIMITS, string] => [
          'Service',
          `${r}${x}`,
        ]),
      ),
    ];
  }
  return [
    ...['master', 'replicas', 'node'].map((x): [keyof typeof NAME_LIMITS, string] => [
      'StatefulSet',
      `${n}-${x}`,
    ]),
    ...['headless', 'master', 'replicas', 'metrics'].map((x): [keyof typeof NAME_LIMITS, string] => [
      'Service',
      `${n}-${x}`,
    ]),
  ];
}

/** A SpecError naming the longest deployment name that keeps every object within its limit. */
export function checkNameLengths(ctx: K8sContext, objects: ManifestObject[]): void {
  const { deployment: d, flavor } = ctx;
  const names: Array<[keyof typeof NAME_LIMITS, string]> = [...derivedNames(ctx)];
  for (const o of objects)
    if (o.kind in NAME_LIMITS && o.metadata?.name)
      names.push([o.kind as keyof typeof NAME_LIMITS, o.metadata.name]);
  let worst: { kind: string; name: string; excess: number } | undefined;
  for (const [kind, name] of names) {
    const excess = name.length - NAME_LIMITS[kind];
    if (excess > 0 && (!worst || excess > worst.excess)) worst = { kind, name, excess };
  }
  if (worst) {
    throw new SpecError(
      'name',
      d.policy.name,
      `use a name of at most ${d.policy.name.length - worst.excess} characters for the Kubernetes ${flavor} flavor ` +
        `(the ${worst.kind} "${worst.name}" would have ${worst.name.length}, the limit is ${NAME_LIMITS[worst.kind as keyof typeof NAME_LIMITS]}), ` +
        `or leave ${flavor} out of targets.kubernetes.flavors`,
      d.source,
    );
  }
}

/**
 * Secrets are created outside the YAML (kubectl or external-secrets): any Secret object, any PEM
 * private key or any `password:` with a literal value in the output is a bug.
 */
export function assertNoSecretMaterial(objects: ManifestObject[], values?: unknown): void {
  for (const o of objects) {
    if (o.kind === 'Secret') {
      throw new Error(
        `${objectId(o)}: the output must not contain Secrets; create them with kubectl or external-secrets`,
      );
    }
  }
  const text = JSON.stringify([objects, values ?? null]);
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text))
    throw new Error('the output contains a PEM private key');
  const pw = /"(password|auth\.password|requirepass|masterauth)"\s*:\s*"([^"]+)"/i.exec(text);
  if (pw && !/^(\{\{ \.[a-z]+ \}\}|@[A-Z_]+@)$/.test(pw[2])) {
    throw new Error(`the output sets "${pw[1]}" to a literal value; passwords come from Secrets only`);
  }
}
