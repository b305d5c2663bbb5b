/**
 * The SNS topics of a replication group, both TLS-only:
 * - alarms: KMS-encrypted; CloudWatch alarms publish to it. A topic policy replaces SNS's default
 *   one, so it must allow the CloudWatch service principal (alarms of this account only), and the key
 *   policy must let CloudWatch use the key (see the replication group's key);
 * - events: ElastiCache events (failover, node replacement, ...). ElastiCache cannot publish to an
 *   encrypted topic (its docs: an encrypted topic shows as inactive and is disassociated), so this
 *   topic is not encrypted at rest; events carry cluster and node names only, never data. Its policy
 *   lets the owning account's services publish (the `aws:SourceOwner` condition ElastiCache needs).
 */
import { Stack } from 'aws-cdk-lib/core';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

/** Why the events topic is not encrypted (cdk-nag acknowledgement reason). */
export const EVENTS_TOPIC_UNENCRYPTED_REASON =
  'ElastiCache cannot publish events to an SNS topic encrypted at rest (https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/ElastiCacheSNS.html: ' +
  'an encrypted topic is shown inactive and disassociated). The topic only carries cluster event names, never data; it is TLS-only ' +
  'and alarms go to a separate KMS-encrypted topic.';

export interface RedisNotificationsProps {
  /** Key that encrypts the alarms topic; its policy must let CloudWatch use it. */
  readonly encryptionKey: kms.IKey;
  /**
   * Address subscribed to both topics (the subscriptions must be confirmed by mail).
   * @default - no subscription
   */
  readonly email?: string;
  /**
   * Create the ElastiCache events topic. A serverless cache sends its events to EventBridge and has
   * no NotificationTopicArn, so it leaves the topic out.
   * @default true
   */
  readonly events?: boolean;
}

export class RedisNotifications extends Construct {
  /** CloudWatch alarms. */
  readonly topic: sns.Topic;
  /** ElastiCache events (the replication group's NotificationTopicArn); absent with `events: false`. */
  readonly eventsTopic?: sns.Topic;

  constructor(scope: Construct, id: string, props: RedisNotificationsProps) {
    super(scope, id);
    // enforceSSL adds a topic policy that denies publishing or subscribing over plain HTTP.
    this.topic = new sns.Topic(this, 'Topic', { masterKey: props.encryptionKey, enforceSSL: true });
    // Without this the TLS-only policy has no allow at all, and every alarm action fails with "is not
    // authorized to perform: SNS:Publish ... because no resource-based policy allows" (AWS Knowledge
    // Center: "Why didn't I receive an SNS notification for my CloudWatch alarm trigger?").
    const stack = Stack.of(this);
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          ArnLike: {
            'aws:SourceArn': `arn:${stack.partition}:cloudwatch:${stack.region}:${stack.account}:alarm:*`,
          },
          StringEquals: { 'aws:SourceAccount': stack.account },
        },
      }),
    );
    if (props.events ?? true) this.eventsTopic = this.createEventsTopic();
    if (props.email) {
      for (const t of [this.topic, this.eventsTopic])
        t?.addSubscription(new subscriptions.EmailSubscription(props.email));
    }
  }

  private createEventsTopic(): sns.Topic {
    const stack = Stack.of(this);
    const topic = new sns.Topic(this, 'EventsTopic', { enforceSSL: true });
    // A topic policy replaces SNS's default one; keep its owner-account publish grant for ElastiCache.
    topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'OwnerAccountServicesPublish',
        principals: [new iam.AnyPrincipal()],
        actions: ['sns:Publish'],
        resources: [topic.topicArn],
        conditions: { StringEquals: { 'AWS:SourceOwner': stack.account } },
      }),
    );
    return topic;
  }
}
