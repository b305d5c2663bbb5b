/**
 * Entry point of the Pulumi project (Pulumi.yaml `main: stacks/pulumi/`). Reads `redis:spec` and
 * `redis:target` from the stack config and returns the stack outputs (secrets stay secrets).
 * Bad config or spec input is reported as one line (a RunError has no stack trace).
 */
import * as pulumi from '@pulumi/pulumi';
import { isSpecError } from '../../lib/errors';
import { readConfig, redisProgram } from '../../lib/pulumi/program';

export = () => {
  try {
    return redisProgram(readConfig());
  } catch (e) {
    if (isSpecError(e)) throw new pulumi.RunError(e.message);
    throw e;
  }
};
