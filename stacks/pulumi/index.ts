/**
 * Entry point of the Pulumi project (Pulumi.yaml `main: stacks/pulumi/`). Reads `redis:spec` and
 * `redis:target` from the stack config and returns the stack outputs (secrets stay secrets).
 */
import { readConfig, redisProgram } from '../../lib/pulumi/program';

export = () => redisProgram(readConfig());
