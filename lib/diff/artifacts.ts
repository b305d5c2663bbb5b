/**
 * The two sides of a diff as artifacts: read from a dist/<name>/ folder an earlier synth wrote, or
 * synthesized from a spec (a file, or `git-ref:path` read with `git show`) into a temporary folder with
 * the synth pipeline's per-target functions. Either way the comparison reads only files, the same ones
 * `npm run synth` publishes.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildAwsApp } from '../aws/synth';
import type { CfnTemplate } from '../conformance/aws';
import type { PreviewDocument } from '../conformance/pulumi';
import { loadDeployment, type Deployment } from '../deployment';
import { SpecError } from '../errors';
import { synthKubernetes } from '../k8s/synth';
import { previewPulumiBatch, type PreviewJob } from '../pulumi/preview';
import { renderSelfHosted } from '../selfhosted/render';

export interface ArtifactSet {
  /** What the user gave (a path, a git ref, a dist folder). */
  label: string;
  /** The deployment name (the spec's `name`, or the dist folder's name). */
  name: string;
  /** The spec's profile; read from the artifacts' tags/labels for a dist folder. */
  profile?: string;
  aws?: { file: string; template: CfnTemplate };
  gcp?: PreviewDocument;
  'azure-premium'?: PreviewDocument;
  'azure-managed'?: PreviewDocument;
  /** k8s/*.yaml by file name. */
  k8s?: Record<string, string>;
  /** self-hosted/* by file name. */
  selfHosted?: Record<string, string>;
}

const PULUMI = ['gcp', 'azure-premium', 'azure-managed'] as const;

function filesIn(dir: string): Record<string, string> | undefined {
  if (!fs.existsSync(dir)) return undefined;
  return Object.fromEntries(
    fs
      .readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => [e.name, fs.readFileSync(path.join(dir, e.name), 'utf8')]),
  );
}

/** Reads a dist/<name>/ folder (what `npm run synth` publishes). */
export function readArtifacts(dir: string, label = dir, name = path.basename(dir)): ArtifactSet {
  const set: ArtifactSet = { label, name };
  const awsDir = path.join(dir, 'aws');
  const tpl = fs.existsSync(awsDir)
    ? fs.readdirSync(awsDir).find((f) => f.endsWith('.template.json'))
    : undefined;
  if (tpl)
    set.aws = {
      file: `aws/${tpl}`,
      template: JSON.parse(fs.readFileSync(path.join(awsDir, tpl), 'utf8')) as CfnTemplate,
    };
  for (const t of PULUMI) {
    const f = path.join(dir, 'pulumi', `${t}.json`);
    if (fs.existsSync(f)) set[t] = JSON.parse(fs.readFileSync(f, 'utf8')) as PreviewDocument;
  }
  set.k8s = filesIn(path.join(dir, 'k8s'));
  set.selfHosted = filesIn(path.join(dir, 'self-hosted'));
  set.profile = profileOf(set);
  return set;
}

/** The profile as the artifacts tag it (every adapter tags or labels `profile`). */
function profileOf(set: ArtifactSet): string | undefined {
  const rg = Object.values(set.aws?.template.Resources ?? {}).find(
    (r) => r.Type === 'AWS::ElastiCache::ReplicationGroup' || r.Type === 'AWS::ElastiCache::ServerlessCache',
  );
  const tags = (rg?.Properties as { Tags?: Array<{ Key: string; Value: string }> } | undefined)?.Tags;
  const tag = tags?.find((t) => t.Key === 'profile')?.Value;
  if (tag) return tag;
  for (const t of PULUMI) {
    for (const r of set[t]?.resources ?? []) {
      const p = (r.inputs as { labels?: Record<string, string>; tags?: Record<string, string> }) ?? {};
      const v = p.labels?.profile ?? p.tags?.profile;
      if (v) return v;
    }
  }
  return undefined;
}

/** How Pulumi previews run: a child process (the CLI) or this process (tests, which await each run). */
export type PulumiMode = 'child' | 'in-process';

export interface SynthSide {
  label: string;
  /** A spec file on disk (a git ref is materialized first with materializeSpec). */
  specPath: string;
}

/**
 * Synthesizes each side into `<work>/<i>/` with the per-target synth functions and reads it back.
 * The Pulumi previews of all sides run in one child process (or in this process, one after the other).
 */
