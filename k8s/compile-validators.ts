/**
 * Writes the generated validator files into lib/k8s/schemas (see lib/k8s/compile-schemas.ts): one
 * ajv standalone module per schema and the Bitnami chart's default values as JSON. Run it after a
 * schema in lib/k8s/schemas changes (test/k8s/validators-current.test.ts fails until you do):
 *
 *   npx tsx k8s/compile-validators.ts
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { generatedFiles } from '../lib/k8s/compile-schemas';

for (const [file, content] of generatedFiles()) {
  fs.writeFileSync(file, content);
  process.stdout.write(`wrote ${path.relative(process.cwd(), file)}\n`);
}
