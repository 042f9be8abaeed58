import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
/******/ var __webpack_modules__ = ({

/***/ 915:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   Fo: () => (/* binding */ POST_CALL_TIMEOUT_MS),
/* harmony export */   G1: () => (/* binding */ DEFAULT_PRUNE_UNTIL),
/* harmony export */   JK: () => (/* binding */ REMOVE_CONCURRENCY),
/* harmony export */   Li: () => (/* binding */ PRUNE_LOCK_DIR),
/* harmony export */   Uw: () => (/* binding */ State),
/* harmony export */   el: () => (/* binding */ PRUNE_LOCK_WAIT_MS),
/* harmony export */   fx: () => (/* binding */ CONTAINERD_ROOT_ENV),
/* harmony export */   hW: () => (/* binding */ KEEP_LABEL),
/* harmony export */   k7: () => (/* binding */ Output),
/* harmony export */   oD: () => (/* binding */ LOGOUT_TIMEOUT_MS),
/* harmony export */   pH: () => (/* binding */ SECRET_INPUTS),
/* harmony export */   pM: () => (/* binding */ JOB_LABEL),
/* harmony export */   pd: () => (/* binding */ Input),
/* harmony export */   pk: () => (/* binding */ OWNER_LABEL)
/* harmony export */ });
// Every input, output and state name of the action, in one place. action.yml
// must declare exactly these (a unit test checks it).
const Input = {
    Nerdctl: 'nerdctl',
    Namespace: 'namespace',
    Address: 'address',
    Snapshotter: 'snapshotter',
    BuildkitHost: 'buildkit-host',
    InsecureRegistries: 'insecure-registries',
    Sudo: 'sudo',
    Timeout: 'timeout',
    HostPaths: 'host-paths',
    Registry: 'registry',
    Username: 'username',
    Password: 'password',
    Registries: 'registries',
    Logout: 'logout',
    Retries: 'retries',
    RetryDelay: 'retry-delay',
    Pull: 'pull',
    Context: 'context',
    File: 'file',
    Tags: 'tags',
    BuildArgs: 'build-args',
    Labels: 'labels',
    Target: 'target',
    Platforms: 'platforms',
    NoCache: 'no-cache',
    CacheFrom: 'cache-from',
    CacheTo: 'cache-to',
    Secrets: 'secrets',
    SecretFiles: 'secret-files',
    SecretEnvs: 'secret-envs',
    Ssh: 'ssh',
    Allow: 'allow',
    Attests: 'attests',
    Sbom: 'sbom',
    Provenance: 'provenance',
    Annotations: 'annotations',
    Outputs: 'outputs',
    BuildContexts: 'build-contexts',
    BuildNetwork: 'build-network',
    AddHosts: 'add-hosts',
    BuildPull: 'build-pull',
    Push: 'push',
    PushByDigest: 'push-by-digest',
    Merge: 'merge',
    Save: 'save',
    Image: 'image',
    Run: 'run',
    Name: 'name',
    Command: 'command',
    Ports: 'ports',
    Volumes: 'volumes',
    Env: 'env',
    Network: 'network',
    NetworkAliases: 'network-aliases',
    Cpus: 'cpus',
    Memory: 'memory',
    MemorySwap: 'memory-swap',
    CpuShares: 'cpu-shares',
    Restart: 'restart',
    Detach: 'detach',
    HealthCmd: 'health-cmd',
    HealthInterval: 'health-interval',
    HealthTimeout: 'health-timeout',
    HealthRetries: 'health-retries',
    HealthStartPeriod: 'health-start-period',
    Wait: 'wait',
    WaitForClients: 'wait-for-clients',
    WaitTimeout: 'wait-timeout',
    Exec: 'exec',
    Copy: 'copy',
    Commit: 'commit',
    Export: 'export',
    Stats: 'stats',
    Script: 'script',
    ScriptFile: 'script-file',
    Cleanup: 'cleanup',
    ShowLogs: 'show-logs',
    Summary: 'summary',
    Services: 'services',
    Reap: 'reap',
    // Persistent runners: the disk budget (inputs/disk.ts, disk-budget.ts).
    DiskBudget: 'disk-budget',
    PruneUntil: 'prune-until',
    BuildCacheKeep: 'build-cache-keep',
    PruneDryRun: 'prune-dry-run',
    ComposeFile: 'compose-file',
    ComposeProject: 'compose-project',
    ComposeProfiles: 'compose-profiles',
    ComposeServices: 'compose-services',
    ComposeEnvFile: 'compose-env-file',
    ComposeBuild: 'compose-build',
    ComposeJoin: 'compose-join',
    Sign: 'sign',
    CosignKey: 'cosign-key',
    CosignPassword: 'cosign-password',
    CosignTlog: 'cosign-tlog',
    Verify: 'verify',
    CosignPublicKey: 'cosign-public-key',
    CosignCertificateIdentity: 'cosign-certificate-identity',
    CosignCertificateIdentityRegexp: 'cosign-certificate-identity-regexp',
    CosignCertificateOidcIssuer: 'cosign-certificate-oidc-issuer',
    CosignCertificateOidcIssuerRegexp: 'cosign-certificate-oidc-issuer-regexp',
    Cosign: 'cosign'
};
const Output = {
    ImageId: 'image-id',
    Digest: 'digest',
    DigestsFile: 'digests-file',
    Tags: 'tags',
    ContainerId: 'container-id',
    ContainerName: 'container-name',
    Status: 'status',
    Health: 'health',
    ExitCode: 'exit-code',
    ExportPath: 'export-path',
    SavePath: 'save-path',
    Stats: 'stats',
    Result: 'result',
    Metadata: 'metadata',
    Services: 'services',
    Compose: 'compose',
    ComposeProject: 'compose-project',
    ComposeNetwork: 'compose-network',
    Signatures: 'signatures'
};
/**
 * Post-step state (read and written by state.ts only). Never secrets:
 * container IDs, the cleanup label, paths. The strings are what main writes
 * and post reads back, and what tests and the local step runner look at, so
 * they stay as they are when the names on the left change.
 */
