/**
 * `redis-iac/selfhosted`: the self-hosted renderer as a function. A layout in (name, policy, sizing,
 * where the nodes run), files out (redis.conf per node, ACL and Sentinel templates, install/start/
 * stop scripts, systemd units, contract.env, layout.json): the files `npm run synth` writes to
 * dist/<name>/self-hosted, in memory. Loads no CDK, Pulumi or cdk8s module.
 */
import type { ConnectionContract } from '../contract';
import type { ResolvedPolicy } from '../policy/types';
import { buildSelfHosted, selfHostedContract, type RenderedFile } from '../selfhosted/render';
import type { Layout, SelfHostedOptions } from '../selfhosted/layout';
import {
  asProps,
  availabilityFor,
  buildSpec,
  checkInt,
  constructSource,
  deploymentOf,
  propError,
  withPlan,
  type RedisPlan,
  type RedisPolicy,
} from './common';

export { planRedis, type RedisPlan, type RedisPolicy, type RedisWorkload } from './common';
export type { Layout, NodeSpec, SentinelSpec, SelfHostedOptions } from '../selfhosted/layout';
export type { RenderedFile } from '../selfhosted/render';

export interface SelfHostedLayoutProps extends SelfHostedOptions {
  /** Deployment name: the config directory, the systemd unit names and the key prefix. */
  readonly name: string;
  /**
   * The policy: a profile plus waivers and any setting of the deployment spec.
   * @default - the production profile with no waivers
   */
  readonly policy?: RedisPolicy;
  /**
   * A plan from `planRedis(workload)`: topology, shards, replicas, maxmemory and maxclients.
   * Give either this or the explicit sizes.
   * @default - the smallest plan for the policy (a 1 GB dataset: one primary and its replica in production)
   */
  readonly sizing?: RedisPlan;
  /**
   * Shards; more than one is a Redis Cluster (at least 3 primaries).
   * @default - the plan's
   */
  readonly shards?: number;
  /**
   * Replicas per primary (0-5).
   * @default - the policy's (1 in production)
   */
  readonly replicasPerShard?: number;
}

export interface SelfHostedOutput {
  /** Where every node and Sentinel runs. */
  layout: Layout;
  /** The files, in the order `npm run synth` writes them; write `executable` ones mode 755. */
  files: RenderedFile[];
  /** REDIS_* variables (also in contract.env). */
  contract: ConnectionContract;
  policy: ResolvedPolicy;
  plan: RedisPlan;
}

/**
 * Render the self-hosted files for a layout.
 *
 * @example
 * const { files } = renderSelfHosted({ name: 'cache', host: '10.0.0.5', sizing: planRedis({ devices: 100000 }) });
 * for (const f of files) fs.writeFileSync(`out/${f.name}`, f.content, { mode: f.executable ? 0o755 : 0o644 });
 */
export function renderSelfHosted(props: SelfHostedLayoutProps): SelfHostedOutput {
  const source = constructSource('renderSelfHosted', String(props?.name));
  if (!props || typeof props !== 'object')
    throw propError(source, 'props', props, 'expected an object with at least name');
  checkInt(source, 'shards', props.shards, 1, 500, 'self-hosted shards; a cluster needs at least 3');
  if (props.shards !== undefined && props.shards > 1 && props.shards < 3) {
    throw propError(
      source,
      'shards',
      props.shards,
      'a Redis Cluster needs at least 3 primaries; use shards: 1 or 3 and more',
    );
  }
  checkInt(source, 'replicasPerShard', props.replicasPerShard, 0, 5, 'replicas per primary');
  const explicit = props.shards !== undefined || props.replicasPerShard !== undefined;
  if (explicit && props.sizing) {
    throw propError(
      source,
      'sizing',
      'a plan and explicit sizes',
      'give either sizing: planRedis(workload) or shards/replicasPerShard, not both',
    );
  }
  const { name, policy, sizing, shards, replicasPerShard, ...options } = props;
  const target: Record<string, unknown> = {};
  for (const key of ['host', 'basePort', 'tlsDir', 'dataDir', 'cores'] as const) {
    if (options[key] !== undefined) target[key] = options[key];
  }
  const spec = buildSpec(source, name, policy, {
    availability: availabilityFor(policy, { shards, replicasPerShard }),
    targets: { selfHosted: target },
  });
  const d = withPlan(deploymentOf(spec, source), sizing, source);
  return asProps(source, () => {
    const { layout, files } = buildSelfHosted(d, options);
    return { layout, files, contract: selfHostedContract(d, layout), policy: d.policy, plan: d.plan };
  });
}
