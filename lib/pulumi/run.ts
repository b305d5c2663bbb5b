/**
 * Run the Pulumi program for one spec and target under mocks, in this process, and return what it
 * would create. Pulumi's runtime state is global to the process: runs must not overlap, so callers
 * await each run before starting the next (the preview CLI runs one spec per child process).
 */
import * as pulumi from '@pulumi/pulumi';
import { RecordingMocks, REDACTED, redact, type RecordedResource } from './mocks';
import { takeGuardLog, type GuardedOptions } from './guard';
import { readConfig, redisProgram, type PulumiTarget } from './program';

export interface ProgramRun {
  spec: string;
  target: PulumiTarget;
  deployment: string;
  resources: RecordedResource[];
  /** Stack outputs with secrets replaced by "[secret]"; `secretOutputs` lists which. */
  outputs: Record<string, unknown>;
  secretOutputs: string[];
  /** Provider functions the program called (e.g. listRedisKeys). */
  calls: string[];
  /** Resource options the data guard set, by `type::name` (protect, retainOnDelete). */
  options: Record<string, GuardedOptions>;
}

export interface RunOptions {
  /** Directory relative spec paths are resolved against. @default process.cwd() */
  root?: string;
  /** Extra `redis:*` config, e.g. { logAnalyticsWorkspaceId: '...' }. */
  config?: Record<string, string>;
}

let running = false;

/** Wait until every resource registration sent to the mocks has been answered (internal Pulumi API). */
async function waitForRpcs(): Promise<void> {
  await (pulumi.runtime as unknown as { waitForRPCs?: () => Promise<void> }).waitForRPCs?.();
}

async function settle(value: unknown): Promise<{ value: unknown; secret: boolean }> {
  if (pulumi.Output.isInstance(value)) {
    const secret = await pulumi.isSecret(value);
    const inner = await new Promise<unknown>((resolve) => value.apply((v) => (resolve(v), v)));
    return { value: inner, secret };
  }
  return { value, secret: false };
}

/** Run under fresh mocks; reads config exactly as `pulumi up` would (readConfig). */
export async function runProgram(spec: string, target: string, opts: RunOptions = {}): Promise<ProgramRun> {
  if (running)
    throw new Error('runProgram: a Pulumi program is already running in this process; await it first');
  running = true;
  try {
    const mocks = new RecordingMocks();
    await pulumi.runtime.setMocks(mocks, 'redis', `preview-${target}`, false);
    const config: Record<string, string> = { 'redis:spec': spec, 'redis:target': target };
    for (const [k, v] of Object.entries(opts.config ?? {})) config[`redis:${k}`] = v;
    pulumi.runtime.setAllConfig(config);
    const cfg = { ...readConfig(), root: opts.root };
    takeGuardLog();
    let raw: Record<string, unknown>;
    try {
      raw = redisProgram(cfg);
    } catch (e) {
      // Let registrations already in flight finish against these mocks before the next run replaces them.
      await waitForRpcs().catch(() => undefined);
      throw e;
    }
    const outputs: Record<string, unknown> = {};
    const secretOutputs: string[] = [];
    for (const [k, v] of Object.entries(raw)) {
      if (v === undefined) continue;
      const { value, secret } = await settle(v);
      if (value === undefined) continue;
      outputs[k] = secret ? REDACTED : value;
      if (secret) secretOutputs.push(k);
    }
    await waitForRpcs();
    return {
      spec,
      target: cfg.target,
      deployment: String(outputs.deployment ?? ''),
      resources: mocks.resources,
      outputs,
      secretOutputs,
      calls: mocks.calls,
      options: Object.fromEntries(takeGuardLog()),
    };
  } finally {
    running = false;
  }
}

/**
 * Run `build` (which creates components directly, e.g. with a transform) under fresh mocks and
 * return the recorded resources. For tests of components outside the program.
 */
export async function recordResources(build: () => void): Promise<RecordedResource[]> {
  if (running)
    throw new Error('recordResources: a Pulumi program is already running in this process; await it first');
  running = true;
  try {
    const mocks = new RecordingMocks();
    await pulumi.runtime.setMocks(mocks, 'redis', 'test', false);
    try {
      build();
    } finally {
      await waitForRpcs().catch(() => undefined);
    }
    return mocks.resources;
  } finally {
    running = false;
  }
}

/** The preview document: resources with secrets redacted, sorted for stable diffs. */
export function previewDocument(run: ProgramRun): Record<string, unknown> {
  return {
    generator:
      'redis-iac Pulumi preview under mocks (no cloud calls; host names, ids and ports are placeholders)',
    spec: run.spec,
    deployment: run.deployment,
    target: run.target,
    resourceCount: run.resources.length,
    resources: run.resources
      .map((r) => {
        const options = run.options[`${r.type}::${r.name}`];
        return { type: r.type, name: r.name, inputs: redact(r.inputs), ...(options ? { options } : {}) };
      })
      .sort((a, b) => a.type.localeCompare(b.type) || a.name.localeCompare(b.name)),
    outputs: run.outputs,
    secretOutputs: run.secretOutputs,
  };
}
