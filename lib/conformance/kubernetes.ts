/**
 * Evidence from the Kubernetes manifests (dist/<id>/k8s/opstree.yaml, bitnami.yaml and
 * values-redis.yaml): the custom resources, NetworkPolicies, PDBs, PrometheusRules and the backup
 * CronJob as they will be applied.
 */
import { parseAllDocuments, parse } from 'yaml';
import type { DeclaredUser } from '../policy/roles';
import { catalogImageFor, cveFindings, minimumSafe, tagOf, versionFromTag } from '../catalog/images';
import type { ResolvedPolicy } from '../policy/types';
import { parseAclUsers } from '../redisconf';
import { check, fail, na, pass, type Evidence, type TargetEvidence, everyInvariant } from './types';

type Obj = Record<string, unknown>;
interface K8sObject {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string };
  spec?: Obj;
  data?: Obj;
  [k: string]: unknown;
}

const get = (o: unknown, ...keys: string[]): unknown =>
  keys.reduce<unknown>((cur, k) => (cur && typeof cur === 'object' ? (cur as Obj)[k] : undefined), o);
const text = (v: unknown) => JSON.stringify(v ?? null);

export type { K8sObject };

export function parseManifests(yamlText: string): K8sObject[] {
  return parseAllDocuments(yamlText)
    .map((d) => d.toJS() as K8sObject)
    .filter((o) => o && typeof o === 'object');
}

/**
 * The last manifest text the readers parsed and its objects: the evidence, contract, users and
 * sentinel-users readers each ask for the same file in turn, and YAML parsing was most of their cost.
 * Same text, same objects; they are frozen, so a reader that tried to change the shared copy would
 * fail loudly. (parseManifests still gives its callers a fresh, changeable copy.)
 */
let lastManifests: { text: string; objs: K8sObject[] } | undefined;

function deepFreeze<T>(v: T): T {
  if (v && typeof v === 'object' && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const x of Object.values(v)) deepFreeze(x);
  }
  return v;
}

function sharedManifests(yamlText: string): K8sObject[] {
  if (lastManifests?.text !== yamlText)
    lastManifests = { text: yamlText, objs: deepFreeze(parseManifests(yamlText)) };
  return lastManifests.objs;
}

const kinds = (objs: K8sObject[], kind: string) => objs.filter((o) => o.kind === kind);

/** PrometheusRule coverage of the four signals, on redis_exporter metric names. */
function alertCoverage(rulesText: string, policy: ResolvedPolicy): Evidence {
  const wanted: Record<string, RegExp> = {
    memory: /redis_memory_used_bytes/,
    evictions: /redis_evicted_keys_total/,
    connections: /redis_connected_clients/,
    replication:
      /redis_connected_slaves|redis_master_link_up|redis_connected_replicas|master_repl_offset|redis_replica/,
  };
  if (policy.availability.replicasPerShard === 0) delete wanted.replication;
  const missing = Object.entries(wanted)
    .filter(([, re]) => !re.test(rulesText))
    .map(([k]) => k);
  return missing.length
    ? fail(`no alert rule on ${missing.join(', ')}`)
    : pass(`alert rules on ${Object.keys(wanted).join(', ')}`);
}

/** Backup CronJob retention in days, read from its RETENTION_DAYS environment variable. */
function backupEvidence(objs: K8sObject[], policy: ResolvedPolicy): Evidence {
  // The backup CronJob is the one that applies a retention (others, like the TLS reload, do not).
  const jobs = kinds(objs, 'CronJob').filter((j) => text(j).includes('"name":"RETENTION_DAYS"'));
  if (jobs.length === 0) return fail('no backup CronJob');
  const m = text(jobs[0]).match(/"name":"RETENTION_DAYS","value":"(\d+)"/);
  const days = m ? Number(m[1]) : 0;
  const schedule = String(get(jobs[0], 'spec', 'schedule') ?? '');
  const suspended = get(jobs[0], 'spec', 'suspend') === true;
  return check(
    days >= policy.persistence.snapshotRetentionDays && days >= 1 && !suspended,
    `backup CronJob "${schedule}"${suspended ? ' is suspended (spec.suspend=true) and' : ''} keeps ${days} day(s) (policy ${policy.persistence.snapshotRetentionDays})`,
  );
}

