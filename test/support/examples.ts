/**
 * The example specs that have every one of the given targets, read from each spec, so a new example
 * is picked up without editing a list and an example without a target (go-api-serverless is AWS-only)
 * is left out of that target's suites. File names, sorted.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';

export const EXAMPLES_DIR = path.join(__dirname, '..', '..', 'examples');

export function examplesWithTargets(...targets: string[]): string[] {
  return fs
    .readdirSync(EXAMPLES_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .filter((f) => {
      const spec = parse(fs.readFileSync(path.join(EXAMPLES_DIR, f), 'utf8')) as {
        targets?: Record<string, unknown>;
      };
      return targets.every((t) => spec?.targets?.[t] !== undefined);
    });
}
