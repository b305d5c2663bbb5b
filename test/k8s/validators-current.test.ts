/** The generated validator files must match the schemas they were generated from. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { generatedFiles } from '../../lib/k8s/compile-schemas';

const files = [...generatedFiles()];

test.each(files.map(([file, content]) => [path.relative(process.cwd(), file), file, content]))(
  '%s is current (run npx tsx k8s/compile-validators.ts after a schema change)',
  (_name, file, content) => {
    expect(fs.existsSync(file)).toBe(true);
    expect(fs.readFileSync(file, 'utf8') === content).toBe(true);
  },
);
