export const id = 825;
export const ids = [825];
export const modules = {

/***/ 5825:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  main: () => (/* binding */ main)
});

// EXTERNAL MODULE: ./src/action/workflow.ts
var workflow = __webpack_require__(5809);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./src/nerdctl/index.ts + 25 modules
var nerdctl = __webpack_require__(6503);
;// CONCATENATED MODULE: ./src/action/cancellation.ts
function cancellation() {
    const abort = new AbortController();
    const handlers = ['SIGINT', 'SIGTERM'].map(sig => {
        const h = () => abort.abort(new Error(`the job was cancelled (${sig})`));
        process.once(sig, h);
        return [sig, h];
    });
    return {
        signal: abort.signal,
        dispose: () => handlers.forEach(([sig, h]) => process.removeListener(sig, h))
    };
}

// EXTERNAL MODULE: ./src/action/constants.ts
var constants = __webpack_require__(915);
;// CONCATENATED MODULE: ./src/action/inputs/reader.ts
// How one input is read: the Reader turns the runner's strings into values
// (booleans, lists, KEY=VALUE pairs, durations) and fails with an InputError
// that names the input, shows the value (never a secret) and says the form
// expected. Every section module reads its inputs through it.


/** A bad input: the step fails with this message before anything runs. */
class InputError extends Error {
    constructor(input, message) {
        super(`Input "${input}": ${message}`);
        this.name = 'InputError';
    }
}
const readFromEnvironment = name => workflow/* getInput */.V4(name);
/** A value a user gave, quoted and cut for a message. */
const show = nerdctl.showValue;
/** Re-raises a validation error (the library's, the shell splitter's) as an error about one input. */
function asInput(name, f) {
    try {
        return f();
    }
    catch (e) {
        if (e instanceof InputError)
            throw e;
        if (e instanceof Error)
            throw new InputError(name, e.message);
        throw e;
    }
}
class Reader {
    read;
    constructor(read) {
        this.read = read;
    }
    /** The value exactly as given, for secrets and scripts, where spaces may matter. */
    raw(name) {
        return this.read(name);
    }
    text(name) {
        return this.read(name).trim();
    }
    optional(name) {
        return this.text(name) || undefined;
    }
    /** Like core.getBooleanInput, but an empty value takes the default. */
    bool(name, dflt) {
        const v = this.text(name);
        if (v === '')
            return dflt;
        if (['true', 'True', 'TRUE'].includes(v))
            return true;
        if (['false', 'False', 'FALSE'].includes(v))
            return false;
        throw new InputError(name, `${show(v)} is not a boolean: use true or false`);
    }
    /** Newline-separated list; blank lines and surrounding spaces dropped. */
    lines(name) {
        return this.read(name)
            .split(/\r?\n/)
            .map(l => l.trim())
            .filter(l => l !== '');
    }
    /** Newline- or comma-separated list (tags, platforms, as in docker/build-push-action). */
    csv(name) {
        return this.lines(name)
            .flatMap(l => l.split(','))
            .map(s => s.trim())
            .filter(s => s !== '');
    }
    /** KEY=VALUE lines; the value may contain "=". */
    pairs(name) {
        return this.lines(name).map(line => {
            const eq = line.indexOf('=');
            if (eq <= 0)
                throw new InputError(name, `line ${show(line)} is not KEY=VALUE`);
            return [line.slice(0, eq).trim(), line.slice(eq + 1)];
        });
    }
    /** A Go duration in milliseconds; undefined when empty and there is no default. */
    duration(name, dflt) {
        const v = this.text(name) || dflt;
        if (v === undefined || v === '')
            return undefined;
        try {
            return (0,nerdctl.parseDuration)(v);
        }
        catch {
            throw new InputError(name, `${show(v)} is not a duration: use a Go duration such as 30s, 1m30s or 500ms`);
        }
    }
    positiveInt(name) {
        const v = this.text(name);
        if (v === '')
            return undefined;
        if (!/^\d+$/.test(v) || Number(v) < 1)
            throw new InputError(name, `${show(v)} is not a whole number of at least 1`);
        return Number(v);
    }
    /**
     * Refuses inputs that mean nothing without another one (a build option
     * without "context"): the first of `names` that is set fails with `why`.
     * Booleans in `switches` count only when turned away from their default,
     * which is what "nothing to do" means for them.
     */
    refuseIfSet(why, names, switches = []) {
        for (const name of names)
            if (this.text(name))
                throw new InputError(name, why);
        for (const [name, dflt] of switches)
            if (this.bool(name, dflt) !== dflt)
                throw new InputError(name, why);
    }
}

