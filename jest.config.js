// `npm test` runs the quick suite; `npm run test:deep` (LAKEHOUSE_TEST_DEPTH=deep) adds the
// heavy sweeps: files named *.deep.test.ts, and the deep case counts of __tests__/support/depth.ts.
const deep = process.env.LAKEHOUSE_TEST_DEPTH === 'deep';

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: deep ? ['/node_modules/'] : ['/node_modules/', '\\.deep\\.test\\.ts$'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' } }] },
  setupFilesAfterEnv: ['<rootDir>/__tests__/support/setup.ts'],
  // a folder of the run's own, where test files share what they would each compute (support/project-synth.ts)
  globalSetup: '<rootDir>/__tests__/support/global-setup.ts',
  globalTeardown: '<rootDir>/__tests__/support/global-teardown.ts',
  // No test passes or fails by the clock: a slow machine makes the suite slower, never red.
  // Case counts are fixed instead (support/depth.ts); this limit only ends a hung test.
  testTimeout: 30 * 60 * 1000,
  // jest's default leaves a core idle; the tests wait on DuckDB, python and child processes as much as they compute
  maxWorkers: '100%',
};
