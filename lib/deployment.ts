/**
 * The one-way pipeline every adapter starts from: spec -> policy -> plan.
 * Adapters call loadDeployment() (or resolveDeployment() with an object) and read only
 * `policy` and `plan`; they never re-interpret the raw spec.
 */
import * as path from 'node:path';
import { isSpecError, SpecError } from './errors';
import { plan as makePlan } from './planner/plan';
import type { Plan } from './planner/types';
import { checkAwsFlavor } from './policy/aws-flavor';
import { resolvePolicy } from './policy/resolve';
import type { ResolvedPolicy } from './policy/types';
import { DEFAULT_SPEC_PATH, loadSpecFile, parseSpec } from './spec/load';
import type { Spec } from './spec/schema';

export interface Deployment {
  spec: Spec;
  policy: ResolvedPolicy;
  plan: Plan;
  /** Folder name under dist/ for this spec's artifacts (the spec's `name`). */
  id: string;
  source: string;
}

/** @param option how the user named the spec file, for a read error (`--spec`, `-c spec`) */
export function loadDeployment(specPath: string = DEFAULT_SPEC_PATH, option?: string): Deployment {
  const spec = loadSpecFile(specPath, option);
  return fromSpec(spec, path.basename(specPath));
}

export function deploymentFromYaml(text: string, source = 'spec'): Deployment {
  return fromSpec(parseSpec(text, source), source);
}

export function fromSpec(spec: Spec, source = 'spec'): Deployment {
  const policy = resolvePolicy(spec, source);
  checkAwsFlavor(spec, policy, source);
  let plan: Plan;
  try {
    plan = makePlan(spec, policy);
  } catch (e) {
    // The planner and the catalogs do not know the file name; name it like every other spec error.
    if (isSpecError(e) && e.source === 'spec' && source !== 'spec')
      throw new SpecError(e.field, e.value, e.allowed, source);
    throw e;
  }
  return { spec, policy, plan, id: spec.name, source };
}

export { DEFAULT_SPEC_PATH };
