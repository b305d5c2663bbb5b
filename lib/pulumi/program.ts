/**
 * The Pulumi program behind `pulumi up` (stacks/pulumi/index.ts) and the offline preview.
 *
 * Config (namespace `redis`):
 * - `redis:spec`   path of the deployment spec, relative to the project root (default examples/default.yaml)
 * - `redis:target` gcp | azure-premium | azure-managed
 * - `redis:logAnalyticsWorkspaceId` (optional, Azure) an existing workspace for diagnostic settings
 *
 * Every error in config or spec names the config key and the spec field, so the fix is obvious.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import { AzurePremiumRedis } from '../azure/premium';
import { loadDeployment, type Deployment } from '../deployment';
import { isSpecError, SpecError } from '../errors';
import { AzureManagedRedis, AzureRedisPremium } from '../public/azure';
import { asSpecField, specPolicy } from '../public/common';
import { MemorystoreRedis, MemorystoreRedisCluster } from '../public/gcp';

import { PULUMI_TARGETS, type PulumiTarget } from './targets';

export { PULUMI_TARGETS, type PulumiTarget };

export const DEFAULT_SPEC = 'examples/default.yaml';
const CONFIG_SOURCE = 'Pulumi config';

export interface ProgramConfig {
  /** Spec path as given in config (relative paths are resolved against `root`). */
  spec: string;
  target: PulumiTarget;
  logAnalyticsWorkspaceId?: string;
  /** Directory relative spec paths are resolved against. @default the Pulumi project root ({@link projectRoot}) */
  root?: string;
}

/** Read and check the `redis:*` config. */
export function readConfig(): ProgramConfig {
  const cfg = new pulumi.Config('redis');
  const target = cfg.get('target');
  if (target === undefined || target === '') {
    throw new SpecError(
      'redis:target',
      target,
      `set it with \`pulumi config set redis:target <${PULUMI_TARGETS.join('|')}>\``,
      CONFIG_SOURCE,
    );
  }
  return {
    spec: cfg.get('spec') || DEFAULT_SPEC,
    target: checkTarget(target),
    logAnalyticsWorkspaceId: cfg.get('logAnalyticsWorkspaceId'),
  };
}

export function checkTarget(target: string): PulumiTarget {
  if (!(PULUMI_TARGETS as readonly string[]).includes(target)) {
    throw new SpecError(
      'redis:target',
      target,
      `expected one of ${PULUMI_TARGETS.join(', ')}`,
      CONFIG_SOURCE,
    );
  }
  return target as PulumiTarget;
}

/**
 * The directory holding Pulumi.yaml, found upwards from `start`. `pulumi up` runs the program in the
 * directory Pulumi.yaml's `main` names (stacks/pulumi), not in the project root, so relative spec
 * paths from the config would otherwise point below stacks/pulumi. Falls back to `start`.
 */
export function projectRoot(start: string = process.cwd()): string {
  for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'Pulumi.yaml'))) return dir;
    if (path.dirname(dir) === dir) return path.resolve(start);
  }
}

/** Load the spec named by `redis:spec`; spec errors keep their field and gain the config key. */
export function loadForConfig(cfg: ProgramConfig): Deployment {
  const file = path.resolve(cfg.root ?? projectRoot(), cfg.spec);
  return withConfigKey(cfg, () => loadDeployment(file));
}

function withConfigKey<T>(cfg: ProgramConfig, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (isSpecError(e)) {
      const field = e.field === '--spec' ? 'redis:spec' : e.field;
      throw new SpecError(
        field,
        e.value,
        e.allowed,
        `${CONFIG_SOURCE} redis:spec=${cfg.spec} (target ${cfg.target})`,
      );
    }
    throw e;
  }
}

/** The target settings each component needs; missing ones are errors naming the spec field. */
/** Errors of the public components named by their spec field, as every other spec error. */
function asSpecFields<T>(target: 'gcp' | 'azure', fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw isSpecError(e) ? asSpecField(e, target) : e;
  }
}

function requireTarget<T>(value: T | undefined, field: string, what: string): T {
  if (value === undefined)
    throw new SpecError(field, undefined, `the ${what} target needs ${field} in the spec`);
  return value;
}

/** Build the components for one target and return the stack outputs. */
export function redisProgram(cfg: ProgramConfig): Record<string, unknown> {
  const d = loadForConfig(cfg);
  return withConfigKey(cfg, () => build(d, cfg));
}

function build(d: Deployment, cfg: ProgramConfig): Record<string, unknown> {
  const { spec, policy, plan } = d;
  const choice = plan.choices[cfg.target];
  const common = {
    deployment: d.id,
    target: cfg.target,
    profile: policy.profile,
    sku: choice.sku,
    shards: choice.shards,
    replicasPerShard: choice.replicasPerShard,
    monthlyCostUsd: choice.monthlyCostUsd,
    waivers: policy.waivers.map((w) => `${w.rule}: ${w.reason}`),
  };
  switch (cfg.target) {
    case 'gcp': {
      const target = requireTarget(spec.targets.gcp, 'targets.gcp', 'gcp');
      // The public components, given the spec's policy and the plan: the same resources as a user's program gets
      // (they apply the production data guard themselves, lib/pulumi/guard.ts).
      const props = { ...target, instanceName: policy.name, policy: specPolicy(spec), sizing: plan };
      const c = asSpecFields('gcp', () =>
        choice.service === 'memorystore-cluster'
          ? new MemorystoreRedisCluster(policy.name, props)
          : new MemorystoreRedis(policy.name, props),
      );
      return {
        ...common,
        service: c.service,
        host: c.host,
        port: c.port,
        readEndpoint: c.readEndpoint,
        caCerts: c.caCerts,
        authString: c.authString,
        passwordFrom: c.passwordFrom,
        contract: c.contract,
        encryptionAtRest: c.encryptionAtRest,
        notes: c.notes,
      };
    }
    case 'azure-premium':
    case 'azure-managed': {
      const target = requireTarget(spec.targets.azure, 'targets.azure', cfg.target);
      const props = {
        ...target,
        cacheName: policy.name,
        policy: specPolicy(spec),
        sizing: plan,
        logAnalyticsWorkspaceId: cfg.logAnalyticsWorkspaceId,
      };
      const c = asSpecFields('azure', () =>
        cfg.target === 'azure-premium'
          ? new AzureRedisPremium(policy.name, props)
          : new AzureManagedRedis(policy.name, props),
      );
      return {
        ...common,
        service: choice.service,
        host: c.host,
        port: c.port,
        accessKey: c.accessKey,
        passwordFrom: c.passwordFrom,
        contract: c.contract,
        // Only Premium has a Managed Redis equivalent (its successor SKU).
        ...(c instanceof AzurePremiumRedis ? { managedEquivalent: c.managedEquivalent } : {}),
        encryptionAtRest: c.encryptionAtRest,
        notes: c.notes,
      };
    }
  }
}
