/**
 * Production refuses the default Bitnami images (bitnamilegacy stops at Redis 8.2.1, below the CVE
 * floor), so the production examples leave the flavor out. Tests that exercise the Bitnami flavor on
 * those specs put it back with the images a user would build or license: this fixture names a Redis
 * 8.6.3 build in an example registry (registry.example.com is a placeholder, not a real image).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { deploymentFromYaml } from '../../lib/deployment';

export const PATCHED_BITNAMI = {
  bitnamiRegistry: 'registry.example.com',
  bitnamiRepository: 'redis-iac-test/redis',
  bitnamiTag: '8.6.3-debian-12-r0',
  bitnamiSentinelRepository: 'redis-iac-test/redis-sentinel',
  bitnamiSentinelTag: '8.6.3-debian-12-r0',
} as const;

/** `images:` lines (under targets.kubernetes) for the fixture, plus `extra` image lines. */
export function patchedImagesBlock(extra: string[] = []): string {
  return [
    '    images:',
    ...Object.entries(PATCHED_BITNAMI).map(([k, v]) => `      ${k}: ${v}`),
    ...extra,
  ].join('\n');
}

/**
 * An example spec's YAML with both flavors and the patched Bitnami images (unchanged unless production
 * with a Kubernetes target).
 */
export function withPatchedBitnami(yamlText: string, extraImages: string[] = []): string {
  if (!/^profile: production$/m.test(yamlText)) return yamlText;
  if (!/^ {2}kubernetes:/m.test(yamlText)) return yamlText;
  const flavors = /^ {4}flavors: \[opstree\]$/m;
  if (!flavors.test(yamlText)) throw new Error('expected "    flavors: [opstree]" in a production example');
  return yamlText.replace(flavors, `    flavors: [opstree, bitnami]\n${patchedImagesBlock(extraImages)}`);
}

/** loadDeployment for an example, with the Bitnami flavor back on production specs. */
export function loadPatched(file: string) {
  return deploymentFromYaml(withPatchedBitnami(fs.readFileSync(file, 'utf8')), path.basename(file));
}

/**
 * `yamlText` with `extra` lines inserted after `anchor` (a line under targets.kubernetes) and the
 * patched Bitnami images; an `images:` block in `extra` is merged into the fixture's (its keys win).
 */
export function withKubernetesLines(yamlText: string, anchor: string, extra: string): string {
  if (!yamlText.includes(anchor)) throw new Error(`the example no longer has the anchor line "${anchor}"`);
  // A flow mapping `    images: { a: x, b: y }` becomes block lines so it can be merged.
  const lines = (extra === '' ? [] : extra.split('\n')).flatMap((l) => {
    const m = /^ {4}images: \{(.*)\}$/.exec(l);
    if (!m) return [l];
    const entries = m[1].split(/,\s*(?=[A-Za-z]+:)/).map((e) => `      ${e.trim()}`);
    return ['    images:', ...entries];
  });
  const at = lines.indexOf('    images:');
  let imageLines: string[] = [];
  if (at >= 0) {
    let end = at + 1;
    while (end < lines.length && lines[end].startsWith('      ')) end++;
    imageLines = lines.splice(at, end - at).slice(1);
  }
  const overridden = new Set(imageLines.map((l) => l.trim().split(':')[0]));
  let text = yamlText;
  if (/^profile: production$/m.test(text)) {
    const fixture = Object.entries(PATCHED_BITNAMI)
      .filter(([k]) => !overridden.has(k))
      .map(([k, v]) => `      ${k}: ${v}`);
    text = text.replace(/^ {4}flavors: \[opstree\]$/m, '    flavors: [opstree, bitnami]');
    imageLines = [...fixture, ...imageLines];
  }
  const images = imageLines.length ? ['    images:', ...imageLines] : [];
  return text.replace(anchor, [anchor, ...lines, ...images].join('\n'));
}
