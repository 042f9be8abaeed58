// Unit tests: exec is faked, nerdctl output comes from recorded fixtures.
import base from './jest.base.config.js'

export default {
  ...base,
  displayName: 'unit',
  testMatch: ['<rootDir>/__tests__/unit/**/*.test.ts'],
  setupFiles: ['<rootDir>/__tests__/helpers/clean-env.ts']
}
