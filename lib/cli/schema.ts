/** `npm run schema [-- --check]`: (re)writes schema/deployment-spec.schema.json from the zod schema. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { specJsonSchema, SPEC_SCHEMA_PATH } from '../spec/json-schema';
import { parseFlags, runCli } from './run';

const USAGE = 'usage: npm run schema [-- --check]  (--check: exit 1 if the committed schema is out of date)';

void runCli(() => {
  const { values } = parseFlags(
    { options: { check: { type: 'boolean', default: false } }, strict: true },
    USAGE,
  );
  const file = path.join(__dirname, '..', '..', SPEC_SCHEMA_PATH);
  const text = JSON.stringify(specJsonSchema(), null, 2) + '\n';
  if (values.check) {
    const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    if (current !== text) throw new Error(`${SPEC_SCHEMA_PATH} is out of date; run npm run schema`);
    process.stdout.write(`${SPEC_SCHEMA_PATH} is current\n`);
    return;
  }
  fs.writeFileSync(file, text);
  process.stdout.write(`wrote ${SPEC_SCHEMA_PATH}\n`);
});
