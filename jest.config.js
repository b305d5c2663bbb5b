/** Fast transform (swc) for jest; type safety comes from the separate `tsc --noEmit` step. */
module.exports = {
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.tsx?$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  testEnvironment: 'node',
  snapshotFormat: { escapeString: false, printBasicPrototype: false },
  testTimeout: 120000,
};
