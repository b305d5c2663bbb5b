/**
 * Precompiles the CRD validators (ajv standalone code) into lib/k8s/schemas/crd-validators.js.
 * Compiling the CRD schemas at run time took about a second per process (the Issuer schema alone
 * a third of it); the generated module loads in tens of milliseconds. Run it after a schema in
 * lib/k8s/schemas changes (test/k8s/validators-current.test.ts fails until you do):
 *
 *   npx tsx k8s/compile-validators.ts
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { generateCrdValidators, CRD_VALIDATORS_FILE } from '../lib/k8s/validate';

fs.writeFileSync(CRD_VALIDATORS_FILE, generateCrdValidators());
process.stdout.write(`wrote ${path.relative(process.cwd(), CRD_VALIDATORS_FILE)}\n`);
