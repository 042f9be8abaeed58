export const id = 428;
export const ids = [428];
export const modules = {

/***/ 8027:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   W: () => (/* binding */ coreLogger)
/* harmony export */ });
/* harmony import */ var _workflow_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4486);
// The library's log lines, sent to the job log through the runner's log commands.

const coreLogger = {
    debug: m => _workflow_js__WEBPACK_IMPORTED_MODULE_0__/* .debug */ .Yz(m),
    info: m => _workflow_js__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(m),
    warning: m => _workflow_js__WEBPACK_IMPORTED_MODULE_0__/* .warning */ .$e(m)
};


/***/ }),

/***/ 754:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  Container: () => (/* reexport */ Container),
  DEFAULT_RETRIES: () => (/* reexport */ DEFAULT_RETRIES),
  DEFAULT_RETRY_DELAY_MS: () => (/* reexport */ DEFAULT_RETRY_DELAY_MS),
  DEFAULT_TIMEOUT_MS: () => (/* reexport */ DEFAULT_TIMEOUT_MS),
  Environment: () => (/* reexport */ Environment),
  FIRST_POLL_MS: () => (/* reexport */ FIRST_POLL_MS),
  MAX_POLL_MS: () => (/* reexport */ MAX_POLL_MS),
  MAX_RETRY_DELAY_MS: () => (/* reexport */ MAX_RETRY_DELAY_MS),
  Nerdctl: () => (/* reexport */ Nerdctl),
  NerdctlError: () => (/* reexport */ errors_NerdctlError),
  atomicOutput: () => (/* reexport */ atomicOutput),
  backoffDelay: () => (/* reexport */ backoffDelay),
  buildArgs: () => (/* reexport */ buildArgs),
  buildMetadata: () => (/* reexport */ buildMetadata),
  buildSteps: () => (/* reexport */ buildSteps),
  checkContainerName: () => (/* reexport */ checkContainerName),
  checkImageReference: () => (/* reexport */ checkImageReference),
  checkNetworkName: () => (/* reexport */ checkNetworkName),
  checkRegistryHost: () => (/* reexport */ checkRegistryHost),
  checkServiceKey: () => (/* reexport */ checkServiceKey),
  classifyRegistryFailure: () => (/* reexport */ classifyRegistryFailure),
  configure: () => (/* reexport */ configure),
  copy: () => (/* reexport */ copy),
  create: () => (/* reexport */ create),
  durationMs: () => (/* reexport */ durationMs),
  errorMessage: () => (/* reexport */ errorMessage),
  exec: () => (/* reexport */ exec),
  execNerdctl: () => (/* reexport */ execNerdctl),
  expandOwnPath: () => (/* reexport */ expandOwnPath),
  exportContainer: () => (/* reexport */ exportContainer),
  exporterOf: () => (/* reexport */ exporterOf),
  formatArgv: () => (/* reexport */ formatArgv),
  formatDuration: () => (/* reexport */ formatDuration),
  getDefaultClient: () => (/* reexport */ getDefaultClient),
  healthCheckArgs: () => (/* reexport */ healthCheckArgs),
  healthcheck: () => (/* reexport */ healthcheck),
  hintFor: () => (/* reexport */ hintFor),
  httpProbe: () => (/* reexport */ httpProbe),
  imageBuild: () => (/* reexport */ imageBuild),
  imageCommit: () => (/* reexport */ imageCommit),
  imageExists: () => (/* reexport */ imageExists),
  imageInspect: () => (/* reexport */ imageInspect),
  imageLoad: () => (/* reexport */ imageLoad),
  imagePull: () => (/* reexport */ imagePull),
  imagePush: () => (/* reexport */ imagePush),
  imageRemove: () => (/* reexport */ imageRemove),
  imageSave: () => (/* reexport */ imageSave),
  imageTag: () => (/* reexport */ imageTag),
  images: () => (/* reexport */ images_images),
  inspect: () => (/* reexport */ inspect),
  isContainerSide: () => (/* reexport */ isContainerSide),
  isImageReference: () => (/* reexport */ isImageReference),
  isNerdctlError: () => (/* reexport */ isNerdctlError),
  isNoSuchContainer: () => (/* reexport */ isNoSuchContainer),
  isNoSuchNetwork: () => (/* reexport */ isNoSuchNetwork),
  list: () => (/* reexport */ list),
  logTail: () => (/* reexport */ logTail),
  login: () => (/* reexport */ login),
  logout: () => (/* reexport */ logout),
  logs: () => (/* reexport */ logs),
  logsText: () => (/* reexport */ logsText),
  nerdctlSaid: () => (/* reexport */ nerdctlSaid),
  networkCreate: () => (/* reexport */ networkCreate),
  networkList: () => (/* reexport */ networkList),
  networkRemove: () => (/* reexport */ networkRemove),
  parseContainerInspect: () => (/* reexport */ parseContainerInspect),
  parseDuration: () => (/* reexport */ parseDuration),
  parseLabelList: () => (/* reexport */ parseLabelList),
  parseRetryAfter: () => (/* reexport */ parseRetryAfter),
  parseSize: () => (/* reexport */ parseSize),
  pollDelay: () => (/* reexport */ pollDelay),
  quoteArg: () => (/* reexport */ quoteArg),
  randomHex: () => (/* reexport */ randomHex),
  readinessChecks: () => (/* reexport */ readinessChecks),
  registryOf: () => (/* reexport */ registryOf),
  remove: () => (/* reexport */ remove),
  removePartials: () => (/* reexport */ removePartials),
  removeTree: () => (/* reexport */ removeTree),
  run: () => (/* reexport */ run),
  runArgs: () => (/* reexport */ runArgs),
  runSpec: () => (/* reexport */ runSpec),
  serviceContainerName: () => (/* reexport */ serviceContainerName),
  showValue: () => (/* reexport */ showValue),
  silentLogger: () => (/* reexport */ silentLogger),
  splitContainerPath: () => (/* reexport */ splitContainerPath),
  startServices: () => (/* reexport */ startServices),
  startWaves: () => (/* reexport */ startWaves),
  stats: () => (/* reexport */ stats),
  stop: () => (/* reexport */ stop),
  tcpProbe: () => (/* reexport */ tcpProbe),
  unpackOutput: () => (/* reexport */ unpackOutput),
  validateEnvironment: () => (/* reexport */ validateEnvironment),
  validateHealthCheck: () => (/* reexport */ validateHealthCheck),
  validateReadiness: () => (/* reexport */ validateReadiness),
  validateSpec: () => (/* reexport */ validateSpec),
  waitFor: () => (/* reexport */ waitFor),
  waitForHealthy: () => (/* reexport */ waitForHealthy),
  withRetry: () => (/* reexport */ withRetry)
});

;// CONCATENATED MODULE: ./src/nerdctl/base/defaults.ts
// Default times and sizes, one home each, so a reader finds every "how long"
// and "how much" of the library in one place.
/**
 * Time limit of a control call (inspect, ps, rm, stop, login, ...) when
 * neither the call nor the client sets one: such a call that takes this long
 * is hung. Long work (build, push, pull, ...) has no default limit.
 */
const DEFAULT_TIMEOUT_MS = 2 * 60 * 1000;
/** Docker's defaults for a health check that does not set them. */
const DEFAULT_HEALTH_INTERVAL_MS = 30_000;
const DEFAULT_HEALTH_TIMEOUT_MS = 30_000;
/**
 * waitForHealthy's quick checks: the first starts this long after the one
 * before, the gap grows by half each time up to the poll limit. A service
 * that answers is seen within about one gap plus one check, and a check is
 * never started while the previous one still runs.
 */
const HEALTH_FIRST_GAP_MS = 50;
const DEFAULT_HEALTH_POLL_MS = 200;
/** Docker's default number of failed probes before a container is unhealthy. */
const DEFAULT_HEALTH_RETRIES = 3;
/**
 * How often waitForHealthy tries the container's published TCP ports: a
 * refused connection on the container's own bridge address costs next to
 * nothing, and a port that starts listening is how most services say they
 * are up, so it is looked at far more often than the health command runs.
 */
const PORT_WATCH_MS = 20;
/** Longest a single port or HTTP probe from this machine may take before it counts as a failure. */
const DEFAULT_NET_PROBE_TIMEOUT_MS = 2000;
/** How long waitForHealthy waits when not told. */
const DEFAULT_WAIT_TIMEOUT_MS = 120_000;
/**
 * Output of a foreground run kept in memory: its tail. The whole of it goes to
 * the logger as it comes when the call streams.
 */
const FOREGROUND_OUTPUT_BYTES = 1024 * 1024;
/** Lines of a container's logs put into an error message. */
const DEFAULT_LOG_LINES = 50;
/**
 * Retries of a registry call (login, pull, push, save) that failed for a
 * transient cause, and the wait before the first; each next wait doubles.
 */
const DEFAULT_RETRIES = 3;
const DEFAULT_RETRY_DELAY_MS = 2000;
/** Longest wait between two tries, a registry's Retry-After included. */
const MAX_RETRY_DELAY_MS = 60_000;

;// CONCATENATED MODULE: ./src/nerdctl/base/text.ts
// Text for messages: how an argv is shown, how long output is shortened, and
// what an unknown thrown value says. Display only: nothing here is ever run.
/** Quotes one argument for display, as a POSIX shell would need it. */
function quoteArg(arg) {
    return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
/** An argv as one line for messages and logs; a huge argument is shown by its start and size. */
function formatArgv(args) {
    return args
        .map(a => a.length > 1000 ? `${quoteArg(a.slice(0, 100))}…(${a.length} characters)` : quoteArg(a))
        .join(' ');
}
/** Shortens text for messages, keeping its end, where nerdctl puts the cause. */
function tail(text, maxChars = 2000) {
    const t = text.trim();
    return t.length <= maxChars ? t : `…${t.slice(t.length - maxChars)}`;
}
/** The message of anything thrown: an Error's message, or the value as text. */
function errorMessage(e) {
    return e instanceof Error ? e.message : String(e);
}
/** A value a user gave, quoted and cut for a message. */
function showValue(value, maxChars = 200) {
    return JSON.stringify(value.length > maxChars ? `${value.slice(0, maxChars)}…` : value);
}

;// CONCATENATED MODULE: ./src/nerdctl/base/errors.ts

class errors_NerdctlError extends Error {
    kind;
    args;
    exitCode;
    stderr;
    stdout;
    text;
    field;
    containerStatus;
    logs;
    constructor(kind, message, details = {}) {
        super(message, details.cause === undefined ? undefined : { cause: details.cause });
        this.name = 'NerdctlError';
        this.kind = kind;
        this.args = details.args ?? [];
        this.exitCode = details.exitCode ?? null;
        this.stderr = details.stderr ?? '';
        this.stdout = details.stdout ?? '';
        this.text = details.text;
        this.field = details.field;
        this.containerStatus = details.containerStatus;
        this.logs = details.logs;
    }
    /** The command line as it ran, for messages. */
    get command() {
        return formatArgv(this.args);
    }
}
function isNerdctlError(e, kind) {
    return e instanceof errors_NerdctlError && (kind === undefined || e.kind === kind);
}
/** A bad value given to the library, found before anything ran. */
function invalidValue(field, message) {
    return new errors_NerdctlError('Other', message, { field });
}
/**
 * Whether nerdctl failed because the container does not exist: what it says
 * then ("no such object x", "no such container x"), not any "no such file"
 * (an unreachable containerd socket says that too).
 */
function isNoSuchContainer(e) {
    return (isNerdctlError(e, 'CommandFailed') &&
        /no such (container|object)\b|container "?[^\s"]+"? not found/i.test(nerdctlSaid(e.stderr)));
}
/** Whether nerdctl failed because a network does not exist ("no network found matching: x"). */
function isNoSuchNetwork(e) {
    return isNerdctlError(e, 'CommandFailed') && /no network found matching\b/i.test(e.stderr);
}
/**
 * What nerdctl said, without its logrus decoration: the `msg` of its error and
 * fatal lines (`time=... level=fatal msg="name \"x\" is already used"`), or the
 * raw text when it printed something else.
 */
function nerdctlSaid(stderr) {
    const messages = [];
    for (const line of stderr.split('\n')) {
        const m = /\blevel=(fatal|error|panic)\b.*?\bmsg="((?:[^"\\]|\\.)*)"/.exec(line);
        if (m)
            messages.push(unquote(m[2]));
    }
    return messages.length > 0 ? messages.join('\n') : stderr.trim();
}
function unquote(s) {
    try {
        return JSON.parse(`"${s}"`);
    }
    catch {
        return s.replace(/\\"/g, '"').replace(/\\n/g, '\n');
    }
}

;// CONCATENATED MODULE: ./src/nerdctl/pure/registry-errors.ts
// Whether a failed registry call (login, pull, push, save) is worth another
// try: a pure function over what nerdctl printed. Transient: the registry
// answered 5xx, 408 or 429, or the connection was refused, reset, dropped or
// timed out, or its name did not resolve. Permanent: credentials refused, the
// image or tag missing, a bad reference, a plain-HTTP/TLS mismatch; retrying
// those only delays the same failure. Anything else is not retried either:
// a retry must be earned by a known cause.
//
// Only nerdctl's error and fatal lines are read for the cause: with --debug
// its debug lines log every response, the normal 401 of a token handshake and
// the 404 of a blob not yet pushed included. The debug lines are read for one
// thing: the registry's Retry-After, which nerdctl's own message leaves out.

const PERMANENT = [
    [
        /unauthorized|authentication required|authorization failed|no basic auth credentials|access denied|\b40[13]\b|forbidden/i,
        'credentials refused'
    ],
    [/invalid reference format|must be lowercase|invalid reference/i, 'bad image reference'],
    [/server gave HTTP response to HTTPS client|x509|certificate/i, 'TLS or plain-HTTP mismatch'],
    [/not found|manifest unknown|name unknown|blob unknown|no such image/i, 'image or tag not found']
];
const TRANSIENT = [
    [/\b(5\d\d|429|408) ([A-Z][A-Za-z ]*[a-z])/, m => `HTTP ${m[1]} ${m[2]}`],
    [/TLS handshake timeout/i, () => 'TLS handshake timeout'],
    [/connection refused/i, () => 'connection refused'],
    [/connection reset|broken pipe|use of closed network connection/i, () => 'connection reset'],
    [/\b(unexpected )?EOF\b/, () => 'connection closed by the registry'],
    [/i\/o timeout|timeout awaiting response headers|deadline exceeded/i, () => 'network timeout'],
    [
        /no such host|server misbehaving|temporary failure in name resolution|lookup \S+ on \S+: /i,
        () => 'registry name did not resolve'
    ]
];
/** Classifies a failed nerdctl registry call by its standard error. */
function classifyRegistryFailure(stderr, now = Date.now()) {
    const said = nerdctlSaid(withoutDebugLines(stderr));
    for (const [re, reason] of PERMANENT)
        if (re.test(said))
            return { transient: false, reason, retryAfterMs: undefined };
    for (const [re, reason] of TRANSIENT) {
        const m = re.exec(said);
        if (m)
            return { transient: true, reason: reason(m), retryAfterMs: retryAfterIn(stderr, now) };
    }
    return { transient: false, reason: 'unknown cause', retryAfterMs: undefined };
}
/** stderr without nerdctl's debug lines: what a message or a hint should read. */
function withoutDebugLines(stderr) {
    return stderr
        .split('\n')
        .filter(l => !isDebugLine(l))
        .join('\n');
}
function isDebugLine(line) {
    return /^time="[^"]*" level=(debug|trace)\b/.test(line);
}
/**
 * The last Retry-After a registry sent, as containerd's debug log shows it
 * (`response.header.retry-after=2` or `="Wed, 21 Oct 2015 07:28:00 GMT"`).
 */
function retryAfterIn(stderr, now = Date.now()) {
    const all = [...stderr.matchAll(/response\.header\.retry-after=(?:"([^"]*)"|(\S+))/gi)];
    const last = all[all.length - 1];
    if (!last)
        return undefined;
    return parseRetryAfter(last[1] ?? last[2] ?? '', now);
}
/** RFC 9110 Retry-After: delay-seconds or an HTTP date; ms from `now`, never negative. */
function parseRetryAfter(value, now = Date.now()) {
    const v = value.trim();
    if (/^\d+$/.test(v))
        return Number(v) * 1000;
    // An HTTP date names its day and month; Date.parse alone takes "-3" for a year.
    if (!/[A-Za-z]{3}/.test(v))
        return undefined;
    const at = Date.parse(v);
    if (Number.isNaN(at))
        return undefined;
    return Math.max(0, at - now);
}
/**
 * The wait before retry number `n` (1 for the first): `baseMs` doubled for
 * each retry before it, spread by ±20 % so runners that failed together do
 * not come back together, at least what the registry asked for, at most
 * `maxMs`. `random` is in [0, 1).
 */
function backoffDelay(n, baseMs, maxMs, retryAfterMs, random) {
    const backoff = baseMs * 2 ** Math.max(0, n - 1) * (0.8 + 0.4 * random);
    return Math.round(Math.min(maxMs, Math.max(backoff, retryAfterMs ?? 0)));
}

;// CONCATENATED MODULE: ./src/nerdctl/pure/hints.ts
// What to tell a user when nerdctl fails: a sentence on the fix for each cause
// users hit most, found by what nerdctl prints for it. Pure: stderr in, a
// hint out. The troubleshooting guide (docs/troubleshooting.md) has one entry
// per id here, under that id as its anchor; a unit test keeps the two in step.

/** The failures exec/client.ts reports on its own, with the fix each message ends with. */
const CLIENT_FAILURES = {
    binaryNotFound: {
        id: 'nerdctl-not-found',
        hint: 'install nerdctl, or set the binary option to its path'
    },
    sudoNotFound: {
        id: 'sudo-not-found',
        hint: 'install sudo, or run as root without the sudo option'
    },
    timeout: {
        id: 'timeout',
        hint: 'Raise the timeout if the command is slow, or check that containerd answers.'
    },
    cancelled: { id: 'cancelled' }
};
// The causes users hit most, by what nerdctl prints for them.
const HINTS = [
    {
        id: 'containerd-down',
        match: /containerd\.sock.*(no such file|connection refused)|failed to dial.*containerd|cannot access containerd socket/i,
        hint: 'containerd is not running or its socket is elsewhere: start containerd, or set the `address` option to its socket.'
    },
    {
        id: 'buildkit-down',
        match: /buildkitd|buildctl|buildkit.*(sock|connect)|no buildkit host/i,
        hint: 'nerdctl build needs a running buildkitd and buildctl on PATH: start buildkitd, or set the `buildkitHost` option (BUILDKIT_HOST).'
    },
    {
        // Before not-root: sudo refused, so nerdctl never ran.
        id: 'sudo-password',
        match: /^sudo: (a password is required|a terminal is required)|is not in the sudoers file|is not allowed to (run|execute)/im,
        hint: "sudo refused to run nerdctl without a password (the `sudo` option runs `sudo -n`): give the runner's user password-less sudo in a sudoers drop-in (e.g. `runner ALL=(ALL:ALL) NOPASSWD: ALL`), or run as root, or use rootless nerdctl without `sudo`."
    },
    {
        id: 'not-root',
        match: /permission denied|operation not permitted|must be run as root|rootless/i,
        hint: 'nerdctl was refused access: run as root, or set the `sudo` option so commands run through `sudo -n`.'
    },
    {
        // Before the unreachable-registry hint: a TLS hello answered in plain HTTP.
        id: 'tls-insecure',
        match: /http: server gave HTTP response to HTTPS client|first record does not look like a TLS handshake|x509|certificate/i,
        hint: 'the registry speaks plain HTTP or has an untrusted certificate: add its host to the insecure registries (the `insecure-registries` input, the `insecureRegistries` option); loopback registries need nothing.'
    },
    {
        id: 'rate-limited',
        match: /\b429 Too Many Requests|TOOMANYREQUESTS|rate limit/i,
        hint: 'the registry is rate limiting this runner (HTTP 429): give retries more time (`retries`, `retry-delay`), log in (logged-in clients get higher limits), or pull through a mirror.'
    },
    {
        id: 'registry-error',
        match: /unexpected status from \w+ request to \S+: 5\d\d\b/,
        hint: 'the registry failed (HTTP 5xx): it is down, restarting or overloaded; transient failures are retried (`retries`, `retry-delay`), so if they all failed, try again later or ask its operator.'
    },
    {
        id: 'registry-unreachable',
        match: /connection refused|connection reset|use of closed network connection|broken pipe|no such host|server misbehaving|temporary failure in name resolution|lookup \S+ on \S+: |i\/o timeout|TLS handshake timeout/i,
        hint: "could not reach the registry (connection refused, reset or timed out, or its name does not resolve): check its host and port, that it runs, and the runner's network, proxy and DNS."
    },
    {
        id: 'name-in-use',
        match: /name .* (is )?already used|already in use|already exists/i,
        hint: 'a container or image with that name already exists: choose another name, or remove the existing one first.'
    },
    {
        id: 'container-not-found',
        match: /no such (container|object)|container .* not found|no such id/i,
        hint: 'the container does not exist (anymore): check its name or ID with `nerdctl ps -a`.'
    },
    {
        id: 'unauthorized',
        // Before the image hint: a refused push also says "repository does not exist".
        match: /unauthorized|authentication required|authorization failed|no basic auth credentials|push access denied|\b401\b/i,
        hint: 'the registry refused the request for want of credentials: log in first (login, or the registry/username/password inputs), or check them.'
    },
    {
        id: 'image-not-found',
        match: /image not available|image "[^"]*": not found|failed to resolve image: \S+: not found|no such image|failed to resolve reference|pull access denied|manifest unknown/i,
        hint: 'the image was not found: check its name and tag, pull it, or log in to its registry first.'
    },
    {
        id: 'sudo-secure-path',
        match: /^sudo: .*(command not found|not found)/im,
        hint: "sudo could not find nerdctl on its secure_path: set the binary option to nerdctl's full path."
    }
];
/** A sentence on how to fix the failure, when its cause is a common one. */
function hintFor(stderr) {
    // Debug lines log every response of a normal exchange (a 401 before the
    // token, a 404 for a blob not yet pushed): not causes.
    const text = withoutDebugLines(stderr);
    const hint = HINTS.find(h => h.match.test(text))?.hint;
    const wait = retryAfterIn(stderr);
    if (hint?.includes('HTTP 429') && wait !== undefined)
        return hint.replace('(HTTP 429)', `(HTTP 429; it asked to wait ${Math.ceil(wait / 1000)} s)`);
    return hint;
}

