/** The precompiled CRD validators must match the schemas they were generated from. */
import * as fs from 'node:fs';
import { CRD_VALIDATORS_FILE, generateCrdValidators } from '../../lib/k8s/validate';

test('lib/k8s/schemas/crd-validators.js is current (run npx tsx k8s/compile-validators.ts after a schema change)', () => {
  expect(fs.readFileSync(CRD_VALIDATORS_FILE, 'utf8') === generateCrdValidators()).toBe(true);
});
