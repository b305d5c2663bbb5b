/**
 * Publishes how applications connect: stack outputs for people and pipelines, and one SSM
 * parameter with the whole connection contract as JSON for applications to read at start-up.
 * The contract names where the password lives (the secret ARN), never the password.
 */
import { CfnOutput, Stack } from 'aws-cdk-lib/core';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import type { ConnectionContract } from '../contract';
import type { RedisReplicationGroup } from './redis-replication-group';
import type { RedisServerlessCacheBase } from './redis-serverless-cache';

/** The id of a replication group or serverless cache (the contract's SSM path and descriptions use it). */
export function cacheIdOf(g: RedisReplicationGroup | RedisServerlessCacheBase): string {
  return 'serverlessCacheName' in g ? g.serverlessCacheName : g.replicationGroupId;
}

export interface RedisContractOutputsProps {
  /** The replication group or serverless cache whose endpoint, users and secrets are published. */
  readonly group: RedisReplicationGroup | RedisServerlessCacheBase;
  /** The contract from lib/contract.ts, built with the group's endpoint tokens. */
  readonly contract: ConnectionContract;
  /**
   * Name of the SSM parameter that holds the contract JSON.
   * @default `/redis/<replicationGroupId>/connection-contract`
   */
  readonly parameterName?: string;
}

/** `REDIS_CLUSTER_NODES` -> `RedisClusterNodes`: an output id CloudFormation accepts. */
export function outputIdFor(envVar: string): string {
  return envVar
    .toLowerCase()
    .split('_')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
}

export class RedisContractOutputs extends Construct {
  readonly parameter: ssm.StringParameter;

  constructor(scope: Construct, id: string, props: RedisContractOutputsProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const g = props.group;
    const id_ = cacheIdOf(g);
    this.parameter = new ssm.StringParameter(this, 'Parameter', {
      parameterName: props.parameterName ?? `/redis/${id_}/connection-contract`,
      description: `Connection contract (REDIS_* variables) of ${id_}; holds no secret`,
      stringValue: stack.toJsonString(props.contract),
      tier: ssm.ParameterTier.STANDARD,
    });

    // Outputs sit in the stack scope with fixed logical ids so scripts can rely on the names.
    const out = (logicalId: string, value: string, description: string) => {
      const o = new CfnOutput(stack, `${id}${logicalId}`, { value, description });
      o.overrideLogicalId(logicalId);
    };
    out(
      g.clusterMode ? 'ConfigurationEndpoint' : 'PrimaryEndpoint',
      g.endpointAddress,
      g.clusterMode ? 'Cluster configuration endpoint' : 'Primary endpoint',
    );
    const serverless = 'serverlessCacheName' in g;
    if (g.readerEndpointAddress)
      out(
        'ReaderEndpoint',
        g.readerEndpointAddress,
        serverless ? `Reader endpoint (port ${g.readerPort})` : 'Reader endpoint',
      );
    out('Port', g.endpointPort, serverless ? 'TCP port of the endpoint' : 'TCP port of every node');
    if (g.authTokenSecret)
      out(
        'AuthTokenSecretArn',
        g.authTokenSecret.secretArn,
        'Secrets Manager secret holding the AUTH token (JSON key "password")',
      );
    for (const { spec, secret } of Object.values(g.rbac?.users ?? {})) {
      out(
        `${outputIdFor(spec.role.replace(/[^A-Za-z0-9]+/g, '_'))}UserSecretArn`,
        secret.secretArn,
        `Secrets Manager secret of RBAC user ${spec.userName} (JSON keys "username", "password", "user_arn")`,
      );
    }
    if (g.rbac)
      out(
        'UserGroupId',
        g.rbac.userGroup.ref,
        `ElastiCache RBAC user group of the ${serverless ? 'serverless cache' : 'replication group'}`,
      );
    out(
      'ContractParameterName',
      this.parameter.parameterName,
      'SSM parameter with the connection contract JSON',
    );
    for (const [key, value] of Object.entries(props.contract)) {
      // CloudFormation rejects empty output values; the SSM JSON still carries every key.
      if (value !== '') out(`Contract${outputIdFor(key)}`, value, `${key} for applications`);
    }
  }
}
