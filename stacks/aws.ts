/**
 * CDK app entry (cdk.json: `npx tsx stacks/aws.ts`). One ElastiCache stack for the spec given with
 * `-c spec=examples/<x>.yaml` (default: examples/default.yaml) and optionally `-c account=<12 digits>`. cdk-nag's AwsSolutions, HIPAA
 * Security and NIST 800-53 R5 packs run on every synth; an unacknowledged finding fails it.
 */
import * as path from 'node:path';
import { App } from 'aws-cdk-lib/core';
import { addNagPacks } from '../lib/aws/nag';
import { RedisElastiCacheStack, appEnv, awsStackName } from '../lib/aws/stack';
import { DEFAULT_SPEC_PATH, loadDeployment } from '../lib/deployment';
import { runAppEntry } from '../lib/cli/run';
import { SpecError } from '../lib/errors';

function main(): void {
  const app = new App();
  const specArg = app.node.tryGetContext('spec') as string | undefined;
  const specPath = specArg ? path.resolve(specArg) : DEFAULT_SPEC_PATH;
  const deployment = loadDeployment(specPath, '-c spec');
  // `-c account=<id>` overrides targets.aws.account. Without either, `cdk deploy` uses the account
  // of the caller's credentials (the CLI sets CDK_DEFAULT_ACCOUNT); offline synth keeps the placeholder.
  const contextAccount = app.node.tryGetContext('account') as string | undefined;
  if (contextAccount !== undefined && !/^\d{12}$/.test(String(contextAccount))) {
    throw new SpecError('-c account', contextAccount, 'expected a 12-digit AWS account id', 'cdk');
  }
  const env = appEnv(deployment, contextAccount, process.env.CDK_DEFAULT_ACCOUNT);
  new RedisElastiCacheStack(app, awsStackName(deployment), { deployment, env });
  addNagPacks(app);
  app.synth();
}

// Bad input is one line naming the field, the value and the fix; no stack trace.
runAppEntry(main);
