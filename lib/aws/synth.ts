/**
 * In-process synthesis for `npm run synth`: builds the CDK app for one deployment in a temporary
 * cloud assembly (cdk-nag packs on, so findings fail the synth) and copies the template out.
 * `synthAwsFleet` does the same for many deployments with one app (one stack each), so the packs
 * and CDK's template validation run once per app instead of once per stack.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib/core';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
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
 * @param validate run CDK's template validation against the default rules (default true)
 */
export function buildAwsApp(
  deployment: Deployment,
  options: { outdir?: string; nag?: boolean; validate?: boolean } = {},
): AwsApp {
  const app = new App({
    outdir: options.outdir,
    builtinCloudFormationValidation: options.validate ?? true,
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
    return [writeTemplate(app.synth(), stack.stackName, outDir)];
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

function writeTemplate(assembly: CloudAssembly, stackName: string, outDir: string): string {
  const artifact = assembly.getStackByName(stackName);
  fs.mkdirSync(outDir, { recursive: true });
  const target = path.join(outDir, `${stackName}.template.json`);
  fs.writeFileSync(target, JSON.stringify(artifact.template, null, 2) + '\n');
  return target;
}

/** One deployment of a fleet and where its template goes. */
export interface AwsFleetItem {
  deployment: Deployment;
  outDir: string;
}

/** Per item: the files written, or why it failed (the error synthAws would have thrown). */
export type AwsFleetResult = { files: string[] } | { error: unknown };

/**
 * Synthesizes many deployments in ONE CDK app (a stack each; the stacks share nothing), so the
 * cdk-nag packs and CDK's template validation run once for all of them. The templates are the
 * ones synthAws writes for each deployment alone, byte for byte (test/synth/fleet.test.ts).
 *
 * Failures stay with their deployment: a stack whose construction throws is removed from the app
 * before synthesis; if the shared synthesis throws (an unacknowledged nag finding, an invalid
 * template), every remaining deployment is synthesized again on its own with synthAws, so each gets
 * exactly its own result or error and one bad stack does not take the others down.
 */
export function synthAwsFleet(items: AwsFleetItem[]): AwsFleetResult[] {
  if (items.length === 1) return [attempt(() => synthAws(items[0].deployment, items[0].outDir))];
  const results: AwsFleetResult[] = items.map(() => ({ files: [] }));
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'redis-iac-cdk-'));
  try {
    const app = new App({ outdir: tmp, context: { '@aws-cdk/core:validateAgainstDefaultRules': true } });
    const built: Array<{ index: number; stackName: string }> = [];
    items.forEach(({ deployment }, index) => {
      const id = awsStackName(deployment);
      try {
        new RedisElastiCacheStack(app, id, { deployment });
        built.push({ index, stackName: id });
      } catch (e) {
        app.node.tryRemoveChild(id);
        results[index] = { error: e };
      }
    });
    if (!built.length) return results;
    addNagPacks(app);
    let assembly: CloudAssembly;
    try {
      assembly = app.synth();
    } catch {
      for (const { index } of built) {
        results[index] = attempt(() => synthAws(items[index].deployment, items[index].outDir));
      }
      return results;
    }
    for (const { index, stackName } of built) {
      results[index] = attempt(() => [writeTemplate(assembly, stackName, items[index].outDir)]);
    }
    return results;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

function attempt(fn: () => string[]): AwsFleetResult {
  try {
    return { files: fn() };
  } catch (e) {
    return { error: e };
  }
}
