/** The SNS topic that receives ElastiCache events and CloudWatch alarms: KMS-encrypted, TLS-only. */
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

export interface RedisNotificationsProps {
  /** Key that encrypts messages at rest; its policy must let the publishers use it. */
  readonly encryptionKey: kms.IKey;
  /**
   * Address subscribed to the topic (the subscription must be confirmed by mail).
   * @default - no subscription
   */
  readonly email?: string;
}

export class RedisNotifications extends Construct {
  readonly topic: sns.Topic;

  constructor(scope: Construct, id: string, props: RedisNotificationsProps) {
    super(scope, id);
    this.topic = new sns.Topic(this, 'Topic', {
      masterKey: props.encryptionKey,
      // Adds a topic policy that denies publishing or subscribing over plain HTTP.
      enforceSSL: true,
    });
    if (props.email) this.topic.addSubscription(new subscriptions.EmailSubscription(props.email));
  }
}
