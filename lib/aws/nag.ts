/**
 * cdk-nag (v3 API): the three packs every AWS template is checked against, and the findings we
 * acknowledge, each with its reason. Acknowledgements that depend on the policy are added only
 * when the policy really weakens the rule, and their reason is the profile or the spec's waiver.
 */
import { Validations, type IPolicyValidationPluginBeta1 } from 'aws-cdk-lib/core';
import type { IConstruct } from 'constructs';
import type { WaivableRule } from '../spec/schema';
import type { ResolvedPolicy } from '../policy/types';
import { EVENTS_TOPIC_UNENCRYPTED_REASON } from './notifications';
import type { RedisReplicationGroup } from './redis-replication-group';
import type { RedisServerlessCacheBase } from './redis-serverless-cache';

/** HIPAA Security and NIST 800-53 R5 want automatic snapshots kept at least this many days. */
export const NAG_MIN_SNAPSHOT_RETENTION_DAYS = 15;

/** What this project uses of a cdk-nag (v3) pack: a validation plugin that can also check a scope. */
export interface NagPack extends IPolicyValidationPluginBeta1 {
  validateScope(scope: IConstruct): {
    violations: Array<{ ruleName: string; violatingResources: Array<{ resourceLogicalId: string }> }>;
  };
}

/**
 * cdk-nag's three pack classes, loaded when first asked for, not at the top: the public construct
 * (redis-iac/aws) acknowledges findings without making cdk-nag a dependency of every user. Typed by
 * NagPack rather than `typeof import('cdk-nag')`: cdk-nag's types import all of aws-cdk-lib (2,600
 * .d.ts files), which every TypeScript program over the project (build, type-check, TypeDoc) would
 * then read.
 */
export function nagPackClasses(): Record<
  'AwsSolutionsChecks' | 'HIPAASecurityChecks' | 'NIST80053R5Checks',
  new (scope?: IConstruct) => NagPack
> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('cdk-nag');
}

/** Registers AwsSolutions, HIPAA Security and NIST 800-53 R5: synth fails on any unacknowledged finding. */
export function addNagPacks(app: IConstruct): void {
  const { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks } = nagPackClasses();
  Validations.of(app).addPlugins(
    new AwsSolutionsChecks(app),
    new HIPAASecurityChecks(app),
    new NIST80053R5Checks(app),
  );
}

export interface NagAcknowledgement {
  readonly id: string;
  readonly reason: string;
}

/** Token rotation is a deliberate two-step operation (docs/aws.md), so no rotation Lambda is attached. */
export const ROTATION_REASON =
  'The ElastiCache AUTH token is rotated without downtime by a two-step procedure (modify-replication-group ' +
  'with AuthTokenUpdateStrategy ROTATE, roll the clients, then SET) that must be coordinated with application ' +
  'restarts; an automatic Secrets Manager rotation would change the secret without changing the token on the ' +
  'nodes. The procedure is in docs/aws.md.';

/**
 * Why the RBAC passwords have no rotation schedule. Secrets Manager has no hosted rotation for
 * ElastiCache users (aws-cdk-lib's HostedRotation covers RDS, DocumentDB and Redshift only), and the
 * function ElastiCache documents for it is one the account builds and deploys itself, with network
 * access to the Secrets Manager and ElastiCache APIs; none of that can be built or checked offline.
 */
export const USER_ROTATION_REASON =
  'ElastiCache RBAC user passwords are rotated without downtime by a documented two-step procedure ' +
  '(modify-user with the current and a new password, roll the clients, then modify-user with the new ' +
  'one only; docs/aws.md). Secrets Manager has no hosted rotation for ElastiCache users, and the ' +
  'secret already carries username and user_arn, so a rotation function can be attached later.';

/** cdk-nag's AEC6 looks only for AuthToken; RBAC authenticates every client as its own user instead. */
export const RBAC_AUTH_REASON =
  'Clients authenticate with ElastiCache RBAC (UserGroupIds: one user per role, each with its own ' +
  'Secrets Manager password, and a disabled default user), which replaces the shared AUTH token; ' +
  'AwsSolutions-AEC6 only recognizes AuthToken.';

/**
 * Why the policy weakens `rule`: the production waiver's reason, or the profile that allows it.
 * Returns undefined when production has no waiver for it (policy resolution would have failed).
 */
function weakeningReason(policy: ResolvedPolicy, rule: WaivableRule, what: string): string {
  const waiver = policy.waivers.find((w) => w.rule === rule);
  if (waiver) return `${what}: waived in the spec (rule ${rule}): ${waiver.reason}`;
  return `${what}: allowed by the ${policy.profile} profile of the deployment policy (lib/policy/profiles.ts); production requires it unless waived`;
}