/** redis_exporter's port. */
const EXPORTER_PORT = 9121;
const REDIS_PORT = 6379;

const ANY_ADDRESS = ['0.0.0.0/0', '::/0'];
const anyAddress = (peer: Obj) => ANY_ADDRESS.includes(String(get(peer, 'ipBlock', 'cidr')));
/** A namespaceSelector that matches every namespace ({} or present but empty). */
const everyNamespace = (peer: Obj) =>
  peer.namespaceSelector !== undefined && text(peer.namespaceSelector) === '{}';
const portsOf = (rule: Obj) => (rule.ports as Obj[] | undefined) ?? [];
/** Whether a rule's ports include `port` (a rule without ports covers every port). */
const coversPort = (rule: Obj, port: number) =>
  portsOf(rule).length === 0 || portsOf(rule).some((p) => Number(p.port) === port);

/**
 * An ingress rule admits anyone when it has no `from` (or an empty one), or a peer that selects every
 * namespace's pods (`namespaceSelector: {}` with no narrower podSelector) or any address; it matters
 * here when its ports reach a data port (the exporter port is judged by {@link exporterExposure}).
 */
function openRule(rule: Obj): boolean {
  const from = rule.from as Obj[] | undefined;
  const dataPorts = portsOf(rule).length === 0 || portsOf(rule).some((p) => Number(p.port) !== EXPORTER_PORT);
  const anyone =
    !from?.length ||
    from.some(
      (peer) =>
        anyAddress(peer) ||
        (everyNamespace(peer) && (peer.podSelector === undefined || text(peer.podSelector) === '{}')),
    );
  return anyone && dataPorts;
}

/**
 * The exporter port must not be open cluster-wide: redis_exporter's `/scrape?target=<host>` makes it
 * connect to any host with its own Redis credentials. A rule on that port (or on every port) fails when
 * it has no `from`, or a peer in every namespace (`namespaceSelector: {}`, whatever its podSelector:
 * anyone can label a pod in their own namespace), or any address. For Bitnami the chart's own policy
 * counts too: `networkPolicy.metrics.allowExternal` must be false with a namespace to admit.
 */
export function exporterExposure(objs: K8sObject[], values?: Obj): Evidence {
  const open: string[] = [];
  for (const p of kinds(objs, 'NetworkPolicy')) {
    for (const rule of (get(p, 'spec', 'ingress') as Obj[] | undefined) ?? []) {
      if (!coversPort(rule, EXPORTER_PORT)) continue;
      const from = rule.from as Obj[] | undefined;
      if (!from?.length || from.some((peer) => anyAddress(peer) || everyNamespace(peer)))
        open.push(String(p.metadata?.name));
    }
  }
  if (values) {
    const m = get(values, 'networkPolicy', 'metrics') as Obj | undefined;
    const nsLabels = m?.ingressNSMatchLabels as Obj | undefined;
    if (
      get(values, 'metrics', 'enabled') === true &&
      (m?.allowExternal !== false || !nsLabels || !Object.keys(nsLabels).length)
    )
      open.push(`values networkPolicy.metrics=${text(m)}`);
  }
  return open.length
    ? fail(
        `exporter port ${EXPORTER_PORT} open to every namespace or address in ${[...new Set(open)].join(', ')}`,
      )
    : pass(`exporter port ${EXPORTER_PORT} admitted only from named namespaces and pods`);
}

interface Selected {
  what: string;
  labels: Record<string, string>;
}

/** Whether a policy's podSelector selects pods carrying `labels` (matchLabels subset; expressions In). */
function selects(policy: K8sObject, labels: Record<string, string>): boolean {
  const sel = (get(policy, 'spec', 'podSelector') as Obj | undefined) ?? {};
  const ml = (sel.matchLabels as Record<string, string> | undefined) ?? {};
  if (!Object.entries(ml).every(([k, v]) => labels[k] === v)) return false;
  const exprs = (sel.matchExpressions as Obj[] | undefined) ?? [];
  return exprs.every(
    (e) =>
      e.operator === 'In' &&
      labels[String(e.key)] !== undefined &&
      (e.values as string[]).includes(labels[String(e.key)]),
  );
}

