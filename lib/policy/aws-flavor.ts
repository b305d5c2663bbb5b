/**
 * Which settings a spec may combine with `targets.aws.flavor: serverless`. A serverless cache has no
 * node type, shards, replicas, port, parameter group, maintenance window or AUTH token, is always
 * TLS-only and always spread over three zones, and runs only some engine major versions. A spec that
 * pins one of those for the serverless flavor gets one line naming the field, the value and the fix,
 * at load time (exit 2, nothing written), instead of a template the service would refuse or silently
 * differ from.
 *
 * Settings that also shape the other targets of the spec (availability, sizing, keyspace) are
 * checked too: one spec is one deployment, so a pin the AWS cache cannot honour would make the
 * platforms differ without saying so. Put such pins in a separate spec for the other platforms.
 */
import { awsServerlessCatalog } from '../catalog/aws-serverless';
import { SpecError } from '../errors';
import type { Spec } from '../spec/schema';
import type { ResolvedPolicy } from './types';

/** The AWS flavor a spec asks for. */
export function awsFlavor(spec: Spec): 'replication-group' | 'serverless' {
  return spec.targets.aws?.flavor ?? 'replication-group';
}

/** The serverless major engine version for a policy's "major.minor" engine version. */
export function serverlessMajorVersion(engineVersion: string): string {
  return engineVersion.split('.')[0];
}

const USE_RG = 'or set targets.aws.flavor: replication-group';

/** Throws a SpecError for the first setting the serverless flavor does not have. */
export function checkAwsFlavor(spec: Spec, policy: ResolvedPolicy, source: string): void {
  if (awsFlavor(spec) !== 'serverless') return;
  const cat = awsServerlessCatalog();
  const fail = (field: string, value: unknown, fix: string): never => {
    throw new SpecError(field, value, `targets.aws.flavor serverless ${fix}`, source);
  };
  const aws = spec.targets.aws!;
  if (aws.nodeType !== undefined)
    fail(
      'targets.aws.nodeType',
      aws.nodeType,
      `has no node type (ElastiCache scales it); remove nodeType ${USE_RG}`,
    );
  if (aws.port !== undefined)
    fail(
      'targets.aws.port',
      aws.port,
      `always listens on ${cat.port} (reader ${cat.readerPort}); remove port ${USE_RG}`,
    );
  if (aws.auth === 'token')
    fail(
      'targets.aws.auth',
      aws.auth,
      `has no AUTH token, only RBAC users; set auth: rbac (the default) ${USE_RG}`,
    );
  if (spec.sizing?.shards !== undefined)
    fail('sizing.shards', spec.sizing.shards, `picks its own shards; remove sizing.shards ${USE_RG}`);
  if (spec.sizing?.replicas !== undefined)
    fail(
      'sizing.replicas',
      spec.sizing.replicas,
      `keeps its own replicas in three zones; remove sizing.replicas ${USE_RG}`,
    );
  const a = spec.availability;
  if (a.minShards !== undefined)
    fail('availability.minShards', a.minShards, `picks its own shards; remove minShards ${USE_RG}`);
  if (a.replicasPerShard !== undefined)
    fail(
      'availability.replicasPerShard',
      a.replicasPerShard,
      `keeps its own replicas in three zones; remove replicasPerShard ${USE_RG}`,
    );
  if (a.topology === 'standalone' || a.topology === 'replication')
    fail(
      'availability.topology',
      a.topology,
      `is always cluster mode enabled (one virtual node owns every slot); remove topology or set it to auto or cluster, ${USE_RG}`,
    );
  if (a.multiAz === false)
    fail(
      'availability.multiAz',
      false,
      `always keeps data in three zones; remove multiAz: false (and its waiver) ${USE_RG}`,
    );
  if (a.automaticFailover === false)
    fail(
      'availability.automaticFailover',
      false,
      `always fails over on its own; remove automaticFailover: false (and its waiver) ${USE_RG}`,
    );
  const k = spec.keyspace;
  if (k.evictionPolicy !== undefined && k.evictionPolicy !== cat.evictionPolicy)
    fail(
      'keyspace.evictionPolicy',
      k.evictionPolicy,
      `has no parameter group and evicts by ${cat.evictionPolicy} at its data-storage maximum; remove evictionPolicy or set ${cat.evictionPolicy}, ${USE_RG}`,
    );
  if (k.keyspaceNotifications)
    fail(
      'keyspace.keyspaceNotifications',
      k.keyspaceNotifications,
      `has no parameter group for notify-keyspace-events; remove keyspaceNotifications ${USE_RG}`,
    );
  if (spec.security.tls === false)
    fail('security.tls', false, `accepts TLS connections only; remove tls: false ${USE_RG}`);
  const majors = cat.majorEngineVersions[policy.engine];
  const major = serverlessMajorVersion(policy.engineVersion);
  if (!majors.includes(major))
    fail(
      'engineVersion',
      policy.engineVersion,
      `runs ${policy.engine} ${majors.map((m) => `${m}.x`).join(', ')} only; upgrade engineVersion ${USE_RG}`,
    );
}
