// Rootless tests: the action as a user with no root and no sudo, on that
// user's rootless containerd and BuildKit (scripts/rootless-stack.sh, brought
// up and down by the global setup and teardown). Run after the integration
// suite (scripts/test.sh), never beside it: they share ports and registries.
import base from './jest.base.config.js'

export default {
  ...base,
  displayName: 'rootless',
  testMatch: ['<rootDir>/__tests__/rootless/**/*.rootless.test.ts'],
  maxWorkers: 1,
  testTimeout: 180000,
  globalSetup: '<rootDir>/__tests__/rootless/global-setup.ts',
  globalTeardown: '<rootDir>/__tests__/rootless/global-teardown.ts'
}
