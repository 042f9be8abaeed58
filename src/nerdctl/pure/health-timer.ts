// Who records health probes: nerdctl 2.1.5+ starts a systemd timer per
// container when systemd is PID 1, unless it runs rootless or its config sets
// `disable_hc_systemd`; otherwise only `nerdctl container healthcheck` records
// one. Pure, so the decision is tested without systemd.

export interface ProbeHostFacts {
  /** `/run/systemd/system` is a directory: systemd is the init system. */
  systemdIsInit: boolean
  /** nerdctl runs as a non-root user without sudo. */
  rootless: boolean
  /** The text of nerdctl's config file (nerdctl.toml), '' when there is none. */
  config: string
}

export function probesOnNerdctlTimer(facts: ProbeHostFacts): boolean {
  if (!facts.systemdIsInit || facts.rootless) return false
  return !/^\s*disable_hc_systemd\s*=\s*true\b/m.test(facts.config)
}
