/**
 * buildAwsApp's switches: CDK's template validation runs by default (npm run synth, the CDK app) and
 * can be turned off for the diff, which only compares templates.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CfnResource } from 'aws-cdk-lib/core';
import { buildAwsApp } from '../../lib/aws/synth';
import { loadDeployment } from '../../lib/deployment';

const root = path.join(__dirname, '..', '..');
const deployment = loadDeployment(path.join(root, 'examples', 'go-api.yaml'));

/** Synthesizes go-api.yaml with a planted invalid resource; the error text, or undefined. */
function synthWithBadResource(options: { validate?: boolean }): string | undefined {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'aws-synth-app-'));
  try {
    const { app, stack } = buildAwsApp(deployment, { ...options, nag: false, outdir });
    new CfnResource(stack, 'Planted', {
      type: 'AWS::SNS::Topic',
      properties: { TopicName: 'planted-2', NoSuchProperty: 1 },
    });
    app.synth();
    return undefined;
  } catch (e) {
    return String(e);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

test('template validation is on by default: an invalid property fails the synth (bad fixture)', () => {
  expect(synthWithBadResource({})).toMatch(/NoSuchProperty: Additional properties are not allowed/);
});

test('validate: false (the diff) synthesizes the same app without the validation', () => {
  expect(synthWithBadResource({ validate: false })).toBeUndefined();
});