const State = {
    IsPost: 'isPost',
    /** Value of the label on every container this step creates. */
    Token: 'token',
    /** JSON list of the IDs of containers this step started. */
    Containers: 'containers',
    /** The client's global options (the plan's nerdctl section), JSON. */
    Nerdctl: 'tool',
    /** JSON list of the registries to log out of in the post step ('docker.io' for Docker Hub). */
    LogoutRegistries: 'logoutRegistries',
    /** The step's own Docker config directory (DOCKER_CONFIG of its calls), when it has one. */
    DockerConfig: 'dockerConfig',
    /** The step's scratch directory (TMPDIR of its nerdctl calls), removed by the post step. */
    TempDir: 'tempDir',
    /**
     * JSON list of the temporary files and directories the step's output
     * writes made beside their targets, recorded before each was made: the
     * post step removes these (left by a killed writer) and nothing else.
     */
    Partials: 'partials',
    Cleanup: 'cleanup',
    /** JSON list of the networks this step created (removed after its containers). */
    Networks: 'networks',
    /**
     * JSON list of the named volumes main set out to create (saved before each
     * create): with it, the post step lists the step's volumes by label.
     */
    Volumes: 'volumes',
    /**
     * 'true' once main has ended with every container it made saved under
     * Containers (no script ran, no phase failed): the post step then need
     * not list the step's containers by label.
     */
    Complete: 'complete',
    /** The disk budget (the plan's disk section and containerd's root), JSON: the post step checks it again. */
    Disk: 'disk'
};
/** Label on every container the action creates; its value is the step's token. */
const OWNER_LABEL = 'io.github.nerdctl-action.step';
/**
 * Label on every container and network the step makes (unless `cleanup:
 * false` keeps them on purpose): the job that made them, as the PID
 * namespace, PID, start time and user of the runner process of the job (the
 * step's parent). A later step removes what carries a marker whose process
 * is certainly gone.
 */
const JOB_LABEL = 'io.github.nerdctl-action.job';
/**
 * Longest a logout of main may take. It has its own limit, not the job's
 * cancel signal: a cancelled job still removes the credentials it made.
 */
const LOGOUT_TIMEOUT_MS = 30 * 1000;
/** Longest any nerdctl call of the post step may take: cleanup never hangs a job. */
const POST_CALL_TIMEOUT_MS = 2 * 60 * 1000;
/** How many containers the post step removes at once. */
const REMOVE_CONCURRENCY = 4;
/**
 * Inputs that carry secrets. Once read, they are removed from this process's
 * environment (INPUT_*), which every nerdctl process would otherwise inherit:
 * passwords, build secrets by value, the services YAML (credentials, env) and
 * the container's env, whose values reach nerdctl only through its env file.
 */
const SECRET_INPUTS = [
    Input.Password,
    Input.Registries,
    Input.Services,
    Input.Secrets,
    Input.Env,
    Input.CosignPassword
];
/**
 * Label that keeps an image, container, network or volume from any prune of
 * the disk budget (`io.github.nerdctl-action.keep=true`).
 */
const KEEP_LABEL = ['io.github.nerdctl-action.keep', 'true'];
/** prune-until when not given: images and cache untouched for a day may go. */
const DEFAULT_PRUNE_UNTIL = '24h';
/**
 * Where containerd keeps its store, for runners whose containerd does not
 * use /var/lib/containerd and whose /etc/containerd/config.toml does not say
 * (a rootless or second containerd): set in the runner's environment (.env).
 */
const CONTAINERD_ROOT_ENV = 'NERDCTL_ACTION_CONTAINERD_ROOT';
/**
 * The machine-wide prune lock: a directory under /run/lock (every runner
 * instance and user of the machine sees it; RUNNER_TEMP is one instance's).
 */
