/**
 * Parameter group whose family follows the engine's major version. CloudFormation cannot change
 * the family of an existing group, so the family is part of the construct id (and therefore of the
 * logical id and the generated name): a major upgrade creates a new group next to the old one.
 */
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import { Construct } from 'constructs';
import { parameterGroupFamily, type RedisEngine } from './engine';

export interface RedisParameterGroupProps {
  readonly engine: RedisEngine;
  /** "major.minor", e.g. "7.1". */
  readonly engineVersion: string;
  /** Whether the replication group runs in cluster mode (`cluster-enabled`). */
  readonly clusterMode: boolean;
  /**
   * `maxmemory-policy`.
   * @default 'volatile-lru'
   */
  readonly maxmemoryPolicy?: string;
  /**
   * `notify-keyspace-events` flags such as "Ex".
   * @default - notifications off (parameter not set)
   */
  readonly keyspaceNotifications?: string;
  /**
   * More parameters, merged last.
   * @default - none
   */
  readonly parameters?: Record<string, string>;
}

export class RedisParameterGroup extends Construct {
  readonly family: string;
  readonly parameters: Record<string, string>;
  readonly resource: elasticache.CfnParameterGroup;

  constructor(scope: Construct, id: string, props: RedisParameterGroupProps) {
    super(scope, id);
    this.family = parameterGroupFamily(props.engine, props.engineVersion, this.node.path);
    this.parameters = {
      'maxmemory-policy': props.maxmemoryPolicy ?? 'volatile-lru',
      'cluster-enabled': props.clusterMode ? 'yes' : 'no',
      ...(props.keyspaceNotifications ? { 'notify-keyspace-events': props.keyspaceNotifications } : {}),
      ...props.parameters,
    };
    // The family in the child id puts it into the logical id, hence into the generated name.
    const childId = `Family${this.family.replace(/[^A-Za-z0-9]/g, '')}`;
    this.resource = new elasticache.CfnParameterGroup(this, childId, {
      cacheParameterGroupFamily: this.family,
      description: `${props.engine} ${props.engineVersion} (${this.family}), cluster mode ${props.clusterMode ? 'on' : 'off'}`,
      properties: this.parameters,
    });
  }

  /** The generated parameter group name (a token until deploy). */
  get parameterGroupName(): string {
    return this.resource.ref;
  }
}
