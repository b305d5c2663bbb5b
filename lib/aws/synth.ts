/**
 * In-process synthesis for `npm run synth`: builds the CDK app for one deployment in a temporary
 * cloud assembly (cdk-nag packs on, so findings fail the synth) and copies the template out.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import type { Deployment } from '../deployment';
import { addNagPacks } from './nag';
import { RedisElastiCacheStack, awsStackName } from './stack';

export interface AwsApp {
  app: App;
  stack: RedisElastiCacheStack;
}

/**
 * The CDK app for a deployment. `outdir` is where the cloud assembly goes.
 * @param nag register the cdk-nag packs (default true)
 */
export function buildAwsApp(
  deployment: Deployment,
  options: { outdir?: string; nag?: boolean } = {},
): AwsApp {
  const app = new App({
    outdir: options.outdir,
    context: { '@aws-cdk/core:validateAgainstDefaultRules': true },
  });
  const stack = new RedisElastiCacheStack(app, awsStackName(deployment), { deployment });
  if (options.nag ?? true) addNagPacks(app);
  return { app, stack };
}

/**
 * Synthesizes `deployment` and writes `<outDir>/<stackName>.template.json`. Returns the paths written.
 * Throws on invalid props or any unacknowledged cdk-nag finding.
 */
export function synthAws(deployment: Deployment, outDir: string): string[] {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'redis-iac-cdk-'));
  try {
    const { app, stack } = buildAwsApp(deployment, { outdir: tmp });
    const assembly = app.synth();
    const artifact = assembly.getStackByName(stack.stackName);
    fs.mkdirSync(outDir, { recursive: true });
    const target = path.join(outDir, `${stack.stackName}.template.json`);
    fs.writeFileSync(target, JSON.stringify(artifact.template, null, 2) + '\n');
    return [target];
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
