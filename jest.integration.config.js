// Integration tests: the real nerdctl, containerd, BuildKit, CNI and registries.
// One file at a time: they share one containerd and ports on 127.0.0.1.
import base from './jest.base.config.js'

export default {
  ...base,
  displayName: 'integration',
  testMatch: ['<rootDir>/__tests__/integration/**/*.itg.test.ts'],
  maxWorkers: 1,
  testTimeout: 180000,
  globalSetup: '<rootDir>/__tests__/integration/global-setup.ts',
  globalTeardown: '<rootDir>/__tests__/integration/global-teardown.ts'
}
