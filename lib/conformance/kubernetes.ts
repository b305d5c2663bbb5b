/**
 * Evidence from the Kubernetes manifests (dist/<id>/k8s/opstree.yaml, bitnami.yaml and
 * values-redis.yaml): the custom resources, NetworkPolicies, PDBs, PrometheusRules and the backup
 * CronJob as they will be applied.
 */
import { parseAllDocuments, parse } from 'yaml';
import type { DeclaredUser } from '../policy/roles';
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

export function parseManifests(yamlText: string): K8sObject[] {
  return parseAllDocuments(yamlText)
    .map((d) => d.toJS() as K8sObject)
    .filter((o) => o && typeof o === 'object');
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

/** redis_exporter's port: scraping it from any namespace exposes no data. */
const EXPORTER_PORT = 9121;

/**
 * An ingress rule admits anyone when it has no `from` (or an empty one), or a peer that selects every
 * namespace's pods (`namespaceSelector: {}` with no narrower podSelector) or any address
 * (ipBlock 0.0.0.0/0 or ::/0); it matters when its ports (all ports when absent) reach past the exporter.
 */
function openRule(rule: Obj): boolean {
  const from = rule.from as Obj[] | undefined;
  const ports = rule.ports as Obj[] | undefined;
  const dataPorts = !ports?.length || ports.some((p) => Number(p.port) !== EXPORTER_PORT);
  const anyone =
    !from?.length ||
    from.some(
      (peer) =>
        ['0.0.0.0/0', '::/0'].includes(String(get(peer, 'ipBlock', 'cidr'))) ||
        (text(peer.namespaceSelector) === '{}' &&
          (peer.podSelector === undefined || text(peer.podSelector) === '{}')),
    );
  return anyone && dataPorts;
}

function networkEvidence(objs: K8sObject[], serviceTypes: string[]): Evidence {
  const policies = kinds(objs, 'NetworkPolicy');
  const open = serviceTypes.filter((t) => t === 'LoadBalancer' || t === 'NodePort');
  const allowAll = policies.some((p) =>
    ((get(p, 'spec', 'ingress') as Obj[] | undefined) ?? []).some(openRule),
  );
  return check(
    policies.length > 0 && open.length === 0 && !allowAll,
    `${policies.length} NetworkPolicy object(s)${allowAll ? ' (one admits any pod or address to the Redis ports)' : ''}, Service types: ${serviceTypes.length ? [...new Set(serviceTypes)].join(', ') : 'ClusterIP'}`,
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

function zoneSpread(v: unknown): boolean {
  return text(v).includes('topology.kubernetes.io/zone');
}

export function kubernetesEvidence(
  flavor: 'opstree' | 'bitnami',
  files: Record<string, string>,
  policy: ResolvedPolicy,
): TargetEvidence {
  const objs = parseManifests(files[`${flavor}.yaml`] ?? '');
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
      followers >= 1 && zoneSpread(spec) && pdbs > 0,
      `${followers} follower(s) per ${String(spec.clusterSize)} leaders, zone topology spread ${zoneSpread(spec) ? 'set' : 'missing'}, ${pdbs} PDB(s); the cluster fails over by itself`,
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
  };
}

function bitnamiEvidence(objs: K8sObject[], values: Obj, policy: ResolvedPolicy): TargetEvidence {
  const v = (...k: string[]) => get(values, ...k);
  const replicas = Number(v('replica', 'replicaCount') ?? 0);
  const architecture = String(v('architecture') ?? 'replication');
  const sentinel = v('sentinel', 'enabled') === true;
  const spread =
    zoneSpread(v('replica', 'topologySpreadConstraints')) ||
    zoneSpread(v('master', 'topologySpreadConstraints'));
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
  const network = networkEvidence(objs, serviceTypes);
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
      architecture === 'replication' && replicas >= 1 && sentinel && spread,
      `architecture=${architecture}, ${replicas} replica(s), Sentinel ${sentinel ? 'on' : 'off'}, zone spread ${spread ? 'set' : 'missing'}`,
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
  };
}

/** The contract, from the ConfigMap the chart ships for applications (if any). */
export function kubernetesContract(
  flavor: 'opstree' | 'bitnami',
  files: Record<string, string>,
): Record<string, string> | undefined {
  const objs = parseManifests(files[`${flavor}.yaml`] ?? '');
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
  const objs = parseManifests(files[`${flavor}.yaml`] ?? '');
  const cm = kinds(objs, 'ConfigMap').find((o) => typeof o.data?.['user.acl.template'] === 'string');
  const users = cm ? parseAclUsers(String(cm.data!['user.acl.template'])) : [];
  return users.length ? users : undefined;
}