;// CONCATENATED MODULE: ./src/action/shell-words.ts
// Splits a command line the way a POSIX shell splits words, without running a
// shell: whitespace separates, single quotes keep everything, double quotes
// keep everything but \" \\ \$ \` (and drop a backslash-newline), a backslash
// outside quotes escapes the next character. No expansion of any kind happens.
function shellWords(line) {
    const words = [];
    let word = '';
    let inWord = false;
    let i = 0;
    while (i < line.length) {
        const c = line[i];
        if (/\s/.test(c)) {
            if (inWord)
                words.push(word);
            word = '';
            inWord = false;
            i++;
        }
        else if (c === "'") {
            const end = line.indexOf("'", i + 1);
            if (end < 0)
                throw new Error(`unterminated single quote at column ${i + 1} of: ${line}`);
            word += line.slice(i + 1, end);
            inWord = true;
            i = end + 1;
        }
        else if (c === '"') {
            i++;
            inWord = true;
            for (;;) {
                if (i >= line.length)
                    throw new Error(`unterminated double quote in: ${line}`);
                const d = line[i];
                if (d === '"')
                    break;
                if (d === '\\' && i + 1 < line.length && '"\\$`'.includes(line[i + 1])) {
                    word += line[i + 1];
                    i += 2;
                }
                else if (d === '\\' && line[i + 1] === '\n') {
                    i += 2;
                }
                else {
                    word += d;
                    i++;
                }
            }
            i++;
        }
        else if (c === '\\') {
            if (i + 1 >= line.length)
                throw new Error(`trailing backslash in: ${line}`);
            // A backslash-newline joins lines, as in a shell.
            if (line[i + 1] !== '\n') {
                word += line[i + 1];
                inWord = true;
            }
            i += 2;
        }
        else {
            word += c;
            inWord = true;
            i++;
        }
    }
    if (inWord)
        words.push(word);
    return words;
}

;// CONCATENATED MODULE: ./src/action/inputs/run.ts
// The run section: the container to start, as the library's ContainerSpec
// (health check included, its durations in milliseconds), or none when
// neither "image" nor "run: true" asks for one. The library's validators
// decide what is valid; this module only says which input a fault is in.





/** Why an input that acts on the container fails when no container is started. */
const NEEDS_CONTAINER = 'needs a container: set "image" (or "run: true" with "tags") to start one';
const RUN_ONLY = [
    constants/* Input */.pd.Name,
    constants/* Input */.pd.Command,
    constants/* Input */.pd.Ports,
    constants/* Input */.pd.Volumes,
    constants/* Input */.pd.Env,
    constants/* Input */.pd.Network,
    constants/* Input */.pd.NetworkAliases,
    constants/* Input */.pd.Cpus,
    constants/* Input */.pd.Memory,
    constants/* Input */.pd.MemorySwap,
    constants/* Input */.pd.CpuShares,
    constants/* Input */.pd.Restart,
    constants/* Input */.pd.HealthCmd,
    constants/* Input */.pd.HealthInterval,
    constants/* Input */.pd.HealthTimeout,
    constants/* Input */.pd.HealthRetries,
    constants/* Input */.pd.HealthStartPeriod
];
const HEALTH_OPTIONS = [
    constants/* Input */.pd.HealthInterval,
    constants/* Input */.pd.HealthTimeout,
    constants/* Input */.pd.HealthRetries,
    constants/* Input */.pd.HealthStartPeriod
];
/** Which input holds each field of the library's container spec. */
const INPUT_OF_FIELD = {
    image: constants/* Input */.pd.Image,
    name: constants/* Input */.pd.Name,
    command: constants/* Input */.pd.Command,
    ports: constants/* Input */.pd.Ports,
    volumes: constants/* Input */.pd.Volumes,
    env: constants/* Input */.pd.Env,
    network: constants/* Input */.pd.Network,
    networkAliases: constants/* Input */.pd.NetworkAliases,
    cpuLimit: constants/* Input */.pd.Cpus,
    memoryLimit: constants/* Input */.pd.Memory,
    memorySwapLimit: constants/* Input */.pd.MemorySwap,
    cpuShares: constants/* Input */.pd.CpuShares,
    restartPolicy: constants/* Input */.pd.Restart,
    healthCheck: constants/* Input */.pd.HealthCmd
};
/** "image", or with "run: true" the first tag (what the step built). */
function imageToRun(r, images) {
    const image = r.optional(constants/* Input */.pd.Image);
    const runFlag = r.bool(constants/* Input */.pd.Run, false);
    if (runFlag && !image && images.tags.length === 0) {
        throw new InputError(constants/* Input */.pd.Run, 'is true but neither "image" nor "tags" is set: say which image to run');
    }
    return image ?? (runFlag ? images.tags[0] : undefined);
}
/** The health check, or undefined when "health-cmd" is empty. */
function readHealthCheck(r) {
    const cmd = r.raw(constants/* Input */.pd.HealthCmd);
    if (!cmd.trim()) {
        r.refuseIfSet('is set but "health-cmd" is not: set "health-cmd" too', HEALTH_OPTIONS);
        return undefined;
    }
    const healthCheck = {
        // A YAML block scalar ends in a newline that is not part of the command.
        cmd: cmd.replace(/\s+$/, ''),
        interval: r.duration(constants/* Input */.pd.HealthInterval),
        timeout: r.duration(constants/* Input */.pd.HealthTimeout),
        retries: r.positiveInt(constants/* Input */.pd.HealthRetries),
        startPeriod: r.duration(constants/* Input */.pd.HealthStartPeriod)
    };
    asInput(constants/* Input */.pd.HealthCmd, () => (0,nerdctl.validateHealthCheck)(healthCheck));
    return healthCheck;
}
/** A container name unique to this run and step, when the user gives none. */
function generatedName() {
    const run = process.env.GITHUB_RUN_ID ?? 'local';
    return `nerdctl-action-${run}-${(0,external_node_crypto_.randomBytes)(3).toString('hex')}`;
}
/** The library's spec validation, reported against the input that holds the bad value. */
function validateRunSpec(spec) {
    try {
        (0,nerdctl.validateSpec)(spec);
    }
    catch (e) {
        if (!(e instanceof nerdctl.NerdctlError))
            throw e;
        const field = e.field;
        throw new InputError((field && INPUT_OF_FIELD[field]) ?? constants/* Input */.pd.Image, e.message);
    }
}
function readRun(r, images) {
    const image = imageToRun(r, images);
    if (!image) {
        r.refuseIfSet(NEEDS_CONTAINER, RUN_ONLY, [[constants/* Input */.pd.Detach, true]]);
        return undefined;
    }
    const detach = r.bool(constants/* Input */.pd.Detach, true);
    const healthCheck = readHealthCheck(r);
    const userName = r.optional(constants/* Input */.pd.Name);
    const commandLine = r.text(constants/* Input */.pd.Command);
    const spec = {
        image,
        name: userName ?? generatedName(),
        command: commandLine ? asInput(constants/* Input */.pd.Command, () => shellWords(commandLine)) : undefined,
        ports: r.lines(constants/* Input */.pd.Ports),
        volumes: r.lines(constants/* Input */.pd.Volumes),
        env: r.pairs(constants/* Input */.pd.Env),
        labels: [],
        network: r.optional(constants/* Input */.pd.Network),
        networkAliases: r.csv(constants/* Input */.pd.NetworkAliases),
        cpuLimit: r.optional(constants/* Input */.pd.Cpus),
        memoryLimit: r.optional(constants/* Input */.pd.Memory),
        memorySwapLimit: r.optional(constants/* Input */.pd.MemorySwap),
        cpuShares: r.optional(constants/* Input */.pd.CpuShares),
        restartPolicy: r.optional(constants/* Input */.pd.Restart),
        healthCheck,
        detach
    };
    validateRunSpec(spec);
    return { spec, generatedName: userName === undefined };
}

