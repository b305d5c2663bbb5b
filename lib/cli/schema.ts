/** `npm run schema`: (re)writes schema/deployment-spec.schema.json from the zod schema. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { specJsonSchema, SPEC_SCHEMA_PATH } from '../spec/json-schema';
import { runCli } from './run';

void runCli(() => {
  const file = path.join(__dirname, '..', '..', SPEC_SCHEMA_PATH);
  fs.writeFileSync(file, JSON.stringify(specJsonSchema(), null, 2) + '\n');
  process.stdout.write(`wrote ${SPEC_SCHEMA_PATH}\n`);
});