const PRUNE_LOCK_DIR = '/run/lock/nerdctl-action-prune';
/** How long a step waits for another's prune before it goes on without pruning. */
const PRUNE_LOCK_WAIT_MS = 15 * 1000;


/***/ }),

/***/ 3175:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   u: () => (/* binding */ StepState)
/* harmony export */ });
/* harmony import */ var _workflow_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(5809);
/* harmony import */ var _constants_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(915);
// What the main step leaves for the post step, which runs later in another
// process: the only module that calls core.saveState and core.getState. Each
// fact has a typed save and read; lists and options travel as JSON, and a
// value that does not read back is a warning, never a failed cleanup.


const isStringList = (v) => Array.isArray(v) && v.every(s => typeof s === 'string');
const isOptions = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
const isSavedDisk = (v) => typeof v === 'object' &&
    v !== null &&
    typeof v.root === 'string' &&
    typeof v.plan === 'object' &&
    v.plan !== null;
class StepState {
    /** From now on this bundle runs as the post step, however main ends. */
    markPost() {
        _workflow_js__WEBPACK_IMPORTED_MODULE_0__/* .saveState */ .LZ(_constants_js__WEBPACK_IMPORTED_MODULE_1__/* .State */ .Uw.IsPost, 'true');
    }
    isPost() {
        return _workflow_js__WEBPACK_IMPORTED_MODULE_0__/* .getState */ .Gu(_constants_js__WEBPACK_IMPORTED_MODULE_1__/* .State */ .Uw.IsPost) === 'true';
    }
    /** The value of the owner label of every container the step creates. */
    saveToken(token) {
        _workflow_js__WEBPACK_IMPORTED_MODULE_0__/* .saveState */ .LZ(_constants_js__WEBPACK_IMPORTED_MODULE_1__/* .State */ .Uw.Token, token);
    }
    /** Undefined when main stopped before creating anything. */
    token() {
        return _workflow_js__WEBPACK_IMPORTED_MODULE_0__/* .getState */ .Gu(_constants_js__WEBPACK_IMPORTED_MODULE_1__/* .State */ .Uw.Token) || undefined;
    }
    saveNerdctl(options) {
        this.saveJson(_constants_js__WEBPACK_IMPORTED_MODULE_1__/* .State */ .Uw.Nerdctl, options);
    }
    nerdctl() {
        return this.json(_constants_js__WEBPACK_IMPORTED_MODULE_1__/* .State */ .Uw.Nerdctl, {}, isOptions);
    }
    saveCleanup(cleanup) {
        _workflow_js__WEBPACK_IMPORTED_MODULE_0__/* .saveState */ .LZ(_constants_js__WEBPACK_IMPORTED_MODULE_1__/* .State */ .Uw.Cleanup, String(cleanup));
    }
    /** Only an explicit false keeps the containers. */
    cleanup() {
        return _workflow_js__WEBPACK_IMPORTED_MODULE_0__/* .getState */ .Gu(_constants_js__WEBPACK_IMPORTED_MODULE_1__/* .State */ .Uw.Cleanup) !== 'false';
    }
    saveScratch(dir) {
        _workflow_js__WEBPACK_IMPORTED_MODULE_0__/* .saveState */ .LZ(_constants_js__WEBPACK_IMPORTED_MODULE_1__/* .State */ .Uw.TempDir, dir);
    }
    scratch() {
        return _workflow_js__WEBPACK_IMPORTED_MODULE_0__/* .getState */ .Gu(_constants_js__WEBPACK_IMPORTED_MODULE_1__/* .State */ .Uw.TempDir) || undefined;
    }
    partialNames = [];
    /**
     * A temporary name an output write is about to make: saved before it is
     * made, so the post step removes it after a crash, and only what is saved.
     */
    recordPartial(path) {
        this.partialNames.push(path);
        this.saveJson(_constants_js__WEBPACK_IMPORTED_MODULE_1__/* .State */ .Uw.Partials, this.partialNames);
    }
    partials() {
        return this.json(_constants_js__WEBPACK_IMPORTED_MODULE_1__/* .State */ .Uw.Partials, [], isStringList);
    }
    saveContainers(ids) {
        this.saveJson(_constants_js__WEBPACK_IMPORTED_MODULE_1__/* .State */ .Uw.Containers, ids);
    }
    containers() {
        return this.json(_constants_js__WEBPACK_IMPORTED_MODULE_1__/* .State */ .Uw.Containers, [], isStringList);
    }
    /**
     * Networks the step is about to create (the services', the Compose
     * project's), added to those saved before; the post step removes them
     * after the containers.
     */
    saveNetworks(names) {
        for (const n of names)
            if (!this.networkNames.includes(n))
                this.networkNames.push(n);
        this.saveJson(_constants_js__WEBPACK_IMPORTED_MODULE_1__/* .State */ .Uw.Networks, this.networkNames);
    }
    networkNames = [];
    networks() {
        return this.json(_constants_js__WEBPACK_IMPORTED_MODULE_1__/* .State */ .Uw.Networks, [], isStringList);
    }
    /** The named volumes the step may have created; the post step removes its own after the containers. */
    recordVolume(name) {
        if (!this.volumeNames.includes(name))
            this.volumeNames.push(name);
        this.saveJson(_constants_js__WEBPACK_IMPORTED_MODULE_1__/* .State */ .Uw.Volumes, this.volumeNames);
    }
    volumeNames = [];
    /** A script may make volumes through the library: the post step looks for them too. */
    markVolumesPossible() {
        this.saveJson(_constants_js__WEBPACK_IMPORTED_MODULE_1__/* .State */ .Uw.Volumes, this.volumeNames);
    }
    /** Whether main created, or a script may have created, a volume: only then does the post step list them. */
    mayHaveVolumes() {
        return _workflow_js__WEBPACK_IMPORTED_MODULE_0__/* .getState */ .Gu(_constants_js__WEBPACK_IMPORTED_MODULE_1__/* .State */ .Uw.Volumes) !== '';
    }
    /** Main ended with every container it made in `containers` (see State.Complete). */
    saveComplete() {
        _workflow_js__WEBPACK_IMPORTED_MODULE_0__/* .saveState */ .LZ(_constants_js__WEBPACK_IMPORTED_MODULE_1__/* .State */ .Uw.Complete, 'true');
    }
    complete() {
        return _workflow_js__WEBPACK_IMPORTED_MODULE_0__/* .getState */ .Gu(_constants_js__WEBPACK_IMPORTED_MODULE_1__/* .State */ .Uw.Complete) === 'true';
    }
    /** The registries to log out of in the post step: 'docker.io' for Docker Hub. */
    saveLogouts(registries) {
        if (registries.length > 0)
            this.saveJson(_constants_js__WEBPACK_IMPORTED_MODULE_1__/* .State */ .Uw.LogoutRegistries, registries);
    }
    logouts() {
        return this.json(_constants_js__WEBPACK_IMPORTED_MODULE_1__/* .State */ .Uw.LogoutRegistries, [], isStringList);
    }
    /** The step's own Docker config directory: a path, never what is in it. */
    saveDockerConfig(dir) {
        _workflow_js__WEBPACK_IMPORTED_MODULE_0__/* .saveState */ .LZ(_constants_js__WEBPACK_IMPORTED_MODULE_1__/* .State */ .Uw.DockerConfig, dir);
    }
    dockerConfig() {
        return _workflow_js__WEBPACK_IMPORTED_MODULE_0__/* .getState */ .Gu(_constants_js__WEBPACK_IMPORTED_MODULE_1__/* .State */ .Uw.DockerConfig) || undefined;
    }
    /** The disk budget, for the post step to check again. */
    saveDisk(disk) {
        this.saveJson(_constants_js__WEBPACK_IMPORTED_MODULE_1__/* .State */ .Uw.Disk, disk);
    }
    disk() {
        return this.json(_constants_js__WEBPACK_IMPORTED_MODULE_1__/* .State */ .Uw.Disk, undefined, isSavedDisk);
    }
    saveJson(name, value) {
        _workflow_js__WEBPACK_IMPORTED_MODULE_0__/* .saveState */ .LZ(name, JSON.stringify(value));
    }
    json(name, fallback, valid) {
        const raw = _workflow_js__WEBPACK_IMPORTED_MODULE_0__/* .getState */ .Gu(name);
        if (!raw)
            return fallback;
        try {
            const value = JSON.parse(raw);
            if (valid(value))
                return value;
        }
        catch {
            // Reported below, as a value of the wrong shape is.
        }
        _workflow_js__WEBPACK_IMPORTED_MODULE_0__/* .warning */ .$e(`post step: saved state "${name}" is unreadable; skipping what it described`);
        return fallback;
    }
}