;// CONCATENATED MODULE: ./src/action/inputs/after-start.ts
// The after-start section: what the step does with its container once it is
// up (wait until healthy, exec, copy, commit, export, sample its resource use). All of it needs a
// started container, and a detached one, except copy, commit and export,
// which work on an exited container too.




const DEFAULT_WAIT_TIMEOUT_MS = 120_000;
/** A new object each time: the plan is handed to user scripts, which may change it. */
function nothingAfterStart() {
    return {
        wait: false,
        waitTimeoutMs: DEFAULT_WAIT_TIMEOUT_MS,
        exec: [],
        copy: [],
        commit: undefined,
        export: undefined,
        stats: false
    };
}
const COPY_LINE = /^(.+?)\s+->\s+(.+)$/;
function parseCopy(line) {
    const m = COPY_LINE.exec(line);
    if (!m) {
        throw new InputError(constants/* Input */.pd.Copy, `line ${show(line)} is not "SOURCE -> DEST": write ":/path/in/container -> path/on/runner" or "path/on/runner -> :/path/in/container"`);
    }
    const [from, to] = [m[1].trim(), m[2].trim()];
    const fromC = (0,nerdctl.isContainerSide)(from);
    const toC = (0,nerdctl.isContainerSide)(to);
    if (fromC === toC) {
        throw new InputError(constants/* Input */.pd.Copy, `line ${show(line)} needs exactly one container side, written ":/path" (this step's container) or "name:/path"`);
    }
    return { from, to, containerSide: fromC ? 'from' : 'to' };
}
/** Whether to wait for health: by default, whenever there is a health check to pass. */
function readWait(r, spec) {
    // Waiting needs a running container: a foreground run has exited by then.
    const wait = r.bool(constants/* Input */.pd.Wait, spec.healthCheck !== undefined && spec.detach !== false);
    if (wait && !spec.healthCheck) {
        throw new InputError(constants/* Input */.pd.Wait, `is ${r.text(constants/* Input */.pd.Wait)} but "health-cmd" is not set: a container without a health check can never become healthy`);
    }
    return wait;
}
function readAfterStart(r, run) {
    if (!run) {
        r.refuseIfSet(NEEDS_CONTAINER, [constants/* Input */.pd.Exec, constants/* Input */.pd.Copy, constants/* Input */.pd.Commit, constants/* Input */.pd.Export], [
            [constants/* Input */.pd.Wait, false],
            [constants/* Input */.pd.Stats, false]
        ]);
        return nothingAfterStart();
    }
    const wait = readWait(r, run.spec);
    const exec = r.lines(constants/* Input */.pd.Exec);
    const stats = r.bool(constants/* Input */.pd.Stats, false);
    const needsRunning = wait ? constants/* Input */.pd.Wait : exec.length > 0 ? constants/* Input */.pd.Exec : stats ? constants/* Input */.pd.Stats : '';
    if (run.spec.detach === false && needsRunning) {
        throw new InputError(constants/* Input */.pd.Detach, `is false, so the container has exited before "${needsRunning}" could run: keep detach true`);
    }
    return {
        wait,
        waitTimeoutMs: r.duration(constants/* Input */.pd.WaitTimeout) ?? DEFAULT_WAIT_TIMEOUT_MS,
        exec,
        copy: r.lines(constants/* Input */.pd.Copy).map(parseCopy),
        commit: r.optional(constants/* Input */.pd.Commit),
        export: r.optional(constants/* Input */.pd.Export),
        stats
    };
}

;// CONCATENATED MODULE: ./src/action/inputs/behaviour.ts
// The behaviour section: the user's script, and how the step ends (cleanup
// in the post step, logs, the job summary).