export async function synthArtifactSets(
  sides: SynthSide[],
  opts: { pulumi?: PulumiMode; work?: string } = {},
): Promise<Array<ArtifactSet & { deployment: Deployment }>> {
  const work = opts.work ?? fs.mkdtempSync(path.join(os.tmpdir(), 'redis-iac-diff-'));
  const ownWork = !opts.work;
  try {
    const loaded = sides.map((s) => ({ ...s, deployment: loadDeployment(s.specPath, s.label) }));
    const jobs: PreviewJob[] = [];
    loaded.forEach((s, i) => {
      const t = s.deployment.spec.targets;
      const targets = [
        ...(t.gcp ? (['gcp'] as const) : []),
        ...(t.azure ? (['azure-premium', 'azure-managed'] as const) : []),
      ];
      for (const target of targets)
        jobs.push({
          spec: s.specPath,
          target,
          outFile: path.join(work, String(i), 'pulumi', `${target}.json`),
        });
    });
    const pulumi = runPreviews(jobs, opts.pulumi ?? 'child');
    loaded.forEach((s, i) => synthLocal(s.deployment, path.join(work, String(i))));
    await pulumi;
    return loaded.map((s, i) => ({
      ...readArtifacts(path.join(work, String(i)), s.label, s.deployment.id),
      profile: s.deployment.policy.profile,
      deployment: s.deployment,
    }));
  } finally {
    if (ownWork) fs.rmSync(work, { recursive: true, force: true });
  }
}

async function runPreviews(jobs: PreviewJob[], mode: PulumiMode): Promise<void> {
  if (!jobs.length) return;
  if (mode === 'child') return previewPulumiBatch(jobs);
  // Loaded only here: the CLI never loads Pulumi into its own process.
  const { previewInProcess } = await import('../pulumi/preview-run');
  await previewInProcess(jobs);
}

/**
 * AWS, Kubernetes, self-hosted. The AWS app runs without cdk-nag and without CDK's template validation:
 * both check a template and neither changes it (`npm run synth` runs them), and together they were
 * most of a diff's CPU time.
 */
export function synthLocal(d: Deployment, dir: string): void {
  if (d.spec.targets.aws) {
    const cdkOut = fs.mkdtempSync(path.join(os.tmpdir(), 'redis-iac-diff-cdk-'));
    try {
      const { app, stack } = buildAwsApp(d, { nag: false, validate: false, outdir: cdkOut });
      const template = app.synth().getStackByName(stack.stackName).template as unknown;
      fs.mkdirSync(path.join(dir, 'aws'), { recursive: true });
      fs.writeFileSync(
        path.join(dir, 'aws', `${stack.stackName}.template.json`),
        JSON.stringify(template, null, 2),
      );
    } finally {
      fs.rmSync(cdkOut, { recursive: true, force: true });
    }
  }
  if (d.spec.targets.kubernetes) synthKubernetes(d, path.join(dir, 'k8s'));
  renderSelfHosted(d, path.join(dir, 'self-hosted'));
}

/**
 * `git-ref:path` -> the spec as it was at that ref, written to `<work>/<basename>`. Any failure of git
 * (unknown ref, path not in that commit, not a repository) is bad input: a SpecError naming the option.
 */
export function materializeSpec(ref: string, option: string, work: string, cwd: string): string {
  const colon = ref.indexOf(':');
  const rev = ref.slice(0, colon);
  const file = ref.slice(colon + 1);
  if (!rev || !file)
    throw new SpecError(option, ref, 'expected <git-ref>:<path>, e.g. HEAD~1:examples/default.yaml', 'diff');
  let text: string;
  try {
    const root = execFileSync('git', ['rev-parse', '--show-toplevel'], {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    }).trim();
    const rel = path.relative(root, path.resolve(cwd, file));
    text = execFileSync('git', ['show', `${rev}:${rel}`], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (e) {
    const why = String((e as { stderr?: string }).stderr ?? (e as Error).message)
      .trim()
      .split('\n')[0];
    throw new SpecError(
      option,
      ref,
      `git cannot read it (${why}); give <ref>:<path> of a committed spec`,
      'diff',
    );
  }
  const out = path.join(work, path.basename(file));
  fs.writeFileSync(out, text);
  return out;
}