/***/ }),

/***/ 5809:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   $e: () => (/* binding */ warning),
/* harmony export */   C1: () => (/* binding */ setFailed),
/* harmony export */   CG: () => (/* binding */ output),
/* harmony export */   Gu: () => (/* binding */ getState),
/* harmony export */   LO: () => (/* binding */ inputVariable),
/* harmony export */   LZ: () => (/* binding */ saveState),
/* harmony export */   Os: () => (/* binding */ group),
/* harmony export */   Pq: () => (/* binding */ setSecret),
/* harmony export */   V4: () => (/* binding */ getInput),
/* harmony export */   Yz: () => (/* binding */ debug),
/* harmony export */   fe: () => (/* binding */ appendSummary),
/* harmony export */   pq: () => (/* binding */ info),
/* harmony export */   uH: () => (/* binding */ setOutput)
/* harmony export */ });
/* unused harmony exports command, error */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__nccwpck_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(1455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__nccwpck_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(8161);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__nccwpck_require__.n(node_os__WEBPACK_IMPORTED_MODULE_2__);
// The runner's protocol for the action's main and post steps: inputs, outputs,
// post-step state, masks, log lines and annotations, groups, the job summary
// and stop-commands regions, written exactly as @actions/core writes them
// (INPUT_* and STATE_* variables, the GITHUB_OUTPUT / GITHUB_STATE /
// GITHUB_STEP_SUMMARY files, `::command::` lines on stdout). This is the one
// place the action speaks it; `__tests__/unit/protocol-parity.test.ts` runs the
// same calls through this module and through @actions/core, with and without
// each file, and compares stdout and every file byte for byte.
//
// Why not @actions/core here: importing it loads its OIDC client and with it
// an HTTP stack (undici), about +60 ms on every Node start, and the runner
// starts Node twice per step (main, post) though no step asks for a token.
// User scripts do get the real @actions/core (src/script/toolkit.ts), loaded
// only when a script runs. ARCHITECTURE.md keeps the measurement.



/** The variable the runner passes an input in: INPUT_ and the name, spaces as _, upper case. */
function inputVariable(name) {
    return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}
/** `%`, CR and LF in a command's message, as the runner decodes them. */
function escapeData(s) {
    return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
function escapeProperty(s) {
    return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
/** One `::name k=v,...::message` line; properties with an empty value are left out, as core leaves them. */
function command(name, message, properties = {}) {
    const keys = Object.keys(properties);
    const props = Object.entries(properties)
        .filter(([, v]) => v)
        .map(([k, v]) => `${k}=${escapeProperty(v)}`)
        .join(',');
    process.stdout.write(`::${name}${keys.length > 0 ? ` ${props}` : ''}::${escapeData(message)}${node_os__WEBPACK_IMPORTED_MODULE_2__.EOL}`);
}
/**
 * Bytes from the kernel's generator. Read here rather than through
 * node:crypto, whose load costs about 12 ms of every start.
 */
function randomBytes(size) {
    const b = Buffer.alloc(size);
    const fd = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.openSync)('/dev/urandom', 'r');
    try {
        for (let n = 0; n < size;)
            n += (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readSync)(fd, b, n, size - n, null);
    }
    finally {
        (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.closeSync)(fd);
    }
    return b;
}
/** A version 4 UUID, as crypto.randomUUID makes one, for the delimiters below. */
function delimiterUuid() {
    const b = randomBytes(16);
    b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
    b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
    const h = b.toString('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
/**
 * One `name<<delimiter` entry of a file command (GITHUB_OUTPUT, GITHUB_STATE).
 * A variable that names a file that is not there is an error, as in core: the
 * runner always creates the file, so its absence means the value would be lost.
 */
function fileCommand(variable, name, value) {
    const file = process.env[variable];
    if (!(0,node_fs__WEBPACK_IMPORTED_MODULE_0__.existsSync)(file))
        throw new Error(`Missing file at path: ${file}`);
    const delimiter = `ghadelimiter_${delimiterUuid()}`;
    if (name.includes(delimiter))
        throw new Error(`Unexpected input: name should not contain the delimiter "${delimiter}"`);
    if (value.includes(delimiter))
        throw new Error(`Unexpected input: value should not contain the delimiter "${delimiter}"`);
    (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.appendFileSync)(file, `${name}<<${delimiter}${node_os__WEBPACK_IMPORTED_MODULE_2__.EOL}${value}${node_os__WEBPACK_IMPORTED_MODULE_2__.EOL}${delimiter}${node_os__WEBPACK_IMPORTED_MODULE_2__.EOL}`, {
        encoding: 'utf8'
    });
}
/** An input as the runner passes it, trimmed as core trims it. */
function getInput(name) {
    return (process.env[inputVariable(name)] || '').trim();
}
function setOutput(name, value) {
    if (process.env.GITHUB_OUTPUT)
        return fileCommand('GITHUB_OUTPUT', name, value);
    // core starts the old command on a line of its own; the runner needs it at a line start.
    process.stdout.write(node_os__WEBPACK_IMPORTED_MODULE_2__.EOL);
    command('set-output', value, { name });
}
function saveState(name, value) {
    if (process.env.GITHUB_STATE)
        return fileCommand('GITHUB_STATE', name, value);
    command('save-state', value, { name });
}
function getState(name) {
    return process.env[`STATE_${name}`] || '';
}
/** Masks a value in every later log line of the job. */
function setSecret(secret) {
    command('add-mask', secret);
}
function info(message) {
    process.stdout.write(message + node_os__WEBPACK_IMPORTED_MODULE_2__.EOL);
}
/**
 * Text a process printed (a container's logs, an exec's output, a build's
 * progress), shown as text: the runner obeys no workflow command in it.
 * It is written in one write as one region, `::stop-commands::TOKEN`, the
 * text, `::TOKEN::`, so nothing else the step writes can land inside the
 * region and nothing of the text outside it. The token is fresh for each
 * region and unguessable (128 random bits), so the text cannot end the
 * region early: it was printed before the token existed.
 */
function output(text, stream = process.stdout) {
    const body = text.replace(/\r?\n$/, '');
    let token = randomBytes(16).toString('hex');
    while (body.includes(token))
        token = randomBytes(16).toString('hex');
    stream.write(`::stop-commands::${token}${node_os__WEBPACK_IMPORTED_MODULE_2__.EOL}${body}${node_os__WEBPACK_IMPORTED_MODULE_2__.EOL}::${token}::${node_os__WEBPACK_IMPORTED_MODULE_2__.EOL}`);
}
function debug(message) {
    command('debug', message);
}
function warning(message) {
    command('warning', message);
}
function error(message) {
    command('error', message);
}
/** The step fails with this message once the process ends. */
function setFailed(message) {
    process.exitCode = 1;
    error(message);
}
/** Runs fn inside a collapsible group of the log. */
async function group(name, fn) {
    command('group', name);
    try {
        return await fn();
    }
    finally {
        command('endgroup', '');
    }
}
/**
 * Appends to the job summary (Markdown with HTML), as core's
 * `summary.addRaw(text).write()` does. Without GITHUB_STEP_SUMMARY (a runner
 * that offers no summary, the CLI outside a step) there is nothing to write
 * and the step goes on; a variable naming a file this user cannot write is
 * an error, in core's words.
 */
async function appendSummary(text) {
    const file = process.env.GITHUB_STEP_SUMMARY;
    if (!file)
        return;
    try {
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.access)(file, node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.constants.R_OK | node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.constants.W_OK);
    }
    catch {
        throw new Error(`Unable to access summary file: '${file}'. Check if the file has correct read/write permissions.`);
    }
    await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.appendFile)(file, text, { encoding: 'utf8' });
}


/***/ }),