const SHOW_LOGS = ['on-failure', 'always', 'never'];
function readShowLogs(r) {
    const showLogs = r.text(constants/* Input */.pd.ShowLogs) || 'on-failure';
    if (!SHOW_LOGS.includes(showLogs))
        throw new InputError(constants/* Input */.pd.ShowLogs, `${show(showLogs)} is not one of on-failure, always, never`);
    return showLogs;
}
function readScript(r) {
    const scriptText = r.raw(constants/* Input */.pd.Script);
    const scriptFile = r.optional(constants/* Input */.pd.ScriptFile);
    if (scriptText.trim() && scriptFile) {
        throw new InputError(constants/* Input */.pd.ScriptFile, 'is set and so is "script": give the script in one of them');
    }
    if (scriptFile) {
        const path = (0,external_node_path_.resolve)(scriptFile);
        let source;
        try {
            source = (0,external_node_fs_.readFileSync)(path, 'utf8');
        }
        catch (e) {
            throw new InputError(constants/* Input */.pd.ScriptFile, `cannot read ${show(scriptFile)}: ${(0,nerdctl.errorMessage)(e)}`);
        }
        // The shebang goes, its line stays, so errors name the file's own line numbers.
        return { source: source.replace(/^#!.*\n/, '\n'), filename: path };
    }
    return scriptText.trim() ? { source: scriptText, filename: 'script' } : undefined;
}
function readBehaviour(r) {
    const showLogs = readShowLogs(r);
    const script = readScript(r);
    return {
        script,
        cleanup: r.bool(constants/* Input */.pd.Cleanup, true),
        showLogs,
        summary: r.bool(constants/* Input */.pd.Summary, true)
    };
}

;// CONCATENATED MODULE: ./src/action/inputs/images.ts
// The images section: what to build (only when "context" is set), the tags
// that name it, and whether to push and save them.


/** Build options, which mean nothing without "context". */
const BUILD_ONLY = [constants/* Input */.pd.File, constants/* Input */.pd.BuildArgs, constants/* Input */.pd.Labels, constants/* Input */.pd.Target, constants/* Input */.pd.Platforms];
function readBuild(r, context) {
    return {
        context,
        file: r.optional(constants/* Input */.pd.File),
        buildArgs: r.pairs(constants/* Input */.pd.BuildArgs),
        labels: r.pairs(constants/* Input */.pd.Labels),
        target: r.optional(constants/* Input */.pd.Target),
        platforms: r.csv(constants/* Input */.pd.Platforms),
        noCache: r.bool(constants/* Input */.pd.NoCache, false)
    };
}
function readImages(r) {
    const tags = r.csv(constants/* Input */.pd.Tags);
    const context = r.optional(constants/* Input */.pd.Context);
    const build = context ? readBuild(r, context) : undefined;
    if (!build) {
        r.refuseIfSet('is a build option, but "context" is not set: set "context" to build', BUILD_ONLY, [[constants/* Input */.pd.NoCache, false]]);
    }
    else if (tags.length === 0) {
        throw new InputError(constants/* Input */.pd.Tags, `"context" is set but no tags are: name the image, e.g. "127.0.0.1:5000/app:1.0"`);
    }
    const push = r.bool(constants/* Input */.pd.Push, false);
    if (push && tags.length === 0)
        throw new InputError(constants/* Input */.pd.Push, 'is true but "tags" is empty: list the images to push in "tags"');
    const save = r.optional(constants/* Input */.pd.Save);
    if (save && tags.length === 0)
        throw new InputError(constants/* Input */.pd.Save, 'is set but "tags" is empty: list the images to save in "tags"');
    return { tags, build, push, save };
}

;// CONCATENATED MODULE: ./src/action/inputs/nerdctl.ts
// The nerdctl section: which binary, containerd and BuildKit every call of the
// step talks to, and how long one call may take.

function readNerdctl(r) {
    // Unset: control calls are bounded by the library's default, long work
    // (builds, pushes) by the job, as with docker/build-push-action.
    const timeoutMs = r.duration(constants/* Input */.pd.Timeout);
    const insecure = r.csv(constants/* Input */.pd.InsecureRegistries);
    return {
        binary: r.optional(constants/* Input */.pd.Nerdctl) ?? 'nerdctl',
        namespace: r.optional(constants/* Input */.pd.Namespace),
        address: r.optional(constants/* Input */.pd.Address),
        snapshotter: r.optional(constants/* Input */.pd.Snapshotter),
        buildkitHost: r.optional(constants/* Input */.pd.BuildkitHost),
        insecureRegistries: insecure.length > 0 ? insecure : undefined,
        sudo: r.bool(constants/* Input */.pd.Sudo, false),
        timeoutMs
    };
}

;// CONCATENATED MODULE: ./src/action/inputs/registry.ts
// The registry section: whom to log in as (and out again after), and which
// images to pull first.



function readRegistry(r) {
    const registry = r.text(constants/* Input */.pd.Registry);
    const username = r.text(constants/* Input */.pd.Username);
    // The password is never trimmed, shown or echoed; it is masked at once.
    const password = r.raw(constants/* Input */.pd.Password);
    if (password)
        workflow/* setSecret */.Pq(password);
    if (!!username !== !!password) {
        throw new InputError(username ? constants/* Input */.pd.Password : constants/* Input */.pd.Username, `set both "username" and "password" to log in, or neither`);
    }
    if (registry && !username) {
        throw new InputError(constants/* Input */.pd.Registry, `${show(registry)} is set but "username" and "password" are not: set them to log in, or remove "registry"`);
    }
    return {
        login: username ? { registry, username, password } : undefined,
        logout: r.bool(constants/* Input */.pd.Logout, true),
        pull: r.lines(constants/* Input */.pd.Pull)
    };
}

;// CONCATENATED MODULE: ./src/action/inputs/index.ts
// getInputs: every input read and checked into one typed plan before any
// command runs, section by section in the order of action.yml. A section may
// depend on the ones before it (run on the tags, after-start on the run).








function getInputs(read = readFromEnvironment) {
    const r = new Reader(read);
    const nerdctl = readNerdctl(r);
    const registry = readRegistry(r);
    const images = readImages(r);
    const run = readRun(r, images);
    const afterStart = readAfterStart(r, run);
    const behaviour = readBehaviour(r);
    return { nerdctl, registry, images, run, afterStart, behaviour };
}

// EXTERNAL MODULE: ./src/action/logger.ts
var logger = __webpack_require__(8980);
;// CONCATENATED MODULE: ./src/action/phases/context.ts
/** The container the run phase started, for the phases that act on it. */
function startedContainer(step) {
    const container = step.container;
    // The plan lets after-start inputs through only with a container to start.
    if (!container?.containerId)
        throw new Error('no container was started');
    return { container, id: container.containerId };
}
/** A call whose output goes to the log line by line as it comes (pulls, builds, pushes). */
function streamed(step) {
    return { ...step.call, stream: true };
}
/**
 * Whether the step built for more than one platform: then push and save take
 * every platform (nerdctl's default is the runner's platform alone).
 */
function multiPlatform(plan) {
    return (plan.images.build?.platforms.length ?? 0) > 1;
}

;// CONCATENATED MODULE: ./src/action/phases/build.ts
// Builds the image under every tag; its ID and digest become outputs.



const build = async (step) => {
    const { build: b, tags } = step.plan.images;
    if (!b)
        return;
    // The plan refuses a build without tags.
    const [first, ...more] = tags;
    await step.report.phase('build', async () => {
        const result = await (0,nerdctl.imageBuild)(first, b.context, {
            ...streamed(step),
            file: b.file,
            tags: more,
            buildArgs: b.buildArgs,
            labels: b.labels,
            target: b.target,
            platforms: b.platforms,
            noCache: b.noCache
        });
        step.report.set(constants/* Output */.k7.ImageId, result.imageId);
        const [built] = await (0,nerdctl.images)({ ...step.call, reference: first });
        if (built?.digest)
            step.report.set(constants/* Output */.k7.Digest, built.digest);
        step.report.note(`${tags.join(', ')} (${result.imageId.slice(0, 19)})`);
    });
};

;// CONCATENATED MODULE: ./src/action/phases/commit.ts
// Commits the container's filesystem as a new image.


const commit = async (step) => {
    const image = step.plan.afterStart.commit;
    if (!image)
        return;
    const { id } = startedContainer(step);
    await step.report.phase('commit', async () => {
        const imageId = await (0,nerdctl.imageCommit)(id, image, step.call);
        step.report.note(`${image} (${imageId.slice(0, 19)})`);
    });
};

;// CONCATENATED MODULE: ./src/action/phases/copy.ts
// Copies files between the runner and a container; ":/path" is this step's
// container, "name:/path" another one.


const copy = async (step) => {
    const lines = step.plan.afterStart.copy;
    if (lines.length === 0)
        return;
    const { id } = startedContainer(step);
    const side = (p) => (p.startsWith(':') ? `${id}${p}` : p);
    await step.report.phase('copy', async () => {
        for (const c of lines) {
            await (0,nerdctl.copy)(side(c.from), side(c.to), step.call);
            step.report.note(`${c.from} -> ${c.to}`);
        }
    });
};

;// CONCATENATED MODULE: ./src/action/phases/exec.ts
// Runs each exec line in the container, in order; the first that fails stops
// the step with its exit code and output.


const exec = async (step) => {
    const commands = step.plan.afterStart.exec;
    if (commands.length === 0)
        return;
    const { container } = startedContainer(step);
    await step.report.phase('exec', async () => {
        for (const cmd of commands) {
            workflow/* info */.pq(`$ ${cmd}`);
            const r = await container.exec(cmd, { allowFailure: true });
            if (r.stdout)
                workflow/* info */.pq(r.stdout.trimEnd());
            if (r.stderr)
                workflow/* info */.pq(r.stderr.trimEnd());
            if (r.exitCode !== 0) {
                throw new Error(`exec "${cmd}" exited with code ${r.exitCode}:\n${(r.stderr || r.stdout).trim()}`);
            }
        }
        step.report.note(`${commands.length} command(s)`);
    });
};

;// CONCATENATED MODULE: ./src/action/phases/export.ts
// Exports the container's filesystem as a tarball on the runner (written
// beside it, then renamed).




const exportFilesystem = async (step) => {
    const target = step.plan.afterStart.export;
    if (!target)
        return;
    const { id } = startedContainer(step);
    const path = (0,external_node_path_.resolve)(target);
    await step.report.phase('export', async () => {
        await (0,nerdctl.exportContainer)(id, path, step.call);
        step.report.set(constants/* Output */.k7.ExportPath, path);
        step.report.note(path);
    });
};

;// CONCATENATED MODULE: ./src/action/phases/final-state.ts
// The container's resource sample and its final state.
//
// `nerdctl stats --no-stream` samples for about a second before it answers,
// so it runs only when the stats input asks for it, and then alongside the
// after-start phases (started once the container is up and healthy, awaited
// at the end) rather than as one more second at the end of the step.
//
// The closing phase reads status and health with one inspect, or none when
// the wait phase read them and no phase has run since; a failure here is only
// a warning.




/** Starts the sample (no log group of its own: other phases' groups run meanwhile). */
const startStats = async (step) => {
    const id = step.container?.containerId;
    if (!step.plan.afterStart.stats || !id)
        return;
    step.statsSample = (0,nerdctl.stats)(id, step.call);
    // Awaited by finalState; until then a failure must not count as unhandled.
    step.statsSample.catch(() => undefined);
};
async function currentStatus(step, id) {
    const last = step.lastStatus;
    if (last && last.phases === step.report.phases.length && last.status.id === id)
        return last.status;
    return (0,nerdctl.inspect)(id, step.call);
}
const finalState = async (step) => {
    const id = step.container?.containerId;
    if (!id)
        return;
    const { report } = step;
    try {
        const status = await currentStatus(step, id);
        report.set(constants/* Output */.k7.Status, status.state);
        report.set(constants/* Output */.k7.Health, status.healthStatus);
        // A foreground run has set it already, from the run itself.
        if (!status.running && !report.outputs[constants/* Output */.k7.ExitCode] && status.state === 'exited') {
            report.set(constants/* Output */.k7.ExitCode, status.exitCode);
        }
    }
    catch (e) {
        workflow/* warning */.$e(`could not read the final state of ${id}: ${(0,nerdctl.errorMessage)(e)}`);
    }
    const sample = step.statsSample;
    if (!sample)
        return;
    try {
        await report.phase('stats', async () => {
            const usage = await sample;
            report.set(constants/* Output */.k7.Stats, JSON.stringify(usage));
            report.note(`cpu ${usage.cpuUsage}, memory ${usage.memoryUsage} / ${usage.memoryLimit}, pids ${usage.pids}`);
        });
    }
    catch (e) {
        workflow/* warning */.$e(`could not read the resource use of ${id}: ${(0,nerdctl.errorMessage)(e)}`);
    }
};

;// CONCATENATED MODULE: ./src/action/phases/login.ts
// Logs in to the registry before any pull or push; the post step logs out.

const login = async (step) => {
    const { login: credentials, logout } = step.plan.registry;
    if (!credentials)
        return;
    const { registry, username, password } = credentials;
    await step.report.phase('login', async () => {
        await (0,nerdctl.login)({ ...step.call, registry: registry || undefined, username, password });
        step.report.note(`logged in to ${registry || 'docker.io'} as ${username}`);
        if (logout)
            step.state.saveLogout(registry || 'docker.io');
    });
};

;// CONCATENATED MODULE: ./src/action/phases/logs.ts
// Closing phase: the container's last log lines, in their own group, when
// show-logs asks for them (by default only after a failure).



const logs = async (step) => {
    const container = step.container;
    const id = container?.containerId;
    const { showLogs } = step.plan.behaviour;
    const wanted = showLogs === 'always' || (showLogs === 'on-failure' && step.failed);
    if (!container || !id || !wanted)
        return;
    await workflow/* group */.Os(`logs of ${container.name}`, async () => {
        try {
            const r = await (0,nerdctl.logs)(id, { ...step.call, tail: 500, maxBytes: 1024 * 1024 });
            workflow/* info */.pq([r.stdout.trimEnd(), r.stderr.trimEnd()].filter(Boolean).join('\n') || '(no output)');
        }
        catch (e) {
            workflow/* warning */.$e(`could not read the logs of ${container.name}: ${(0,nerdctl.errorMessage)(e)}`);
        }
    });
};

;// CONCATENATED MODULE: ./src/action/phases/pull.ts
// Pulls the listed images, each in its own log group and summary row.


const pull = async (step) => {
    for (const image of step.plan.registry.pull) {
        await step.report.phase(`pull ${image}`, async () => {
            await (0,nerdctl.imagePull)(image, streamed(step));
            step.report.note(image);
        });
    }
};

;// CONCATENATED MODULE: ./src/action/phases/push.ts
// Pushes every tag, in order; the first tag's digest is the digest output. An
// image built for several platforms is pushed whole (every platform, and its
// index is the digest), not reduced to the runner's platform.



const push = async (step) => {
    const { push, tags } = step.plan.images;
    if (!push)
        return;
    await step.report.phase('push', async () => {
        for (const tag of tags) {
            const pushed = await (0,nerdctl.imagePush)(tag, undefined, {
                ...streamed(step),
                allPlatforms: multiPlatform(step.plan)
            });
            // The first tag names the image the step built.
            if (tag === tags[0] && pushed.digest)
                step.report.set(constants/* Output */.k7.Digest, pushed.digest);
            step.report.note(tag);
        }
    });
};

;// CONCATENATED MODULE: ./src/action/phases/run.ts
// Starts the container from the plan's spec, whole, through the library. A
// detached container is left running for the phases after it; a foreground
// one has run to completion, and its exit code decides the step.



/** The ID `nerdctl images` shows for the image, as for a built one (which already set it). */
async function reportImageId(step, image) {
    if (step.report.outputs[constants/* Output */.k7.ImageId])
        return;
    const [local] = await (0,nerdctl.images)({ ...step.call, reference: image }).catch(() => []);
    if (local)
        step.report.set(constants/* Output */.k7.ImageId, local.id);
}
function reportForeground(step, name, fg) {
    // Its output went to the log line by line as it came (streamed).
    step.report.set(constants/* Output */.k7.ExitCode, fg.exitCode);
    step.report.note(`${name} exited with ${fg.exitCode}`);
    if (fg.exitCode !== 0)
        throw new Error(`container ${name} exited with code ${fg.exitCode}`);
}
const run = async (step) => {
    const spec = step.plan.run?.spec;
    if (!spec)
        return;
    step.report.set(constants/* Output */.k7.ContainerName, spec.name);
    // A foreground run's output streams to the log live; only its tail is kept.
    const container = nerdctl.Container.fromSpec(spec, spec.detach === false ? streamed(step) : step.call);
    await step.report.phase('run', async () => {
        await reportImageId(step, spec.image);
        await container.build();
        // Known before a foreground failure is thrown, so its state and logs are still shown.
        if (container.containerId) {
            step.container = container;
            step.state.saveContainers([container.containerId]);
            step.report.set(constants/* Output */.k7.ContainerId, container.containerId);
        }
        if (container.runResult)
            reportForeground(step, spec.name, container.runResult);
        else
            step.report.note(`${spec.name} (${container.containerId?.slice(0, 12)})`);
    });
};

;// CONCATENATED MODULE: ./src/action/phases/save.ts
// Saves every tag into one tarball on the runner (written beside it, then
// renamed), with every platform of a multi-platform build.




const save = async (step) => {
    const { save, tags } = step.plan.images;
    if (!save)
        return;
    const path = (0,external_node_path_.resolve)(save);
    await step.report.phase('save', async () => {
        await (0,nerdctl.imageSave)(tags, path, { ...step.call, allPlatforms: multiPlatform(step.plan) });
        step.report.set(constants/* Output */.k7.SavePath, path);
        step.report.note(path);
    });
};

;// CONCATENATED MODULE: ./src/action/phases/tags.ts
// The tags output, set before anything is built, pushed or saved, so that a
// failure later still says which images the step was about.

const tags = async (step) => {
    const { tags } = step.plan.images;
    if (tags.length > 0)
        step.report.set(constants/* Output */.k7.Tags, tags.join('\n'));
};

;// CONCATENATED MODULE: ./src/action/phases/wait.ts
// Waits until the container's health check passes (or fails, or time is up).



const wait = async (step) => {
    const { wait, waitTimeoutMs } = step.plan.afterStart;
    if (!wait)
        return;
    const { container } = startedContainer(step);
    await step.report.phase('wait', async () => {
        const status = await container.waitForHealthy({
            waitTimeoutMs,
            onStatus: s => workflow/* info */.pq(`${s.name}: ${s.status}`)
        });
        step.report.set(constants/* Output */.k7.Health, status.healthStatus);
        // Counted with this phase, which is recorded by now: current until another phase runs.
        step.lastStatus = { status, phases: step.report.phases.length };
        const seconds = Math.round((Date.now() - Date.parse(status.started)) / 100) / 10;
        step.report.note(`healthy after ${seconds}s`);
    });
};

;// CONCATENATED MODULE: ./src/action/phases/index.ts
// The phases of the main step, in the order they run. Each one looks in the
// plan for work of its own and does nothing without it; the first that fails
// stops the rest, and the closing phases run after, whatever happened.















/**
 * The user's script, loaded only when the plan has one: the script runner and
 * the full @actions/core it hands the script stay out of every other step's
 * start-up (ncc puts this dynamic import in a chunk of its own).
 */
const script = async (step) => {
    if (!step.plan.behaviour.script)
        return;
    const { script: runUserScript } = await Promise.all(/* import() */[__webpack_require__.e(421), __webpack_require__.e(401)]).then(__webpack_require__.bind(__webpack_require__, 5401));
    await runUserScript(step);
};
const PHASES = [
    login,
    pull,
    tags,
    build,
    push,
    save,
    run,
    wait,
    startStats,
    exec,
    copy,
    commit,
    exportFilesystem,
    script
];
/** After the phases, failed or not: they only report. */
const CLOSING_PHASES = [finalState, logs];
/**
 * The files on the runner the phases write. They write beside the target and
 * rename; the post step removes what a crash left beside these paths.
 */
function writtenPaths(plan) {
    const { images, afterStart } = plan;
    const copiedOut = afterStart.copy.filter(c => c.containerSide === 'from').map(c => c.to);
    return [images.save, afterStart.export, ...copiedOut]
        .filter((t) => !!t)
        .map(t => (0,external_node_path_.resolve)(t));
}

;// CONCATENATED MODULE: ./src/action/report.ts
// What the step did, as it happens: each output is set the moment it is known
// (so a later failure keeps the earlier outputs), each phase's result and time
// is kept for the job summary and the `metadata` output.


class Report {
    phases = [];
    outputs = {};
    current;
    set(name, value) {
        if (value === undefined)
            return;
        const v = String(value);
        this.outputs[name] = v;
        workflow/* setOutput */.uH(name, v);
    }
    /** Adds a line to the running phase's entry in the summary. */
    note(detail) {
        if (this.current)
            this.current.detail = this.current.detail ? `${this.current.detail}; ${detail}` : detail;
    }
    /** Runs one phase in a log group and records how it went. */
    async phase(name, fn) {
        const record = { name, ok: false, ms: 0, detail: '' };
        this.phases.push(record);
        this.current = record;
        const t0 = Date.now();
        try {
            const result = await workflow/* group */.Os(name, fn);
            record.ok = true;
            return result;
        }
        catch (e) {
            record.detail = record.detail ? `${record.detail}; failed` : 'failed';
            throw e;
        }
        finally {
            record.ms = Date.now() - t0;
            this.current = undefined;
        }
    }
    /** The `metadata` output: every output known, plus the phases. */
    metadata() {
        const known = {};
        for (const [k, v] of Object.entries(this.outputs)) {
            if (k === constants/* Output */.k7.Metadata)
                continue;
            known[k] =
                k === constants/* Output */.k7.Stats && v ? JSON.parse(v) : k === constants/* Output */.k7.Tags && v ? v.split('\n') : v;
        }
        return JSON.stringify({ ...known, phases: this.phases });
    }
}

// EXTERNAL MODULE: ./src/action/state.ts
var action_state = __webpack_require__(3175);
;// CONCATENATED MODULE: ./src/action/summary.ts
// The job summary: one table of what each phase did and how long it took,
// then the image and container facts. Built from the report only, so it
// cannot show anything (a password) that the report does not hold. Written
// as the HTML tables the runner renders, in one append.



function seconds(ms) {
    return `${(ms / 1000).toFixed(1)} s`;
}
/** Values come from nerdctl and the user: shown as text, never read as markup. */
function html(s) {
    return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
function table(header, rows) {
    const row = (tag, cells) => `<tr>${cells.map(c => `<${tag}>${html(c)}</${tag}>`).join('')}</tr>`;
    return `<table>${row('th', header)}${rows.map(r => row('td', r)).join('')}</table>${external_node_os_.EOL}`;
}
async function writeSummary(report) {
    if (!process.env.GITHUB_STEP_SUMMARY)
        return;
    const o = report.outputs;
    const phases = report.phases.map(p => [
        p.name,
        p.ok ? '✅ done' : '❌ failed',
        p.detail,
        seconds(p.ms)
    ]);
    const facts = [
        ['image ID', o[constants/* Output */.k7.ImageId]],
        ['digest', o[constants/* Output */.k7.Digest]],
        ['tags', o[constants/* Output */.k7.Tags]?.split('\n').join(', ')],
        [
            'container',
            o[constants/* Output */.k7.ContainerName] &&
                `${o[constants/* Output */.k7.ContainerName]} (${(o[constants/* Output */.k7.ContainerId] ?? '').slice(0, 12)})`
        ],
        ['status', o[constants/* Output */.k7.Status]],
        ['health', o[constants/* Output */.k7.Health]],
        ['exit code', o[constants/* Output */.k7.ExitCode]],
        ['saved images', o[constants/* Output */.k7.SavePath]],
        ['exported filesystem', o[constants/* Output */.k7.ExportPath]]
    ];
    const known = facts.filter((f) => !!f[1]);
    let text = `<h3>nerdctl-action</h3>${external_node_os_.EOL}`;
    text += table(['phase', 'result', 'details', 'time'], phases);
    if (known.length > 0)
        text += table(['what', 'value'], known);
    await (0,workflow/* appendSummary */.fe)(text);
}

;// CONCATENATED MODULE: ./src/action/main.ts
// The main step: read every input into a plan (a bad one fails the step
// before anything runs), leave the post step what it needs to clean up, then
// run the phases in order and report: outputs, metadata, the job summary.















/**
 * A scratch directory for this step: the library's temporary files go there
 * through TMPDIR, and the post step removes it, even after a crash.
 */
function scratchDirectory() {
    const scratch = (0,external_node_fs_.mkdtempSync)((0,external_node_path_.join)(process.env.RUNNER_TEMP || (0,external_node_os_.tmpdir)(), 'nerdctl-action-'));
    process.env.TMPDIR = scratch;
    return scratch;
}
/** Saved before anything is created, so the post step can clean up after any crash. */
function prepareCleanup(state, plan) {
    const token = (0,external_node_crypto_.randomBytes)(8).toString('hex');
    // The post step finds this step's containers by this label even if main dies before saving an ID.
    state.saveToken(token);
    state.saveNerdctl(plan.nerdctl);
    state.saveCleanup(plan.behaviour.cleanup);
    state.saveScratch(scratchDirectory());
    state.saveTargets(writtenPaths(plan));
    return token;
}
async function writeReport(step) {
    step.report.set(constants/* Output */.k7.Metadata, step.report.metadata());
    if (step.plan.behaviour.summary)
        await writeSummary(step.report).catch((e) => workflow/* warning */.$e(`job summary not written: ${String(e)}`));
}
async function main(read = readFromEnvironment, environment = {}) {
    const state = new action_state/* StepState */.u();
    state.markPost();
    let plan;
    try {
        plan = getInputs(read);
    }
    catch (e) {
        workflow/* setFailed */.C1((0,nerdctl.errorMessage)(e));
        return;
    }
    const token = prepareCleanup(state, plan);
    const abort = cancellation();
    // Every container made through this client (the run phase's, a script's)
    // carries the step's label, which is how the post step finds them.
    const client = new nerdctl.Nerdctl({
        ...plan.nerdctl,
        labels: [[constants/* OWNER_LABEL */.pk, token]],
        logger: logger/* coreLogger */.W,
        runner: environment.runner
    });
    const step = {
        plan,
        report: new Report(),
        call: { client, signal: abort.signal },
        state,
        container: undefined,
        failed: false
    };
    let failure;
    try {
        for (const phase of PHASES)
            await phase(step);
    }
    catch (e) {
        failure = e;
        step.failed = true;
    }
    for (const phase of CLOSING_PHASES)
        await phase(step);
    await writeReport(step);
    abort.dispose();
    // A script's containers, or one whose run failed before its ID was known,
    // are found by label; otherwise the saved IDs are all of them.
    if (!step.failed && !plan.behaviour.script)
        state.saveComplete();
    if (step.failed)
        workflow/* setFailed */.C1((0,nerdctl.errorMessage)(failure));
}


/***/ })

};

//# sourceMappingURL=825.index.js.map