/** An egress rule that lets the pod reach anything: no `to`, or any address / every namespace on every port. */
function openEgress(rule: Obj, dataPods: boolean): boolean {
  const to = rule.to as Obj[] | undefined;
  // DNS to any resolver is accepted: the Bitnami chart's own policy allows port 53 without `to`.
  const ports = portsOf(rule);
  if (ports.length > 0 && ports.every((p) => Number(p.port) === 53)) return false;
  if (!to?.length) return true;
  const wide = to.some((peer) => anyAddress(peer) || (everyNamespace(peer) && !peer.podSelector));
  // Redis pods must not reach outside addresses at all; job pods only on named ports (HTTPS for S3).
  return wide && (dataPods || portsOf(rule).length === 0);
}

/**
 * Egress is restricted: the Redis pods (what the policies admitting clients on 6379 select) and every
 * CronJob's pods are selected by a policy with policyType Egress, and no egress rule reaches any address
 * on every port (for the Redis pods: any address at all). For Bitnami, `networkPolicy.allowExternalEgress`
 * must be false as well.
 */
export function egressEvidence(objs: K8sObject[], values?: Obj): Evidence {
  const policies = kinds(objs, 'NetworkPolicy');
  const egressPolicies = policies.filter((p) =>
    ((get(p, 'spec', 'policyTypes') as string[] | undefined) ?? []).includes('Egress'),
  );
  const redisSelectors = policies
    .filter((p) =>
      ((get(p, 'spec', 'ingress') as Obj[] | undefined) ?? []).some((r) => coversPort(r, REDIS_PORT)),
    )
    .map((p) => get(p, 'spec', 'podSelector') as Obj);
  const targets: Selected[] = [];
  for (const sel of redisSelectors) {
    // A representative Redis pod: the matchLabels plus the first value of each In expression.
    const labels: Record<string, string> = { ...((sel?.matchLabels as Record<string, string>) ?? {}) };
    for (const e of (sel?.matchExpressions as Obj[] | undefined) ?? [])
      if (e.operator === 'In') labels[String(e.key)] = String((e.values as string[])[0]);
    targets.push({ what: 'Redis pods', labels });
  }
  for (const job of kinds(objs, 'CronJob')) {
    const labels = get(job, 'spec', 'jobTemplate', 'spec', 'template', 'metadata', 'labels') as Record<
      string,
      string
    >;
    targets.push({ what: `CronJob ${String(job.metadata?.name)}`, labels: labels ?? {} });
  }
  const problems: string[] = [];
  if (redisSelectors.length === 0) problems.push('no policy selects the Redis pods');
  for (const t of targets) {
    const covering = egressPolicies.filter((p) => selects(p, t.labels));
    if (covering.length === 0) {
      problems.push(`${t.what}: no Egress policy`);
      continue;
    }
    const dataPods = t.what === 'Redis pods';
    for (const p of covering)
      if (((get(p, 'spec', 'egress') as Obj[] | undefined) ?? []).some((r) => openEgress(r, dataPods)))
        problems.push(`${t.what}: ${String(p.metadata?.name)} allows egress to anywhere`);
  }
  if (values && get(values, 'networkPolicy', 'allowExternalEgress') !== false)
    problems.push(
      `values networkPolicy.allowExternalEgress=${text(get(values, 'networkPolicy', 'allowExternalEgress'))}`,
    );
  return problems.length
    ? fail(`egress not restricted: ${problems.join('; ')}`)
    : pass(
        `egress restricted for ${targets.map((t) => t.what).join(', ')} (DNS, Redis peers, named targets)`,
      );
}

/** One image an artifact makes the cluster pull. */
export interface ImageUse {
  /** Where it appears, e.g. "RedisCluster kubernetesConfig.image". */
  where: string;
  /** registry/repository:tag, with @sha256:... when pinned by digest. */
  ref: string;
  /** Whether it runs redis-server (checked against the CVE floors). */
  redis: boolean;
}

