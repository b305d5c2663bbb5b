/** Fast transform (swc) for jest; type safety comes from the separate `tsc --noEmit` step. */
module.exports = {
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.tsx?$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  // jest's node environment, plus what test files may share within a worker for one run.
  testEnvironment: '<rootDir>/test/support/jest-environment.ts',
  // aws-cdk-lib's template validation engine, built once per worker instead of once per test file
  // (test/support/shared-cfn-validate-host.ts says why that is the same validation).
  moduleNameMapper: { '^@aws/cloudformation-validate$': '<rootDir>/test/support/shared-cfn-validate.ts' },
  snapshotFormat: { escapeString: false, printBasicPrototype: false },
  testTimeout: 120000,
  // A private TMPDIR per run; leftovers fail the run (test/support/tmp-teardown.ts).
  // fast-check: a random seed per run, FC_SEED=<n> replays (test/support/fast-check-seed.ts).
  setupFiles: ['<rootDir>/test/support/fast-check-setup.ts'],
  globalSetup: '<rootDir>/test/support/tmp-setup.ts',
  globalTeardown: '<rootDir>/test/support/tmp-teardown.ts',
};
