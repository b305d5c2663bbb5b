/**
 * Second step of `npm run build`. The first is TypeDoc (typedoc.json): one TypeScript program over
 * tsconfig.build.json is type-checked, emitted into build/ (`emit: both`, the same JavaScript and
 * .d.ts as `tsc -p tsconfig.build.json`) and turned into the API reference (build/api-docs, which
 * `npm run docs:api` copies to docs/api), so the dependencies' declarations are parsed once for
 * both. This step copies into build/ the non-TypeScript files the compiled code reads at run time,
 * next to the modules that read them:
 * - lib/k8s/backup.sh (read by lib/k8s/backup.ts with readFileSync),
 * - lib/k8s/schemas/*.validator.js (precompiled ajv validators, loaded with require by path) and
 *   bitnami-redis.values.defaults.json (read with readFileSync by lib/k8s/validate.ts).
 * tsc emits the imported catalog JSON itself; this step checks that it (and go-regexp.js) is there.
 * Exits 1 naming the missing file when one is absent.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');
const OUT = path.join(ROOT, 'build');

/** Files copied as they are, relative to the repository root. */
export function runtimeAssets(root = ROOT): string[] {
  const schemas = fs
    .readdirSync(path.join(root, 'lib/k8s/schemas'))
    .filter((f) => f.endsWith('.validator.js') || f === 'bitnami-redis.values.defaults.json')
    .map((f) => `lib/k8s/schemas/${f}`);
  return ['lib/k8s/backup.sh', ...schemas].sort();
}

/**
 * Files tsc must have emitted, relative to build/: the imported catalog JSON, and lib/k8s/go-regexp.js,
 * which only the precompiled validators require (so tsconfig.build.json includes it by name).
 */
/**
 * Catalog data only the repository's own `npm run diff` reads (lib/diff); the published API does not
 * import it, so tsc does not emit it into build/.
 */
const REPO_ONLY_DATA = new Set(['cfn-update-behavior.json', 'change-rules.json']);

export function emittedData(root = ROOT): string[] {
  return [
    ...fs
      .readdirSync(path.join(root, 'lib/catalog/data'))
      .filter((f) => f.endsWith('.json') && !REPO_ONLY_DATA.has(f))
      .map((f) => `lib/catalog/data/${f}`),
    'lib/k8s/go-regexp.js',
  ].sort();
}

/** Where the build records the hash of the inputs it was made from (left out of the package). */
export const BUILD_STAMP = 'build/.inputs.sha256';

/**
 * One hash over everything `npm run build` reads: every file under lib/, the two tsconfig files,
 * typedoc.json and package-lock.json (the installed dependencies' types, TypeDoc's version).
 * package.json itself is not read by the build, so a change to its scripts does not force a rebuild.
 * The tests that read build/ rebuild it when it was made from other inputs (test/support/build.ts).
 */
export function buildInputsHash(root = ROOT): string {
  const configs = ['tsconfig.json', 'tsconfig.build.json', 'typedoc.json', 'package-lock.json'];
  return hashParts([
    ...treeParts(path.join(root, 'lib'), () => true, root),
    ...configs.flatMap((rel) => [rel, fs.readFileSync(path.join(root, rel))]),
  ]);
}

/** sha256 over the parts, each framed by its length so that moving bytes between parts changes it. */
export function hashParts(parts: Array<string | Buffer>): string {
  const hash = createHash('sha256');
  for (const p of parts) {
    const b = typeof p === 'string' ? Buffer.from(p) : p;
    hash.update(`${b.length}:`).update(b);
  }
  return hash.digest('hex');
}

/**
 * Every file under `dir` that `keep` keeps, as its path (relative to `base`, `/`-separated) and its
 * bytes, sorted by path: the parts of a tree for hashParts.
 */
export function treeParts(
  dir: string,
  keep: (rel: string) => boolean = () => true,
  base = dir,
): Array<string | Buffer> {
  const files = fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .filter(keep)
    .sort();
  return files.flatMap((f) => [
    path.relative(base, path.join(dir, f)).split(path.sep).join('/'),
    fs.readFileSync(path.join(dir, f)),
  ]);
}

function main(): void {
  for (const rel of runtimeAssets()) {
    const to = path.join(OUT, rel);
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.copyFileSync(path.join(ROOT, rel), to);
  }
  const missing = emittedData().filter((rel) => !fs.existsSync(path.join(OUT, rel)));
  if (missing.length) {
    process.stderr.write(
      `build: ${missing.join(', ')} not emitted by tsc; check tsconfig.build.json (resolveJsonModule)\n`,
    );
    process.exit(1);
  }
  fs.writeFileSync(path.join(ROOT, BUILD_STAMP), `${buildInputsHash()}\n`);
  console.log(`build: copied ${runtimeAssets().length} runtime assets into build/`);
}

if (require.main === module) main();