/** Images of the jobs' pods (containers and init containers) of every CronJob. */
function cronJobImages(objs: K8sObject[]): ImageUse[] {
  return kinds(objs, 'CronJob').flatMap((job) => {
    const pod = get(job, 'spec', 'jobTemplate', 'spec', 'template', 'spec') as Obj | undefined;
    const containers = [
      ...((pod?.initContainers as Obj[] | undefined) ?? []),
      ...((pod?.containers as Obj[] | undefined) ?? []),
    ];
    return containers.map((c) => ({
      where: `CronJob ${String(job.metadata?.name)} container ${String(c.name)}`,
      ref: String(c.image),
      // The backup and TLS-reload containers run the flavor's Redis image (redis-cli); the uploader does not.
      redis: /redis/.test(String(c.image)),
    }));
  });
}

/** The images of the OpsTree manifests: the RedisCluster's Redis and exporter, and the CronJobs'. */
export function opstreeImages(objs: K8sObject[]): ImageUse[] {
  const uses: ImageUse[] = [];
  for (const rc of kinds(objs, 'RedisCluster')) {
    uses.push({
      where: 'RedisCluster kubernetesConfig.image',
      ref: String(get(rc, 'spec', 'kubernetesConfig', 'image')),
      redis: true,
    });
    if (get(rc, 'spec', 'redisExporter', 'enabled') !== false && get(rc, 'spec', 'redisExporter', 'image'))
      uses.push({
        where: 'RedisCluster redisExporter.image',
        ref: String(get(rc, 'spec', 'redisExporter', 'image')),
        redis: false,
      });
  }
  return [...uses, ...cronJobImages(objs)];
}

/** The images of the Bitnami values (Redis, Sentinel when on, exporter when on) and the CronJobs'. */
export function bitnamiImages(objs: K8sObject[], values: Obj): ImageUse[] {
  const ref = (img: Obj | undefined) => {
    const registry = (get(values, 'global', 'imageRegistry') as string | undefined) || String(img?.registry);
    const base = `${registry}/${String(img?.repository)}:${String(img?.tag)}`;
    return img?.digest ? `${base}@${String(img.digest)}` : base;
  };
  const uses: ImageUse[] = [{ where: 'values image', ref: ref(values.image as Obj), redis: true }];
  if (get(values, 'sentinel', 'enabled') === true)
    uses.push({
      where: 'values sentinel.image',
      ref: ref(get(values, 'sentinel', 'image') as Obj),
      redis: true,
    });
  if (get(values, 'metrics', 'enabled') === true)
    uses.push({
      where: 'values metrics.image',
      ref: ref(get(values, 'metrics', 'image') as Obj),
      redis: false,
    });
  return [...uses, ...cronJobImages(objs)];
}

/**
 * Every image pinned by digest. A tag alone passes only for an image the images catalog lists with the
 * reason no digest is known (no citable source names one); a tag-only image whose digest the catalog
 * records, or one the catalog does not know, fails.
 */
export function digestEvidence(uses: ImageUse[]): Evidence {
  const unpinned: string[] = [];
  const noneKnown: string[] = [];
  for (const u of uses) {
    if (/@sha256:[0-9a-f]{64}$/.test(u.ref)) continue;
    const known = catalogImageFor(u.ref);
    if (known && !known.digest) noneKnown.push(u.ref);
    else
      unpinned.push(
        `${u.where}: ${u.ref}${known?.digest ? ` (the images catalog records ${known.digest})` : ''}`,
      );
  }
  const pinned = uses.length - unpinned.length - noneKnown.length;
  const tail = noneKnown.length ? `; by tag, no digest published: ${[...new Set(noneKnown)].join(', ')}` : '';
  return unpinned.length
    ? fail(`not pinned by digest: ${[...new Set(unpinned)].join('; ')}`)
    : pass(`${pinned} of ${uses.length} image reference(s) pinned by digest${tail}`);
}

