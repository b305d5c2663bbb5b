/** Slow log and engine log of a replication group, delivered to encrypted CloudWatch Logs groups. */
import { RemovalPolicy } from 'aws-cdk-lib/core';
import type * as elasticache from 'aws-cdk-lib/aws-elasticache';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

export const LOG_TYPES = ['slow-log', 'engine-log'] as const;
export type RedisLogType = (typeof LOG_TYPES)[number];

export interface RedisLogDeliveryProps {
  /** Key that encrypts the log groups; its policy must let CloudWatch Logs use it. */
  readonly encryptionKey: kms.IKey;
  /**
   * How long CloudWatch keeps the logs.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly retention?: logs.RetentionDays;
  /**
   * What happens to the log groups when the stack deletes them.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

export class RedisLogDelivery extends Construct {
  readonly logGroups: Record<RedisLogType, logs.LogGroup>;

  constructor(scope: Construct, id: string, props: RedisLogDeliveryProps) {
    super(scope, id);
    const make = (type: RedisLogType, childId: string) =>
      new logs.LogGroup(this, childId, {
        encryptionKey: props.encryptionKey,
        retention: props.retention ?? logs.RetentionDays.ONE_YEAR,
        removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
      });
    this.logGroups = {
      'slow-log': make('slow-log', 'SlowLog'),
      'engine-log': make('engine-log', 'EngineLog'),
    };
  }

  /** The `LogDeliveryConfigurations` entries for the replication group (JSON format). */
  configurations(): elasticache.CfnReplicationGroup.LogDeliveryConfigurationRequestProperty[] {
    return LOG_TYPES.map((type) => ({
      logType: type,
      logFormat: 'json',
      destinationType: 'cloudwatch-logs',
      destinationDetails: { cloudWatchLogsDetails: { logGroup: this.logGroups[type].logGroupName } },
    }));
  }
}
