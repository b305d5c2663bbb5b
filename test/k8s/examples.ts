/**
 * The example specs that have a Kubernetes target (read from each spec, so a new example is picked up
 * without editing a list, and an AWS-only example such as go-api-serverless is left out).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';

const EXAMPLES_DIR = path.join(__dirname, '..', '..', 'examples');

export const K8S_EXAMPLES: string[] = fs
  .readdirSync(EXAMPLES_DIR)
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .filter((f) => {
    const spec = parse(fs.readFileSync(path.join(EXAMPLES_DIR, f), 'utf8')) as {
      targets?: Record<string, unknown>;
    };
    return spec?.targets?.kubernetes !== undefined;
  });
