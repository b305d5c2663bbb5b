/**
 * The jest test environment: jest's node environment, plus what test files may share within a
 * worker, for speed, changing no test's outcome. This module runs outside the test files' sandboxes
 * and is loaded once per jest worker, so what it holds lives for that worker (one run) and no longer.
 *
 * - aws-cdk-lib's template validation engine is shared by the test files of the worker
 *   (./shared-cfn-validate-host.ts says why that is the same validation).
 */
import NodeEnvironment from 'jest-environment-node';
import { SHARED_CFN_VALIDATE, sharedCfnValidateModule } from './shared-cfn-validate-host';

export default class RedisIacEnvironment extends NodeEnvironment {
  constructor(...args: ConstructorParameters<typeof NodeEnvironment>) {
    super(...args);
    const sandbox = this.global as unknown as Record<symbol, unknown>;
    sandbox[SHARED_CFN_VALIDATE] = sharedCfnValidateModule;
  }
}
