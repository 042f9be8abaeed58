// Unit tests see the argv a client builds, and under sudo that argv names the
// caller's nerdctl-related variables (BUILDKIT_HOST, NERDCTL_*, proxies...).
// The test command exports some of them for the integration tests; removing
// them here keeps unit tests independent of the machine they run on.
import { sudoKeptEnv } from '../../src/nerdctl/exec/client.js'

for (const name of sudoKeptEnv(process.env)) delete process.env[name]
