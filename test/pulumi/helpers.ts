/** Shared helpers for the Pulumi tests: run examples under mocks and look resources up by type. */
import * as path from 'node:path';
import type { RecordedResource } from '../../lib/pulumi/mocks';
import type { PulumiTarget } from '../../lib/pulumi/program';
import { runProgram, type ProgramRun } from '../../lib/pulumi/run';
import { examplesWithTargets } from '../support/examples';

export const ROOT = path.join(__dirname, '..', '..');

/** The example specs with a GCP and an Azure target (AWS-only examples are left out). */
export const EXAMPLES = examplesWithTargets('gcp', 'azure').map((f) => `examples/${f}`);

export function run(
  spec: string,
  target: PulumiTarget,
  config?: Record<string, string>,
): Promise<ProgramRun> {
  return runProgram(spec, target, { root: ROOT, config });
}

export function ofType(r: ProgramRun | RecordedResource[], type: string): RecordedResource[] {
  const list = Array.isArray(r) ? r : r.resources;
  return list.filter((x) => x.type === type);
}

export function one(r: ProgramRun | RecordedResource[], type: string): RecordedResource {
  const found = ofType(r, type);
  if (found.length !== 1) throw new Error(`expected exactly one ${type}, found ${found.length}`);
  return found[0];
}

/** Message of the error `fn` rejects with (fails the test when it resolves). */
export async function errorOf(fn: () => Promise<unknown>): Promise<string> {
  try {
    await fn();
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
  throw new Error('expected an error, got none');
}