/***/ 2613:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("assert");

/***/ }),

/***/ 181:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("buffer");

/***/ }),

/***/ 5317:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("child_process");

/***/ }),

/***/ 6982:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("crypto");

/***/ }),

/***/ 4434:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("events");

/***/ }),

/***/ 9896:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("fs");

/***/ }),

/***/ 8611:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("http");

/***/ }),

/***/ 5692:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("https");

/***/ }),

/***/ 9278:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("net");

/***/ }),

/***/ 4589:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:assert");

/***/ }),

/***/ 6698:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:async_hooks");

/***/ }),

/***/ 4573:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:buffer");

/***/ }),

/***/ 1421:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:child_process");

/***/ }),

/***/ 7540:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:console");

/***/ }),

/***/ 7598:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:crypto");

/***/ }),

/***/ 1314:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:dgram");

/***/ }),

/***/ 3053:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:diagnostics_channel");

/***/ }),

/***/ 610:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:dns");

/***/ }),

/***/ 8474:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:events");

/***/ }),

/***/ 3024:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs");

/***/ }),

/***/ 1455:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs/promises");

/***/ }),

/***/ 7067:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:http");

/***/ }),

/***/ 2467:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:http2");

/***/ }),

/***/ 8995:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:module");

/***/ }),

/***/ 7030:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:net");

