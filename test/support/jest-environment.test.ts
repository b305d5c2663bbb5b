/**
 * The jest environment's speed-ups change no outcome (test/support/jest-environment.ts):
 * aws-cdk-lib's template validation still runs on every synth with the shared engine (a bad template
 * still fails, also after aws-cdk-lib freed and rebuilt its engine for new resource types), and only
 * Pulumi's promise bookkeeping traces skip jest's stack formatter.
 */
import { App, CfnResource, Stack } from 'aws-cdk-lib/core';

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

describe('stack traces', () => {
  test("Pulumi's promise bookkeeping trace is still recorded, plainly", async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { debuggablePromise } = require('@pulumi/pulumi/runtime/debuggable') as {
      debuggablePromise: <T>(p: Promise<T>, ctx: string) => Promise<T>;
    };
    const p = Promise.resolve(1);
    expect(await debuggablePromise(p, 'ctx')).toBe(1);
    expect((p as unknown as { _debugStackTrace: string })._debugStackTrace).toMatch(
      /^Error: \n {4}at debuggablePromise \(.*debuggable\.js:\d+:\d+\)\n {4}at .*jest-environment\.test\.ts:\d+:\d+/,
    );
  });

  test('any other error still gets a stack naming where it was made', () => {
    const stack = new Error('made here').stack!;
    expect(stack).toMatch(
      /^Error: made here\n {4}at .*test[\\/]support[\\/]jest-environment\.test\.ts:\d+:\d+\)/,
    );
  });
});
