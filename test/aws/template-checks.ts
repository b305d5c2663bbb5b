/**
 * Structural checks on a synthesized ElastiCache template that cfn-lint and cdk-nag do not make:
 * whether the notifications configured in the template can actually be delivered at run time.
 *
 * - A CloudWatch alarm can publish to its SNS topic only when the topic policy allows the
 *   `cloudwatch.amazonaws.com` service principal `sns:Publish` (a TopicPolicy replaces SNS's default
 *   policy; without the allow the alarm history shows "is not authorized to perform: SNS:Publish ...
 *   because no resource-based policy allows" and nobody is told). When the topic is KMS-encrypted the
 *   key policy must also let that principal use the key (kms:GenerateDataKey*, kms:Decrypt).
 *   Sources: AWS Knowledge Center "Why didn't I receive an SNS notification for my CloudWatch alarm
 *   trigger?"; SNS developer guide, "Enable compatibility between event sources from AWS services and
 *   encrypted topics".
 */

// CloudFormation templates are untyped JSON.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

interface Resource {
  Type: string;
  Properties?: Record<string, Json>;
}
export interface CfnTemplate {
  Resources: Record<string, Resource>;
}

const asArray = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** Logical id behind `{ Ref: id }` or `{ Fn::GetAtt: [id, ...] }`, else undefined. */
function refOf(value: Json): string | undefined {
  if (value && typeof value === 'object') {
    if (typeof value.Ref === 'string') return value.Ref;
    if (Array.isArray(value['Fn::GetAtt'])) return value['Fn::GetAtt'][0];
  }
  return undefined;
}

function allows(statement: Json, service: string, action: string): boolean {
  if (statement.Effect !== 'Allow') return false;
  const services = asArray(statement.Principal?.Service);
  if (!services.includes(service)) return false;
  return asArray<string>(statement.Action).some((a) => {
    const pattern = new RegExp(`^${a.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`, 'i');
    return pattern.test(action);
  });
}

/**
 * Problems that would stop an alarm notification from reaching its topic, one line each;
 * empty when every alarm action can be delivered.
 */
export function alarmDeliveryProblems(template: CfnTemplate): string[] {
  const problems: string[] = [];
  const resources = template.Resources;
  const policiesOf = (topicId: string) =>
    Object.values(resources).filter(
      (r) =>
        r.Type === 'AWS::SNS::TopicPolicy' &&
        asArray(r.Properties?.Topics).some((t: Json) => refOf(t) === topicId),
    );
  for (const [alarmId, alarm] of Object.entries(resources)) {
    if (alarm.Type !== 'AWS::CloudWatch::Alarm') continue;
    const actions = [
      ...asArray(alarm.Properties?.AlarmActions),
      ...asArray(alarm.Properties?.OKActions),
      ...asArray(alarm.Properties?.InsufficientDataActions),
    ];
    for (const action of actions) {
      const topicId = refOf(action);
      const topic = topicId ? resources[topicId] : undefined;
      if (!topicId || topic?.Type !== 'AWS::SNS::Topic') continue;
      const policies = policiesOf(topicId);
      // Without any TopicPolicy the topic keeps SNS's default policy, which lets the owner account's
      // services publish. With one, it must allow CloudWatch itself.
      if (
        policies.length > 0 &&
        !policies.some((p) =>
          asArray(p.Properties?.PolicyDocument?.Statement).some((s: Json) =>
            allows(s, 'cloudwatch.amazonaws.com', 'sns:Publish'),
          ),
        )
      ) {
        problems.push(
          `${alarmId}: topic ${topicId} has a topic policy that does not allow cloudwatch.amazonaws.com sns:Publish`,
        );
      }
      const keyId = refOf(topic.Properties?.KmsMasterKeyId);
      if (keyId) {
        const key = resources[keyId];
        const statements = asArray(key?.Properties?.KeyPolicy?.Statement);
        for (const needed of ['kms:GenerateDataKey', 'kms:Decrypt']) {
          if (!statements.some((s: Json) => allows(s, 'cloudwatch.amazonaws.com', needed))) {
            problems.push(
              `${alarmId}: topic ${topicId} is encrypted with ${keyId}, whose key policy does not allow cloudwatch.amazonaws.com ${needed}`,
            );
          }
        }
      }
    }
  }
  return [...new Set(problems)];
}