;// CONCATENATED MODULE: ./src/nerdctl/pure/validate.ts
// One rule per kind of value a caller gives: container names, image
// references, registry hosts. The library checks with these before anything
// runs, and the action checks its inputs with the same ones, so "valid" means
// one thing everywhere. Messages name the value and the form expected; they
// never name an action input (the action maps `field` to its input).


/** nerdctl's (and Docker's) rule for container names. */
const CONTAINER_NAME_BODY = '[a-zA-Z0-9][a-zA-Z0-9_.-]*';
const CONTAINER_NAME = new RegExp(`^${CONTAINER_NAME_BODY}$`);
/** A name or ID of an existing container, or a name for a new one. */
function checkContainerName(value, what = 'container name', field = 'name') {
    if (!CONTAINER_NAME.test(value)) {
        throw invalidValue(field, `${what} ${showValue(value)} is invalid: use letters, digits, "_", "." and "-", starting with a letter or digit`);
    }
}
/**
 * Image references as the distribution spec writes them: an optional
 * registry host (with port), path components, then `:tag` and/or `@digest`.
 * The first character is a letter or digit, so a reference is never an option.
 */
const IMAGE_REFERENCE = /^[a-z0-9]+(?:[._-][a-z0-9]+|[:.][0-9]+)*(?:[/:@.][a-zA-Z0-9._:@+-]+)*$/i;
function isImageReference(value) {
    return value.length > 0 && !/\s/.test(value) && IMAGE_REFERENCE.test(value);
}
function checkImageReference(value, what = 'image', field = 'image') {
    if (!isImageReference(value)) {
        throw invalidValue(field, `${what} ${showValue(value)} is not an image reference: expected e.g. "busybox:stable", "127.0.0.1:5000/app:1.0" or "app@sha256:…"`);
    }
}
/** The registry host of an image reference (`docker.io` when it names none). */
function registryOf(reference) {
    const slash = reference.indexOf('/');
    if (slash < 0)
        return 'docker.io';
    const first = reference.slice(0, slash);
    return first.includes('.') || first.includes(':') || first === 'localhost' ? first : 'docker.io';
}
/** A container to act on: a name or an ID (full or short), never an option. */
function checkContainerRef(value) {
    checkContainerName(value, 'container', 'container');
}
/**
 * A path on this machine that nerdctl reads as a positional argument: one
 * starting with "-" is given as "./-…", the same file, so it cannot be taken
 * for an option.
 */
function hostPathArg(p) {
    return p.startsWith('-') ? `./${p}` : p;
}
/** `host`, `host:port`, `[v6]:port`: what login, logout and insecure-registries take. */
const REGISTRY_HOST = /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9.-]*[a-zA-Z0-9])?|\[[0-9a-fA-F:]+\])(?::\d{1,5})?$/;
function checkRegistryHost(value, what = 'registry', field = 'registry') {
    if (!REGISTRY_HOST.test(value)) {
        throw invalidValue(field, `${what} ${showValue(value)} is not a registry host: expected e.g. "ghcr.io" or "127.0.0.1:5000", without a scheme or path`);
    }
}
/** `container:/path` (or `id:/path`), as opposed to a host path. */
const CONTAINER_PATH = new RegExp(`^(${CONTAINER_NAME_BODY}):(.*)$`);
function splitContainerPath(p) {
    const m = CONTAINER_PATH.exec(p);
    return m ? { container: m[1], path: m[2] } : undefined;
}
/** Whether a copy side is in a container: `name:/path`, or `:/path` for the container at hand. */
function isContainerSide(p) {
    return p.startsWith(':/') || splitContainerPath(p)?.path.startsWith('/') === true;
}
/** `:/path` means "this container": the one `ref` names. Other paths are left as they are. */
function expandOwnPath(p, ref) {
    return p.startsWith(':/') ? `${ref}${p}` : p;
}
/** nerdctl's rule for network names is the container-name rule. */
function checkNetworkName(value, what = 'network name', field = 'network') {
    if (!CONTAINER_NAME.test(value)) {
        throw invalidValue(field, `${what} ${showValue(value)} is invalid: use letters, digits, "_", "." and "-", starting with a letter or digit`);
    }
}
/**
 * A service key: it becomes the container's host name (how the others reach
 * it) and the end of its container name, so it must be both: letters, digits,
 * "-" and "_", starting with a letter or digit, at most 63 characters.
 */
const SERVICE_KEY = /^[a-zA-Z0-9][a-zA-Z0-9_-]{0,62}$/;
function checkServiceKey(value, field = 'services') {
    if (!SERVICE_KEY.test(value)) {
        throw invalidValue(field, `service key ${showValue(value)} is invalid: it becomes a host name, so use letters, digits, "-" and "_", starting with a letter or digit (at most 63)`);
    }
}

;// CONCATENATED MODULE: ./src/nerdctl/pure/units.ts
// Units as nerdctl prints and reads them: human sizes ("1.5MiB", "12kB"),
// percentages, and Go durations ("1m30s"), to and from numbers.

const SIZE_UNITS = {
    b: 1,
    kb: 1e3,
    mb: 1e6,
    gb: 1e9,
    tb: 1e12,
    pb: 1e15,
    eb: 1e18,
    kib: 1024,
    mib: 1024 ** 2,
    gib: 1024 ** 3,
    tib: 1024 ** 4,
    pib: 1024 ** 5,
    // `stats` shows an unlimited container's memory limit as 8EiB.
    eib: 1024 ** 6
};
/**
 * Human sizes as nerdctl prints them to bytes: decimal units ("12kB", "1.5 MB",
 * from go-units HumanSize, used by `images`) and binary units ("1.5MiB", from
 * BytesSize, used by `stats`). A bare number is bytes.
 */
function parseSize(text) {
    const m = /^\s*(\d+(?:\.\d+)?(?:e[+-]?\d+)?)\s*([a-z]*)\s*$/i.exec(text);
    const unit = m ? SIZE_UNITS[(m[2] ?? '').toLowerCase() || 'b'] : undefined;
    if (!m || unit === undefined) {
        throw new errors_NerdctlError('ConversionError', `"${text}" is not a size: expected a number with a unit such as 512B, 12kB, 1.5MiB or 2GB`, { text });
    }
    return Math.round(Number(m[1]) * unit);
}
/** "used / limit" pairs of `stats` ("1.2MiB / 3.9GiB", "0B / 0B") to bytes. */
function parseSizePair(text) {
    const parts = text.split('/');
    if (parts.length !== 2) {
        throw new NerdctlError('ConversionError', `"${text}" is not a pair of sizes like "1.2MiB / 3.9GiB"`, {
            text
        });
    }
    return [parseSize(parts[0]), parseSize(parts[1])];
}
/** "12.34%" to 12.34; "--" (no data yet) to 0. */
function parsePercent(text) {
    const t = text.trim();
    if (t === '--' || t === '')
        return 0;
    const m = /^(-?\d+(?:\.\d+)?)\s*%$/.exec(t);
    if (!m) {
        throw new errors_NerdctlError('ConversionError', `"${text}" is not a percentage like "12.5%"`, {
            text
        });
    }
    return Number(m[1]);
}
const DURATION_UNITS = {
    ns: 1e-6,
    us: 1e-3,
    µs: 1e-3,
    μs: 1e-3,
    ms: 1,
    s: 1000,
    m: 60_000,
    h: 3_600_000
};
/** Go durations ("1m30s", "500ms", "1.5h", "0") to milliseconds. */
function parseDuration(text) {
    const t = text.trim();
    if (t === '0')
        return 0;
    const re = /(\d+(?:\.\d+)?)(ns|us|µs|μs|ms|s|m|h)/gy;
    let total = 0;
    let matched = 0;
    let m;
    while ((m = re.exec(t)) !== null) {
        total += Number(m[1]) * DURATION_UNITS[m[2]];
        matched = re.lastIndex;
    }
    if (t === '' || matched !== t.length) {
        throw new errors_NerdctlError('ConversionError', `"${text}" is not a duration: expected a Go duration such as 500ms, 30s, 1m30s or 2h`, { text });
    }
    return total;
}
/** A Duration (Go duration text, or milliseconds) in milliseconds. */
function durationMs(d) {
    return typeof d === 'number' ? d : parseDuration(d);
}
/** Milliseconds back to a Go duration nerdctl accepts ("90000" -> "1m30s"). */
function formatDuration(ms) {
    // Whole nanoseconds, Go's resolution, so "250us" survives the round trip.
    let rest = Math.round(ms * 1e6);
    if (rest <= 0)
        return '0s';
    const units = [
        ['h', 3_600e9],
        ['m', 60e9],
        ['s', 1e9],
        ['ms', 1e6],
        ['us', 1e3],
        ['ns', 1]
    ];
    let out = '';
    for (const [unit, size] of units) {
        const n = Math.floor(rest / size);
        if (n > 0)
            out += `${n}${unit}`;
        rest -= n * size;
    }
    return out;
}

;// CONCATENATED MODULE: ./src/nerdctl/pure/json.ts
// Reading nerdctl's JSON: inspect prints one array, `--format '{{json .}}'`
// one object per line. Fields are read through typed accessors, so a field of
// an unexpected type becomes a default instead of `undefined` flowing on.

function jsonError(what, text, cause) {
    return new errors_NerdctlError('JsonParseError', `could not read ${what} from nerdctl's output: ${snippet(text)}`, {
        text,
        cause
    });
}
function snippet(text) {
    const t = text.trim();
    return t.length > 300 ? `${t.slice(0, 300)}…` : t || '(empty output)';
}
/** Parses `nerdctl inspect` output: a JSON array of objects. */
function parseJsonArray(text, what = 'inspect output') {
    let value;
    try {
        value = JSON.parse(text);
    }
    catch (e) {
        throw jsonError(what, text, e);
    }
    if (!Array.isArray(value) || !value.every(isObject))
        throw jsonError(what, text);
    return value;
}
/** Parses `--format '{{json .}}'` output: one JSON object per non-empty line. */
function parseJsonLines(text, what = 'JSON lines') {
    const out = [];
    for (const line of text.split('\n')) {
        const l = line.trim();
        if (!l)
            continue;
        let value;
        try {
            value = JSON.parse(l);
        }
        catch (e) {
            throw jsonError(what, l, e);
        }
        if (!isObject(value))
            throw jsonError(what, l);
        out.push(value);
    }
    return out;
}
function isObject(v) {
    return typeof v === 'object' && v !== null && !Array.isArray(v);
}
function str(o, key) {
    const v = o?.[key];
    return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';
}
function num(o, key) {
    const v = o?.[key];
    return typeof v === 'number' ? v : undefined;
}
function bool(o, key) {
    return o?.[key] === true;
}
function obj(o, key) {
    const v = o?.[key];
    return isObject(v) ? v : undefined;
}
function arr(o, key) {
    const v = o?.[key];
    return Array.isArray(v) ? v : [];
}

;// CONCATENATED MODULE: ./src/nerdctl/pure/inspect.ts


