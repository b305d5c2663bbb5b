/**
 * jest moduleNameMapper target for `@aws/cloudformation-validate`, the WebAssembly engine behind
 * aws-cdk-lib's built-in template validation (`@aws-cdk/core:validateAgainstDefaultRules`, on in
 * lib/aws/synth.ts and cdk.json), which runs on every `app.synth()`: hands aws-cdk-lib the real
 * module whose engines are shared by the test files of a jest worker (./shared-cfn-validate-host.ts
 * says why that is the same validation; ./jest-environment.ts puts it on the sandbox global).
 */
const load = (globalThis as unknown as Record<symbol, (() => unknown) | undefined>)[
  Symbol.for('redis-iac.test.sharedCfnValidate')
];
if (!load)
  throw new Error(
    '@aws/cloudformation-validate is mapped to test/support/shared-cfn-validate.ts, which needs jest.config.js testEnvironment test/support/jest-environment.ts',
  );
export = load();