/** No Redis image below the CVE floors of lib/catalog/data/images.json (version read from the tag). */
export function cveFloorEvidence(uses: ImageUse[]): Evidence {
  const problems: string[] = [];
  const versions = new Set<string>();
  for (const u of uses.filter((x) => x.redis)) {
    const tag = tagOf(u.ref);
    const version = tag ? versionFromTag(tag) : undefined;
    if (!version) {
      problems.push(`${u.where}: ${u.ref} names no Redis version`);
      continue;
    }
    versions.add(version);
    const findings = cveFindings('redis', version);
    if (findings.length)
      problems.push(
        `${u.where}: Redis ${version} below ${findings.map((f) => `${f.cve} (fixed in ${f.minimum})`).join(', ')}; needs ${minimumSafe('redis', version)} or later`,
      );
  }
  return problems.length
    ? fail([...new Set(problems)].join('; '))
    : pass(`Redis ${[...versions].join(', ') || '(none)'} at or above every CVE floor`);
}

/** The images cell: both checks. */
export function imagesEvidence(uses: ImageUse[]): Evidence {
  const digest = digestEvidence(uses);
  const floor = cveFloorEvidence(uses);
  return check(digest.status === 'pass' && floor.status === 'pass', `${digest.detail}; ${floor.detail}`);
}

function networkEvidence(objs: K8sObject[], serviceTypes: string[], values?: Obj): Evidence {
  const policies = kinds(objs, 'NetworkPolicy');
  const open = serviceTypes.filter((t) => t === 'LoadBalancer' || t === 'NodePort');
  const allowAll = policies.some((p) =>
    ((get(p, 'spec', 'ingress') as Obj[] | undefined) ?? []).some(openRule),
  );
  const exporter = exporterExposure(objs, values);
  const egress = egressEvidence(objs, values);
  return check(
    policies.length > 0 &&
      open.length === 0 &&
      !allowAll &&
      exporter.status === 'pass' &&
      egress.status === 'pass',
    `${policies.length} NetworkPolicy object(s)${allowAll ? ' (one admits any pod or address to the Redis ports)' : ''}, Service types: ${serviceTypes.length ? [...new Set(serviceTypes)].join(', ') : 'ClusterIP'}; ${exporter.detail}; ${egress.detail}`,
  );
}

/**
 * TLS on, from a Secret that a cert-manager Certificate in the same manifests issues (spec.secretName):
 * a Secret nothing creates leaves the pods waiting for their volume.
 */
function tlsFromCertificate(objs: K8sObject[], secret: unknown, what: string, how: string): Evidence {
  if (!secret) return fail(`${what}: no TLS Secret named`);
  const issuers = kinds(objs, 'Certificate').filter((c) => get(c, 'spec', 'secretName') === secret);
  return check(
    issuers.length > 0,
    issuers.length
      ? `${what} from Secret ${text(secret)} issued by cert-manager Certificate ${text(issuers[0].metadata?.name)}; ${how}`
      : `${what} from Secret ${text(secret)}, but no Certificate in the manifests issues it (spec.secretName)`,
  );
}

/**
 * How the pods spread over zones: `required` when a topologySpreadConstraint on
 * topology.kubernetes.io/zone says DoNotSchedule (the scheduler guarantees the spread), `preferred`
 * when it says ScheduleAnyway (pods may all land in one zone), `missing` without one.
 */
/**
 * `preferred` passes (the user chose it for nodes without zone labels, targets.kubernetes.zoneSpread)
 * but the cell says the spread is not guaranteed.
 */
function spreadDetail(mode: ReturnType<typeof zoneSpreadMode>): string {
  return mode === 'preferred' ? 'preferred (ScheduleAnyway: not guaranteed)' : mode;
}

export function zoneSpreadMode(v: unknown): 'required' | 'preferred' | 'missing' {
  const found: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const o = node as Obj;
      if (o.topologyKey === 'topology.kubernetes.io/zone')
        found.push(String(o.whenUnsatisfiable ?? 'DoNotSchedule'));
      Object.values(o).forEach(walk);
    }
  };
  walk(v);
  if (found.length === 0) return 'missing';
  return found.every((w) => w === 'DoNotSchedule') ? 'required' : 'preferred';
}

export function kubernetesEvidence(
  flavor: 'opstree' | 'bitnami',
  files: Record<string, string>,
  policy: ResolvedPolicy,
): TargetEvidence {
  const objs = sharedManifests(files[`${flavor}.yaml`] ?? '');
  return flavor === 'opstree'
    ? opstreeEvidence(objs, policy)
    : bitnamiEvidence(objs, parse(files['values-redis.yaml'] ?? '{}') ?? {}, policy);
}