function labelsOf(config) {
    const out = {};
    const labels = obj(config, 'Labels');
    for (const [k, v] of Object.entries(labels ?? {}))
        if (typeof v === 'string')
            out[k] = v;
    return out;
}
// nerdctl keeps the health check in a label, durations in nanoseconds; the
// Docker-compatible Config.Healthcheck stays null.
function healthCheckOf(labels) {
    const raw = labels['nerdctl/healthcheck'];
    if (!raw)
        return undefined;
    let hc;
    try {
        hc = JSON.parse(raw);
    }
    catch (e) {
        throw jsonError('the health check label', raw, e);
    }
    if (!isObject(hc))
        return undefined;
    const test = arr(hc, 'Test').filter((t) => typeof t === 'string');
    if (test.length === 0 || test[0] === 'NONE')
        return undefined;
    const cmd = test[0] === 'CMD-SHELL'
        ? test.slice(1).join(' ')
        : test.slice(test[0] === 'CMD' ? 1 : 0).join(' ');
    // Go duration text, as users write it: nerdctl keeps nanoseconds.
    const ns = (key) => {
        const v = num(hc, key);
        return v ? formatDuration(v / 1e6) : undefined;
    };
    return {
        cmd,
        interval: ns('Interval'),
        timeout: ns('Timeout'),
        retries: num(hc, 'Retries'),
        startPeriod: ns('StartPeriod')
    };
}
/** One container of `nerdctl inspect` output as a ContainerStatus. */
function toContainerStatus(c) {
    const state = obj(c, 'State');
    const config = obj(c, 'Config');
    const labels = labelsOf(config);
    const healthJson = obj(state, 'Health');
    const health = healthJson && {
        status: str(healthJson, 'Status'),
        failingStreak: num(healthJson, 'FailingStreak') ?? 0,
        log: arr(healthJson, 'Log')
            .filter(isObject)
            .map(p => ({
            start: str(p, 'Start'),
            end: str(p, 'End'),
            exitCode: num(p, 'ExitCode') ?? -1,
            output: str(p, 'Output')
        }))
    };
    const healthCheck = healthCheckOf(labels);
    // A container created but never started has an empty status.
    const stateName = str(state, 'Status') || 'created';
    const exitCode = num(state, 'ExitCode') ?? 0;
    const healthStatus = health?.status || (healthCheck ? 'starting' : 'none');
    const ports = [];
    for (const [containerPort, bindings] of Object.entries(obj(obj(c, 'NetworkSettings'), 'Ports') ?? {})) {
        for (const b of Array.isArray(bindings) ? bindings : []) {
            if (isObject(b))
                ports.push({ containerPort, hostIp: str(b, 'HostIp'), hostPort: str(b, 'HostPort') });
        }
    }
    let status = stateName === 'exited' ? `exited (${exitCode})` : stateName;
    if (healthStatus !== 'none' && stateName === 'running')
        status += ` (${healthStatus})`;
    return {
        id: str(c, 'Id'),
        name: str(c, 'Name').replace(/^\//, ''),
        image: str(c, 'Image'),
        state: stateName,
        status,
        running: bool(state, 'Running'),
        paused: bool(state, 'Paused'),
        restarting: bool(state, 'Restarting'),
        exitCode,
        pid: num(state, 'Pid') ?? 0,
        error: str(state, 'Error'),
        created: str(c, 'Created'),
        started: str(state, 'StartedAt'),
        finished: str(state, 'FinishedAt'),
        restartCount: num(c, 'RestartCount') ?? 0,
        healthStatus,
        health,
        healthCheck,
        labels,
        ports,
        ipAddress: str(obj(c, 'NetworkSettings'), 'IPAddress')
    };
}
/** `nerdctl inspect` of one container. */
function parseContainerInspect(text) {
    const [first] = parseJsonArray(text, 'container inspect output');
    if (!first)
        throw jsonError('container inspect output', text);
    return toContainerStatus(first);
}

;// CONCATENATED MODULE: ./src/nerdctl/pure/run-args.ts
// Pure: a container spec in, the exact `nerdctl run`/`create` argv out. Kept
// apart from Container so every option can be proven by a table test without
// running anything. Order is the order given (env, ports, labels), so the same
// spec always gives the same argv.



const RESTART = /^(no|always|unless-stopped|on-failure(:\d+)?)$/;
// [IP:[HOST_PORT]:]CONTAINER_PORT or HOST_PORT:CONTAINER_PORT; ports may be
// ranges. "127.0.0.1::5432" (an IP, any free host port) is valid, as in nerdctl.
const PORT = /^(?:(?:\d{1,3}(?:\.\d{1,3}){3}|\[[0-9a-f:]+\]):(?:\d{1,5}(?:-\d{1,5})?)?:|\d{1,5}(?:-\d{1,5})?:)?\d{1,5}(?:-\d{1,5})?(?:\/(?:tcp|udp|sctp))?$/i;
const ENV_KEY = /^[^=\s]+$/;
function invalid(field, message) {
    return invalidValue(field, message);
}
/** Checks a spec before anything runs; says what is wrong and what is expected. */
function validateSpec(spec) {
    checkImageReference(spec.image);
    if (spec.name !== undefined)
        checkContainerName(spec.name);
    for (const p of spec.ports ?? []) {
        // Every number in it must be a port (1-65535 for hosts, container ports too).
        const numbers = p.replace(/^(\d{1,3}(\.\d{1,3}){3}|\[[0-9a-f:]+\]):/i, '').match(/\d+/g) ?? [];
        if (!PORT.test(p) || numbers.some(n => Number(n) < 1 || Number(n) > 65535)) {
            throw invalid('ports', `port "${p}" is invalid: expected [IP:][HOST_PORT:]CONTAINER_PORT[/PROTO], e.g. "8080:80" or "127.0.0.1:8080:80/tcp"`);
        }
    }
    for (const v of spec.volumes ?? []) {
        if (!v || v.startsWith(':') || v.split(':').length > 3) {
            throw invalid('volumes', `volume "${v}" is invalid: expected SOURCE:TARGET[:OPTIONS] or a container path, e.g. "/data:/var/lib/data:ro"`);
        }
    }
    for (const [k] of spec.env ?? []) {
        if (!ENV_KEY.test(k))
            throw invalid('env', `environment variable name "${k}" is invalid: it must be non-empty, without "=" or spaces`);
    }
    for (const [k] of spec.labels ?? []) {
        if (!ENV_KEY.test(k))
            throw invalid('labels', `label key "${k}" is invalid: it must be non-empty, without "=" or spaces`);
    }
    const aliases = spec.networkAliases ?? [];
    if (aliases.length > 1 ||
        (aliases.length === 1 && spec.hostname !== undefined && spec.hostname !== aliases[0])) {
        throw invalid('networkAliases', `network aliases ${JSON.stringify(aliases)} cannot all be had: nerdctl has no --network-alias; ` +
            'other containers on the network reach this one by its name and by its hostname, so give at most one alias (it becomes the hostname)');
    }
    for (const alias of aliases) {
        if (!/^[a-zA-Z0-9]([a-zA-Z0-9.-]*[a-zA-Z0-9])?$/.test(alias)) {
            throw invalid('networkAliases', `network alias "${alias}" is not a valid host name: use letters, digits, "-" and "."`);
        }
    }
    if (spec.restartPolicy !== undefined && !RESTART.test(spec.restartPolicy)) {
        throw invalid('restartPolicy', `restart policy "${spec.restartPolicy}" is invalid: expected no, always, unless-stopped, on-failure or on-failure:N`);
    }
    if (spec.cpuLimit !== undefined &&
        !(/^\d+(\.\d+)?$/.test(spec.cpuLimit) && Number(spec.cpuLimit) > 0)) {
        throw invalid('cpuLimit', `CPU limit "${spec.cpuLimit}" is invalid: expected a positive number of CPUs such as 0.5 or 2`);
    }
    if (spec.cpuShares !== undefined && !/^\d+$/.test(spec.cpuShares)) {
        throw invalid('cpuShares', `CPU shares "${spec.cpuShares}" is invalid: expected a whole number such as 512 or 1024`);
    }
    for (const [field, what, value] of [
        ['memoryLimit', 'memory limit', spec.memoryLimit],
        ['memorySwapLimit', 'memory+swap limit', spec.memorySwapLimit]
    ]) {
        // nerdctl reads these with go-units RAMInBytes: 512m, 512MB, 1GiB, 1.5g, at
        // most one space before the unit. Only the swap limit may be -1 (unlimited).
        const unlimited = field === 'memorySwapLimit' && value === '-1';
        if (value !== undefined && !unlimited && !/^\d+(\.\d+)? ?([kmgtp]i?b?|b)?$/i.test(value)) {
            throw invalid(field, `${what} "${value}" is invalid: expected a number with an optional unit b, k, m or g, e.g. 512m or 1g` +
                (field === 'memorySwapLimit' ? ', or -1 for unlimited swap' : ''));
        }
    }
    if (spec.healthCheck)
        validateHealthCheck(spec.healthCheck);
    if (spec.autoRemove && spec.restartPolicy && spec.restartPolicy !== 'no') {
        throw invalid('autoRemove', `autoRemove (--rm) cannot be combined with restart policy "${spec.restartPolicy}": choose one`);
    }
}
/** The argv of `nerdctl run` (or `create`) for a spec, after validating it. */
function runArgs(spec, subcommand = 'run') {
    validateSpec(spec);
    const a = [];
    // --snapshotter is a global flag of nerdctl, so it goes before the subcommand.
    if (spec.snapshotter)
        a.push('--snapshotter', spec.snapshotter);
    a.push(subcommand);
    if (subcommand === 'run' && spec.detach !== false)
        a.push('-d');
    if (spec.name)
        a.push('--name', spec.name);
    if (spec.pull)
        a.push('--pull', spec.pull);
    if (spec.autoRemove)
        a.push('--rm');
    for (const p of spec.ports ?? [])
        a.push('-p', p);
    for (const v of spec.volumes ?? [])
        a.push('-v', v);
    for (const [k, v] of spec.env ?? [])
        a.push('-e', `${k}=${v}`);
    for (const [k, v] of spec.labels ?? [])
        a.push('--label', `${k}=${v}`);
    if (spec.network)
        a.push('--network', spec.network);
    if (spec.cpuLimit)
        a.push('--cpus', spec.cpuLimit);
    if (spec.memoryLimit)
        a.push('--memory', spec.memoryLimit);
    if (spec.memorySwapLimit)
        a.push('--memory-swap', spec.memorySwapLimit);
    if (spec.cpuShares)
        a.push('--cpu-shares', spec.cpuShares);
    if (spec.restartPolicy)
        a.push('--restart', spec.restartPolicy);
    if (spec.healthCheck)
        a.push(...healthCheckArgs(spec.healthCheck));
    if (spec.workdir)
        a.push('--workdir', spec.workdir);
    if (spec.user)
        a.push('--user', spec.user);
    // nerdctl has no --network-alias; it lists each container's hostname in the
    // /etc/hosts of the others on its network, so one alias is the hostname.
    const hostname = spec.hostname ?? spec.networkAliases?.[0];
    if (hostname)
        a.push('--hostname', hostname);
    let command = [...(spec.command ?? [])];
    if (spec.entrypoint !== undefined) {
        // nerdctl's --entrypoint takes one executable; the rest of an array
        // entrypoint goes before the command, as Docker's exec form does.
        const ep = typeof spec.entrypoint === 'string' ? [spec.entrypoint] : [...spec.entrypoint];
        if (ep.length === 0 || !ep[0])
            throw invalid('entrypoint', 'entrypoint is empty: give the executable to run, e.g. "/bin/sh"');
        a.push('--entrypoint', ep[0]);
        command = [...ep.slice(1), ...command];
    }
    a.push(...(spec.extraArgs ?? []));
    a.push(spec.image, ...command);
    return a;
}
function checkDuration(what, value) {
    if (value === undefined)
        return;
    const ok = typeof value === 'number' ? Number.isFinite(value) && value >= 0 : isDuration(value);
    if (!ok) {
        throw invalidValue('healthCheck', `health check ${what} "${value}" is invalid: expected a Go duration such as 500ms, 30s or 1m30s`);
    }
}
function isDuration(text) {
    try {
        parseDuration(text);
        return true;
    }
    catch {
        return false;
    }
}
/** Checks a health check; says what is wrong and what is expected. */
function validateHealthCheck(hc) {
    if (!hc.cmd.trim()) {
        throw invalidValue('healthCheck', 'health check command is empty: give a shell command such as "wget -q -O- http://localhost/ || exit 1"');
    }
    checkDuration('interval', hc.interval);
    checkDuration('timeout', hc.timeout);
    checkDuration('start period', hc.startPeriod);
    if (hc.retries !== undefined && (!Number.isInteger(hc.retries) || hc.retries < 1)) {
        throw invalidValue('healthCheck', `health check retries "${hc.retries}" is invalid: expected a whole number of at least 1`);
    }
}
/** The `nerdctl run` flags of a health check, after validating it. */
function healthCheckArgs(hc) {
    validateHealthCheck(hc);
    const a = ['--health-cmd', hc.cmd];
    // Normalised ("1m30s") so nerdctl's Go parser reads exactly what we validated.
    if (hc.interval !== undefined && hc.interval !== '')
        a.push('--health-interval', formatDuration(durationMs(hc.interval)));
    if (hc.timeout !== undefined && hc.timeout !== '')
        a.push('--health-timeout', formatDuration(durationMs(hc.timeout)));
    if (hc.retries !== undefined)
        a.push('--health-retries', String(hc.retries));
    if (hc.startPeriod !== undefined && hc.startPeriod !== '')
        a.push('--health-start-period', formatDuration(durationMs(hc.startPeriod)));
    return a;
}

;// CONCATENATED MODULE: ./src/nerdctl/pure/readiness.ts
// Pure parts of readiness: the polling schedule, what a log or an HTTP answer
// means for a check, and the validation of a readiness spec. The waiting
// itself (which needs the container and the network) is ops/readiness.ts.

/** The first pause between rounds of checks; each next one doubles it. */
const FIRST_POLL_MS = 20;
/** The longest pause between two rounds: a service is seen ready this soon after it is. */
const MAX_POLL_MS = 250;
/**
 * The pause before round `round` (0-based) of checks: tens of milliseconds at
 * first, doubling, never more than MAX_POLL_MS. Unlike a health check's
 * interval it does not grow past that: a service that takes a minute is still
 * seen within a quarter second of being ready.
 */
function pollDelay(round, maxMs = MAX_POLL_MS) {
    return Math.min(maxMs, FIRST_POLL_MS * 2 ** Math.min(round, 16));
}
/** How many lines of `text` match `pattern`. */
function countMatches(text, pattern) {
    let n = 0;
    for (const line of text.split(/\r?\n/))
        if (pattern.test(line))
            n++;
    return n;
}
/** Why an HTTP answer does not make the service ready, or undefined when it does. */
function httpMismatch(check, status, body) {
    const statusOk = check.status === undefined ? status >= 200 && status < 300 : status === check.status;
    if (!statusOk)
        return `status ${status}, expected ${check.status ?? '2xx'}`;
    if (check.body !== undefined && !body.includes(check.body))
        return `status ${status} but the body does not contain ${JSON.stringify(check.body)}`;
    return undefined;
}
/** The checks of a spec, named for messages: "port 5432", "http :80/health", ... */
function readinessChecks(spec, hasHealthCheck) {
    const checks = [];
    if (spec.health ?? hasHealthCheck)
        checks.push('health');
    for (const p of spec.ports ?? [])
        checks.push(`port ${p}`);
    if (spec.http)
        checks.push(`http :${spec.http.port}${spec.http.path ?? '/'}`);
    if (spec.log)
        checks.push(`log /${spec.log.pattern}/${(spec.log.times ?? 1) > 1 ? ` x${spec.log.times}` : ''}`);
    if (spec.exec !== undefined)
        checks.push('exec');
    return checks;
}
const isPort = (p) => Number.isInteger(p) && p >= 1 && p <= 65535;
/** Checks a readiness spec before anything runs. */
function validateReadiness(spec, field = 'readiness') {
    for (const p of spec.ports ?? [])
        if (!isPort(p))
            throw invalidValue(field, `port ${p} is not a port number (1-65535)`);
    if (spec.http) {
        if (!isPort(spec.http.port))
            throw invalidValue(field, `http port ${spec.http.port} is not a port number (1-65535)`);
        const path = spec.http.path ?? '/';
        if (!path.startsWith('/') || /\s/.test(path))
            throw invalidValue(field, `http path ${JSON.stringify(path)} must start with "/" and hold no spaces`);
        const s = spec.http.status;
        if (s !== undefined && !(Number.isInteger(s) && s >= 100 && s <= 599))
            throw invalidValue(field, `http status ${s} is not an HTTP status (100-599)`);
    }
    if (spec.log) {
        try {
            new RegExp(spec.log.pattern);
        }
        catch (e) {
            throw invalidValue(field, `log pattern ${JSON.stringify(spec.log.pattern)} is not a regular expression: ${String(e)}`);
        }
        const t = spec.log.times;
        if (t !== undefined && !(Number.isInteger(t) && t >= 1))
            throw invalidValue(field, `log times ${t} must be a whole number of at least 1`);
    }
    if (spec.exec !== undefined) {
        const empty = typeof spec.exec === 'string' ? !spec.exec.trim() : spec.exec.length === 0;
        if (empty)
            throw invalidValue(field, 'exec needs a command: a shell string or a list');
    }
    if (spec.timeoutMs !== undefined && !(spec.timeoutMs > 0))
        throw invalidValue(field, `timeout ${spec.timeoutMs} ms must be positive`);
}

;// CONCATENATED MODULE: ./src/nerdctl/pure/services.ts
// Pure parts of a service environment: the start order its depends-on lists
// give (checked for unknown keys and cycles before anything starts), and the
// names its containers get.




/**
 * The services in waves: each wave depends only on earlier ones, so a wave
 * can start together. Throws on an unknown key, a service depending on
 * itself, or a cycle (named in the message), before anything starts.
 */
function startWaves(services, field = 'services') {
    const keys = Object.keys(services);
    for (const key of keys) {
        for (const dep of services[key]?.dependsOn ?? []) {
            if (dep === key)
                throw invalidValue(field, `service "${key}" depends on itself`);
            if (!(dep in services))
                throw invalidValue(field, `service "${key}" depends on "${dep}", which is not a service here (services: ${keys.join(', ')})`);
        }
    }
    const waves = [];
    const placed = new Set();
    while (placed.size < keys.length) {
        const wave = keys.filter(k => !placed.has(k) && (services[k]?.dependsOn ?? []).every(d => placed.has(d)));
        if (wave.length === 0) {
            const left = keys.filter(k => !placed.has(k));
            throw invalidValue(field, `depends-on has a cycle among: ${cycleOf(services, left).join(' -> ')}`);
        }
        for (const k of wave)
            placed.add(k);
        waves.push(wave);
    }
    return waves;
}
/** One cycle among `left` (all of which wait on each other), for the message. */
function cycleOf(services, left) {
    const path = [];
    let k = left[0];
    while (!path.includes(k)) {
        path.push(k);
        k = (services[k]?.dependsOn ?? []).find(d => left.includes(d)) ?? k;
    }
    return [...path.slice(path.indexOf(k)), k];
}
/** The container name of a service: unique per environment, ending in its key. */
function serviceContainerName(network, key) {
    return `${network}-${key}`;
}
/** Checks a whole environment before anything runs. */
function validateEnvironment(spec) {
    checkNetworkName(spec.network);
    for (const [key, service] of Object.entries(spec.services)) {
        checkServiceKey(key);
        validateSpec({
            ...service.container,
            name: serviceContainerName(spec.network, key),
            hostname: key
        });
        if (service.readiness)
            validateReadiness(service.readiness);
    }
    if (Object.keys(spec.services).length === 0)
        throw invalidValue('services', 'an environment needs at least one service');
    return startWaves(spec.services);
}

;// CONCATENATED MODULE: ./src/nerdctl/pure/listings.ts


/** One line of `nerdctl images --format '{{json .}}'`. */
function toImage(i) {
    const size = str(i, 'Size');
    return {
        id: str(i, 'ID'),
        repository: str(i, 'Repository'),
        tag: str(i, 'Tag'),
        name: str(i, 'Name'),
        digest: str(i, 'Digest'),
        size,
        sizeBytes: sizeOrZero(size),
        blobSize: str(i, 'BlobSize'),
        created: str(i, 'CreatedAt'),
        platform: str(i, 'Platform')
    };
}
/** One line of `nerdctl ps --format '{{json .}}'`. */
function toContainerSummary(c) {
    return {
        id: str(c, 'ID'),
        name: str(c, 'Names'),
        image: str(c, 'Image'),
        command: str(c, 'Command'),
        created: str(c, 'CreatedAt'),
        status: str(c, 'Status'),
        ports: str(c, 'Ports'),
        platform: str(c, 'Platform')
    };
}
/** One image of `nerdctl image inspect` output. */
function toImageDetails(i) {
    const strings = (key) => arr(i, key).filter((v) => typeof v === 'string');
    return {
        id: str(i, 'Id') || str(i, 'ID'),
        repoTags: strings('RepoTags'),
        repoDigests: strings('RepoDigests'),
        created: str(i, 'Created'),
        architecture: str(i, 'Architecture'),
        os: str(i, 'Os'),
        size: typeof i.Size === 'number' ? i.Size : 0
    };
}
/**
 * The size column is for people; an image whose size nerdctl cannot compute
 * (a missing blob, a format it does not know) must not make listing fail.
 */
function sizeOrZero(text) {
    try {
        return text ? parseSize(text) : 0;
    }
    catch {
        return 0;
    }
}
/** `k=v,k2=v2` as `network ls` prints labels (a value may hold "=", not ","). */
function parseLabelList(text) {
    const labels = {};
    for (const part of text.split(',')) {
        if (!part)
            continue;
        const eq = part.indexOf('=');
        if (eq < 0)
            labels[part] = '';
        else
            labels[part.slice(0, eq)] = part.slice(eq + 1);
    }
    return labels;
}
/** One line of `nerdctl network ls --format '{{json .}}'`. */
function toNetworkSummary(n) {
    return { id: str(n, 'ID'), name: str(n, 'Name'), labels: parseLabelList(str(n, 'Labels')) };
}
/** The subnets of each network in `nerdctl network inspect` output, by name. */
function networkSubnets(inspected) {
    const subnets = new Map();
    for (const n of inspected) {
        const ipam = n.IPAM;
        const config = ipam && typeof ipam === 'object' && !Array.isArray(ipam) ? arr(ipam, 'Config') : [];
        subnets.set(str(n, 'Name'), config
            .flatMap(c => (c && typeof c === 'object' && !Array.isArray(c) ? [str(c, 'Subnet')] : []))
            .filter(Boolean));
    }
    return subnets;
}
/**
 * A /24 in 10.4.128.0-10.4.254.0 that none of `taken` holds, picked at random
 * from `random` (0 <= random < 1). nerdctl hands out 10.4.N.0/24 from N = 1 up,
 * and two `network create` at once get the same one; a random pick from the
 * upper half, checked after creation, keeps concurrent environments apart.
 */
function pickSubnet(taken, random) {
    const free = [];
    for (let n = 128; n <= 254; n++) {
        const s = `10.4.${n}.0/24`;
        if (!taken.has(s))
            free.push(s);
    }
    return free[Math.floor(random * free.length)];
}
/**
 * buildx's metadata fields from one `image inspect --mode=native` entry: the
 * image's target descriptor is what BuildKit reports as
 * `containerimage.descriptor`, with the config digest among its annotations
 * when the target is a single manifest.
 */
function toBuildMetadata(entry, tags) {
    const target = obj(obj(entry, 'Image'), 'Target');
    const digest = str(target, 'digest');
    if (!target || !digest)
        return undefined;
    const annotations = {};
    for (const [k, v] of Object.entries(obj(target, 'annotations') ?? {}))
        if (typeof v === 'string')
            annotations[k] = v;
    const config = annotations['config.digest'] ??
        (str(target, 'mediaType').includes('manifest')
            ? str(obj(obj(entry, 'Manifest'), 'config'), 'digest')
            : '');
    return {
        'containerimage.digest': digest,
        ...(config ? { 'containerimage.config.digest': config } : {}),
        'containerimage.descriptor': {
            mediaType: str(target, 'mediaType'),
            digest,
            size: num(target, 'size') ?? 0,
            ...(Object.keys(annotations).length > 0 ? { annotations } : {})
        },
        'image.name': tags.join(',')
    };
}
/** An IPv4 address as a number, or undefined when it is not one. */
function ipv4(text) {
    const parts = text.split('.');
    if (parts.length !== 4 || !parts.every(p => /^\d{1,3}$/.test(p) && Number(p) < 256))
        return undefined;
    return parts.reduce((n, p) => n * 256 + Number(p), 0);
}
/**
 * Whether `ip` is on the IPv4 network of an interface with `address` and
 * `netmask` (as os.networkInterfaces() gives them): a host on it is reached
 * directly, never through a gateway.
 */
function onSubnet(ip, address, netmask) {
    const [a, b, m] = [ipv4(ip), ipv4(address), ipv4(netmask)];
    if (a === undefined || b === undefined || m === undefined)
        return false;
    // Unsigned 32-bit AND: `&` on numbers past 2^31 would go negative.
    return (a & m) >>> 0 === (b & m) >>> 0;
}

;// CONCATENATED MODULE: ./src/nerdctl/pure/build-args.ts
// Pure: a build spec in, the exact `nerdctl build` argv out (the table tests
// check it), so every build option can be proven without BuildKit. Values
// BuildKit reads as comma-separated attributes (secrets, outputs) are checked
// here so that a value cannot smuggle in a second attribute.



/** Where a secret given by value is written: the Nth secret of the spec. */
function secretFile(secretDir, index) {
    return `${secretDir.replace(/\/+$/, '')}/secret-${index}`;
}
const EXPORTER_TYPES = new Set(['image', 'registry', 'local', 'tar', 'oci', 'docker']);
function fail(field, message) {
    throw invalidValue(field, message);
}
/** Splits `k=v,k=v` as BuildKit does for simple values; quotes are refused. */
function attributes(value, field, what) {
    if (/["\n\r]/.test(value))
        fail(field, `${what} ${showValue(value)} has a quote or a line break: give plain key=value pairs`);
    return value.split(',').map(part => {
        const eq = part.indexOf('=');
        if (eq <= 0)
            fail(field, `${what} ${showValue(value)}: "${part}" is not key=value`);
        return [part.slice(0, eq).trim(), part.slice(eq + 1)];
    });
}
function exporterOf(spec) {
    if (spec.output === undefined || spec.output === '')
        return { type: 'image', storesImage: true, hasImageId: true };
    const attrs = attributes(spec.output, 'output', 'output');
    const type = attrs.find(([k]) => k === 'type')?.[1];
    if (!type || !EXPORTER_TYPES.has(type))
        fail('output', `output ${showValue(spec.output)} needs type= one of ${[...EXPORTER_TYPES].join(', ')}, e.g. "type=local,dest=out"`);
    const dest = attrs.find(([k]) => k === 'dest')?.[1];
    if (dest === '' || dest === '-')
        fail('output', `output ${showValue(spec.output)}: dest must be a path on this machine`);
    if ((type === 'local' || type === 'tar') && !dest)
        fail('output', `output ${showValue(spec.output)}: type=${type} needs dest=PATH`);
    const push = attrs.some(([k, v]) => k === 'push' && v === 'true');
    // type=image without push and type=oci/docker without dest are loaded into
    // the store; everything else leaves the image elsewhere (or nowhere).
    const storesImage = (type === 'image' && !push) || ((type === 'oci' || type === 'docker') && dest === undefined);
    return { type, dest, storesImage, hasImageId: type !== 'local' && type !== 'tar' };
}
const SECRET_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
function secretArg(s, index, secretDir) {
    if (!SECRET_ID.test(s.id))
        fail('secrets', `secret id ${showValue(s.id)} is invalid: use letters, digits, "_", "." and "-", starting with a letter or digit`);
    if ('value' in s) {
        if (!secretDir)
            fail('secrets', 'a secret given by value needs a private directory for its file');
        return `id=${s.id},src=${secretFile(secretDir, index)}`;
    }
    if ('env' in s) {
        if (!ENV_NAME.test(s.env))
            fail('secrets', `secret ${s.id}: ${showValue(s.env)} is not an environment variable name`);
        return `id=${s.id},env=${s.env}`;
    }
    if (!s.file || /[,"\n\r]/.test(s.file))
        fail('secrets', `secret ${s.id}: file ${showValue(s.file)} is empty or has a comma, quote or line break, which BuildKit would read as another attribute`);
    return `id=${s.id},src=${s.file}`;
}
/** buildx's annotation prefixes and the exporter attribute each stands for. */
const ANNOTATION_PREFIX = /^(index|manifest|manifest-descriptor|index-descriptor)(\[[^\]]+\])?:/;
/** One annotation as an exporter attribute, quoted as CSV when it must be. */
function annotationAttribute(annotation) {
    const m = ANNOTATION_PREFIX.exec(annotation);
    const rest = m ? annotation.slice(m[0].length) : annotation;
    const eq = rest.indexOf('=');
    const key = eq > 0 ? rest.slice(0, eq) : '';
    if (!/^[A-Za-z0-9][A-Za-z0-9_.\-/]*$/.test(key) || /[\n\r]/.test(rest))
        fail('annotations', `annotation ${showValue(annotation)} is not KEY=VALUE (optionally "index:" or "manifest:" first), e.g. "org.opencontainers.image.description=My app"`);
    const where = m ? `annotation-${m[1]}${m[2] ?? ''}` : 'annotation';
    const field = `${where}.${key}=${rest.slice(eq + 1)}`;
    return /[",]/.test(field) ? `"${field.replace(/"/g, '""')}"` : field;
}
/** The `--output` value: the exporter with annotations and `dest` replaced. */
function outputArg(spec, files) {
    const annotations = (spec.annotations ?? []).map(annotationAttribute);
    if (!spec.output && annotations.length === 0)
        return undefined;
    const exporter = exporterOf(spec);
    if (annotations.length > 0 && (exporter.type === 'local' || exporter.type === 'tar'))
        fail('annotations', `annotations need an image: output type=${exporter.type} has none`);
    // With annotations and no output, nerdctl's default exporter cannot be
    // extended: an OCI archive, which nerdctl loads into the store, works with
    // any BuildKit (local or remote) and any number of platforms.
    const base = spec.output
        ? attributes(spec.output, 'output', 'output')
            .flatMap(([k, v]) => k === 'dest' && files.toStdout
            ? ['dest=-']
            : k === 'dest' && files.dest
                ? [`dest=${files.dest}`]
                : k === 'type' && v === 'local' && files.toStdout
                    ? ['type=tar']
                    : // buildx's shorthand, which buildctl does not know.
                        k === 'type' && v === 'registry'
                            ? ['type=image', 'push=true']
                            : [`${k}=${v}`])
            .join(',')
        : 'type=oci';
    return [base, ...annotations].join(',');
}
function attestArg(value) {
    return typeof value === 'boolean' ? String(value) : value;
}
function nonEmpty(values, field, what) {
    return (values ?? []).map(v => {
        if (!v.trim() || /[\n\r]/.test(v))
            fail(field, `${what} ${showValue(v)} is empty or spans lines`);
        return v;
    });
}
const CONTEXT_NAME = /^[A-Za-z0-9][A-Za-z0-9_.\-/:@]*$/;
/**
 * The `nerdctl build` argv. The image ID is written to `iidFile` when one is
 * given (nerdctl fails a build that has none to write, as a local or tar
 * output has). `tag` may be empty only when the output is not an image.
 */
function buildArgs(tag, contextPath, options, iidFile, buildkitHost, files = {}) {
    const exporter = exporterOf(options);
    const tags = [tag, ...(options.tags ?? [])].filter(t => t);
    if (tags.length === 0 && exporter.storesImage)
        throw new errors_NerdctlError('Other', 'build needs at least one tag, e.g. "127.0.0.1:5000/app:1.0"');
    for (const t of tags)
        checkImageReference(t, 'tag', 'tags');
    if (!contextPath)
        throw new errors_NerdctlError('Other', 'build context is empty: give a directory such as "."');
    const a = ['build', '--progress', 'plain'];
    if (iidFile)
        a.push('--iidfile', iidFile);
    if (buildkitHost)
        a.push('--buildkit-host', buildkitHost);
    for (const t of tags)
        a.push('--tag', t);
    if (options.file)
        a.push('--file', options.file);
    for (const [k, v] of options.buildArgs ?? [])
        a.push('--build-arg', `${k}=${v}`);
    for (const [k, v] of options.labels ?? [])
        a.push('--label', `${k}=${v}`);
    if (options.target)
        a.push('--target', options.target);
    if (options.platforms?.length)
        a.push('--platform', options.platforms.join(','));
    if (options.noCache)
        a.push('--no-cache');
    if (options.pull)
        a.push('--pull');
    for (const c of nonEmpty(options.cacheFrom, 'cacheFrom', 'cache source'))
        a.push('--cache-from', c);
    for (const c of nonEmpty(options.cacheTo, 'cacheTo', 'cache destination'))
        a.push('--cache-to', c);
    (options.secrets ?? []).forEach((s, i) => a.push('--secret', secretArg(s, i, files.secretDir)));
    for (const s of nonEmpty(options.ssh, 'ssh', 'ssh'))
        a.push('--ssh', s);
    for (const s of nonEmpty(options.allow, 'allow', 'entitlement'))
        a.push('--allow', s);
    for (const s of nonEmpty(options.attest, 'attest', 'attestation'))
        a.push('--attest', s);
    if (options.sbom !== undefined && options.sbom !== '')
        a.push('--sbom', attestArg(options.sbom));
    if (options.provenance !== undefined && options.provenance !== '')
        a.push('--provenance', attestArg(options.provenance));
    const output = outputArg(options, files);
    if (output)
        a.push('--output', output);
    for (const [name, value] of options.buildContexts ?? []) {
        if (!CONTEXT_NAME.test(name) || !value || /[\n\r]/.test(value))
            fail('buildContexts', `build context ${showValue(`${name}=${value}`)} is not NAME=VALUE (a directory, docker-image://REF, oci-layout://PATH or URL)`);
        a.push('--build-context', `${name}=${value}`);
    }
    if (options.network !== undefined) {
        if (!['default', 'none', 'host'].includes(options.network))
            fail('network', `build network ${showValue(options.network)} is not default, none or host`);
        a.push('--network', options.network);
    }
    for (const h of options.addHosts ?? []) {
        const m = /^([A-Za-z0-9][A-Za-z0-9.-]*)[:=](\S+)$/.exec(h);
        if (!m)
            fail('addHosts', `host entry ${showValue(h)} is not HOST:IP, e.g. "db.local:10.0.0.5"`);
        a.push('--add-host', `${m[1]}:${m[2]}`);
    }
    a.push(hostPathArg(contextPath));
    return a;
}

;// CONCATENATED MODULE: ./src/nerdctl/pure/command-output.ts
// What nerdctl prints besides JSON that callers need back: the ID `run -d`
// prints, the exit code `exec` hides in its last stderr line, and the digest
// `push` names in its progress.

const CONTAINER_ID = /^[0-9a-f]{64}$/;
/** The container ID `nerdctl run -d` / `create` printed last; an error if it is not one. */
function containerIdOf(result, args) {
    const id = result.stdout.trim().split('\n').pop() ?? '';
    if (!CONTAINER_ID.test(id)) {
        throw new errors_NerdctlError('Other', `nerdctl ${args[0] === 'create' ? 'create' : 'run -d'} printed "${id}" where a container ID was expected`, { args, stdout: result.stdout, stderr: result.stderr });
    }
    return id;
}
/**
 * nerdctl exec exits 1 whatever the command's exit code was and reports the
 * real one in its last stderr line; this puts it back where callers look.
 */
function execExitCode(result) {
    const m = /(?:^|\n)[^\n]*level=fatal msg="exec failed with exit code (\d+)"\s*$/.exec(result.stderr);
    if (!m || result.exitCode === 0)
        return result;
    return { ...result, exitCode: Number(m[1]), stderr: result.stderr.slice(0, m.index) };
}
/**
 * The digest of what `nerdctl push` made the registry hold. A push of one
 * platform says so on stderr ("pushing as a reduced-platform image (…, DIGEST)");
 * a push of every platform names the index on its first progress line
 * ("index-…@sha256:…:"), before the per-platform manifests, so the index line
 * is looked for before any manifest line.
 */
function pushedDigest(output) {
    const m = /reduced-platform image \([^,]*, (sha256:[0-9a-f]{64})\)/.exec(output) ??
        /^index-[^@\s]*@(sha256:[0-9a-f]{64}):/m.exec(output) ??
        /(?:digest|manifest)[^\n]*?(sha256:[0-9a-f]{64})/i.exec(output);
    return m?.[1];
}
/**
 * The instructions after FROM in BuildKit's plain progress (`#6 [2/4] RUN …`)
 * and whether each came from the cache: BuildKit prints `#6 CACHED` for a hit.
 * The proof that an imported cache worked is here, not in timings.
 */
function buildSteps(progress) {
    const lines = progress.split(/\r?\n/);
    const steps = new Map();
    const cached = new Set();
    for (const line of lines) {
        const step = /^(#\d+) (\[(?:[^\]\s]+ )?\d+\/\d+\] (?!FROM )\S.*)$/.exec(line);
        if (step && !steps.has(step[1]))
            steps.set(step[1], step[2]);
        const hit = /^(#\d+) CACHED\s*$/.exec(line);
        if (hit)
            cached.add(hit[1]);
    }
    // A cached result BuildKit fetches lazily (the last step, from an imported
    // cache) shows only the blobs it downloads, no CACHED line: nothing ran.
    const fetchedOnly = (id) => {
        const own = lines.filter(l => l.startsWith(`${id} `)).slice(1);
        // At least one blob fetched: a RUN with no output also shows only DONE.
        return (own.some(l => /^#\d+ sha256:[0-9a-f]{64} /.test(l)) &&
            own.every(l => new RegExp(`^${id} (sha256:[0-9a-f]{64} .* done|DONE \\S+)\\s*$`).test(l)));
    };
    return [...steps].map(([id, step]) => ({ step, cached: cached.has(id) || fetchedOnly(id) }));
}

// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __webpack_require__(1421);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
;// CONCATENATED MODULE: ./src/nerdctl/exec/runner.ts
// Starts one process and collects what it does. Separate from the client so
// unit tests can hand the client a fake runner and see the exact argv, while
// this real one owns the parts that need a real process: killing the whole
// process group on timeout or abort (`@actions/exec` cannot kill its child),
// feeding stdin, streaming output live, and bounding what is kept in memory.



/** Time between SIGTERM and SIGKILL when a command is stopped. */
const KILL_GRACE_MS = 2000;
/** stderr is for messages; a runaway one is cut to its end. */
const MAX_STDERR_BYTES = 1024 * 1024;
/** Keeps at most `limit` bytes: the newest ones, since a tail is what callers want. */
class TailBuffer {
    limit;
    chunks = [];
    size = 0;
    truncated = false;
    constructor(limit = Number.POSITIVE_INFINITY) {
        this.limit = limit;
    }
    push(chunk) {
        this.chunks.push(chunk);
        this.size += chunk.length;
        while (this.size > this.limit && this.chunks.length > 0) {
            const first = this.chunks[0];
            const excess = this.size - this.limit;
            this.truncated = true;
            if (first.length <= excess) {
                this.chunks.shift();
                this.size -= first.length;
            }
            else {
                this.chunks[0] = first.subarray(excess);
                this.size -= excess;
            }
        }
    }
    toString() {
        return Buffer.concat(this.chunks).toString('utf8');
    }
}
const spawnRunner = spec => new Promise(resolve => {
    const stdout = new TailBuffer(spec.maxOutputBytes);
    const stderr = new TailBuffer(MAX_STDERR_BYTES);
    let timedOut = false;
    let aborted = false;
    let settled = false;
    let file;
    let killTimer;
    // Output for a file that nobody reads as it comes (an export, a save, a
    // tar stream): the file is opened here, so it is this process's user's,
    // with its umask, even when nerdctl runs through sudo, and is the child's
    // stdout itself: the bytes go from nerdctl to the disk without passing
    // through this process (no copy, no memory, no back-pressure to manage).
    let outFd;
    if (spec.stdoutFile && !spec.onStdout) {
        try {
            outFd = (0,external_node_fs_.openSync)(spec.stdoutFile, 'w');
        }
        catch (e) {
            const why = e instanceof Error ? e.message : String(e);
            resolve({
                stdout: '',
                stderr: `cannot write ${spec.stdoutFile}: ${why}\n`,
                exitCode: 1,
                timedOut: false,
                aborted: false
            });
            return;
        }
    }
    let child;
    try {
        child = (0,external_node_child_process_.spawn)(spec.file, [...spec.args], {
            env: spec.env ? { ...process.env, ...spec.env } : process.env,
            // A pipe only for input (a password): otherwise /dev/null, which reads
            // as an empty input just as a closed pipe does, one pipe fewer per call.
            stdio: [spec.input === undefined ? 'ignore' : 'pipe', outFd ?? 'pipe', 'pipe'],
            // Its own process group, so a timeout kills nerdctl and anything it
            // started (sudo's child, buildctl), not just the first process.
            detached: true
        });
    }
    finally {
        // The child has its own copy of the descriptor.
        if (outFd !== undefined)
            (0,external_node_fs_.closeSync)(outFd);
    }
    const { stdout: outPipe, stderr: errPipe } = child;
    // Only stdout may be a file; a stdio typed per call makes them nullable.
    if (!errPipe || (!outPipe && outFd === undefined))
        throw new Error('spawn returned no output pipes');
    const killGroup = (sig) => {
        if (child.pid === undefined)
            return;
        try {
            process.kill(-child.pid, sig);
        }
        catch {
            // Already gone.
        }
    };
    const stop = () => {
        killGroup('SIGTERM');
        killTimer = setTimeout(() => killGroup('SIGKILL'), KILL_GRACE_MS);
        killTimer.unref();
    };
    const timer = spec.timeoutMs > 0
        ? setTimeout(() => {
            timedOut = true;
            stop();
        }, spec.timeoutMs)
        : undefined;
    const onAbort = () => {
        aborted = true;
        stop();
    };
    spec.signal?.addEventListener('abort', onAbort, { once: true });
    const finish = (exitCode, spawnError) => {
        if (settled)
            return;
        settled = true;
        if (timer)
            clearTimeout(timer);
        if (killTimer)
            clearTimeout(killTimer);
        spec.signal?.removeEventListener('abort', onAbort);
        const result = {
            stdout: stdout.toString(),
            stderr: stderr.toString(),
            exitCode,
            timedOut,
            aborted
        };
        if (spawnError)
            result.spawnError = spawnError;
        if (file)
            file.end(() => resolve(result));
        else
            resolve(result);
    };
    if (spec.stdoutFile && outFd === undefined) {
        file = (0,external_node_fs_.createWriteStream)(spec.stdoutFile);
        file.on('error', err => {
            stderr.push(Buffer.from(`\ncannot write ${spec.stdoutFile}: ${err.message}\n`));
            stop();
        });
    }
    outPipe?.on('data', (chunk) => {
        if (file) {
            // Back-pressure: a slow disk must not make us buffer hundreds of MB.
            if (!file.write(chunk)) {
                outPipe.pause();
                file.once('drain', () => outPipe.resume());
            }
        }
        else
            stdout.push(chunk);
        spec.onStdout?.(chunk.toString('utf8'));
    });
    errPipe.on('data', (chunk) => {
        stderr.push(chunk);
        spec.onStderr?.(chunk.toString('utf8'));
    });
    child.on('error', (err) => finish(null, err));
    child.on('close', (code, signal) => finish(code ?? (signal ? 128 + signalNumber(signal) : null)));
    if (spec.input !== undefined && child.stdin) {
        // EPIPE when the command exits without reading its input is not our failure.
        child.stdin.on('error', () => { });
        child.stdin.end(spec.input);
    }
});
// A process killed by a signal reports 128 + its number, as shells do.
function signalNumber(signal) {
    return external_node_os_.constants.signals[signal] ?? 0;
}

;// CONCATENATED MODULE: ./src/nerdctl/exec/client.ts
// The Nerdctl client: global options in one place and the ONE exec chokepoint
// every nerdctl call of the library goes through. It builds the argv (sudo,
// binary, global flags, command), logs it with secrets redacted, runs it with a
// timeout and an AbortSignal that kill the whole process group, and turns every
// failure into a NerdctlError. It never passes anything through a shell.






/** Discards everything: the library is silent unless given a logger. */
const silentLogger = { debug() { }, info() { }, warning() { } };
class Nerdctl {
    options;
    constructor(options = {}) {
        this.options = { ...options };
    }
    /** A client with the same options but these changed. */
    with(options) {
        return new Nerdctl({ ...this.options, ...options });
    }
    get logger() {
        return this.options.logger ?? silentLogger;
    }
    /** The argv this client runs for `args`, sudo and global flags included. */
    argv(args, registry, envNames = [], debug = false) {
        const o = this.options;
        const global = debug ? ['--debug'] : [];
        if (o.namespace)
            global.push('--namespace', o.namespace);
        if (o.address)
            global.push('--address', o.address);
        if (o.snapshotter)
            global.push('--snapshotter', o.snapshotter);
        if (o.cgroupManager)
            global.push('--cgroup-manager', o.cgroupManager);
        for (const dir of o.hostsDir ?? [])
            global.push('--hosts-dir', dir);
        if (insecureFor(o.insecureRegistries, registry))
            global.push('--insecure-registry');
        const bin = o.binary ?? 'nerdctl';
        // sudo resets the environment: the variables we were asked to set, and
        // those of the runner's that nerdctl reads, must pass.
        const keep = [...new Set([...envNames, ...sudoKeptEnv(process.env)])];
        // `--` ends sudo's options: the binary is the command, whatever its name.
        const sudo = o.sudo
            ? ['sudo', '-n', ...(keep.length > 0 ? [`--preserve-env=${keep.join(',')}`] : []), '--']
            : [];
        return [...sudo, bin, ...global, ...args];
    }
    /** Runs nerdctl; throws NerdctlError unless it exits 0 (or `allowFailure`). */
    async exec(args, options = {}) {
        const env = { ...this.options.env, ...options.env };
        const argv = this.argv(args, options.registry, Object.keys(env), options.debug);
        const secrets = [...(options.secrets ?? [])].filter(s => s.length > 0);
        const shown = argv.map(a => redact(a, secrets));
        // Errors show nerdctl's own argv: what follows sudo (and its options) and the binary.
        const shownArgs = shown.slice(argv.indexOf(this.options.binary ?? 'nerdctl') + 1);
        this.logger.debug(`[command]${formatArgv(shown)}`);
        const timeoutMs = options.timeoutMs ?? this.options.timeoutMs ?? (options.longRunning ? 0 : DEFAULT_TIMEOUT_MS);
        if (options.signal?.aborted)
            throw cancelled(shownArgs, options.signal);
        checkArgumentSizes(shownArgs);
        const runner = this.options.runner ?? spawnRunner;
        let result;
        try {
            result = await runner({
                file: argv[0],
                args: argv.slice(1),
                env: Object.keys(env).length > 0 ? env : undefined,
                input: options.input,
                timeoutMs,
                signal: options.signal,
                onStdout: options.onStdout,
                onStderr: options.onStderr,
                stdoutFile: options.stdoutFile,
                maxOutputBytes: options.maxOutputBytes
            });
        }
        catch (e) {
            throw new errors_NerdctlError('Other', `could not run ${formatArgv(shown)}: ${String(e)}`, {
                args: shownArgs,
                cause: e
            });
        }
        const failure = this.failureOf(result, argv, shownArgs, secrets, timeoutMs, options);
        if (failure)
            throw failure;
        return {
            stdout: redact(result.stdout, secrets),
            stderr: redact(result.stderr, secrets),
            exitCode: result.exitCode ?? -1
        };
    }
    /**
     * Runs a host program the library needs beside nerdctl (tar to unpack an
     * archive nerdctl streamed, rm to clear what nerdctl wrote as root) through
     * the same runner: its own process group, the same timeouts and abort. With
     * `privileged` it goes through `sudo -n` when this client uses sudo, and
     * runs as it is otherwise. Nothing goes through a shell.
     */
    async tool(argv, options = {}) {
        const full = options.privileged && this.options.sudo ? ['sudo', '-n', '--', ...argv] : [...argv];
        this.logger.debug(`[command]${formatArgv(full)}`);
        const timeoutMs = options.timeoutMs ?? this.options.timeoutMs ?? (options.longRunning ? 0 : DEFAULT_TIMEOUT_MS);
        if (options.signal?.aborted)
            throw cancelled(full, options.signal, '', '', '');
        const runner = this.options.runner ?? spawnRunner;
        const result = await runner({
            file: full[0],
            args: full.slice(1),
            env: undefined,
            input: undefined,
            timeoutMs,
            signal: options.signal,
            stdoutFile: options.stdoutFile,
            maxOutputBytes: options.maxOutputBytes ?? 64 * 1024
        });
        const said = tail(result.stderr.trim() || result.stdout.trim() || '(no output)');
        if (result.spawnError)
            throw new errors_NerdctlError('CommandExecutionFailed', `could not run ${formatArgv(full)}: ${result.spawnError.message}`, { args: full, cause: result.spawnError });
        if (result.timedOut)
            throw new errors_NerdctlError('Timeout', `${formatArgv(full)} did not finish within ${timeoutMs} ms and was killed`, { args: full, exitCode: result.exitCode, stderr: result.stderr });
        if (result.aborted)
            throw cancelled(full, options.signal, result.stderr, '', '');
        const exitCode = result.exitCode ?? -1;
        if (exitCode !== 0 && !options.allowFailure)
            throw new errors_NerdctlError('CommandFailed', `${formatArgv(full)} failed with exit code ${exitCode}: ${said}`, { args: full, exitCode, stderr: result.stderr, stdout: result.stdout });
        return { stdout: result.stdout, stderr: result.stderr, exitCode };
    }
    /** The error a finished process stands for, or undefined when it succeeded. */
    failureOf(result, argv, shownArgs, secrets, timeoutMs, options) {
        const stderr = redact(result.stderr, secrets);
        const stdout = redact(result.stdout, secrets);
        if (result.spawnError) {
            const missing = result.spawnError.code === 'ENOENT';
            const bin = argv[0];
            return new errors_NerdctlError('CommandExecutionFailed', missing
                ? bin === 'sudo' && this.options.sudo
                    ? `sudo was not found on PATH: ${CLIENT_FAILURES.sudoNotFound.hint}`
                    : `${bin} was not found on PATH: ${CLIENT_FAILURES.binaryNotFound.hint}`
                : `could not start ${bin}: ${result.spawnError.message}`, { args: shownArgs, cause: result.spawnError });
        }
        if (result.timedOut) {
            return new errors_NerdctlError('Timeout', `nerdctl ${formatArgv(shownArgs)} did not finish within ${timeoutMs} ms and was killed` +
                (stderr.trim() ? `; it said: ${tail(withoutDebugLines(stderr), 500)}` : '') +
                `. ${CLIENT_FAILURES.timeout.hint}`, { args: shownArgs, exitCode: result.exitCode, stderr, stdout });
        }
        if (result.aborted)
            return cancelled(shownArgs, options.signal, stderr, stdout);
        const exitCode = result.exitCode ?? -1;
        if (exitCode !== 0 && !options.allowFailure) {
            return commandFailed(shownArgs, exitCode, stderr, stdout);
        }
        return undefined;
    }
}
/** Linux refuses to start a program with one argument of 128 KiB or more (MAX_ARG_STRLEN). */
const MAX_ARGUMENT_BYTES = 128 * 1024;
function checkArgumentSizes(args) {
    const i = args.findIndex(a => Buffer.byteLength(a) >= MAX_ARGUMENT_BYTES);
    if (i < 0)
        return;
    throw new errors_NerdctlError('Other', `argument ${i + 1} of nerdctl ${args[0] ?? ''} is ${Math.round(Buffer.byteLength(args[i]) / 1024)} KiB, ` +
        'over the 128 KiB Linux allows for one argument of a program: pass large content in a file ' +
        '(a volume, a copy into the container, a build context) instead', { args });
}
/** Builds the CommandFailed error with what nerdctl said and a hint when one is known. */
function commandFailed(args, exitCode, stderr, stdout = '') {
    const said = tail(nerdctlSaid(withoutDebugLines(stderr))) || tail(stdout) || '(no output)';
    const hint = hintFor(stderr);
    return new errors_NerdctlError('CommandFailed', `nerdctl ${formatArgv(args)} failed with exit code ${exitCode}: ${said}` +
        (hint ? `\nHint: ${hint}` : ''), { args, exitCode, stderr, stdout });
}
function cancelled(args, signal, stderr = '', stdout = '', program = 'nerdctl ') {
    const reason = signal?.reason;
    const why = reason instanceof Error ? reason.message : reason === undefined ? '' : String(reason);
    return new errors_NerdctlError('Cancelled', `${program}${formatArgv(args)} was cancelled${why ? `: ${why}` : ''}`, { args, stderr, stdout, cause: reason });
}
/**
 * Variables of the caller's environment that nerdctl, BuildKit's client and
 * containerd's resolver read (BuildKit address, registry credentials, proxies,
 * their own settings), which `sudo` would otherwise drop.
 */
const SUDO_KEPT = /^(BUILDKIT_HOST|DOCKER_CONFIG|HTTPS?_PROXY|NO_PROXY|ALL_PROXY|CONTAINERD_\w+|NERDCTL_\w+)$/i;
function sudoKeptEnv(env) {
    return Object.keys(env)
        .filter(k => SUDO_KEPT.test(k) && env[k] !== undefined)
        .sort();
}
function insecureFor(setting, registry) {
    if (setting === true)
        return true;
    if (!setting || !registry)
        return false;
    return setting.includes(registry);
}
/** Replaces every occurrence of each secret with ***. */
function redact(text, secrets) {
    let out = text;
    for (const s of secrets)
        if (s)
            out = out.split(s).join('***');
    return out;
}
let defaultClient = new Nerdctl();
/** The client the static functions use when none is passed. */
function getDefaultClient() {
    return defaultClient;
}
/** Sets the global options the static functions use. */
function configure(options) {
    defaultClient = new Nerdctl(options);
    return defaultClient;
}
/** Runs nerdctl with the default client: the library's `execute_nerdctl_command`. */
function execNerdctl(args, options) {
    return (options?.client ?? defaultClient).exec(args, options);
}

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
;// CONCATENATED MODULE: ./src/nerdctl/exec/call.ts
// The options every library function takes last (client, timeout, abort
// signal, live output) and how they become the chokepoint's ExecOptions.


function clientOf(options = {}) {
    return options.client ?? getDefaultClient();
}
/** The exec options a CallOptions stands for, with live output when asked. */
function execOptionsOf(options = {}, extra = {}) {
    const o = { ...extra };
    if (options.timeoutMs !== undefined)
        o.timeoutMs = options.timeoutMs;
    if (options.signal)
        o.signal = options.signal;
    if (options.stream) {
        const logger = clientOf(options).logger;
        // Streamed lines are redacted like the returned output: a build that
        // echoes a secret must not print it.
        const secrets = extra.secrets ?? [];
        o.onStdout = lineWriter(line => logger.info(redact(line, secrets)));
        o.onStderr = lineWriter(line => logger.info(redact(line, secrets)));
    }
    return o;
}
/** Runs nerdctl with the call's client and options: the one way operations run a command. */
function nerdctl(args, options = {}, extra = {}) {
    return clientOf(options).exec(args, execOptionsOf(options, extra));
}
/**
 * Splits chunks into whole lines; a partial line waits for the next chunk.
 * nerdctl's debug lines (asked for to read a registry's Retry-After) are not
 * the log's business.
 */
function lineWriter(write) {
    let pending = '';
    return chunk => {
        const lines = (pending + chunk).split(/\r?\n|\r/);
        pending = lines.pop() ?? '';
        for (const l of lines)
            if (l.trim() && !isDebugLine(l))
                write(l);
    };
}
/**
 * Runs a host program (tar, rm) with the call's client, time limit and abort
 * signal: see `Nerdctl.tool`. Output is never streamed to the log.
 */
function tool(argv, options = {}, extra = {}) {
    const o = { ...extra };
    if (options.timeoutMs !== undefined)
        o.timeoutMs = options.timeoutMs;
    if (options.signal)
        o.signal = options.signal;
    return clientOf(options).tool(argv, o);
}

;// CONCATENATED MODULE: ./src/nerdctl/ops/random.ts
// Random names (partial files beside a target) from the kernel's generator,
// read directly: as strong as node:crypto's, without loading node:crypto,
// which costs about 12 ms of every start of the action (main and post).

/** `bytes` random bytes as hex, from /dev/urandom (Web Crypto where there is none). */
function randomHex(bytes) {
    const buf = Buffer.alloc(bytes);
    let fd;
    try {
        fd = (0,external_node_fs_.openSync)('/dev/urandom', 'r');
    }
    catch {
        globalThis.crypto.getRandomValues(buf);
        return buf.toString('hex');
    }
    try {
        for (let n = 0; n < bytes;)
            n += (0,external_node_fs_.readSync)(fd, buf, n, bytes - n, null);
    }
    finally {
        (0,external_node_fs_.closeSync)(fd);
    }
    return buf.toString('hex');
}

;// CONCATENATED MODULE: ./src/nerdctl/ops/files.ts
// Writes to user paths happen atomically: the output goes to a temporary name
// beside the target (same directory, so the rename cannot cross filesystems)
// and is renamed into place only when the command succeeded. A failure leaves
// no partial file behind and a file that was already there untouched.
//
// Everything here is written by this process, as the user it runs as and
// with that user's umask, even when nerdctl runs through sudo: files come from
// nerdctl's standard output, and trees from an archive nerdctl streamed, which
// tar unpacks as this user. So nothing the step writes on the runner is
// root-owned, and nothing needs a chown (which could reach files that were
// already there).





async function kind(path) {
    try {
        return (await (0,promises_.stat)(path)).isDirectory() ? 'directory' : 'file';
    }
    catch {
        return 'missing';
    }
}
/**
 * Where a write to `target` lands: the final path, and whether it goes into
 * a directory that is already there (a merge, which cannot be atomic).
 */
async function placement(target, options) {
    if (!target.trim())
        throw new errors_NerdctlError('Other', 'output path is empty: give a file path such as out/image.tar');
    const final = (0,external_node_path_.resolve)(target);
    if ((await kind(final)) !== 'directory')
        return { final, merge: false };
    if (!options.intoDirectory) {
        throw new errors_NerdctlError('Other', `output path ${target} is a directory: give a file path inside it, e.g. ${(0,external_node_path_.join)(target, 'out.tar')}`);
    }
    const inside = (0,external_node_path_.join)(final, options.intoDirectory);
    // Copying a directory onto an existing one merges into it, as `cp` does.
    return { final: inside, merge: (await kind(inside)) === 'directory' };
}
/** A fresh temporary name beside `final`, of the form removePartials knows. */
function partialPath(final) {
    return (0,external_node_path_.join)((0,external_node_path_.dirname)(final), `${partialPrefix(final)}${randomHex(4)}`);
}
/** Runs `write(tmp)` and renames tmp to the target; returns the final path. */
async function atomicOutput(target, options, write) {
    const { final, merge } = await placement(target, options);
    if (merge) {
        await write(final);
        return final;
    }
    await (0,promises_.mkdir)((0,external_node_path_.dirname)(final), { recursive: true });
    const tmp = partialPath(final);
    try {
        await write(tmp);
        await (0,promises_.rename)(tmp, final);
    }
    catch (e) {
        await (0,promises_.rm)(tmp, { recursive: true, force: true });
        throw e;
    }
    return final;
}
/**
 * Unpacks a tar archive to `target` as this process's user: tar runs without
 * privileges, keeps no owner from the archive and applies the user's umask to
 * the archive's modes. It unpacks into a fresh directory beside the target,
 * which is renamed into place; into an existing directory it merges, moving
 * entries over one by one (a symbolic link there is replaced, never followed).
 * Returns the final path.
 */
async function unpackOutput(target, archive, options, call = {}) {
    const { final, merge } = await placement(target, options);
    await (0,promises_.mkdir)((0,external_node_path_.dirname)(final), { recursive: true });
    const staging = partialPath(final);
    await (0,promises_.mkdir)(staging);
    try {
        // Option values are separate elements and both paths are absolute: none
        // can be read as an option. A big tree takes as long as it takes.
        await tool([
            'tar',
            '--extract',
            '--no-same-owner',
            '--no-same-permissions',
            '--no-overwrite-dir',
            '--file',
            absolute(archive),
            '--directory',
            staging
        ], call, { longRunning: true });
        const tree = options.contents ? staging : await onlyEntry(staging, archive);
        if (!merge)
            await (0,promises_.rename)(tree, final);
        else if ((await (0,promises_.lstat)(tree)).isDirectory())
            await mergeTree(tree, final);
        else
            await (0,promises_.rename)(tree, (0,external_node_path_.join)(final, (0,external_node_path_.basename)(tree)));
    }
    finally {
        await (0,promises_.rm)(staging, { recursive: true, force: true });
    }
    return final;
}
function absolute(path) {
    return (0,external_node_path_.isAbsolute)(path) ? path : (0,external_node_path_.resolve)(path);
}
/** The one file or directory an archive of one path holds at its top. */
async function onlyEntry(dir, archive) {
    const names = await (0,promises_.readdir)(dir);
    if (names.length !== 1)
        throw new errors_NerdctlError('Other', `the archive ${archive} holds ${names.length} entries at its top where one was expected`);
    return (0,external_node_path_.join)(dir, names[0]);
}
/** Moves every entry of `from` into `to`, descending where both have a directory. */
async function mergeTree(from, to) {
    for (const name of await (0,promises_.readdir)(from)) {
        const src = (0,external_node_path_.join)(from, name);
        const dest = (0,external_node_path_.join)(to, name);
        const there = await (0,promises_.lstat)(dest).catch(() => undefined);
        const isDir = (await (0,promises_.lstat)(src)).isDirectory();
        if (there?.isDirectory() && isDir)
            await mergeTree(src, dest);
        else {
            // A directory cannot be renamed over a file or a link: that one goes
            // first (a link is removed, never followed out of the tree).
            if (there && !there.isDirectory() && isDir)
                await (0,promises_.rm)(dest);
            await (0,promises_.rename)(src, dest);
        }
    }
}
/** Temporary names of a target start with this (beside it, hidden). */
function partialPrefix(target) {
    return `.${(0,external_node_path_.basename)(target)}.partial-`;
}
/** Names this module gives temporary files: `.NAME.partial-` and 8 hex digits. */
const PARTIAL_NAME = /^\..+\.partial-[0-9a-f]{8}$/;
/**
 * Removes what a killed writer may have left for a target: temporary names
 * beside it, and, when the target is a directory (a copy into it writes
 * `DIR/.NAME.partial-…`), inside it. Only names this module makes, never the
 * target itself. Returns the paths removed.
 */
async function removePartials(target) {
    const path = (0,external_node_path_.resolve)(target);
    const beside = (await namesIn((0,external_node_path_.dirname)(path)))
        .filter(n => n.startsWith(partialPrefix(path)))
        .map(n => (0,external_node_path_.join)((0,external_node_path_.dirname)(path), n));
    const inside = (await kind(path)) === 'directory'
        ? (await namesIn(path)).filter(n => PARTIAL_NAME.test(n)).map(n => (0,external_node_path_.join)(path, n))
        : [];
    for (const p of [...beside, ...inside])
        await (0,promises_.rm)(p, { recursive: true, force: true });
    return [...beside, ...inside];
}
async function namesIn(dir) {
    try {
        return await (0,promises_.readdir)(dir);
    }
    catch {
        return [];
    }
}
/**
 * Removes a directory of the caller's own (a scratch directory) and all in
 * it. Where this user may not (nerdctl, run through sudo, made root-owned
 * directories in it) and the client uses sudo, `sudo -n rm -rf` removes it:
 * rm follows no symbolic link and, with --one-file-system, enters no mount.
 */
async function removeTree(path, call = {}) {
    if (!(0,external_node_path_.isAbsolute)(path))
        throw new errors_NerdctlError('Other', `removeTree needs an absolute path, not ${path}`);
    try {
        await (0,promises_.rm)(path, { recursive: true, force: true });
        return;
    }
    catch (e) {
        const code = e.code;
        if (!clientOf(call).options.sudo || (code !== 'EACCES' && code !== 'EPERM'))
            throw e;
    }
    await tool(['rm', '-rf', '--one-file-system', '--', path], call, { privileged: true });
}

;// CONCATENATED MODULE: ./src/nerdctl/ops/retry.ts
// The one retry loop of the library, for the calls that talk to a registry
// (login, pull, push, save). A try that failed for a transient cause (the
// classifier in pure/registry-errors.ts decides) is tried again after an
// exponential, jittered wait that honours the registry's Retry-After; any
// other failure is thrown at once. Each retry is one log line saying why and
// when. Waits end early on the call's AbortSignal, and when the call has a
// time limit (its own or the client's) it bounds all tries together: no try
// and no wait runs past it.




/** Whether the call retries at all: then registry calls run with --debug to see Retry-After. */
function retries(options) {
    return Math.max(0, Math.floor(options.retry?.retries ?? DEFAULT_RETRIES));
}
/**
 * Runs `attempt` until it succeeds, fails for a cause that is not transient,
 * or has been retried `retry.retries` times. `attempt` gets the call options
 * for one try (its time limit is what is left of the call's).
 */
async function withRetry(operation, options, attempt) {
    const client = clientOf(options);
    const max = retries(options);
    const base = options.retry?.delayMs ?? DEFAULT_RETRY_DELAY_MS;
    const maxDelay = options.retry?.maxDelayMs ?? MAX_RETRY_DELAY_MS;
    const limit = options.timeoutMs ?? client.options.timeoutMs;
    const deadline = limit ? Date.now() + limit : undefined;
    for (let n = 0;; n++) {
        const call = { ...options };
        if (deadline !== undefined)
            call.timeoutMs = Math.max(1, deadline - Date.now());
        try {
            return await attempt(call);
        }
        catch (e) {
            if (n >= max || !isNerdctlError(e, 'CommandFailed'))
                throw e;
            const failure = classifyRegistryFailure(e.stderr);
            if (!failure.transient)
                throw e;
            const delayMs = backoffDelay(n + 1, base, maxDelay, failure.retryAfterMs, Math.random());
            if (deadline !== undefined && Date.now() + delayMs >= deadline) {
                client.logger.info(`${operation} failed (${failure.reason}); not retried: the next try would start after the call's time limit`);
                throw e;
            }
            const event = {
                operation,
                retry: n + 1,
                retries: max,
                reason: failure.reason,
                delayMs
            };
            client.logger.info(`${operation} failed (${failure.reason}); retry ${event.retry} of ${max} in ${(delayMs / 1000).toFixed(1)} s` +
                (failure.retryAfterMs !== undefined
                    ? ` (the registry asked to wait ${Math.ceil(failure.retryAfterMs / 1000)} s)`
                    : ''));
            options.retry?.onRetry?.(event);
            await sleep(delayMs, options.signal, operation);
        }
    }
}
function sleep(ms, signal, operation) {
    return new Promise((resolve, reject) => {
        const cancelled = () => {
            clearTimeout(timer);
            const reason = signal?.reason;
            const why = reason instanceof Error ? reason.message : reason === undefined ? '' : String(reason);
            reject(new errors_NerdctlError('Cancelled', `${operation} was cancelled while waiting to retry${why ? `: ${why}` : ''}`, { cause: reason }));
        };
        const timer = setTimeout(() => {
            signal?.removeEventListener('abort', cancelled);
            resolve();
        }, ms);
        if (signal?.aborted)
            cancelled();
        else
            signal?.addEventListener('abort', cancelled, { once: true });
    });
}

;// CONCATENATED MODULE: ./src/nerdctl/pure/stats.ts


/** One line of `nerdctl stats --no-stream --format '{{json .}}'`. */
function toResourceUsage(s) {
    const split = (key) => {
        const [a = '', b = ''] = str(s, key)
            .split('/')
            .map(x => x.trim());
        return [a, b];
    };
    const [memUsed, memLimit] = split('MemUsage');
    const [netIn, netOut] = split('NetIO');
    const [blockIn, blockOut] = split('BlockIO');
    const pids = str(s, 'PIDs');
    const size = (t) => (t === '' || t === '--' ? 0 : parseSize(t));
    return {
        id: str(s, 'ID'),
        name: str(s, 'Name'),
        cpuUsage: str(s, 'CPUPerc'),
        memoryUsage: memUsed,
        memoryLimit: memLimit,
        memoryPercentage: str(s, 'MemPerc'),
        networkInput: netIn,
        networkOutput: netOut,
        blockInput: blockIn,
        blockOutput: blockOut,
        pids,
        cpuPercent: parsePercent(str(s, 'CPUPerc')),
        memoryUsageBytes: size(memUsed),
        memoryLimitBytes: exactBytes(size(memLimit)),
        memoryPercent: parsePercent(str(s, 'MemPerc')),
        networkInputBytes: size(netIn),
        networkOutputBytes: size(netOut),
        blockInputBytes: size(blockIn),
        blockOutputBytes: size(blockOut),
        pidCount: /^\d+$/.test(pids) ? Number(pids) : 0
    };
}
/**
 * A byte count that JSON carries exactly, or null: "no limit" is 2^63 bytes
 * (8EiB), which a double rounds, so a consumer of the number could not tell
 * it from a real limit.
 */
function exactBytes(n) {
    return Number.isSafeInteger(n) ? n : null;
}

;// CONCATENATED MODULE: ./src/nerdctl/ops/containers.ts
// Operations on existing containers: exec, copy, stop, remove, list, inspect,
// stats, a recorded health probe, export. The static functions of the public
// API with positional parameters and a trailing options object.













/**
 * Runs a command in a running container. A string is a shell command, run by
 * `/bin/sh -c` inside the container; an array is run as argv, no shell.
 */
async function exec(container, command, options = {}) {
    const argv = typeof command === 'string' ? ['/bin/sh', '-c', command] : [...command];
    if (argv.length === 0 || (typeof command === 'string' && !command.trim())) {
        throw new errors_NerdctlError('Other', 'exec needs a command: give a shell string or an argv array');
    }
    checkContainerRef(container);
    const args = ['exec'];
    if (options.input !== undefined)
        args.push('-i');
    if (options.user)
        args.push('--user', options.user);
    if (options.workdir)
        args.push('--workdir', options.workdir);
    for (const [k, v] of options.env ?? [])
        args.push('-e', `${k}=${v}`);
    args.push(container, ...argv);
    const extra = { allowFailure: true, longRunning: true };
    if (options.input !== undefined)
        extra.input = options.input;
    const result = execExitCode(await nerdctl(args, options, extra));
    if (result.exitCode !== 0 && !options.allowFailure) {
        throw commandFailed(args, result.exitCode, result.stderr, result.stdout);
    }
    return result;
}
/**
 * Copies between a container and the host, like `nerdctl cp`: exactly one of
 * source and dest is `container:/path`. A copy onto the host lands atomically
 * and belongs to this process's user: nerdctl streams the path as a tar
 * archive (`nerdctl cp C:/path -`) into a file this process writes, and tar,
 * run as this user, unpacks it beside the target, which is then renamed into
 * place. So a failed copy leaves no partial file, an existing file is
 * replaced only on success, and nothing is root-owned when nerdctl runs
 * through sudo. Files keep the container's modes less this user's umask.
 */
async function copy(source, dest, options = {}) {
    const from = splitContainerPath(source);
    const to = splitContainerPath(dest);
    if (!!from === !!to) {
        throw new errors_NerdctlError('Other', `copy "${source}" -> "${dest}": exactly one side must be a container path like "name:/path" and the other a host path`);
    }
    // A big tree takes as long as it takes: cp is long work.
    const work = { longRunning: true };
    if (to || !from) {
        await nerdctl(['cp', hostPathArg(source), dest], options, work);
        return;
    }
    const scratch = await (0,promises_.mkdtemp)((0,external_node_path_.join)((0,external_node_os_.tmpdir)(), 'nerdctl-cp-'));
    try {
        const archive = (0,external_node_path_.join)(scratch, 'copy.tar');
        // "-" alone is nerdctl's name for standard output, never an option.
        await nerdctl(['cp', source, '-'], options, { ...work, stdoutFile: archive });
        // `DIR/.` copies what is in DIR (as cp and nerdctl do), not DIR itself;
        // the root has no name to copy it under, so nerdctl sends what is in it.
        const contents = /(^|\/)\.$/.test(from.path) || /^\/+$/.test(from.path);
        await unpackOutput(dest, archive, { intoDirectory: pathBase(from.path), contents }, options);
    }
    finally {
        await (0,promises_.rm)(scratch, { recursive: true, force: true });
    }
}
function pathBase(p) {
    const parts = p.split('/').filter(Boolean);
    return parts[parts.length - 1] ?? '';
}
/** `nerdctl stop`; `timeSeconds` before SIGKILL (nerdctl's default is 10). */
async function stop(container, options = {}) {
    const args = ['stop'];
    if (options.timeSeconds !== undefined)
        args.push('--time', String(options.timeSeconds));
    checkContainerRef(container);
    await nerdctl([...args, container], options);
}
/** `nerdctl rm`; `force` also removes a running container. */
async function remove(container, options = {}) {
    const args = ['rm'];
    if (options.force)
        args.push('--force');
    if (options.volumes)
        args.push('--volumes');
    checkContainerRef(container);
    await nerdctl([...args, container], options);
}
/** `nerdctl ps`: running containers, or all with `all`. */
async function list(all = false, options = {}) {
    const args = ['ps', '--no-trunc', '--format', '{{json .}}'];
    if (all)
        args.push('--all');
    for (const f of options.filters ?? [])
        args.push('--filter', f);
    const { stdout } = await nerdctl(args, options);
    return parseJsonLines(stdout, 'ps output').map(toContainerSummary);
}
/** `nerdctl inspect` of one container. */
async function inspect(container, options = {}) {
    checkContainerRef(container);
    const { stdout } = await nerdctl(['container', 'inspect', container], options);
    return parseContainerInspect(stdout);
}
/** `nerdctl stats --no-stream` of one running container. */
async function stats(container, options = {}) {
    checkContainerRef(container);
    const { stdout } = await nerdctl(['stats', '--no-stream', '--no-trunc', '--format', '{{json .}}', container], options);
    const [first] = parseJsonLines(stdout, 'stats output').map(toResourceUsage);
    if (!first)
        throw new errors_NerdctlError('JsonParseError', `nerdctl stats printed nothing for ${container}`, {
            text: stdout
        });
    return first;
}
/**
 * Runs one recorded health probe (`nerdctl container healthcheck`). With
 * `allowFailure` a failing probe is a result, read back from inspect.
 */
async function healthcheck(container, options = {}) {
    checkContainerRef(container);
    return nerdctl(['container', 'healthcheck', container], options, {
        allowFailure: options.allowFailure ?? false
    });
}
/**
 * `nerdctl export`: the container's filesystem as a tarball, written
 * atomically, owned by this process's user.
 */
async function exportContainer(container, path, options = {}) {
    checkContainerRef(container);
    // Streamed into a file this process creates: it is the user's, even when
    // nerdctl runs through sudo.
    await atomicOutput(path, {}, async (tmp) => {
        await nerdctl(['export', container], options, { longRunning: true, stdoutFile: tmp });
    });
}

;// CONCATENATED MODULE: ./src/nerdctl/ops/run.ts
// Starting containers: `nerdctl run` (detached or in the foreground) and
// `nerdctl create`, from a ContainerSpec. Every container gets the client's
// labels first, which is how an owner finds what it made.










/**
 * `nerdctl run`. Detached by default: the ID comes back at once. With
 * `detach = false` it runs to completion and its exit code and output come
 * back instead; a non-zero exit is a result, not an error.
 */
async function run(image, name, detach = true, ports, snapshotter, options = {}) {
    return runSpec({ ...options, image, name, detach, ports, snapshotter }, options);
}
/** `nerdctl run` of a full spec (what Container.build uses). */
async function runSpec(spec, options = {}) {
    const labelled = withClientLabels(spec, clientOf(options));
    if (spec.detach !== false) {
        const args = runArgs(labelled);
        // A run may pull its image (long work); the registry matters for `insecureRegistries`.
        const result = await nerdctl(args, options, {
            registry: registryOf(spec.image),
            longRunning: true
        });
        return { ...result, containerId: containerIdOf(result, args) };
    }
    // A foreground run's output is the program's, so its ID comes from a file:
    // nerdctl writes the ID it picked before it makes the container, in a
    // directory of this run's own (a fresh file: nerdctl refuses one that exists).
    runArgs(labelled);
    const dir = await (0,promises_.mkdtemp)((0,external_node_path_.join)((0,external_node_os_.tmpdir)(), 'nerdctl-run-'));
    try {
        const cidfile = (0,external_node_path_.join)(dir, 'cid');
        // Last, so that it is the --cidfile nerdctl reads whatever extraArgs hold.
        const args = runArgs({
            ...labelled,
            extraArgs: [...(labelled.extraArgs ?? []), '--cidfile', cidfile]
        });
        const result = await nerdctl(args, options, {
            allowFailure: true,
            registry: registryOf(spec.image),
            longRunning: true,
            maxOutputBytes: FOREGROUND_OUTPUT_BYTES
        });
        // With --rm the container is gone once the run ends, and its ID with it.
        const id = spec.autoRemove ? undefined : await ownContainer(cidfile, options);
        // nerdctl's own failure (no image, bad flag, a name another container
        // has) exits 1 like a program may. The container of this run tells them
        // apart for certain: it exists if the program ran. Only with --rm is
        // nerdctl's fatal line the sign (a program could print such a line too).
        const nerdctlFailed = result.exitCode !== 0 &&
            (spec.autoRemove ? /level=fatal msg=.*\s*$/.test(result.stderr) : id === undefined);
        if (nerdctlFailed)
            throw commandFailed(args, result.exitCode, result.stderr, result.stdout);
        return { ...result, containerId: id };
    }
    finally {
        await (0,promises_.rm)(dir, { recursive: true, force: true });
    }
}
/**
 * The ID in a run's cidfile, if a container of that ID exists. nerdctl writes
 * the file before it makes the container, so an ID alone proves nothing: a
 * run refused for a taken name leaves one behind. Through sudo the file is
 * root's and, under a umask such as 027, read through sudo.
 */
async function ownContainer(cidfile, options) {
    let text;
    try {
        text = await (0,promises_.readFile)(cidfile, 'utf8');
    }
    catch (e) {
        if (e.code !== 'EACCES' || !clientOf(options).options.sudo)
            return undefined;
        text = (await tool(['cat', '--', cidfile], options, { privileged: true })).stdout;
    }
    const id = text.trim();
    if (!/^[0-9a-f]{64}$/.test(id))
        return undefined;
    const status = await inspect(id, options).catch(() => undefined);
    return status?.id === id ? id : undefined;
}
function withClientLabels(spec, client) {
    const own = client.options.labels ?? [];
    return own.length === 0 ? spec : { ...spec, labels: [...own, ...(spec.labels ?? [])] };
}
/** `nerdctl create` of a spec: the container exists, stopped. Returns its ID. */
async function create(spec, options = {}) {
    const args = runArgs(withClientLabels(spec, clientOf(options)), 'create');
    const result = await nerdctl(args, options, {
        registry: registryOf(spec.image),
        longRunning: true
    });
    return containerIdOf(result, args);
}

;// CONCATENATED MODULE: ./src/nerdctl/ops/logs.ts





/**
 * `nerdctl logs`. The container's stdout comes back as `stdout` and its stderr
 * as `stderr`. Logs of hundreds of MB: pass `file`, or `tail`/`maxBytes`.
 */
async function logs(container, options = {}) {
    const args = ['logs'];
    if (options.tail !== undefined)
        args.push('--tail', String(options.tail));
    if (options.since)
        args.push('--since', options.since);
    if (options.timestamps)
        args.push('--timestamps');
    checkContainerRef(container);
    args.push(container);
    const extra = {};
    if (options.maxBytes !== undefined)
        extra.maxOutputBytes = options.maxBytes;
    if (options.file) {
        let result = { stdout: '', stderr: '', exitCode: 0 };
        await atomicOutput(options.file, {}, async (tmp) => {
            // Hundreds of MB into a file is long work; a tail in memory is not.
            result = await nerdctl(args, options, { ...extra, stdoutFile: tmp, longRunning: true });
        });
        return result;
    }
    return nerdctl(args, options, extra);
}
/** Both streams of a logs result as one text, the way people read them. */
function logsText(result) {
    return [result.stdout.trimEnd(), result.stderr.trimEnd()].filter(Boolean).join('\n');
}
/** The last lines of a container's output, for error messages; never throws. */
async function logTail(container, lines = DEFAULT_LOG_LINES, options = {}) {
    try {
        return logsText(await logs(container, { ...options, tail: lines, maxBytes: 64 * 1024, stream: false }));
    }
    catch (e) {
        return `(logs unavailable: ${errorMessage(e)})`;
    }
}

;// CONCATENATED MODULE: ./src/nerdctl/ops/images.ts
// Image operations: list, inspect, pull, tag, push, remove, commit, build,
// save and load.













/** `nerdctl images`, parsed. */
async function images_images(options = {}) {
    const args = ['images', '--no-trunc', '--format', '{{json .}}'];
    if (options.all)
        args.push('--all');
    for (const f of options.filters ?? [])
        args.push('--filter', f);
    if (options.reference) {
        checkImageReference(options.reference);
        args.push(options.reference);
    }
    const { stdout } = await nerdctl(args, options);
    return parseJsonLines(stdout, 'images output').map(toImage);
}
/** `nerdctl image inspect` of one image. */
async function imageInspect(image, options = {}) {
    checkImageReference(image);
    const { stdout } = await nerdctl(['image', 'inspect', image], options);
    const [i] = parseJsonArray(stdout, 'image inspect output');
    if (!i)
        throw new errors_NerdctlError('JsonParseError', `nerdctl image inspect printed no image for ${image}`, { text: stdout });
    return toImageDetails(i);
}
/** Whether an image is in the local store. */
async function imageExists(image, options = {}) {
    checkImageReference(image);
    const r = await nerdctl(['image', 'inspect', image], options, { allowFailure: true });
    return r.exitCode === 0;
}
/** `nerdctl pull`, tried again on a transient registry failure (`retry`). */
async function imagePull(image, options = {}) {
    checkImageReference(image);
    const args = ['pull'];
    if (options.platform)
        args.push('--platform', options.platform);
    if (options.quiet)
        args.push('--quiet');
    return registryCall(`pull ${image}`, [...args, image], registryOf(image), options);
}
/**
 * A long registry call with retries. With retries on it runs with --debug,
 * whose lines carry the registry's Retry-After; they are kept out of the
 * streamed log and of the result.
 */
async function registryCall(operation, args, registry, options) {
    const debug = retries(options) > 0;
    const result = await withRetry(operation, options, call => nerdctl(args, call, { registry, longRunning: true, debug }));
    return debug ? { ...result, stderr: withoutDebugLines(result.stderr) } : result;
}
/** `nerdctl tag SOURCE TARGET`. */
async function imageTag(image, newName, options = {}) {
    checkImageReference(image, 'source image');
    checkImageReference(newName, 'new image name');
    await nerdctl(['tag', image, newName], options);
}
/**
 * `nerdctl push IMAGE`. With a destination, pushes the image under that name:
 * it tags it, pushes, and removes the tag it made (a name the caller already
 * had is kept), the two-argument form of the Rust module this library
 * replaces (nerdctl itself takes exactly one reference).
 */
async function imagePush(image, destination, options = {}) {
    checkImageReference(image);
    if (destination === undefined || destination === image)
        return pushOne(image, options);
    checkImageReference(destination, 'destination');
    const hadName = await imageExists(destination, options);
    await imageTag(image, destination, options);
    try {
        return await pushOne(destination, options);
    }
    finally {
        if (!hadName)
            await imageRemove(destination, options).catch(() => undefined);
    }
}
async function pushOne(reference, options) {
    const args = ['push'];
    if (options.platform)
        args.push('--platform', options.platform);
    if (options.allPlatforms)
        args.push('--all-platforms');
    const result = await registryCall(`push ${reference}`, [...args, reference], registryOf(reference), options);
    return { ...result, reference, digest: pushedDigest(result.stderr + result.stdout) };
}
/** `nerdctl rmi`. */
async function imageRemove(image, options = {}) {
    const args = ['rmi'];
    if (options.force)
        args.push('--force');
    checkImageReference(image);
    await nerdctl([...args, image], options);
}
/** `nerdctl commit CONTAINER IMAGE`: the container's changes as a new image. */
async function imageCommit(container, imageName, options = {}) {
    checkImageReference(imageName, 'image name');
    const args = ['commit'];
    if (options.message)
        args.push('--message', options.message);
    if (options.author)
        args.push('--author', options.author);
    for (const c of options.changes ?? [])
        args.push('--change', c);
    if (options.pause === false)
        args.push('--pause=false');
    checkContainerRef(container);
    const { stdout } = await nerdctl([...args, container, imageName], options, { longRunning: true });
    return stdout.trim().split('\n').pop() ?? '';
}
/**
 * `nerdctl build -t TAG CONTEXT` through BuildKit. Secrets given by value are
 * written (mode 0600) into a private directory under the temporary directory
 * and removed when the build ends; secrets from the environment reach only
 * the nerdctl process. Every secret value is redacted from logs and errors.
 * An output `dest` is written beside its target and renamed into place, by
 * this process (BuildKit streams it), so it belongs to the caller's user.
 */
async function imageBuild(tag, contextPath, options = {}) {
    const buildkitHost = clientOf(options).options.buildkitHost;
    const exporter = exporterOf(options);
    const { env, values } = secretEnvironment(options.secrets ?? []);
    // Checked before anything is written: a bad spec fails with no file made.
    buildArgs(tag, contextPath, options, undefined, options.buildkitHost ?? buildkitHost, {
        secretDir: '/',
        toStdout: exporter.dest !== undefined
    });
    const dir = await (0,promises_.mkdtemp)((0,external_node_path_.join)((0,external_node_os_.tmpdir)(), 'nerdctl-build-'));
    try {
        const iid = exporter.hasImageId ? (0,external_node_path_.join)(dir, 'iid') : undefined;
        for (const [i, s] of (options.secrets ?? []).entries()) {
            if ('value' in s)
                await (0,promises_.writeFile)(secretFile(dir, i), s.value, { mode: 0o600, flag: 'wx' });
        }
        // An output with a dest is streamed (dest=-) into a file this process
        // writes, and a local one comes as a tar that it unpacks: what the build
        // writes on this machine is the user's, even when nerdctl runs through sudo.
        const run = async (stdoutFile) => {
            const args = buildArgs(tag, contextPath, options, iid, options.buildkitHost ?? buildkitHost, {
                secretDir: dir,
                toStdout: stdoutFile !== undefined
            });
            const result = await nerdctl(args, options, {
                longRunning: true,
                secrets: values,
                ...(stdoutFile !== undefined ? { stdoutFile } : {}),
                ...(Object.keys(env).length > 0 ? { env } : {})
            });
            return { args, result };
        };
        let ran;
        if (exporter.dest && exporter.type === 'local') {
            const archive = (0,external_node_path_.join)(dir, 'output.tar');
            ran = await run(archive);
            await unpackOutput(exporter.dest, archive, { contents: true }, options);
        }
        else if (exporter.dest) {
            await atomicOutput(exporter.dest, {}, async (tmp) => {
                ran = await run(tmp);
            });
        }
        else {
            ran = await run();
        }
        const { args, result } = ran;
        const tags = [tag, ...(options.tags ?? [])].filter(t => t);
        const steps = buildSteps(`${result.stderr}\n${result.stdout}`);
        if (!iid)
            return { ...result, imageId: '', tags, steps };
        const imageId = (await readIidFile(iid, options)).trim();
        if (!/^sha256:[0-9a-f]{64}$/.test(imageId)) {
            throw new errors_NerdctlError('Other', `nerdctl build succeeded but wrote no image ID (iidfile ${imageId ? `held "${imageId}"` : 'missing'}): ` +
                'the build may have produced no image; check its output above', { args, stdout: result.stdout, stderr: result.stderr });
        }
        // An image pushed by BuildKit itself (type=registry) is not in the store to
        // describe. The descriptor is read quietly: it is not build progress.
        const metadata = exporter.storesImage && options.readMetadata !== false
            ? await buildMetadata(tags, { ...options, stream: false })
            : undefined;
        return { ...result, imageId, tags, metadata, steps };
    }
    finally {
        await (0,promises_.rm)(dir, { recursive: true, force: true });
    }
}
/**
 * The image ID nerdctl wrote, or '' when it wrote none. Through sudo the file
 * is root's, with nerdctl's 0644 less the caller's umask: under a umask such
 * as 027 the caller may not read it, and reads it through sudo instead.
 */
async function readIidFile(path, options) {
    try {
        return await (0,promises_.readFile)(path, 'utf8');
    }
    catch (e) {
        if (e.code !== 'EACCES' || !clientOf(options).options.sudo)
            return '';
    }
    const { stdout } = await tool(['cat', '--', path], options, { privileged: true });
    return stdout;
}
/** The variables that secrets from the environment need, and every secret value. */
function secretEnvironment(secrets) {
    const env = {};
    const values = [];
    for (const s of secrets) {
        if ('value' in s)
            values.push(s.value);
        else if ('env' in s) {
            const v = process.env[s.env];
            if (v === undefined)
                throw invalidValue('secrets', `secret ${s.id}: environment variable ${s.env} is not set`);
            // Given to nerdctl explicitly so that sudo, which resets the environment, keeps it.
            env[s.env] = v;
            values.push(v);
        }
    }
    return { env, values };
}
/**
 * buildx's metadata for an image in the store, read back from containerd:
 * nerdctl asks BuildKit for a metadata file but deletes it once it has taken
 * the digest, so the same fields are rebuilt from the image's descriptor.
 */
async function buildMetadata(tags, options = {}) {
    const [first] = tags;
    if (!first)
        return undefined;
    const { stdout } = await nerdctl(['image', 'inspect', '--mode=native', first], options);
    const [entry] = parseJsonArray(stdout, 'image inspect output');
    return toBuildMetadata(entry, tags);
}
/**
 * `nerdctl save`: images into one tarball, written atomically. It fetches
 * from the registry what the store lacks (layers of a lazily pulled image),
 * so a transient registry failure is tried again (`retry`).
 */
async function imageSave(imageNames, path, options = {}) {
    const list = typeof imageNames === 'string' ? [imageNames] : [...imageNames];
    if (list.length === 0)
        throw new errors_NerdctlError('Other', 'save needs at least one image');
    for (const i of list)
        checkImageReference(i);
    const args = ['save'];
    if (options.platform)
        args.push('--platform', options.platform);
    if (options.allPlatforms)
        args.push('--all-platforms');
    // Streamed into a file this process creates: it is the user's, even when
    // nerdctl runs through sudo.
    await withRetry(`save ${list.join(' ')}`, options, call => atomicOutput(path, {}, tmp => nerdctl([...args, ...list], call, { longRunning: true, stdoutFile: tmp }).then(() => undefined)));
}
/**
 * `nerdctl load`: images from a tarball. Returns nerdctl's report. containerd
 * also keeps each archive's index under a name `import@sha256:…`; those this
 * load created are removed, so a load leaves only the images it names.
 */
async function imageLoad(path, options = {}) {
    const importNames = async () => new Set((await images_images({ ...options, filters: ['reference=import'] })).map(i => i.name));
    const before = await importNames();
    const result = await nerdctl(['load', '--input', path], options, { longRunning: true });
    for (const name of await importNames()) {
        if (!before.has(name) && name.startsWith('import@sha256:'))
            await imageRemove(name, options);
    }
    return result;
}

;// CONCATENATED MODULE: ./src/nerdctl/ops/registry.ts
// Registry credentials: `nerdctl login` with the password on standard input
// only (never on argv, never in a log line), and `nerdctl logout`.




/**
 * `nerdctl login` with the password on standard input (`--password-stdin`),
 * tried again when the registry is unreachable or fails (`retry`); refused
 * credentials fail at once.
 */
async function login(options) {
    if (!options.username)
        throw new errors_NerdctlError('Other', 'login needs a username');
    if (!options.password)
        throw new errors_NerdctlError('Other', 'login needs a password (or token)');
    const args = ['login', '--username', options.username, '--password-stdin'];
    if (options.registry) {
        checkRegistryHost(options.registry);
        args.push(options.registry);
    }
    const registry = options.registry ?? 'docker.io';
    await withRetry(`login to ${registry}`, options, call => nerdctl(args, call, { input: options.password, secrets: [options.password], registry }));
}
/** `nerdctl logout`. */
async function logout(registry, options = {}) {
    if (registry)
        checkRegistryHost(registry);
    await nerdctl(registry ? ['logout', registry] : ['logout'], options);
}

;// CONCATENATED MODULE: ./src/nerdctl/base/sleep.ts
// Waiting between polls: a pause that an AbortSignal ends early (it resolves,
// it does not throw: the caller looks at the signal and says what was cancelled).
function sleep_sleep(ms, signal) {
    return new Promise(resolve => {
        const t = setTimeout(done, Math.max(0, ms));
        function done() {
            clearTimeout(t);
            signal?.removeEventListener('abort', done);
            resolve();
        }
        signal?.addEventListener('abort', done, { once: true });
    });
}

;// CONCATENATED MODULE: ./src/nerdctl/pure/health-timer.ts
// Who records health probes: nerdctl 2.1.5+ starts a systemd timer per
// container when systemd is PID 1, unless it runs rootless or its config sets
// `disable_hc_systemd`; otherwise only `nerdctl container healthcheck` records
// one. Pure, so the decision is tested without systemd.
function probesOnNerdctlTimer(facts) {
    if (!facts.systemdIsInit || facts.rootless)
        return false;
    return !/^\s*disable_hc_systemd\s*=\s*true\b/m.test(facts.config);
}

// EXTERNAL MODULE: external "node:net"
var external_node_net_ = __webpack_require__(7030);
;// CONCATENATED MODULE: ./src/nerdctl/ops/net-probes.ts
// Probes from this machine to a container's address on its network: a TCP
// connection, an HTTP GET. The readiness waiter's port and HTTP checks use
// them, and the health waiter watches published ports with the first to see a
// service start listening.



/**
 * Opens and closes a TCP connection; resolves to undefined, or why it failed.
 * An abort of `signal` ends the attempt at once (nothing is left open to keep
 * the process alive).
 */
function tcpProbe(host, port, timeoutMs = DEFAULT_NET_PROBE_TIMEOUT_MS, signal) {
    return new Promise(resolve => {
        if (signal?.aborted) {
            resolve('cancelled');
            return;
        }
        const socket = (0,external_node_net_.connect)({ host, port });
        const cancel = () => done('cancelled');
        const done = (why) => {
            signal?.removeEventListener('abort', cancel);
            socket.destroy();
            resolve(why);
        };
        signal?.addEventListener('abort', cancel, { once: true });
        socket.setTimeout(timeoutMs, () => done(`no answer within ${timeoutMs} ms`));
        socket.once('connect', () => done(undefined));
        socket.once('error', e => done(e.message));
    });
}
/** One GET; resolves to undefined when the answer is what the check expects, else why not. */
async function httpProbe(host, check, timeoutMs = DEFAULT_NET_PROBE_TIMEOUT_MS) {
    // Loaded on first use: node:http is a few ms of every start of the action,
    // and only an http readiness check needs it.
    const { request } = await Promise.resolve(/* import() */).then(__webpack_require__.t.bind(__webpack_require__, 7067, 23));
    return new Promise(resolve => {
        const req = request({ host, port: check.port, path: check.path ?? '/', method: 'GET', timeout: timeoutMs }, res => {
            let body = '';
            res.setEncoding('utf8');
            res.on('data', (chunk) => {
                if (body.length < 65536)
                    body += chunk;
            });
            res.on('end', () => resolve(httpMismatch(check, res.statusCode ?? 0, body)));
            res.on('error', e => resolve(e.message));
        });
        req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
        req.on('error', e => resolve(e.message));
        req.end();
    });
}

;// CONCATENATED MODULE: ./src/nerdctl/ops/health.ts
// waitForHealthy: returns as soon as a container is healthy.
//
// A health command is a shell snippet run by nerdctl as `/bin/sh -c CMD` INSIDE
// the container (Docker's CMD-SHELL). A multi-line script is passed the same
// way, newlines and all: argv never goes through a host shell, so it reaches
// the container intact.
//
// Probes: nerdctl runs them on a timer only with systemd as PID 1; elsewhere
// nothing probes unless someone runs `nerdctl container healthcheck`. The
// waiter therefore drives the recorded probes itself at the container's
// interval, so `unhealthy` keeps its meaning (retries x interval after the
// start period). To not make anyone wait a whole interval for a service that is
// already up, it also runs the same command through `nerdctl exec` every few
// hundred milliseconds; those quick checks are not recorded and cannot make the
// container unhealthy, and as soon as one passes a recorded probe follows.
//
// Pace: a quick check starts at most DEFAULT_HEALTH_POLL_MS after the start of
// the one before (sooner at first), or as soon as that one ends when it took
// longer: one at a time, so a slow container is never probed twice at once.
// The status is read while each check runs, not after it, so the read adds
// nothing to the time between an answer and the return.
//
// Ports: most services say they are up by listening. The waiter tries the
// container's published TCP ports on its bridge address every PORT_WATCH_MS,
// and the first time one accepts a connection it runs a recorded probe at
// once instead of a quick check and then a recorded one, which takes a whole
// nerdctl exec off the time between a service's first answer and the return.
// A check already running when the port opens is not waited for. That probe
// counts like any other, so it is run only when one more failure cannot make
// the container unhealthy; otherwise a quick check goes first.














/** Formats the last probes for an error message. */
function describeProbes(probes) {
    if (probes.length === 0)
        return 'no probe has run';
    return probes
        .slice(-3)
        .map(p => `  exit ${p.exitCode} at ${p.end || p.start}: ${tail(p.output, 500) || '(no output)'}`)
        .join('\n');
}
/**
 * Runs a container's health command once. A recorded probe goes through
 * `nerdctl container healthcheck` and counts towards healthy/unhealthy; a
 * quick one runs the same command with `nerdctl exec` and counts for nothing.
 * Returns whether the command passed (a recorded probe's verdict is read
 * from inspect afterwards).
 */
async function probe(ref, hc, kind, timeoutMs, call) {
    const options = { ...call, timeoutMs, allowFailure: true };
    const r = kind === 'recorded'
        ? await healthcheck(ref, options)
        : await exec(ref, ['/bin/sh', '-c', hc.cmd], options).catch(() => undefined);
    return r?.exitCode === 0;
}
/**
 * Whether nerdctl runs health probes on systemd timers here: it does when
 * systemd is PID 1 (`/run/systemd/system` exists), nerdctl runs as root (not
 * rootless), and its config does not set `disable_hc_systemd`.
 */
async function nerdctlRunsProbes(client) {
    const rootless = process.getuid?.() !== 0 && !client.options.sudo;
    const config = client.options.env?.NERDCTL_TOML ??
        process.env.NERDCTL_TOML ??
        (rootless ? (0,external_node_path_.join)((0,external_node_os_.homedir)(), '.config/nerdctl/nerdctl.toml') : '/etc/nerdctl/nerdctl.toml');
    return probesOnNerdctlTimer({
        systemdIsInit: await (0,promises_.stat)('/run/systemd/system').then(s => s.isDirectory(), () => false),
        rootless,
        config: await (0,promises_.readFile)(config, 'utf8').catch(() => '')
    });
}
/**
 * Whether this machine reaches an address directly, on the network of one of
 * its own interfaces (a container's bridge, loopback): the port watch never
 * sends anything through a gateway, off the machine.
 */
function reachedDirectly(ip) {
    return Object.values((0,external_node_os_.networkInterfaces)()).some(list => (list ?? []).some(i => i.family === 'IPv4' && onSubnet(ip, i.address, i.netmask)));
}
/**
 * Watches a container's published TCP ports on its own address: `opened` is
 * aborted, and `whenOpened` settles, the first time one of them accepts a
 * connection (a signal to end a pause, a promise to race a check). Nothing to
 * watch (no published TCP port, no address reached directly, e.g. the host's
 * network) never opens.
 */
function watchPorts(status, signal) {
    const opened = new AbortController();
    const whenOpened = new Promise(resolve => opened.signal.addEventListener('abort', () => resolve(true), { once: true }));
    const stopped = new AbortController();
    const ports = [
        ...new Set(status.ports
            .filter(p => p.containerPort.endsWith('/tcp'))
            .map(p => Number.parseInt(p.containerPort, 10))
            .filter(n => n > 0 && n < 65536))
    ];
    const host = status.ipAddress;
    const halt = signal ? AbortSignal.any([signal, stopped.signal]) : stopped.signal;
    if (host && ports.length > 0 && reachedDirectly(host)) {
        void (async () => {
            while (!halt.aborted) {
                const refused = await Promise.all(ports.map(p => tcpProbe(host, p, 500, halt)));
                if (!halt.aborted && refused.some(why => why === undefined)) {
                    opened.abort();
                    return;
                }
                await sleep_sleep(PORT_WATCH_MS, halt);
            }
        })();
    }
    return { opened: opened.signal, whenOpened, stop: () => stopped.abort() };
}
/** What a status means for the wait: healthy, a failure to report, or keep waiting. */
function verdict(status, hc, deadline, timeoutMs) {
    if (status.healthStatus === 'healthy')
        return 'healthy';
    if (status.healthStatus === 'unhealthy') {
        const n = status.health?.failingStreak ?? 0;
        return {
            kind: 'Other',
            why: `container ${status.name} is unhealthy after ${n} failed probe(s) of: ${hc.cmd}`
        };
    }
    // A container its restart policy is restarting comes back: not a failure yet.
    if (!status.running && !status.restarting && status.state !== 'restarting') {
        return {
            kind: 'Other',
            why: `container ${status.name} is ${status.status}, not running, so it cannot become healthy`
        };
    }
    if (Date.now() >= deadline) {
        return {
            kind: 'Timeout',
            why: `container ${status.name} did not become healthy within ${timeoutMs} ms (health: ${status.healthStatus})`
        };
    }
    return undefined;
}
/**
 * Waits until a container is healthy and returns its status. Fails fast, with
 * the last probe outputs and the tail of its logs, when it turns unhealthy or
 * stops running; fails with kind `Timeout` when the time is up.
 */
async function waitForHealthy(container, options = {}) {
    const ref = typeof container === 'string' ? container : (container.containerId ?? container.name);
    const timeoutMs = options.waitTimeoutMs ?? DEFAULT_WAIT_TIMEOUT_MS;
    const ownTimer = options.nerdctlProbes ?? (await nerdctlRunsProbes(clientOf(options)));
    const call = { client: options.client, signal: options.signal };
    const started = Date.now();
    const deadline = started + timeoutMs;
    let status = await inspect(ref, call);
    const hc = status.healthCheck;
    if (!hc) {
        throw new errors_NerdctlError('Other', `container ${status.name} has no health check, so it can never become healthy: create it with one (withHealthCheck, or the health-cmd input)`, { containerStatus: status });
    }
    const intervalMs = hc.interval ? durationMs(hc.interval) : DEFAULT_HEALTH_INTERVAL_MS;
    const probeTimeoutMs = hc.timeout ? durationMs(hc.timeout) : DEFAULT_HEALTH_TIMEOUT_MS;
    // Recorded probes keep Docker's rhythm: the first one interval after start.
    const startedAt = Date.parse(status.started);
    let nextRecorded = (Number.isNaN(startedAt) ? started : startedAt) + intervalMs;
    let gap = HEALTH_FIRST_GAP_MS;
    const maxGap = options.pollMs ?? DEFAULT_HEALTH_POLL_MS;
    let last = '';
    /** A recorded probe, then the status it left. */
    const recordProbe = async () => {
        await probe(ref, hc, 'recorded', probeTimeoutMs + 10_000, call);
        nextRecorded = Date.now() + intervalMs;
        return inspect(ref, call);
    };
    const ports = watchPorts(status, options.signal);
    let portSeen = false;
    /**
     * Whether the open port brings a recorded probe now: once per wait, and only
     * when one more failure cannot make the container unhealthy.
     */
    const portProbe = (current) => {
        if (portSeen || !ports.opened.aborted)
            return false;
        portSeen = true;
        return (current.health?.failingStreak ?? 0) + 1 < (hc.retries ?? DEFAULT_HEALTH_RETRIES);
    };
    /** One round: a recorded probe when due, else a quick check (and the status meanwhile), else a pause. */
    const round = async (current) => {
        const begun = Date.now();
        // With nerdctl's own timer, recording on ours too would count failures
        // twice as fast as the user's interval and retries say.
        if (begun >= nextRecorded && !ownTimer)
            return recordProbe();
        if (portProbe(current))
            return recordProbe();
        const quickTimeout = Math.min(probeTimeoutMs, Math.max(1000, deadline - begun));
        const checking = Promise.all([probe(ref, hc, 'quick', quickTimeout, call), inspect(ref, call)]);
        // A port that opens while a check runs does not wait for that check,
        // which began before the service listened: the recorded probe starts at
        // once (the one moment a quick check and a probe may run together; the
        // check's result is then not needed).
        if (!portSeen && (await Promise.race([checking.then(() => false), ports.whenOpened]))) {
            checking.catch(() => undefined);
            if (portProbe(current))
                return recordProbe();
        }
        const [passed, next] = await checking;
        if (passed)
            return recordProbe();
        const untilRecorded = ownTimer ? Infinity : nextRecorded - Date.now();
        const untilNext = begun + gap - Date.now();
        // Until a port has opened, its opening ends the pause: that is worth a look now.
        const wake = portSeen ? undefined : ports.opened;
        const pause = [options.signal, wake].filter((x) => x !== undefined);
        await sleep_sleep(Math.min(untilNext, untilRecorded, deadline - Date.now()), pause.length > 1 ? AbortSignal.any(pause) : pause[0]);
        gap = Math.min(gap * 1.5, maxGap);
        return next;
    };
    try {
        for (;;) {
            if (options.signal?.aborted) {
                throw new errors_NerdctlError('Cancelled', `waiting for ${status.name} to become healthy was cancelled`, { containerStatus: status });
            }
            if (status.status !== last) {
                last = status.status;
                options.onStatus?.(status);
            }
            const v = verdict(status, hc, deadline, timeoutMs);
            if (v === 'healthy')
                return status;
            if (v) {
                const logs = await logTail(ref, options.logLines ?? DEFAULT_LOG_LINES, call);
                throw new errors_NerdctlError(v.kind, `${v.why}\nLast health probes:\n${describeProbes(status.health?.log ?? [])}\nLast log lines of ${status.name}:\n${logs || '(no output)'}`, { containerStatus: status, logs });
            }
            status = await round(status);
        }
    }
    finally {
        ports.stop();
    }
}

;// CONCATENATED MODULE: ./src/nerdctl/ops/readiness.ts
// waitFor: returns as soon as a container is ready by every check asked of
// it: its health check, TCP ports, an HTTP answer, a log line, a command.
//
// Port and HTTP checks go from this machine to the container's address on its
// network (a bridge the host reaches directly), so the image needs no tool for
// them. Checks are polled on a short schedule (pure/readiness.ts): tens of
// milliseconds at first, never more than a quarter second apart, whatever the
// health check's interval. Each round also looks at the container's state, so
// one that exits fails the wait at once, with its last logs, state, exit code
// and the last output of every check that has not passed.










/** Longest a single port, HTTP or exec probe may take before it counts as a failure. */
const PROBE_TIMEOUT_MS = DEFAULT_NET_PROBE_TIMEOUT_MS;
/** Logs read for a log check: the newest this many bytes. */
const LOG_CHECK_BYTES = 4 * 1024 * 1024;
function describeChecks(checks) {
    return checks
        .map(c => `  ${c.name}: ${c.met ? 'passed' : `not yet${c.last ? ` (${tail(c.last, 300)})` : ''}`}`)
        .join('\n');
}
/**
 * Waits until a container is ready by every check of `spec` and returns its
 * status and how long that took. With no check given it waits for health when
 * the container has a health check, else only for it to run. Fails fast when
 * it stops running or turns unhealthy; fails with kind `Timeout` when the time
 * is up. Every failure carries the last log lines and each check's last output.
 */
async function waitFor(container, spec = {}, options = {}) {
    checkContainerRef(container);
    validateReadiness(spec);
    const t0 = Date.now();
    const timeoutMs = spec.timeoutMs ?? DEFAULT_WAIT_TIMEOUT_MS;
    const deadline = t0 + timeoutMs;
    const call = { client: options.client, signal: options.signal };
    let status = await inspect(container, call);
    const met = [];
    const checks = [];
    for (const port of spec.ports ?? [])
        checks.push({
            name: `port ${port}`,
            met: false,
            last: '',
            run: s => s.ipAddress ? tcpProbe(s.ipAddress, port) : Promise.resolve('the container has no address')
        });
    const http = spec.http;
    if (http)
        checks.push({
            name: `http :${http.port}${http.path ?? '/'}`,
            met: false,
            last: '',
            run: s => s.ipAddress ? httpProbe(s.ipAddress, http) : Promise.resolve('the container has no address')
        });
    const log = spec.log;
    if (log) {
        const pattern = new RegExp(log.pattern);
        const times = log.times ?? 1;
        checks.push({
            name: `log /${log.pattern}/${times > 1 ? ` x${times}` : ''}`,
            met: false,
            last: '',
            run: async () => {
                const n = countMatches(logsText(await logs(container, { ...call, maxBytes: LOG_CHECK_BYTES })), pattern);
                return n >= times ? undefined : `${n} of ${times} matching line(s) so far`;
            }
        });
    }
    const command = spec.exec;
    if (command !== undefined)
        checks.push({
            name: 'exec',
            met: false,
            last: '',
            run: async () => {
                const r = await exec(container, command, {
                    ...call,
                    timeoutMs: PROBE_TIMEOUT_MS * 5,
                    allowFailure: true
                });
                return r.exitCode === 0
                    ? undefined
                    : `exit ${r.exitCode}: ${tail(`${r.stdout}${r.stderr}`.trim(), 300) || '(no output)'}`;
            }
        });
    // Health runs on its own loop (it records probes on the check's interval);
    // this loop stops it as soon as anything else fails.
    const stopHealth = new AbortController();
    const onAbort = () => stopHealth.abort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const wantHealth = spec.health ?? status.healthCheck !== undefined;
    let healthy = !wantHealth;
    let healthError;
    const health = wantHealth
        ? waitForHealthy(container, {
            client: options.client,
            signal: stopHealth.signal,
            waitTimeoutMs: Math.max(1, deadline - Date.now()),
            pollMs: options.maxPollMs ?? MAX_POLL_MS,
            logLines: options.logLines,
            ...(options.nerdctlProbes !== undefined ? { nerdctlProbes: options.nerdctlProbes } : {})
        }).then(s => {
            healthy = true;
            met.push('health');
            status = s;
        }, (e) => {
            healthError = e;
        })
        : Promise.resolve();
    const fail = async (kind, why) => {
        stopHealth.abort();
        await health;
        const logTextTail = await logTail(container, options.logLines ?? DEFAULT_LOG_LINES, call);
        const all = wantHealth
            ? [{ name: 'health', met: healthy, last: '', run: async () => undefined }, ...checks]
            : checks;
        throw new errors_NerdctlError(kind, `container ${status.name} is not ready: ${why}\n` +
            `State: ${status.status}, exit code ${status.exitCode}${status.error ? ` (${status.error})` : ''}\n` +
            `Checks after ${Date.now() - t0} ms:\n${describeChecks(all)}\n` +
            `Last log lines of ${status.name}:\n${logTextTail || '(no output)'}`, { containerStatus: status, logs: logTextTail });
    };
    try {
        for (let round = 0;; round++) {
            const roundStart = Date.now();
            if (options.signal?.aborted)
                return await fail('Cancelled', 'the wait was cancelled');
            // The state is read while the checks run, so a round takes the longer of
            // the two, not their sum; the checks use the address found before.
            const known = status;
            const [fresh] = await Promise.all([
                round === 0 ? Promise.resolve(known) : inspect(container, call),
                Promise.all(checks
                    .filter(c => !c.met)
                    .map(async (c) => {
                    const why = await c.run(known).catch((e) => errorMessage(e));
                    if (why === undefined) {
                        c.met = true;
                        met.push(c.name);
                    }
                    else
                        c.last = why;
                }))
            ]);
            status = fresh;
            if (healthError !== undefined) {
                // waitForHealthy's own message has the probes and logs; keep it whole.
                if (isNerdctlError(healthError))
                    throw healthError;
                return await fail('Other', `health: ${errorMessage(healthError)}`);
            }
            if (!status.running && !status.restarting && status.state !== 'restarting')
                return await fail('Other', `it is ${status.status}, not running`);
            if (healthy && checks.every(c => c.met))
                return { status, readyMs: Date.now() - t0, met };
            if (Date.now() >= deadline)
                return await fail('Timeout', `not ready within ${timeoutMs} ms (waiting for ${readinessChecks(spec, wantHealth).join(', ')})`);
            // The pause counts from the round's start: checks never more than the schedule's gap apart.
            const pause = pollDelay(round, options.maxPollMs) - (Date.now() - roundStart);
            await sleep_sleep(Math.min(pause, deadline - Date.now()), options.signal);
        }
    }
    finally {
        stopHealth.abort();
        options.signal?.removeEventListener('abort', onAbort);
    }
}

;// CONCATENATED MODULE: ./src/nerdctl/ops/networks.ts
// Networks: create one (labelled, so its owner finds it again), remove it,
// list networks by label. A service environment lives on a network of its own.





/** `nerdctl network create` of a bridge network; returns its ID. */
async function networkCreate(name, options = {}) {
    checkNetworkName(name);
    const args = ['network', 'create'];
    const labels = [...(clientOf(options).options.labels ?? []), ...(options.labels ?? [])];
    for (const [k, v] of labels)
        args.push('--label', `${k}=${v}`);
    if (options.subnet) {
        if (!/^[0-9a-fA-F.:]+\/\d{1,3}$/.test(options.subnet))
            throw invalidValue('subnet', `subnet ${JSON.stringify(options.subnet)} is not CIDR, e.g. 10.4.200.0/24`);
        args.push('--subnet', options.subnet);
    }
    args.push(name);
    const { stdout } = await nerdctl(args, options);
    return stdout.trim();
}
/** `nerdctl network rm`. */
async function networkRemove(name, options = {}) {
    checkNetworkName(name);
    await nerdctl(['network', 'rm', name], options);
}
/** `nerdctl network ls`, narrowed by `label=KEY[=VALUE]` filters. */
async function networkList(options = {}) {
    const args = ['network', 'ls', '--format', '{{json .}}'];
    for (const f of options.filters ?? [])
        args.push('--filter', f);
    const { stdout } = await nerdctl(args, options);
    return parseJsonLines(stdout, 'network ls output').map(toNetworkSummary);
}
/** The subnets of every network nerdctl knows, by network name. */
async function allSubnets(options = {}) {
    const names = (await networkList(options)).map(n => n.name).filter(n => CONTAINER_NAME.test(n));
    if (names.length === 0)
        return new Map();
    const { stdout } = await nerdctl(['network', 'inspect', ...names], options, {
        allowFailure: true
    });
    return networkSubnets(parseJsonArray(stdout.trim() || '[]', 'network inspect output'));
}
/**
 * Creates a network on a subnet no other network has, even when other steps
 * create networks at the same moment: nerdctl alone gives concurrent creates
 * the same subnet, and then traffic goes to the wrong containers. Picks a free
 * subnet at random, creates, checks nobody else took it, and retries if so.
 */
async function networkCreateIsolated(name, options = {}) {
    for (let attempt = 0;; attempt++) {
        const before = await allSubnets(options);
        const subnet = pickSubnet(new Set([...before.values()].flat()), Math.random());
        if (!subnet)
            return networkCreate(name, options);
        const id = await networkCreate(name, { ...options, subnet });
        const after = await allSubnets(options);
        const clash = [...after.entries()].some(([n, s]) => n !== name && s.includes(subnet));
        if (!clash || attempt >= 4)
            return id;
        await networkRemove(name, options);
    }
}

;// CONCATENATED MODULE: ./src/nerdctl/builder/container.ts
// Container: the fluent builder (the names of the Rust module this library
// replaces: withPort, withEnv, build, ...) plus the operations on the
// container it made. Builder methods change the configuration and return
// `this`; operations are async and throw NerdctlError.










function emptyConfig() {
    return { ports: [], volumes: [], env: [], labels: [], networkAliases: [], detach: true };
}
class Container {
    name;
    image;
    /** Set once the container exists (after build, start or find). */
    containerId;
    /** Exit code and output of a foreground build (`withDetach(false)`). */
    runResult;
    config = emptyConfig();
    replaceExisting = false;
    callOptions;
    constructor(name, image, options = {}) {
        this.name = name;
        this.image = image;
        this.callOptions = options;
    }
    static fromImage(name, image, options = {}) {
        return new Container(name, image, options);
    }
    /**
     * A container from a whole spec at once (what the action's run phase uses):
     * the same as calling each builder method with the spec's fields.
     */
    static fromSpec(spec, options = {}) {
        const c = new Container(spec.name, spec.image, options);
        const config = { ...spec };
        delete config.name;
        delete config.image;
        c.config = { ...emptyConfig(), ...config };
        return c;
    }
    /** Attaches to an existing container by name or ID. */
    static async find(nameOrId, options = {}) {
        const status = await inspect(nameOrId, options);
        const c = new Container(status.name, status.image, options);
        c.containerId = status.id;
        return c;
    }
    /** The options (client, timeout, signal) every operation of this container uses. */
    withCallOptions(options) {
        this.callOptions = { ...this.callOptions, ...options };
        return this;
    }
    // ---- builder ----------------------------------------------------------------------
    withImage(image) {
        this.image = image;
        return this;
    }
    withPort(port) {
        this.config.ports = [...(this.config.ports ?? []), port];
        return this;
    }
    withPorts(ports) {
        for (const p of ports)
            this.withPort(p);
        return this;
    }
    withVolume(volume) {
        this.config.volumes = [...(this.config.volumes ?? []), volume];
        return this;
    }
    withVolumes(volumes) {
        for (const v of volumes)
            this.withVolume(v);
        return this;
    }
    withEnv(key, value) {
        this.config.env = [...(this.config.env ?? []), [key, value]];
        return this;
    }
    /** A Map or an object keeps its insertion order; so does `-e`. */
    withEnvs(env) {
        const entries = Array.isArray(env)
            ? env
            : env instanceof Map
                ? [...env.entries()]
                : Object.entries(env);
        for (const [k, v] of entries)
            this.withEnv(k, v);
        return this;
    }
    withNetwork(network) {
        this.config.network = network;
        return this;
    }
    withNetworkAlias(alias) {
        this.config.networkAliases = [...(this.config.networkAliases ?? []), alias];
        return this;
    }
    withNetworkAliases(aliases) {
        for (const a of aliases)
            this.withNetworkAlias(a);
        return this;
    }
    withCpuLimit(cpus) {
        this.config.cpuLimit = cpus;
        return this;
    }
    withMemoryLimit(memory) {
        this.config.memoryLimit = memory;
        return this;
    }
    withMemorySwapLimit(memorySwap) {
        this.config.memorySwapLimit = memorySwap;
        return this;
    }
    withCpuShares(shares) {
        this.config.cpuShares = shares;
        return this;
    }
    withRestartPolicy(policy) {
        this.config.restartPolicy = policy;
        return this;
    }
    /** A shell command, run inside the container by /bin/sh -c; may be multi-line. */
    withHealthCheck(cmd) {
        this.config.healthCheck = { cmd };
        return this;
    }
    withHealthCheckOptions(cmd, interval, timeout, retries, startPeriod) {
        const hc = { cmd, interval, timeout, retries, startPeriod };
        this.config.healthCheck = hc;
        return this;
    }
    withSnapshotter(snapshotter) {
        this.config.snapshotter = snapshotter;
        return this;
    }
    /** Default true. false: build() runs to completion and keeps exit code and output. */
    withDetach(detach) {
        this.config.detach = detach;
        return this;
    }
    /** Command and arguments after the image. */
    withCommand(command) {
        this.config.command = typeof command === 'string' ? ['/bin/sh', '-c', command] : [...command];
        return this;
    }
    withEntrypoint(entrypoint) {
        this.config.entrypoint = typeof entrypoint === 'string' ? entrypoint : [...entrypoint];
        return this;
    }
    withLabel(key, value) {
        this.config.labels = [...(this.config.labels ?? []), [key, value]];
        return this;
    }
    withLabels(labels) {
        const entries = Array.isArray(labels) ? labels : Object.entries(labels);
        for (const [k, v] of entries)
            this.withLabel(k, v);
        return this;
    }
    withWorkdir(dir) {
        this.config.workdir = dir;
        return this;
    }
    withUser(user) {
        this.config.user = user;
        return this;
    }
    /**
     * Clears the configuration (name and image stay) and, as the Rust module's
     * reset did, replaces an existing container of the same name at the next build(). The
     * removal happens then, not now, so nothing is removed unless a build follows.
     */
    reset() {
        this.config = emptyConfig();
        this.containerId = undefined;
        this.runResult = undefined;
        this.replaceExisting = true;
        return this;
    }
    /** The spec build() runs. */
    spec() {
        if (!this.image) {
            throw new errors_NerdctlError('Other', `container ${this.name} has no image: use Container.fromImage(name, image) or withImage(image)`);
        }
        return { ...this.config, name: this.name, image: this.image };
    }
    // ---- operations -------------------------------------------------------------------
    get ref() {
        return this.containerId ?? this.name;
    }
    /**
     * Runs the container (`nerdctl run`) with every option, detached by default.
     * Called build() after the Rust module's builder, where the container was
     * "built" from its configuration. Detached, the ID is stored; in the
     * foreground (`withDetach(false)`), exit code and output are kept in
     * `runResult` and the ID is the one nerdctl wrote for this run (never
     * looked up by name: a name another container has makes the run fail,
     * and that container is not this one).
     */
    async build() {
        const spec = this.spec();
        if (this.replaceExisting) {
            await remove(this.name, { ...this.callOptions, force: true })
                .catch((e) => {
                if (!isNoSuchContainer(e))
                    throw e;
            });
            this.replaceExisting = false;
        }
        const result = await runSpec(spec, this.callOptions);
        this.containerId = result.containerId;
        this.runResult = spec.detach === false ? result : undefined;
        return this;
    }
    /**
     * Makes sure the container runs: creates it (pulling its image if missing)
     * when it does not exist, starts it when it is stopped, then checks it is
     * running; if not, the error carries its status, exit code and last logs.
     */
    async start() {
        let status = await inspect(this.ref, this.callOptions).catch((e) => {
            if (isNoSuchContainer(e))
                return undefined;
            throw e;
        });
        if (!status) {
            const spec = this.spec();
            if (!(await imageExists(spec.image, this.callOptions)))
                await imagePull(spec.image, this.callOptions);
            this.containerId = await create({ ...spec, pull: 'never' }, this.callOptions);
        }
        else {
            this.containerId = status.id;
        }
        if (!status?.running)
            await nerdctl(['start', this.ref], this.callOptions);
        status = await inspect(this.ref, this.callOptions);
        if (!status.running) {
            const lastLogs = await logTail(this.ref, undefined, this.callOptions);
            throw new errors_NerdctlError('Other', `container ${this.name} did not stay running: it is ${status.status}, exit code ${status.exitCode}` +
                (status.error ? ` (${status.error})` : '') +
                `\nLast log lines:\n${tail(lastLogs) || '(no output)'}`, { containerStatus: status, logs: lastLogs });
        }
        return this;
    }
    async stop(options = {}) {
        await stop(this.ref, { ...this.callOptions, ...options });
        return this;
    }
    /** Removes the container; `force` (default true) also removes it while running. */
    async remove(options = {}) {
        await remove(this.ref, {
            ...this.callOptions,
            force: options.force ?? true,
            volumes: options.volumes
        });
        this.containerId = undefined;
    }
    /** A string runs via /bin/sh -c inside the container; an array runs as argv. */
    exec(command, options = {}) {
        return exec(this.ref, command, { ...this.callOptions, ...options });
    }
    /** `container:/path` or a host path on either side; `:/path` alone means this container. */
    copy(source, dest) {
        return copy(expandOwnPath(source, this.ref), expandOwnPath(dest, this.ref), this.callOptions);
    }
    status() {
        return inspect(this.ref, this.callOptions);
    }
    /** none, starting, healthy or unhealthy. */
    async healthStatus() {
        return (await this.status()).healthStatus;
    }
    logs(options = {}) {
        return logs(this.ref, { ...this.callOptions, ...options });
    }
    resources() {
        return stats(this.ref, this.callOptions);
    }
    /** Commits the container to a new image; returns the image ID. */
    commit(imageName) {
        return imageCommit(this.ref, imageName, this.callOptions);
    }
    /** Writes the container's filesystem to a tarball, atomically. */
    export(path) {
        return exportContainer(this.ref, path, this.callOptions);
    }
    waitForHealthy(options = {}) {
        return waitForHealthy(this.ref, { ...this.callOptions, ...options });
    }
    /**
     * Waits until the container is ready by every check given (health, TCP
     * ports, HTTP, a log line, a command), polled at most 250 ms apart; fails
     * fast, with its last logs, when it exits.
     */
    waitFor(spec = {}, options = {}) {
        return waitFor(this.ref, spec, { ...this.callOptions, ...options });
    }
}

;// CONCATENATED MODULE: ./src/nerdctl/builder/environment.ts
// Environment: several services on a network of their own, started in
// dependency order and each waited for until ready, then torn down together.
//
// Names: the network is the environment's name, each container is
// `NETWORK-KEY` (unique while the network's name is), and each container's
// hostname is its key. nerdctl has no --network-alias, but it writes every
// container's hostname into the /etc/hosts of the others on the network, so
// the others reach a service by the key users wrote, while two environments
// on one machine, with the same keys, never collide.






/** Container port (`5432`, or `53/udp`) to the first host port bound to it. */
function portMap(status) {
    const ports = {};
    for (const p of status.ports) {
        const key = p.containerPort.replace(/\/tcp$/, '');
        if (p.hostPort && !(key in ports))
            ports[key] = p.hostPort;
    }
    return ports;
}
class Environment {
    network;
    /** The service containers by key, as they start. */
    containers = new Map();
    /** The services by key, as they become ready. */
    services = new Map();
    networkCreated = false;
    call;
    constructor(network, call) {
        this.network = network;
        this.call = call;
    }
    /**
     * Creates the network and starts every service: those whose dependencies
     * are ready start together, and each one starts as soon as everything it
     * depends on is ready, so the time taken is the longest chain, not the sum.
     * The first failure stops the other waits; then, unless `keepOnFailure`,
     * everything started is removed, and the error names the service.
     */
    static async start(spec, options = {}) {
        validateEnvironment(spec);
        const abort = new AbortController();
        const onAbort = () => abort.abort();
        options.signal?.addEventListener('abort', onAbort, { once: true });
        const call = { client: options.client, signal: abort.signal };
        if (options.timeoutMs !== undefined)
            call.timeoutMs = options.timeoutMs;
        const env = new Environment(spec.network, { ...call, signal: options.signal });
        try {
            await networkCreateIsolated(spec.network, { ...call, labels: spec.labels ?? [] });
            env.networkCreated = true;
            const ready = new Map();
            env.launch = key => {
                let p = ready.get(key);
                if (!p) {
                    p = env.startService(spec, key, call, abort.signal, options);
                    // The first failure stops the waits of the others.
                    p.catch(() => abort.abort());
                    ready.set(key, p);
                }
                return p;
            };
            for (const key of Object.keys(spec.services))
                void env.launch(key);
            const results = await Promise.allSettled([...ready.values()]);
            const failed = results.find((r) => r.status === 'rejected');
            // A service skipped because another failed is not the cause; the first real error is.
            const cause = results
                .filter((r) => r.status === 'rejected')
                .map(r => r.reason)
                .find(e => !(e instanceof SkippedError));
            if (failed && options.signal?.aborted)
                throw new errors_NerdctlError('Cancelled', 'starting the services was cancelled');
            if (failed)
                throw cause ?? failed.reason;
            return env;
        }
        catch (e) {
            if (!options.keepOnFailure)
                await env.stop().catch(() => undefined);
            throw e;
        }
        finally {
            options.signal?.removeEventListener('abort', onAbort);
        }
    }
    async startService(spec, key, call, signal, options) {
        const service = spec.services[key];
        if (!service)
            throw new Error(`no service ${key}`);
        // Every dependency is started (once) and waited for before this one.
        const deps = service.dependsOn ?? [];
        await Promise.all(deps.map(d => this.launch(d)));
        if (signal.aborted)
            throw new SkippedError(key);
        const name = serviceContainerName(spec.network, key);
        const container = Container.fromSpec({
            ...service.container,
            labels: [...(spec.labels ?? []), ...(service.container.labels ?? [])],
            name,
            network: spec.network,
            hostname: key,
            detach: true
        }, call);
        try {
            await container.build();
        }
        catch (e) {
            throw new errors_NerdctlError('Other', `service ${key}: could not start: ${errorMessage(e)}`, {
                cause: e
            });
        }
        this.containers.set(key, container);
        options.onStarted?.(key, container);
        try {
            const r = await container.waitFor(service.readiness ?? {}, { ...call, ...options.readiness });
            const info = {
                key,
                id: r.status.id,
                name,
                ip: r.status.ipAddress,
                network: spec.network,
                ports: portMap(r.status),
                health: r.status.healthStatus,
                readyMs: r.readyMs
            };
            this.services.set(key, info);
            options.onReady?.(info);
        }
        catch (e) {
            if (signal.aborted && !(e instanceof errors_NerdctlError && e.kind !== 'Cancelled'))
                throw new SkippedError(key);
            const inner = e instanceof errors_NerdctlError ? e : undefined;
            throw new errors_NerdctlError(inner?.kind === 'Timeout' ? 'Timeout' : 'Other', `service ${key}: ${errorMessage(e)}`, { cause: e, containerStatus: inner?.containerStatus, logs: inner?.logs });
        }
    }
    /** Set by start(): starts a service once (and its dependencies first) and waits until it is ready. */
    launch = () => Promise.resolve();
    /** Removes every service container (running or not), then the network. Never throws for what is already gone. */
    async stop() {
        const problems = [];
        await Promise.all([...this.containers.entries()].map(async ([key, c]) => {
            try {
                // By the ID it was started with, never the name, which another
                // container may hold. Not through the container's own options:
                // their signal is the one a failure aborted.
                if (c.containerId)
                    await remove(c.containerId, { ...this.call, force: true, volumes: true });
            }
            catch (e) {
                if (!isNoSuchContainer(e))
                    problems.push(`service ${key}: ${errorMessage(e)}`);
            }
        }));
        this.containers.clear();
        if (this.networkCreated) {
            try {
                await networkRemove(this.network, this.call);
            }
            catch (e) {
                if (!isNoSuchNetwork(e))
                    problems.push(`network ${this.network}: ${errorMessage(e)}`);
            }
            this.networkCreated = false;
        }
        if (problems.length > 0)
            throw new errors_NerdctlError('Other', `the environment was not removed whole:\n${problems.join('\n')}`);
    }
}
/** A service not started because another one failed first. */
class SkippedError extends Error {
    constructor(key) {
        super(`service ${key} was not started: another service failed first`);
    }
}
/** Starts an environment of services; see Environment.start. */
function startServices(spec, options = {}) {
    return Environment.start(spec, options);
}

;// CONCATENATED MODULE: ./src/nerdctl/index.ts































/***/ })

};

//# sourceMappingURL=428.index.js.map