/***/ }),

/***/ 8161:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:os");

/***/ }),

/***/ 6760:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:path");

/***/ }),

/***/ 643:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:perf_hooks");

/***/ }),

/***/ 1792:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:querystring");

/***/ }),

/***/ 7075:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:stream");

/***/ }),

/***/ 6193:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:string_decoder");

/***/ }),

/***/ 1692:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:tls");

/***/ }),

/***/ 3136:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:url");

/***/ }),

/***/ 7975:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:util");

/***/ }),

/***/ 3429:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:util/types");

/***/ }),

/***/ 714:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:vm");

/***/ }),

/***/ 5919:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:worker_threads");

/***/ }),

/***/ 8522:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:zlib");

/***/ }),

/***/ 857:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("os");

/***/ }),

/***/ 6928:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("path");

/***/ }),

/***/ 932:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("process");

/***/ }),

/***/ 2203:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("stream");

/***/ }),

/***/ 3193:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("string_decoder");

/***/ }),

/***/ 3557:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("timers");

/***/ }),

/***/ 4756:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("tls");

/***/ }),

/***/ 9023:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("util");

/***/ })

/******/ });
/************************************************************************/
/******/ // The module cache
/******/ var __webpack_module_cache__ = {};
/******/ 
/******/ // The require function
/******/ function __nccwpck_require__(moduleId) {
/******/ 	// Check if module is in cache
/******/ 	var cachedModule = __webpack_module_cache__[moduleId];
/******/ 	if (cachedModule !== undefined) {
/******/ 		return cachedModule.exports;
/******/ 	}
/******/ 	// Create a new module (and put it into the cache)
/******/ 	var module = __webpack_module_cache__[moduleId] = {
/******/ 		// no module.id needed
/******/ 		// no module.loaded needed
/******/ 		exports: {}
/******/ 	};
/******/ 
/******/ 	// Execute the module function
/******/ 	var threw = true;
/******/ 	try {
/******/ 		__webpack_modules__[moduleId](module, module.exports, __nccwpck_require__);
/******/ 		threw = false;
/******/ 	} finally {
/******/ 		if(threw) delete __webpack_module_cache__[moduleId];
/******/ 	}
/******/ 
/******/ 	// Return the exports of the module
/******/ 	return module.exports;
/******/ }
/******/ 
/******/ // expose the modules object (__webpack_modules__)
/******/ __nccwpck_require__.m = __webpack_modules__;
/******/ 
/************************************************************************/
/******/ /* webpack/runtime/asset-relocator-loader */
/******/ if (typeof __nccwpck_require__ !== 'undefined') __nccwpck_require__.ab = decodeURIComponent(new URL('.', import.meta.url).pathname).slice(import.meta.url.match(/^file:\/\/\/\w:/) ? 1 : 0, -1) + "/";
/******/ 
/******/ /* webpack/runtime/compat get default export */
/******/ (() => {
/******/ 	// getDefaultExport function for compatibility with non-harmony modules
/******/ 	__nccwpck_require__.n = (module) => {
/******/ 		var getter = module && module.__esModule ?
/******/ 			() => (module['default']) :
/******/ 			() => (module);
/******/ 		__nccwpck_require__.d(getter, { a: getter });
/******/ 		return getter;
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/create fake namespace object */
/******/ (() => {
/******/ 	var getProto = Object.getPrototypeOf ? (obj) => (Object.getPrototypeOf(obj)) : (obj) => (obj.__proto__);
/******/ 	var leafPrototypes;
/******/ 	// create a fake namespace object
/******/ 	// mode & 1: value is a module id, require it
/******/ 	// mode & 2: merge all properties of value into the ns
/******/ 	// mode & 4: return value when already ns object
/******/ 	// mode & 16: return value when it's Promise-like
/******/ 	// mode & 8|1: behave like require
/******/ 	__nccwpck_require__.t = function(value, mode) {
/******/ 		if(mode & 1) value = this(value);
/******/ 		if(mode & 8) return value;
/******/ 		if(typeof value === 'object' && value) {
/******/ 			if((mode & 4) && value.__esModule) return value;
/******/ 			if((mode & 16) && typeof value.then === 'function') return value;
/******/ 		}
/******/ 		var ns = Object.create(null);
/******/ 		__nccwpck_require__.r(ns);
/******/ 		var def = {};
/******/ 		leafPrototypes = leafPrototypes || [null, getProto({}), getProto([]), getProto(getProto)];
/******/ 		for(var current = mode & 2 && value; typeof current == 'object' && !~leafPrototypes.indexOf(current); current = getProto(current)) {
/******/ 			Object.getOwnPropertyNames(current).forEach((key) => (def[key] = () => (value[key])));
/******/ 		}
/******/ 		def['default'] = () => (value);
/******/ 		__nccwpck_require__.d(ns, def);
/******/ 		return ns;
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/define property getters */
/******/ (() => {
/******/ 	// define getter functions for harmony exports
/******/ 	__nccwpck_require__.d = (exports, definition) => {
/******/ 		for(var key in definition) {
/******/ 			if(__nccwpck_require__.o(definition, key) && !__nccwpck_require__.o(exports, key)) {
/******/ 				Object.defineProperty(exports, key, { enumerable: true, get: definition[key] });
/******/ 			}
/******/ 		}
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/ensure chunk */
/******/ (() => {
/******/ 	__nccwpck_require__.f = {};
/******/ 	// This file contains only the entry chunk.
/******/ 	// The chunk loading function for additional chunks
/******/ 	__nccwpck_require__.e = (chunkId) => {
/******/ 		return Promise.all(Object.keys(__nccwpck_require__.f).reduce((promises, key) => {
/******/ 			__nccwpck_require__.f[key](chunkId, promises);
/******/ 			return promises;
/******/ 		}, []));
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/get javascript chunk filename */
/******/ (() => {
/******/ 	// This function allow to reference async chunks
/******/ 	__nccwpck_require__.u = (chunkId) => {
/******/ 		// return url for filenames based on template
/******/ 		return "" + chunkId + ".index.js";
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/hasOwnProperty shorthand */
/******/ (() => {
/******/ 	__nccwpck_require__.o = (obj, prop) => (Object.prototype.hasOwnProperty.call(obj, prop))
/******/ })();
/******/ 
/******/ /* webpack/runtime/make namespace object */
/******/ (() => {
/******/ 	// define __esModule on exports
/******/ 	__nccwpck_require__.r = (exports) => {
/******/ 		if(typeof Symbol !== 'undefined' && Symbol.toStringTag) {
/******/ 			Object.defineProperty(exports, Symbol.toStringTag, { value: 'Module' });
/******/ 		}
/******/ 		Object.defineProperty(exports, '__esModule', { value: true });
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/import chunk loading */
/******/ (() => {
/******/ 	// no baseURI
/******/ 	
/******/ 	// object to store loaded and loading chunks
/******/ 	// undefined = chunk not loaded, null = chunk preloaded/prefetched
/******/ 	// [resolve, Promise] = chunk loading, 0 = chunk loaded
/******/ 	var installedChunks = {
/******/ 		792: 0
/******/ 	};
/******/ 	
/******/ 	var installChunk = (data) => {
/******/ 		var {ids, modules, runtime} = data;
/******/ 		// add "modules" to the modules object,
/******/ 		// then flag all "ids" as loaded and fire callback
/******/ 		var moduleId, chunkId, i = 0;
/******/ 		for(moduleId in modules) {
/******/ 			if(__nccwpck_require__.o(modules, moduleId)) {
/******/ 				__nccwpck_require__.m[moduleId] = modules[moduleId];
/******/ 			}
/******/ 		}
/******/ 		if(runtime) runtime(__nccwpck_require__);
/******/ 		for(;i < ids.length; i++) {
/******/ 			chunkId = ids[i];
/******/ 			if(__nccwpck_require__.o(installedChunks, chunkId) && installedChunks[chunkId]) {
/******/ 				installedChunks[chunkId][0]();
/******/ 			}
/******/ 			installedChunks[ids[i]] = 0;
/******/ 		}
/******/ 	
/******/ 	}
/******/ 	
/******/ 	__nccwpck_require__.f.j = (chunkId, promises) => {
/******/ 			// import() chunk loading for javascript
/******/ 			var installedChunkData = __nccwpck_require__.o(installedChunks, chunkId) ? installedChunks[chunkId] : undefined;
/******/ 			if(installedChunkData !== 0) { // 0 means "already installed".
/******/ 	
/******/ 				// a Promise means "currently loading".
/******/ 				if(installedChunkData) {
/******/ 					promises.push(installedChunkData[1]);
/******/ 				} else {
/******/ 					if(true) { // all chunks have JS
/******/ 						// setup Promise in chunk cache
/******/ 						var promise = import("./" + __nccwpck_require__.u(chunkId)).then(installChunk, (e) => {
/******/ 							if(installedChunks[chunkId] !== 0) installedChunks[chunkId] = undefined;
/******/ 							throw e;
/******/ 						});
/******/ 						var promise = Promise.race([promise, new Promise((resolve) => (installedChunkData = installedChunks[chunkId] = [resolve]))])
/******/ 						promises.push(installedChunkData[1] = promise);
/******/ 					}
/******/ 				}
/******/ 			}
/******/ 	};
/******/ 	
/******/ 	// no prefetching
/******/ 	
/******/ 	// no preloaded
/******/ 	
/******/ 	// no external install chunk
/******/ 	
/******/ 	// no on chunks loaded
/******/ })();
/******/ 
/************************************************************************/
var __webpack_exports__ = {};
/* harmony import */ var _state_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(3175);
/* harmony import */ var _workflow_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(5809);
// The action's single entry point: GitHub runs dist/index.js for both `main`
// and `post`; the state the main run saved (isPost) tells them apart.
//
// Kept small on purpose: the runner starts Node twice per step (main, post),
// so this file loads only what tells the two apart, then imports the one it
// runs (ncc puts each dynamic import in a chunk of its own).
//
// Source maps: reading a chunk's map costs about 10 ms of every start, and the
// action reports errors by message, not stack. So Node's own source maps are
// switched on when the runner's debug logging is (RUNNER_DEBUG=1), before the
// chunks load, and stack traces then point at the TypeScript; otherwise
// `NODE_OPTIONS=--enable-source-maps` does the same. (ncc's default, loading
// source-map-support before anything, cost more than both.)


if (process.env.RUNNER_DEBUG === '1')
    process.setSourceMapsEnabled(true);
const step = new _state_js__WEBPACK_IMPORTED_MODULE_0__/* .StepState */ .u().isPost()
    ? Promise.all(/* import() */[__nccwpck_require__.e(175), __nccwpck_require__.e(351), __nccwpck_require__.e(718)]).then(__nccwpck_require__.bind(__nccwpck_require__, 7718)).then(m => m.post())
    : Promise.all(/* import() */[__nccwpck_require__.e(175), __nccwpck_require__.e(351), __nccwpck_require__.e(643)]).then(__nccwpck_require__.bind(__nccwpck_require__, 2643)).then(m => m.main());
step.catch((e) => _workflow_js__WEBPACK_IMPORTED_MODULE_1__/* .setFailed */ .C1(e instanceof Error ? e.message : String(e)));


//# sourceMappingURL=index.js.map