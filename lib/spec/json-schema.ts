/** JSON Schema of the deployment spec, for editor completion (yaml-language-server) and other tools. */
import { z } from '../zod';
import { specSchema } from './schema';

export function specJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(specSchema, {
    io: 'input',
    unrepresentable: 'any',
    // zod writes `.startsWith()` as `format: "starts_with"` next to the equivalent `pattern`; that
    // format is not a JSON Schema format, and validators warn about it or reject the schema.
    override: ({ jsonSchema }) => {
      if (jsonSchema.format === 'starts_with' && jsonSchema.pattern) delete jsonSchema.format;
    },
  }) as Record<string, unknown>;
  return {
    ...schema,
    $id: 'https://redis-iac.dev/schema/deployment-spec.schema.json',
    title: 'Redis deployment spec',
    description:
      'One declarative Redis deployment: profile, engine, workload, keyspace, policy overrides, waivers and targets.',
  };
}

export const SPEC_SCHEMA_PATH = 'schema/deployment-spec.schema.json';
