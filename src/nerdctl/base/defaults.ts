// The default times and sizes a caller meets or can change (time limits, the
// poll schedule, retries, output bounds), so a reader finds them in one place.
// Limits the tools set themselves stay beside the code they bound: Node's timer
// range and the kill grace in exec/runner.ts, the kernel's argument size in
// exec/client.ts, nerdctl's env-file line in pure/run-args.ts.

/**
 * Time limit of a control call (inspect, ps, rm, stop, login, ...) when
 * neither the call nor the client sets one: such a call that takes this long
 * is hung. Long work (build, push, pull, ...) has no default limit.
 */
export const DEFAULT_TIMEOUT_MS = 2 * 60 * 1000
/** Docker's defaults for a health check that does not set them. */
export const DEFAULT_HEALTH_INTERVAL_MS = 30_000
export const DEFAULT_HEALTH_TIMEOUT_MS = 30_000
/**
 * The one poll schedule of every readiness wait: the first pause after a
 * round of checks is POLL_FIRST_MS, each next one POLL_GROWTH times longer, up
 * to POLL_MAX_MS. A service that answers is seen within about one pause plus
 * one check, whatever its health interval; a round never starts while the one
 * before still runs.
 */
export const POLL_FIRST_MS = 20
export const POLL_GROWTH = 1.5
export const POLL_MAX_MS = 200
/** Docker's default number of failed probes before a container is unhealthy. */
export const DEFAULT_HEALTH_RETRIES = 3
/**
 * The pause of a round that only tried connections from this machine (no
 * nerdctl call): a refused connection costs next to nothing, and a port that
 * starts listening is how most services say they are up, so such rounds come
 * this often instead of on the growing schedule.
 */
export const PORT_WATCH_MS = 20
/** Longest a single port or HTTP probe from this machine may take before it counts as a failure. */
export const DEFAULT_NET_PROBE_TIMEOUT_MS = 2000
/** How long waitForHealthy waits when not told. */
export const DEFAULT_WAIT_TIMEOUT_MS = 120_000
/**
 * Output of a foreground run kept in memory: its tail. The whole of it goes to
 * the logger as it comes when the call streams.
 */
export const FOREGROUND_OUTPUT_BYTES = 1024 * 1024
/**
 * Output of a container exec kept in memory: its tail. A command that prints
 * more returns the last this many bytes, with `truncated` set.
 */
export const EXEC_OUTPUT_BYTES = 1024 * 1024
/**
 * Longest part of a line without a newline that streamed output holds back
 * waiting for its end (characters); past it the part is shown as a line.
 */
export const MAX_PENDING_LINE_CHARS = 64 * 1024
/**
 * The longest duration the action accepts (7 days: longer than any job may
 * run, and well inside the 24.8 days Node's timers can count).
 */
export const MAX_DURATION_MS = 7 * 24 * 60 * 60 * 1000
/** Lines of a container's logs put into an error message. */
export const DEFAULT_LOG_LINES = 50
/**
 * Retries of a registry call (login, pull, push, save) that failed for a
 * transient cause, and the wait before the first; each next wait doubles.
 */
export const DEFAULT_RETRIES = 3
export const DEFAULT_RETRY_DELAY_MS = 2000
/** Longest wait between two tries, a registry's Retry-After included. */
export const MAX_RETRY_DELAY_MS = 60_000