function opstreeEvidence(objs: K8sObject[], policy: ResolvedPolicy): TargetEvidence {
  const [rc] = kinds(objs, 'RedisCluster');
  if (!rc) {
    const none = fail('no RedisCluster in opstree.yaml');
    return everyInvariant(none);
  }
  const spec = rc.spec ?? {};
  const followers = Number(get(spec, 'redisFollower', 'replicas') ?? spec.clusterSize ?? 0);
  const pdbs =
    kinds(objs, 'PodDisruptionBudget').length + (text(spec).match(/"pdb":\{"enabled":true/g)?.length ?? 0);
  const retain =
    get(spec, 'storage', 'keepAfterDelete') === true ||
    text(get(spec, 'kubernetesConfig', 'persistentVolumeClaimRetentionPolicy')).includes(
      '"whenDeleted":"Retain"',
    );
  const serviceType = String(get(spec, 'kubernetesConfig', 'service', 'serviceType') ?? 'ClusterIP');
  return {
    tls: tlsFromCertificate(
      objs,
      get(spec, 'TLS', 'secret', 'secretName'),
      'spec.TLS',
      'the operator serves TLS (1.2/1.3, Redis defaults) on the Redis port',
    ),
    auth: check(
      !!get(spec, 'kubernetesConfig', 'redisSecret', 'name'),
      `redisSecret ${text(get(spec, 'kubernetesConfig', 'redisSecret'))}${get(spec, 'acl') ? ', ACL users from a Secret' : ''} (Secrets created outside the YAML)`,
    ),
    'encryption-at-rest': na(
      `depends on the StorageClass ${text(get(spec, 'storage', 'volumeClaimTemplate', 'spec', 'storageClassName') ?? 'default')}: use an encrypted class (e.g. encrypted EBS/PD)`,
    ),
    'private-networking': networkEvidence(objs, [serviceType]),
    'replicas-zones': check(
      followers >= 1 && zoneSpreadMode(spec) !== 'missing' && pdbs > 0,
      `${followers} follower(s) per ${String(spec.clusterSize)} leaders, zone topology spread ${spreadDetail(zoneSpreadMode(spec))}, ${pdbs} PDB(s); the cluster fails over by itself`,
    ),
    snapshots: backupEvidence(objs, policy),
    'maintenance-window': na(
      `Kubernetes has no maintenance window; ${pdbs} PodDisruptionBudget(s) keep quorum during node drains`,
    ),
    alerts: alertCoverage(text(kinds(objs, 'PrometheusRule')), policy),
    'deletion-protection': check(
      retain,
      retain ? 'PVCs kept when the RedisCluster is deleted' : 'PVCs are deleted with the RedisCluster',
    ),
    images: imagesEvidence(opstreeImages(objs)),
  };
}

function bitnamiEvidence(objs: K8sObject[], values: Obj, policy: ResolvedPolicy): TargetEvidence {
  const v = (...k: string[]) => get(values, ...k);
  const replicas = Number(v('replica', 'replicaCount') ?? 0);
  const architecture = String(v('architecture') ?? 'replication');
  const sentinel = v('sentinel', 'enabled') === true;
  const spread = zoneSpreadMode([
    v('replica', 'topologySpreadConstraints'),
    v('master', 'topologySpreadConstraints'),
  ]);
  // StatefulSets keep their PVCs unless a retention policy says Delete (the chart's is off by default).
  const deletes = (role: string) => {
    const p = v(role, 'persistentVolumeClaimRetentionPolicy') as Obj | undefined;
    return p?.enabled === true && p.whenDeleted === 'Delete';
  };
  const persistence = v('master', 'persistence', 'enabled') !== false;
  const serviceTypes = [
    v('master', 'service', 'type'),
    v('replica', 'service', 'type'),
    v('sentinel', 'service', 'type'),
  ]
    .filter(Boolean)
    .map(String);
  const rules = text(v('metrics', 'prometheusRule', 'rules')) + text(kinds(objs, 'PrometheusRule'));
  const np = v('networkPolicy') as Obj | undefined;
  const network = networkEvidence(objs, serviceTypes, values);
  return {
    tls:
      v('tls', 'enabled') === true
        ? tlsFromCertificate(
            objs,
            v('tls', 'existingSecret'),
            'tls.enabled=true',
            'the chart sets port 0 and tls-port when TLS is on (Redis defaults: TLS 1.2/1.3)',
          )
        : fail(`tls.enabled=${text(v('tls', 'enabled'))}`),
    auth: check(
      v('auth', 'enabled') === true && !!v('auth', 'existingSecret') && !v('auth', 'password'),
      `auth.enabled=${text(v('auth', 'enabled'))}, existingSecret ${text(v('auth', 'existingSecret'))}${sentinel ? `, auth.sentinel=${text(v('auth', 'sentinel'))}` : ''}`,
    ),
    'encryption-at-rest': na(
      `depends on the StorageClass ${text(v('global', 'defaultStorageClass') ?? v('master', 'persistence', 'storageClass') ?? 'default')}: use an encrypted class`,
    ),
    'private-networking':
      np?.enabled === true && np.allowExternal === false && network.status !== 'fail'
        ? pass(`networkPolicy.enabled, allowExternal=false; ${network.detail}`)
        : fail(`networkPolicy=${text(np)}; ${network.detail}`),
    'replicas-zones': check(
      architecture === 'replication' && replicas >= 1 && sentinel && spread !== 'missing',
      `architecture=${architecture}, ${replicas} replica(s), Sentinel ${sentinel ? 'on' : 'off'}, zone spread ${spreadDetail(spread)}`,
    ),
    snapshots: backupEvidence(objs, policy),
    'maintenance-window': na(
      `Kubernetes has no maintenance window; pdb ${text(v('pdb') ?? v('replica', 'pdb'))} keeps replicas during node drains`,
    ),
    alerts: alertCoverage(rules, policy),
    'deletion-protection': check(
      persistence && !deletes('master') && !deletes('replica'),
      persistence
        ? `PVCs retained when the release is deleted (${deletes('master') || deletes('replica') ? 'a retention policy deletes them' : 'StatefulSet default Retain'})`
        : 'persistence off: data is lost with the pods',
    ),
    images: imagesEvidence(bitnamiImages(objs, values)),
  };
}

/** The contract, from the ConfigMap the chart ships for applications (if any). */
export function kubernetesContract(
  flavor: 'opstree' | 'bitnami',
  files: Record<string, string>,
): Record<string, string> | undefined {
  const objs = sharedManifests(files[`${flavor}.yaml`] ?? '');
  const cm = kinds(objs, 'ConfigMap').find((o) => text(o.data).includes('REDIS_HOST'));
  return cm?.data
    ? Object.fromEntries(Object.entries(cm.data).map(([k, val]) => [k, String(val)]))
    : undefined;
}

/** The users of the ACL file template the chart ships (the ConfigMap the header commands render into the ACL Secret). */
export function kubernetesUsers(
  flavor: 'opstree' | 'bitnami',
  files: Record<string, string>,
): DeclaredUser[] | undefined {
  const objs = sharedManifests(files[`${flavor}.yaml`] ?? '');
  const cm = kinds(objs, 'ConfigMap').find((o) => typeof o.data?.['user.acl.template'] === 'string');
  const users = cm ? parseAclUsers(String(cm.data!['user.acl.template'])) : [];
  return users.length ? users : undefined;
}

/**
 * The users the Bitnami Sentinels accept: the Sentinel ACL template beside the Redis one in the
 * chart's template ConfigMap. Undefined for OpsTree (no Sentinels) and for Sentinels without an
 * ACL (they take the admin password only).
 */
export function kubernetesSentinelUsers(
  flavor: 'opstree' | 'bitnami',
  files: Record<string, string>,
): DeclaredUser[] | undefined {
  if (flavor !== 'bitnami') return undefined;
  const objs = sharedManifests(files[`${flavor}.yaml`] ?? '');
  const cm = kinds(objs, 'ConfigMap').find((o) => typeof o.data?.['sentinel.acl.template'] === 'string');
  const users = cm ? parseAclUsers(String(cm.data!['sentinel.acl.template'])) : [];
  return users.length ? users : undefined;
}