/** The acknowledgements for one replication group under one policy, with the construct each applies to. */
export function nagAcknowledgements(
  group: RedisReplicationGroup,
  policy: ResolvedPolicy,
): Array<{ scope: IConstruct; ack: NagAcknowledgement }> {
  const out: Array<{ scope: IConstruct; ack: NagAcknowledgement }> = [];
  const rg = group.resource;
  // The bare rule id: cdk-nag 3.0.2 matches acknowledgements by rule id (it strips CDK's "Annotation::"
  // prefix), both when the CDK runs the packs during synth and in validateScope().
  const add = (scope: IConstruct, rule: string, reason: string) =>
    out.push({ scope, ack: { id: rule, reason } });

  for (const id of [
    'AwsSolutions-SNS2',
    'HIPAA.Security-SNSEncryptedKMS',
    'NIST.800.53.R5-SNSEncryptedKMS',
  ]) {
    add(group.eventsTopic, id, EVENTS_TOPIC_UNENCRYPTED_REASON);
  }
  if (group.authTokenSecret) {
    for (const id of [
      'AwsSolutions-SMG4',
      'HIPAA.Security-SecretsManagerRotationEnabled',
      'NIST.800.53.R5-SecretsManagerRotationEnabled',
    ]) {
      add(group.authTokenSecret, id, ROTATION_REASON);
    }
  }
  for (const { secret } of Object.values(group.rbac?.users ?? {})) {
    for (const id of [
      'AwsSolutions-SMG4',
      'HIPAA.Security-SecretsManagerRotationEnabled',
      'NIST.800.53.R5-SecretsManagerRotationEnabled',
    ]) {
      add(secret, id, USER_ROTATION_REASON);
    }
  }
  if (group.rbac) add(rg, 'AwsSolutions-AEC6', RBAC_AUTH_REASON);
  const s = policy.security;
  if (!s.tls || !s.encryptionAtRest) {
    const rule: WaivableRule = !s.tls ? 'tls' : 'encryption-at-rest';
    add(
      rg,
      'AwsSolutions-AEC3',
      weakeningReason(
        policy,
        rule,
        `TLS ${s.tls ? 'on' : 'off'}, encryption at rest ${s.encryptionAtRest ? 'on' : 'off'}`,
      ),
    );
  }
  if (!policy.availability.multiAz) {
    add(rg, 'AwsSolutions-AEC4', weakeningReason(policy, 'multi-az', 'Multi-AZ off'));
  }
  if (!s.auth) {
    add(rg, 'AwsSolutions-AEC6', weakeningReason(policy, 'auth', 'no AUTH token'));
  }
  const retention = policy.persistence.rdb ? policy.persistence.snapshotRetentionDays : 0;
  if (retention < NAG_MIN_SNAPSHOT_RETENTION_DAYS) {
    const reason = weakeningReason(policy, 'snapshot-retention', `snapshots kept ${retention} day(s)`);
    add(rg, 'HIPAA.Security-ElastiCacheRedisClusterAutomaticBackup', reason);
    add(rg, 'NIST.800.53.R5-ElastiCacheRedisClusterAutomaticBackup', reason);
  }
  return out;
}

export function acknowledgeNagFindings(group: RedisReplicationGroup, policy: ResolvedPolicy): void {
  for (const { scope, ack } of nagAcknowledgements(group, policy)) Validations.of(scope).acknowledge(ack);
}

/**
 * The acknowledgements for a serverless cache: only the RBAC password secrets without a rotation
 * schedule (the same two-step rotation as on a replication group). cdk-nag 3.0.2 has no rule on
 * AWS::ElastiCache::ServerlessCache, and the cache has no events topic, so nothing else applies.
 */
export function serverlessNagAcknowledgements(
  cache: RedisServerlessCacheBase,
): Array<{ scope: IConstruct; ack: NagAcknowledgement }> {
  const out: Array<{ scope: IConstruct; ack: NagAcknowledgement }> = [];
  for (const { secret } of Object.values(cache.rbac?.users ?? {})) {
    for (const id of [
      'AwsSolutions-SMG4',
      'HIPAA.Security-SecretsManagerRotationEnabled',
      'NIST.800.53.R5-SecretsManagerRotationEnabled',
    ]) {
      out.push({ scope: secret, ack: { id, reason: USER_ROTATION_REASON } });
    }
  }
  return out;
}

export function acknowledgeServerlessNagFindings(cache: RedisServerlessCacheBase): void {
  for (const { scope, ack } of serverlessNagAcknowledgements(cache)) Validations.of(scope).acknowledge(ack);
}
