/**
 * The jest environment's speed-ups change no outcome (test/support/jest-environment.ts):
 * aws-cdk-lib's template validation still runs on every synth with the shared engine (a bad template
 * still fails, also after aws-cdk-lib freed and rebuilt its engine for new resource types).
 */
import { App, CfnResource, Stack } from 'aws-cdk-lib';

const VALIDATE = { '@aws-cdk/core:validateAgainstDefaultRules': true };

/** Synthesizes one stack of `resources`; the validation error's text, or undefined when it passes. */
function synthError(
  resources: Array<{ type: string; properties: Record<string, unknown> }>,
): string | undefined {
  const app = new App({ context: VALIDATE });
  const stack = new Stack(app, 'S');
  resources.forEach((r, i) => new CfnResource(stack, `R${i}`, r));
  try {
    app.synth();
    return undefined;
  } catch (e) {
    return String(e);
  }
}

const TOPIC = { type: 'AWS::SNS::Topic', properties: { TopicName: 'alerts-2' } };
const BAD_GROUP = {
  type: 'AWS::ElastiCache::ReplicationGroup',
  properties: { ReplicationGroupDescription: 'x', NoSuchProperty: 1, TransitEncryptionEnabled: 'maybe' },
};

describe('aws-cdk-lib template validation with the engine shared per worker', () => {
  test('a valid template passes', () => {
    expect(synthError([TOPIC])).toBeUndefined();
  });

  test('a bad template fails with the engine findings (also after the engine was rebuilt)', () => {
    // New resource types make aws-cdk-lib free its engine and build one for the larger set.
    for (let i = 0; i < 2; i++) {
      const err = synthError([TOPIC, BAD_GROUP]);
      expect(err).toMatch(/NoSuchProperty: Additional properties are not allowed/);
      expect(err).toMatch(/TransitEncryptionEnabled: 'maybe' is not of type 'boolean'/);
    }
    expect(synthError([TOPIC])).toBeUndefined();
  });
});
