export const id = 643;
export const ids = [643];
export const modules = {

/***/ 2643:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  main: () => (/* binding */ main)
});

// EXTERNAL MODULE: ./src/action/workflow.ts
var workflow = __webpack_require__(5809);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./src/nerdctl/index.ts + 55 modules
var src_nerdctl = __webpack_require__(7126);
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
// EXTERNAL MODULE: ./src/action/inputs/reader.ts
var reader = __webpack_require__(3687);
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

;// CONCATENATED MODULE: ./src/action/host-paths.ts
// Which paths on the runner the step may use. Every host path an input names
// (written, read or mounted) must lead, after `..` and symbolic links, into
// the workspace, RUNNER_TEMP or a directory listed in `host-paths`; relative
// paths start at the workspace. Under sudo the runner user must also be able
// to use the path itself: the step never reads or writes as root what that
// user could not. Checked while the inputs are read, before anything runs;
// the library checks writes again when it writes (the client's `hostRoots`).





class HostPaths {
    base;
    roots;
    sudo;
    constructor(
    /** Where relative paths start: the workspace. */
    base, roots, 
    /** nerdctl runs as root: the runner user's own access is checked too. */
    sudo) {
        this.base = base;
        this.roots = roots;
        this.sudo = sudo;
    }
    /** The real paths of the allowed directories (the client's `hostRoots`). */
    get realRoots() {
        return this.roots.map(r => r.real);
    }
    /**
     * Checks `path` for `use` and returns it absolute (relative to the
     * workspace, `..` folded): the form to pass on, so what was checked is what
     * is used.
     */
    check(input, path, use) {
        if (path.startsWith('~'))
            throw new reader/* InputError */.dz(input, `${(0,reader/* show */.WU)(path)}: "~" would be the home of whoever runs the command; give an absolute path or one relative to the workspace`);
        let resolved;
        try {
            resolved = (0,src_nerdctl.resolveHostPath)(path, this.base);
        }
        catch (e) {
            throw new reader/* InputError */.dz(input, (0,src_nerdctl.errorMessage)(e));
        }
        if (!(0,src_nerdctl.rootHolding)(resolved.real, this.realRoots)) {
            const leads = resolved.real === resolved.path ? '' : ` (which leads to ${resolved.real})`;
            throw new reader/* InputError */.dz(input, `${(0,reader/* show */.WU)(path)} is ${resolved.path}${leads}, outside ${this.describe()}: ` +
                `use a path inside them, or list a directory that holds it in "${constants/* Input */.pd.HostPaths}"`);
        }
        if (this.sudo)
            this.checkAccess(input, resolved, use);
        return resolved.path;
    }
    describe() {
        return this.roots.map(r => `${r.label} (${r.real})`).join(', ');
    }
    /** Under sudo: what root would do with the path, the runner user could do itself. */
    checkAccess(input, resolved, use) {
        const { real, exists, existing } = resolved;
        // Writes create the path in its nearest existing directory; reads of a
        // missing path fail in nerdctl, which says so better.
        const wants = [];
        if (use === 'read' || use === 'mount-ro') {
            if (exists)
                wants.push([real, external_node_fs_.constants.R_OK, 'read']);
        }
        else if (!exists)
            wants.push([existing, external_node_fs_.constants.W_OK | external_node_fs_.constants.X_OK, 'write in']);
        else {
            wants.push([real, external_node_fs_.constants.R_OK | external_node_fs_.constants.W_OK, 'read and write']);
            if (use === 'write')
                wants.push([(0,external_node_path_.dirname)(real), external_node_fs_.constants.W_OK | external_node_fs_.constants.X_OK, 'write in']);
        }
        for (const [p, mode, what] of wants) {
            try {
                (0,external_node_fs_.accessSync)(p, mode);
            }
            catch {
                throw new reader/* InputError */.dz(input, `${p}: nerdctl runs as root through sudo, but the runner user cannot ${what} it itself: ` +
                    `give a path that user can ${what}`);
            }
        }
    }
}
/**
 * The allowed directories: the workspace (GITHUB_WORKSPACE, or the current
 * directory where the step runs outside a runner, as the CLI does),
 * RUNNER_TEMP when set, and the `host-paths` input's absolute directories.
 */
function readHostPaths(r, sudo, env = process.env) {
    const base = env.GITHUB_WORKSPACE || process.cwd();
    const roots = [];
    const add = (path, label) => {
        try {
            roots.push({ real: (0,src_nerdctl.resolveHostPath)(path, base).real, label });
        }
        catch (e) {
            throw new reader/* InputError */.dz(constants/* Input */.pd.HostPaths, `${label}: ${(0,src_nerdctl.errorMessage)(e)}`);
        }
    };
    add(base, env.GITHUB_WORKSPACE ? 'the workspace' : 'the current directory');
    if (env.RUNNER_TEMP)
        add(env.RUNNER_TEMP, 'RUNNER_TEMP');
    for (const dir of r.lines(constants/* Input */.pd.HostPaths)) {
        if (!(0,external_node_path_.isAbsolute)(dir))
            throw new reader/* InputError */.dz(constants/* Input */.pd.HostPaths, `${(0,reader/* show */.WU)(dir)} is not an absolute path: list directories such as /var/cache/buildkit`);
        add(dir, `"${constants/* Input */.pd.HostPaths}" ${dir}`);
    }
    return new HostPaths(base, roots, sudo);
}
// ---- host paths inside values of other forms ----
/**
 * The fields of an attribute list (`type=local,dest=DIR`) as BuildKit's CSV
 * reader splits them; a list it would refuse (the library refuses it too)
 * is split on every comma, so no path in it goes unchecked.
 */
function attributeFields(value) {
    const fields = (0,src_nerdctl.splitAttributeList)(value);
    return typeof fields === 'string' ? value.split(',') : fields;
}
/** Every value of the attributes `keys` in an attribute list, however it is split. */
function attributePaths(value, keys) {
    const out = new Set();
    for (const f of attributeFields(value)) {
        const eq = f.indexOf('=');
        if (eq <= 0)
            continue;
        const k = f.slice(0, eq).trim().toLowerCase();
        const v = f.slice(eq + 1).trim();
        if (keys.includes(k) && v !== '' && v !== '-')
            out.add(v);
    }
    return [...out];
}
/** A build context or named context that is not on this machine (a URL, an image). */
function isRemoteContext(value) {
    return (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(value) ||
        /^git@/.test(value) ||
        /^github\.com\//.test(value) ||
        value === '-');
}
/** The directory of `oci-layout://PATH[:TAG|@DIGEST]`, or undefined for another form. */
function ociLayoutPath(value) {
    const m = /^oci-layout:\/\/(.+)$/.exec(value);
    if (!m)
        return undefined;
    const rest = m[1].replace(/@[^/]*$/, '');
    return rest.replace(/^(.*\/[^/:]*|[^/:]*):[^/]*$/, '$1');
}
/**
 * The host source of a volume (`SRC:DEST[:OPTIONS]`) and whether it is
 * mounted read-only, or undefined for a named or anonymous volume.
 */
function volumeSource(volume) {
    const parts = volume.split(':');
    if (parts.length < 2)
        return undefined;
    const source = parts[0];
    if (!/^[/.~]/.test(source))
        return undefined;
    const options = parts.length > 2 ? parts[parts.length - 1].split(',') : [];
    return { source, readOnly: options.includes('ro') };
}
/** The key files of an `ssh` line (`ID=PATH[,PATH]`); `default` alone is the agent socket. */
function sshKeyPaths(line) {
    const eq = line.indexOf('=');
    if (eq <= 0)
        return [];
    return line
        .slice(eq + 1)
        .split(',')
        .map(p => p.trim())
        .filter(p => p !== '');
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
        throw new reader/* InputError */.dz(constants/* Input */.pd.Run, 'is true but neither "image" nor "tags" is set: say which image to run');
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
    (0,reader/* asInput */.lv)(constants/* Input */.pd.HealthCmd, () => (0,src_nerdctl.validateHealthCheck)(healthCheck));
    return healthCheck;
}
/** A container name unique to this run and step, when the user gives none. */
function generatedName() {
    const run = process.env.GITHUB_RUN_ID ?? 'local';
    return `nerdctl-action-${run}-${(0,src_nerdctl.randomHex)(3)}`;
}
/** The library's spec validation, reported against the input that holds the bad value. */
function validateRunSpec(spec) {
    try {
        (0,src_nerdctl.validateSpec)(spec);
    }
    catch (e) {
        if (!(e instanceof src_nerdctl.NerdctlError))
            throw e;
        const field = e.field;
        throw new reader/* InputError */.dz((field && INPUT_OF_FIELD[field]) ?? constants/* Input */.pd.Image, e.message);
    }
}
/** Bind-mount sources lead inside the allowed directories (host-paths.ts). */
function checkVolumes(paths, input, volumes) {
    for (const v of volumes) {
        const bind = volumeSource(v);
        if (bind)
            paths.check(input, bind.source, bind.readOnly ? 'mount-ro' : 'mount');
        // The step creates a named volume itself (labelled): a bad name fails here, before any command.
        const named = (0,src_nerdctl.namedVolumeOf)(v);
        if (named === undefined)
            continue;
        try {
            (0,src_nerdctl.checkVolumeName)(named);
        }
        catch (e) {
            throw new reader/* InputError */.dz(input, `volume ${JSON.stringify(v)}: ${(0,src_nerdctl.errorMessage)(e)}; a host path starts with /, ./ or ~/`);
        }
    }
}
function readRun(r, images, paths) {
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
        command: commandLine ? (0,reader/* asInput */.lv)(constants/* Input */.pd.Command, () => shellWords(commandLine)) : undefined,
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
    checkVolumes(paths, constants/* Input */.pd.Volumes, spec.volumes ?? []);
    return { spec, generatedName: userName === undefined };
}

;// CONCATENATED MODULE: ./src/action/inputs/after-start.ts
// The after-start section: what the step does with its container once it is
// up (wait until ready for clients, or healthy, exec, copy, commit, export, sample its resource use). All of it needs a
// started container, and a detached one, except copy, commit and export,
// which work on an exited container too.




const DEFAULT_WAIT_TIMEOUT_MS = 120_000;
/** A new object each time: the plan is handed to user scripts, which may change it. */
function nothingAfterStart() {
    return {
        wait: false,
        waitForClients: true,
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
        throw new reader/* InputError */.dz(constants/* Input */.pd.Copy, `line ${(0,reader/* show */.WU)(line)} is not "SOURCE -> DEST": write ":/path/in/container -> path/on/runner" or "path/on/runner -> :/path/in/container"`);
    }
    const [from, to] = [m[1].trim(), m[2].trim()];
    const fromC = (0,src_nerdctl.isContainerSide)(from);
    const toC = (0,src_nerdctl.isContainerSide)(to);
    if (fromC === toC) {
        throw new reader/* InputError */.dz(constants/* Input */.pd.Copy, `line ${(0,reader/* show */.WU)(line)} needs exactly one container side, written ":/path" (this step's container) or "name:/path"`);
    }
    return { from, to, containerSide: fromC ? 'from' : 'to' };
}
/**
 * Which of the step's containers a copy side names: '' for ":/path" (the
 * step's container), else the name before the colon. Undefined for a runner path.
 */
function copyContainerOf(side) {
    if (side.startsWith(':/'))
        return '';
    return (0,src_nerdctl.isContainerSide)(side) ? (0,src_nerdctl.splitContainerPath)(side)?.container : undefined;
}
/**
 * A copy may name only the step's own containers: its container (":/path",
 * or its name) or one of its services (by key). Any other name could be
 * another job's container on a shared runner, which the step must never read
 * from or write to.
 */
function checkCopyContainers(copy, runName, serviceKeys) {
    for (const c of copy) {
        const side = c.containerSide === 'from' ? c.from : c.to;
        const name = copyContainerOf(side);
        if (name === undefined || name === '' || name === runName || serviceKeys.includes(name))
            continue;
        throw new reader/* InputError */.dz(constants/* Input */.pd.Copy, `${(0,reader/* show */.WU)(side)} names container ${(0,reader/* show */.WU)(name)}, which this step does not start: ` +
            `write ":/path" for the step's container${serviceKeys.length > 0 ? ` or a service key (${serviceKeys.join(', ')})` : ''}; ` +
            'a copy never touches a container of another step or job');
    }
}
/** Whether to wait for health: by default, whenever there is a health check to pass. */
function readWait(r, spec) {
    // Waiting needs a running container: a foreground run has exited by then.
    const wait = r.bool(constants/* Input */.pd.Wait, spec.healthCheck !== undefined && spec.detach !== false);
    if (wait && !spec.healthCheck) {
        throw new reader/* InputError */.dz(constants/* Input */.pd.Wait, `is ${r.text(constants/* Input */.pd.Wait)} but "health-cmd" is not set: a container without a health check can never become healthy`);
    }
    return wait;
}
/** The runner side of a copy, checked where it leads and made absolute. */
function checkCopyPaths(c, paths) {
    return c.containerSide === 'from'
        ? { ...c, to: paths.check(constants/* Input */.pd.Copy, c.to, 'write') }
        : { ...c, from: paths.check(constants/* Input */.pd.Copy, c.from, 'read') };
}
function readAfterStart(r, run, paths) {
    if (!run) {
        r.refuseIfSet(NEEDS_CONTAINER, [constants/* Input */.pd.Exec, constants/* Input */.pd.Copy, constants/* Input */.pd.Commit, constants/* Input */.pd.Export], [
            [constants/* Input */.pd.Wait, false],
            [constants/* Input */.pd.WaitForClients, true],
            [constants/* Input */.pd.Stats, false]
        ]);
        return nothingAfterStart();
    }
    const wait = readWait(r, run.spec);
    const exec = r.lines(constants/* Input */.pd.Exec);
    const stats = r.bool(constants/* Input */.pd.Stats, false);
    const needsRunning = wait ? constants/* Input */.pd.Wait : exec.length > 0 ? constants/* Input */.pd.Exec : stats ? constants/* Input */.pd.Stats : '';
    if (run.spec.detach === false && needsRunning) {
        throw new reader/* InputError */.dz(constants/* Input */.pd.Detach, `is false, so the container has exited before "${needsRunning}" could run: keep detach true`);
    }
    return {
        wait,
        waitForClients: r.bool(constants/* Input */.pd.WaitForClients, true),
        waitTimeoutMs: r.duration(constants/* Input */.pd.WaitTimeout) ?? DEFAULT_WAIT_TIMEOUT_MS,
        exec,
        copy: r
            .lines(constants/* Input */.pd.Copy)
            .map(parseCopy)
            .map(c => checkCopyPaths(c, paths)),
        commit: commitImage(r),
        export: exportPath(r, paths),
        stats
    };
}
function exportPath(r, paths) {
    const path = r.optional(constants/* Input */.pd.Export);
    return path && paths.check(constants/* Input */.pd.Export, path, 'write');
}
/** The image name to commit the container to, checked before anything runs. */
function commitImage(r) {
    const image = r.optional(constants/* Input */.pd.Commit);
    if (image)
        (0,reader/* asInput */.lv)(constants/* Input */.pd.Commit, () => (0,src_nerdctl.checkImageReference)(image, 'image name', 'commit'));
    return image;
}

;// CONCATENATED MODULE: ./src/action/inputs/behaviour.ts
// The behaviour section: the user's script, and how the step ends (cleanup
// in the post step, logs, the job summary).





const SHOW_LOGS = ['on-failure', 'always', 'never'];
function readShowLogs(r) {
    const showLogs = r.text(constants/* Input */.pd.ShowLogs) || 'on-failure';
    if (!SHOW_LOGS.includes(showLogs))
        throw new reader/* InputError */.dz(constants/* Input */.pd.ShowLogs, `${(0,reader/* show */.WU)(showLogs)} is not one of on-failure, always, never`);
    return showLogs;
}
function readScript(r) {
    const scriptText = r.raw(constants/* Input */.pd.Script);
    const scriptFile = r.optional(constants/* Input */.pd.ScriptFile);
    if (scriptText.trim() && scriptFile) {
        throw new reader/* InputError */.dz(constants/* Input */.pd.ScriptFile, 'is set and so is "script": give the script in one of them');
    }
    if (scriptFile) {
        const path = (0,external_node_path_.resolve)(scriptFile);
        let source;
        try {
            source = (0,external_node_fs_.readFileSync)(path, 'utf8');
        }
        catch (e) {
            throw new reader/* InputError */.dz(constants/* Input */.pd.ScriptFile, `cannot read ${(0,reader/* show */.WU)(scriptFile)}: ${(0,src_nerdctl.errorMessage)(e)}`);
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

;// CONCATENATED MODULE: ./src/action/inputs/disk.ts
// The disk section: the budget of the filesystem holding containerd's store,
// what a prune may take (age, build cache size) and whether it only reports.



function readPruneUntil(r) {
    const v = r.text(constants/* Input */.pd.PruneUntil) || constants/* DEFAULT_PRUNE_UNTIL */.G1;
    try {
        // No upper bound: an age of months is a fair choice for a cache.
        return (0,src_nerdctl.parseDuration)(v);
    }
    catch {
        throw new reader/* InputError */.dz(constants/* Input */.pd.PruneUntil, `${(0,reader/* show */.WU)(v)} is not an age: use a Go duration such as 72h or 30m (days are hours: 168h is a week)`);
    }
}
function readCacheKeep(r) {
    const v = r.text(constants/* Input */.pd.BuildCacheKeep);
    if (!v)
        return undefined;
    try {
        return (0,src_nerdctl.parseSize)(v);
    }
    catch {
        throw new reader/* InputError */.dz(constants/* Input */.pd.BuildCacheKeep, `${(0,reader/* show */.WU)(v)} is not a size: use one such as 10GB, 512MB or 2GiB`);
    }
}
function readDisk(r) {
    const text = r.text(constants/* Input */.pd.DiskBudget);
    if (!text) {
        r.refuseIfSet('means nothing without "disk-budget": set a budget such as 40GB or 80%, or remove this input', [constants/* Input */.pd.PruneUntil, constants/* Input */.pd.BuildCacheKeep], [[constants/* Input */.pd.PruneDryRun, false]]);
        return { budget: undefined, pruneUntilMs: 0, buildCacheKeepBytes: undefined, dryRun: false };
    }
    const budget = (0,reader/* asInput */.lv)(constants/* Input */.pd.DiskBudget, () => {
        try {
            return (0,src_nerdctl.parseBudget)(text);
        }
        catch {
            throw new reader/* InputError */.dz(constants/* Input */.pd.DiskBudget, `${(0,reader/* show */.WU)(text)} is not a budget: give a size such as 40GB or 512MiB, or a percentage of the filesystem such as 80%`);
        }
    });
    return {
        budget,
        pruneUntilMs: readPruneUntil(r),
        buildCacheKeepBytes: readCacheKeep(r),
        dryRun: r.bool(constants/* Input */.pd.PruneDryRun, false)
    };
}

;// CONCATENATED MODULE: ./src/action/inputs/merge.ts
// The "merge" input: builds pushed by digest, one per line, as REPO@sha256:…
// references or directories of digests files (as download-artifact lays them
// out: one folder per artifact, or all merged). Read and checked here, before
// any command: a directory outside the allowed paths, a file that is not a
// digests file or a directory with none fails naming "merge".





/** Every `*.json` under dir, in a stable order; links are not followed into directories. */
function jsonFiles(dir) {
    const out = [];
    const walk = (d) => {
        const entries = (0,external_node_fs_.readdirSync)(d, { withFileTypes: true }).sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
        for (const e of entries) {
            const p = (0,external_node_path_.join)(d, e.name);
            if (e.isDirectory())
                walk(p);
            else if ((e.isFile() || e.isSymbolicLink()) && e.name.endsWith('.json'))
                out.push(p);
        }
    };
    walk(dir);
    return out;
}
function fromDirectory(line, paths) {
    const dir = paths.check(constants/* Input */.pd.Merge, line, 'read');
    let files;
    try {
        files = jsonFiles(dir);
    }
    catch (e) {
        throw new reader/* InputError */.dz(constants/* Input */.pd.Merge, `${(0,reader/* show */.WU)(line)} is neither REPOSITORY@sha256:DIGEST nor a directory that can be read (${e.code ?? String(e)})`);
    }
    if (files.length === 0)
        throw new reader/* InputError */.dz(constants/* Input */.pd.Merge, `${(0,reader/* show */.WU)(line)} holds no digests file (*.json): download the artifacts the push-by-digest builds uploaded into it`);
    return files.map(file => {
        // A link that leads out of the allowed directories is refused like a path.
        const real = paths.check(constants/* Input */.pd.Merge, file, 'read');
        const d = (0,reader/* asInput */.lv)(constants/* Input */.pd.Merge, () => (0,src_nerdctl.parseDigestsFile)((0,external_node_fs_.readFileSync)(real, 'utf8'), file));
        return { reference: `${d.repository}@${d.digest}`, platform: d.platform, origin: file };
    });
}
function readMerge(r, paths) {
    const lines = r.lines(constants/* Input */.pd.Merge);
    if (lines.length === 0)
        return undefined;
    const sources = lines.flatMap((line) => {
        if (!/@sha256:/.test(line))
            return fromDirectory(line, paths);
        (0,reader/* asInput */.lv)(constants/* Input */.pd.Merge, () => (0,src_nerdctl.splitDigestReference)(line));
        return [{ reference: line }];
    });
    const annotations = r.list(constants/* Input */.pd.Annotations, { ignoreComma: true });
    // Checked now, so a bad one fails before the step logs in or reads the registry.
    (0,reader/* asInput */.lv)(constants/* Input */.pd.Annotations, () => (0,src_nerdctl.indexAnnotations)(annotations));
    return { sources, annotations };
}

;// CONCATENATED MODULE: ./src/action/inputs/images.ts
// The images section: what to build (only when "context" is set), the tags
// that name it, and whether to push and save them.








/** Build options, which mean nothing without "context". */
const BUILD_ONLY = [
    constants/* Input */.pd.File,
    constants/* Input */.pd.BuildArgs,
    constants/* Input */.pd.Labels,
    constants/* Input */.pd.Target,
    constants/* Input */.pd.Platforms,
    constants/* Input */.pd.CacheFrom,
    constants/* Input */.pd.CacheTo,
    constants/* Input */.pd.Secrets,
    constants/* Input */.pd.SecretFiles,
    constants/* Input */.pd.SecretEnvs,
    constants/* Input */.pd.Ssh,
    constants/* Input */.pd.Allow,
    constants/* Input */.pd.Attests,
    constants/* Input */.pd.Sbom,
    constants/* Input */.pd.Provenance,
    constants/* Input */.pd.Annotations,
    constants/* Input */.pd.Outputs,
    constants/* Input */.pd.BuildContexts,
    constants/* Input */.pd.BuildNetwork,
    constants/* Input */.pd.AddHosts
];
/**
 * How each list input is read: build-push-action's options for it (its
 * src/context.ts: `ignoreComma` for KEY=VALUE and attribute lists, `quote:
 * false` for outputs), and ours beside them (`keepSpaces`, `secret` for
 * secret values). `__tests__/unit/list-inputs.test.ts` holds this table to
 * build-push-action's and runs its documented examples through both readings.
 */
const LIST_INPUTS = {
    [constants/* Input */.pd.Tags]: {},
    [constants/* Input */.pd.Platforms]: {},
    [constants/* Input */.pd.AddHosts]: {},
    [constants/* Input */.pd.Allow]: {},
    [constants/* Input */.pd.Ssh]: {},
    [constants/* Input */.pd.SecretEnvs]: {},
    [constants/* Input */.pd.BuildArgs]: { ignoreComma: true },
    [constants/* Input */.pd.Labels]: { ignoreComma: true },
    [constants/* Input */.pd.BuildContexts]: { ignoreComma: true },
    [constants/* Input */.pd.Annotations]: { ignoreComma: true },
    [constants/* Input */.pd.Attests]: { ignoreComma: true },
    [constants/* Input */.pd.CacheFrom]: { ignoreComma: true },
    [constants/* Input */.pd.CacheTo]: { ignoreComma: true },
    [constants/* Input */.pd.SecretFiles]: { ignoreComma: true },
    [constants/* Input */.pd.Secrets]: { ignoreComma: true, keepSpaces: true, secret: true },
    [constants/* Input */.pd.Outputs]: { ignoreComma: true, noQuote: true }
};
/**
 * `secrets`: `id=value` entries as build-push-action reads them (a quoted
 * entry keeps commas and line breaks; values are not trimmed). Each value is
 * masked before anything else can print it; a bad entry is reported by its
 * number, never its text.
 */
function readSecretValues(r) {
    const entries = (0,reader/* parseList */.E1)(constants/* Input */.pd.Secrets, r.raw(constants/* Input */.pd.Secrets), LIST_INPUTS[constants/* Input */.pd.Secrets]);
    return entries.map((entry, i) => {
        const eq = entry.indexOf('=');
        const value = eq > 0 ? entry.slice(eq + 1) : '';
        if (value)
            workflow/* setSecret */.Pq(value);
        if (eq <= 0 || !value)
            throw new reader/* InputError */.dz(constants/* Input */.pd.Secrets, `entry ${i + 1} is not id=value (the value is not shown)`);
        return { id: entry.slice(0, eq).trim(), value };
    });
}
function readSecrets(r) {
    const files = r.listPairs(constants/* Input */.pd.SecretFiles).map(([id, file]) => ({ id, file: file.trim() }));
    const envs = r.list(constants/* Input */.pd.SecretEnvs, LIST_INPUTS[constants/* Input */.pd.SecretEnvs]).map(entry => {
        const eq = entry.indexOf('=');
        if (eq <= 0)
            throw new reader/* InputError */.dz(constants/* Input */.pd.SecretEnvs, `${(0,reader/* show */.WU)(entry)} is not id=ENVVAR`);
        const id = entry.slice(0, eq).trim();
        const env = entry.slice(eq + 1).trim();
        const value = process.env[env];
        if (value === undefined || value === '')
            throw new reader/* InputError */.dz(constants/* Input */.pd.SecretEnvs, `secret ${(0,reader/* show */.WU)(id)}: environment variable ${(0,reader/* show */.WU)(env)} is not set in this step`);
        // The runner's variable may not be a masked secret yet.
        workflow/* setSecret */.Pq(value);
        return { id, env };
    });
    return [...readSecretValues(r), ...files, ...envs];
}
/** true/false, or BuildKit's attributes (`mode=max`, `generator=IMAGE`). */
function attestation(r, name) {
    const v = r.text(name);
    if (v === '')
        return undefined;
    if (['true', 'false'].includes(v.toLowerCase()))
        return v.toLowerCase() === 'true';
    return v;
}
function readNetwork(r) {
    const v = r.optional(constants/* Input */.pd.BuildNetwork);
    if (v === undefined)
        return undefined;
    if (v !== 'default' && v !== 'none' && v !== 'host')
        throw new reader/* InputError */.dz(constants/* Input */.pd.BuildNetwork, `${(0,reader/* show */.WU)(v)} is not a build network: nerdctl build takes default, none or host`);
    return v;
}
/** Checks a build or named context on this machine; a remote one is not a host path. */
function checkContext(paths, input, value) {
    const layout = ociLayoutPath(value);
    if (layout !== undefined)
        paths.check(input, layout, 'read');
    else if (!isRemoteContext(value))
        paths.check(input, value, 'read');
}
/** Checks every host path of an attribute list (`type=local,src=DIR`) for `use`. */
function checkAttributePaths(paths, input, entries, use) {
    for (const entry of entries)
        for (const path of attributePaths(entry, ['src', 'dest']))
            paths.check(input, path, use);
}
/**
 * Every host path the build reads or writes leads inside the allowed
 * directories (host-paths.ts). The values go on as given: nerdctl and
 * BuildKit resolve them as the check did (`..` folded, from the workspace).
 */
function checkBuildPaths(plan, paths) {
    checkContext(paths, constants/* Input */.pd.Context, plan.context);
    if (plan.file !== undefined)
        paths.check(constants/* Input */.pd.File, plan.file, 'read');
    // nerdctl's default Dockerfile is read from the context.
    else if (!isRemoteContext(plan.context))
        paths.check(constants/* Input */.pd.File, (0,external_node_path_.join)(plan.context, 'Dockerfile'), 'read');
    for (const s of plan.secrets)
        if ('file' in s)
            paths.check(constants/* Input */.pd.SecretFiles, s.file, 'read');
    for (const [, value] of plan.buildContexts)
        checkContext(paths, constants/* Input */.pd.BuildContexts, value.trim());
    checkAttributePaths(paths, constants/* Input */.pd.CacheFrom, plan.cacheFrom, 'read');
    checkAttributePaths(paths, constants/* Input */.pd.CacheTo, plan.cacheTo, 'write');
    if (plan.output)
        checkAttributePaths(paths, constants/* Input */.pd.Outputs, [plan.output], 'write');
    for (const line of plan.ssh)
        for (const key of sshKeyPaths(line))
            paths.check(constants/* Input */.pd.Ssh, key, 'read');
}
function readBuild(r, context, paths) {
    const outputs = r.list(constants/* Input */.pd.Outputs, LIST_INPUTS[constants/* Input */.pd.Outputs]);
    if (outputs.length > 1)
        throw new reader/* InputError */.dz(constants/* Input */.pd.Outputs, `lists ${outputs.length} exporters, but nerdctl build takes one --output: keep one`);
    const plan = {
        context,
        file: r.optional(constants/* Input */.pd.File),
        buildArgs: r.listPairs(constants/* Input */.pd.BuildArgs),
        labels: r.listPairs(constants/* Input */.pd.Labels),
        target: r.optional(constants/* Input */.pd.Target),
        platforms: r.list(constants/* Input */.pd.Platforms, LIST_INPUTS[constants/* Input */.pd.Platforms]),
        noCache: r.bool(constants/* Input */.pd.NoCache, false),
        cacheFrom: r.list(constants/* Input */.pd.CacheFrom, LIST_INPUTS[constants/* Input */.pd.CacheFrom]),
        cacheTo: r.list(constants/* Input */.pd.CacheTo, LIST_INPUTS[constants/* Input */.pd.CacheTo]),
        secrets: readSecrets(r),
        ssh: r.list(constants/* Input */.pd.Ssh, LIST_INPUTS[constants/* Input */.pd.Ssh]),
        allow: r.list(constants/* Input */.pd.Allow, LIST_INPUTS[constants/* Input */.pd.Allow]),
        attest: r.list(constants/* Input */.pd.Attests, LIST_INPUTS[constants/* Input */.pd.Attests]),
        sbom: attestation(r, constants/* Input */.pd.Sbom),
        provenance: attestation(r, constants/* Input */.pd.Provenance),
        annotations: r.list(constants/* Input */.pd.Annotations, LIST_INPUTS[constants/* Input */.pd.Annotations]),
        output: outputs[0],
        buildContexts: r.listPairs(constants/* Input */.pd.BuildContexts),
        network: readNetwork(r),
        addHosts: r.list(constants/* Input */.pd.AddHosts, LIST_INPUTS[constants/* Input */.pd.AddHosts]),
        pull: r.bool(constants/* Input */.pd.BuildPull, false)
    };
    checkWithLibrary(plan);
    checkBuildPaths(plan, paths);
    return plan;
}
/** The input each field of the library's BuildSpec comes from. */
const images_INPUT_OF_FIELD = {
    cacheFrom: constants/* Input */.pd.CacheFrom,
    cacheTo: constants/* Input */.pd.CacheTo,
    secrets: constants/* Input */.pd.Secrets,
    ssh: constants/* Input */.pd.Ssh,
    attest: constants/* Input */.pd.Attests,
    sbom: constants/* Input */.pd.Sbom,
    provenance: constants/* Input */.pd.Provenance,
    allow: constants/* Input */.pd.Allow,
    output: constants/* Input */.pd.Outputs,
    annotations: constants/* Input */.pd.Annotations,
    buildContexts: constants/* Input */.pd.BuildContexts,
    network: constants/* Input */.pd.BuildNetwork,
    addHosts: constants/* Input */.pd.AddHosts
};
/**
 * Every value the library checks is checked now, before anything runs, and
 * the error names the input it came from. The argv made here is thrown away.
 */
function checkWithLibrary(plan) {
    try {
        (0,src_nerdctl.buildArgs)('x', plan.context, { ...plan, tags: [] }, undefined, undefined, {
            secretDir: '/'
        });
    }
    catch (e) {
        if (!(e instanceof src_nerdctl.NerdctlError) || !e.field || !images_INPUT_OF_FIELD[e.field])
            throw e;
        const input = images_INPUT_OF_FIELD[e.field];
        // A secret's id is in secrets, secret-files or secret-envs: say all three.
        throw new reader/* InputError */.dz(e.field === 'secrets' ? `${constants/* Input */.pd.Secrets}/${constants/* Input */.pd.SecretFiles}/${constants/* Input */.pd.SecretEnvs}` : input, e.message);
    }
}
/** Whether the build leaves an image in the store to push, save or run. */
function buildStoresImage(build) {
    return !build || (0,src_nerdctl.exporterOf)({ output: build.output }).storesImage;
}
/**
 * push-by-digest: the build pushes itself, untagged, to the first tag's
 * repository, for one platform (the digests file names it). Returns the
 * build with that output.
 */
function byDigest(r, build, tags) {
    const why = (m) => new reader/* InputError */.dz(constants/* Input */.pd.PushByDigest, m);
    if (!build)
        throw why('is true but "context" is not set: push-by-digest pushes the image it builds');
    if (build.output)
        throw why('sets the build\'s output itself (BuildKit pushes by digest): remove "outputs"');
    if (build.platforms.length !== 1)
        throw why(`needs "platforms" to name the one platform this runner builds (e.g. linux/amd64), not ${build.platforms.length === 0 ? 'none' : build.platforms.join(', ')}: each platform is a leg of its own, merged later with "merge"`);
    if (tags.length === 0)
        throw why('needs "tags": the image is pushed by digest to the first tag\'s repository');
    if (r.optional(constants/* Input */.pd.Save))
        throw why('leaves no image in the store for "save": remove "save"');
    const repository = (0,src_nerdctl.repositoryOf)(tags[0]);
    return { ...build, output: (0,src_nerdctl.pushByDigestOutput)(repository) };
}
function readImages(r, paths) {
    const tags = r.list(constants/* Input */.pd.Tags, LIST_INPUTS[constants/* Input */.pd.Tags]);
    for (const t of tags)
        (0,reader/* asInput */.lv)(constants/* Input */.pd.Tags, () => (0,src_nerdctl.checkImageReference)(t, 'tag', 'tags'));
    const context = r.optional(constants/* Input */.pd.Context);
    const pushByDigest = r.bool(constants/* Input */.pd.PushByDigest, false);
    const merge = readMerge(r, paths);
    if (merge) {
        if (context)
            throw new reader/* InputError */.dz(constants/* Input */.pd.Merge, 'merges builds pushed earlier, but "context" is set too: build with push-by-digest in the matrix jobs and merge in a job that needs them');
        if (pushByDigest)
            throw new reader/* InputError */.dz(constants/* Input */.pd.Merge, 'and "push-by-digest" are two different jobs: keep one');
        if (tags.length === 0)
            throw new reader/* InputError */.dz(constants/* Input */.pd.Merge, 'is set but "tags" is empty: list the tags the merged index gets');
        r.refuseIfSet('is not part of a merge: remove it', [constants/* Input */.pd.Save]);
    }
    const built = context ? readBuild(r, context, paths) : undefined;
    const build = pushByDigest ? byDigest(r, built, tags) : built;
    if (!build) {
        r.refuseIfSet('is a build option, but "context" is not set: set "context" to build', 
        // A merge puts "annotations" on its index.
        merge ? BUILD_ONLY.filter(n => n !== constants/* Input */.pd.Annotations) : BUILD_ONLY, [
            [constants/* Input */.pd.NoCache, false],
            [constants/* Input */.pd.BuildPull, false]
        ]);
    }
    else if (tags.length === 0 && buildStoresImage(build)) {
        throw new reader/* InputError */.dz(constants/* Input */.pd.Tags, `"context" is set but no tags are: name the image, e.g. "127.0.0.1:5000/app:1.0"`);
    }
    // push-by-digest is the push; a merge pushes the index.
    const push = r.bool(constants/* Input */.pd.Push, false) && !pushByDigest && !merge;
    const stored = buildStoresImage(build);
    if (!stored && (push || r.optional(constants/* Input */.pd.Save)))
        throw new reader/* InputError */.dz(push ? constants/* Input */.pd.Push : constants/* Input */.pd.Save, `needs the built image in the store, but "outputs" sends it elsewhere: remove one of them`);
    if (push && tags.length === 0)
        throw new reader/* InputError */.dz(constants/* Input */.pd.Push, 'is true but "tags" is empty: list the images to push in "tags"');
    const save = r.optional(constants/* Input */.pd.Save);
    if (save && tags.length === 0)
        throw new reader/* InputError */.dz(constants/* Input */.pd.Save, 'is set but "tags" is empty: list the images to save in "tags"');
    return {
        tags,
        build,
        push,
        save: save && paths.check(constants/* Input */.pd.Save, save, 'write'),
        pushByDigest,
        merge
    };
}

;// CONCATENATED MODULE: ./src/action/inputs/nerdctl.ts
// The nerdctl section: which binary, containerd and BuildKit every call of the
// step talks to, and how long one call may take.



function readNerdctl(r) {
    // Unset: control calls are bounded by the library's default, long work
    // (builds, pushes) by the job, as with docker/build-push-action.
    const timeoutMs = r.duration(constants/* Input */.pd.Timeout);
    const insecure = r.csv(constants/* Input */.pd.InsecureRegistries);
    for (const host of insecure)
        (0,reader/* asInput */.lv)(constants/* Input */.pd.InsecureRegistries, () => (0,src_nerdctl.checkRegistryHost)(host, 'insecure registry'));
    const binary = r.optional(constants/* Input */.pd.Nerdctl) ?? 'nerdctl';
    // The binary is the file run (after sudo's own options, when sudo is on).
    if (binary.startsWith('-'))
        throw new reader/* InputError */.dz(constants/* Input */.pd.Nerdctl, `${(0,reader/* show */.WU)(binary)} is not a program: give nerdctl's name on PATH or its path, e.g. /usr/local/bin/nerdctl`);
    return {
        binary,
        namespace: r.optional(constants/* Input */.pd.Namespace),
        address: r.optional(constants/* Input */.pd.Address),
        snapshotter: r.optional(constants/* Input */.pd.Snapshotter),
        buildkitHost: r.optional(constants/* Input */.pd.BuildkitHost),
        insecureRegistries: insecure.length > 0 ? insecure : undefined,
        sudo: r.bool(constants/* Input */.pd.Sudo, false),
        timeoutMs
    };
}

;// CONCATENATED MODULE: ./src/action/inputs/yaml.ts
let parse;
async function loadYaml() {
    parse ??= (await __webpack_require__.e(/* import() */ 815).then(__webpack_require__.t.bind(__webpack_require__, 8815, 19))).parse;
}
/** A YAML syntax error: where, and what kind of mistake; never the source text. */
class YamlSyntaxError extends Error {
    /** Where it is, 1-based, as the parser's own errors carry it (`linePos`). */
    linePos;
    constructor(kind, line, col) {
        super(line === undefined
            ? `${kind} (the YAML is not shown: it may hold passwords)`
            : `${kind} at line ${line}, column ${col ?? 1} (the YAML is not shown: it may hold passwords)`);
        this.name = 'YamlSyntaxError';
        this.linePos = line === undefined ? [] : [{ line, col: col ?? 1 }];
    }
}
/**
 * What each of the parser's error codes means, in words that quote nothing
 * (its own messages may hold a piece of the text: an escape, a tag, an alias).
 */
const KINDS = {
    MISSING_CHAR: 'a closing quote or bracket is missing',
    BAD_INDENT: 'the indentation is wrong',
    TAB_AS_INDENT: 'a tab is used for indentation (use spaces)',
    DUPLICATE_KEY: 'a key appears twice in the same map',
    BLOCK_AS_IMPLICIT_KEY: 'a map is nested on one line (quote a value that holds ": ")',
    MULTILINE_IMPLICIT_KEY: 'a key spans several lines',
    UNEXPECTED_TOKEN: 'unexpected text',
    BAD_DQ_ESCAPE: 'an invalid escape sequence in a double-quoted string',
    BAD_SCALAR_START: 'a plain value starts with a reserved character (quote it)',
    BLOCK_IN_FLOW: 'a block value inside [ ] or { }',
    MULTIPLE_DOCS: 'more than one YAML document (---)',
    KEY_OVER_1024_CHARS: 'a key is longer than 1024 characters',
    MULTIPLE_ANCHORS: 'a value has more than one anchor',
    MULTIPLE_TAGS: 'a value has more than one tag',
    BAD_PROP_ORDER: 'an anchor or tag is out of place',
    ALIAS_PROPS: 'an alias has an anchor or tag',
    BAD_ALIAS: 'an alias is invalid',
    BAD_DIRECTIVE: 'a directive is invalid',
    NON_STRING_KEY: 'a key is not a string',
    TAG_RESOLVE_FAILED: 'a tag cannot be resolved',
    BAD_COLLECTION_TYPE: 'a collection has the wrong type for its tag'
};
function parseYaml(text) {
    if (!parse) {
        throw new Error('internal error: the YAML parser was not loaded before the inputs were read (loadYaml)');
    }
    try {
        return parse(text, { logLevel: 'error', prettyErrors: true });
    }
    catch (e) {
        throw syntaxError(e);
    }
}
function syntaxError(e) {
    const { code, linePos } = e;
    const where = linePos?.[0];
    const line = typeof where?.line === 'number' ? where.line : undefined;
    const col = typeof where?.col === 'number' ? where.col : undefined;
    if (typeof code === 'string')
        return new YamlSyntaxError(`not valid YAML: ${KINDS[code] ?? code}`, line, col);
    // The parser's other errors: an alias whose anchor is missing, too many aliases.
    if (e instanceof ReferenceError && /^Unresolved alias/.test(e.message))
        return new YamlSyntaxError('not valid YAML: an alias (*name) has no anchor (&name) before it');
    if (e instanceof ReferenceError && /^Excessive alias count/.test(e.message))
        return new YamlSyntaxError('not valid YAML: too many aliases (*name)');
    return new YamlSyntaxError('not valid YAML');
}

;// CONCATENATED MODULE: ./src/action/inputs/registry.ts
// The registry section: whom to log in as (one registry through
// registry/username/password, several through `registries`), whether to log
// out again after, how registry calls retry, and which images to pull first.





function readRegistry(r) {
    const registry = r.text(constants/* Input */.pd.Registry);
    if (registry)
        (0,reader/* asInput */.lv)(constants/* Input */.pd.Registry, () => (0,src_nerdctl.checkRegistryHost)(registry));
    const username = r.text(constants/* Input */.pd.Username);
    // The password is never trimmed, shown or echoed; it is masked at once.
    const password = r.raw(constants/* Input */.pd.Password);
    if (password)
        workflow/* setSecret */.Pq(password);
    if (!!username !== !!password) {
        throw new reader/* InputError */.dz(username ? constants/* Input */.pd.Password : constants/* Input */.pd.Username, `set both "username" and "password" to log in, or neither`);
    }
    if (registry && !username) {
        throw new reader/* InputError */.dz(constants/* Input */.pd.Registry, `${(0,reader/* show */.WU)(registry)} is set but "username" and "password" are not: set them to log in, or remove "registry"`);
    }
    const login = username ? { registry, username, password } : undefined;
    const registries = readRegistries(r.raw(constants/* Input */.pd.Registries));
    const hosts = [...(login ? [login] : []), ...registries].map(l => l.registry || 'docker.io');
    const twice = hosts.find((h, i) => hosts.indexOf(h) !== i);
    if (twice)
        throw new reader/* InputError */.dz(constants/* Input */.pd.Registries, `${(0,reader/* show */.WU)(twice)} is logged in to twice: name each registry once (in "registries" or "registry", not both)`);
    return {
        login,
        registries,
        logout: r.bool(constants/* Input */.pd.Logout, true),
        pull: r.lines(constants/* Input */.pd.Pull).map(image => {
            (0,reader/* asInput */.lv)(constants/* Input */.pd.Pull, () => (0,src_nerdctl.checkImageReference)(image));
            return image;
        }),
        retry: {
            retries: r.count(constants/* Input */.pd.Retries, src_nerdctl.DEFAULT_RETRIES),
            delayMs: r.duration(constants/* Input */.pd.RetryDelay, '2s') ?? 0
        }
    };
}
const KEYS = ['registry', 'username', 'password'];
/**
 * The `registries` input: a YAML list of {registry, username, password}.
 * Each password is masked before anything else is checked, and no message
 * ever quotes the YAML (it holds the passwords).
 */
function readRegistries(text) {
    if (!text.trim())
        return [];
    let doc;
    try {
        doc = parseYaml(text);
    }
    catch (e) {
        const line = e.linePos?.[0]?.line;
        throw new reader/* InputError */.dz(constants/* Input */.pd.Registries, `is not valid YAML${line ? ` (line ${line})` : ''}: give a list of entries with registry, username and password`);
    }
    if (!Array.isArray(doc))
        throw new reader/* InputError */.dz(constants/* Input */.pd.Registries, 'must be a YAML list of entries with registry, username and password');
    for (const entry of doc) {
        const p = entry?.password;
        if (typeof p === 'string' && p)
            workflow/* setSecret */.Pq(p);
    }
    return doc.map((entry, i) => {
        const where = `entry ${i + 1}`;
        if (typeof entry !== 'object' || entry === null || Array.isArray(entry))
            throw new reader/* InputError */.dz(constants/* Input */.pd.Registries, `${where} is not a map of registry, username and password`);
        const e = entry;
        const unknown = Object.keys(e).find(k => !KEYS.includes(k));
        if (unknown)
            throw new reader/* InputError */.dz(constants/* Input */.pd.Registries, `${where} has an unknown key ${(0,reader/* show */.WU)(unknown)}: use registry, username and password`);
        for (const k of KEYS)
            if (typeof e[k] !== 'string' || !e[k])
                throw new reader/* InputError */.dz(constants/* Input */.pd.Registries, `${where} needs a ${k} as a non-empty string${k === 'password' ? ' (quote it)' : ''}`);
        const registry = e.registry.trim();
        (0,reader/* asInput */.lv)(constants/* Input */.pd.Registries, () => (0,src_nerdctl.checkRegistryHost)(registry, `registry of ${where}`));
        return {
            // Docker Hub is '' in a plan, as with the single-registry inputs.
            registry: registry === 'docker.io' ? '' : registry,
            username: e.username.trim(),
            password: e.password
        };
    });
}

;// CONCATENATED MODULE: ./src/action/run-flags.ts
// Generated by scripts/record-run-flags.sh from `nerdctl run --help` and
// `nerdctl --help` (nerdctl version 2.3.5); do not edit. Which flags take a value is
// what pflag printed: a type after the long name.
/** `nerdctl run` flags: long name -> [shorthand or '', takes a value]. */
const RUN_FLAGS = {
    'add-host': ['', true],
    annotation: ['', true],
    attach: ['a', true],
    'blkio-weight': ['', true],
    'blkio-weight-device': ['', true],
    'cap-add': ['', true],
    'cap-drop': ['', true],
    'cgroup-conf': ['', true],
    'cgroup-parent': ['', true],
    cgroupns: ['', true],
    cidfile: ['', true],
    'cosign-certificate-identity': ['', true],
    'cosign-certificate-identity-regexp': ['', true],
    'cosign-certificate-oidc-issuer': ['', true],
    'cosign-certificate-oidc-issuer-regexp': ['', true],
    'cosign-key': ['', true],
    'cpu-period': ['', true],
    'cpu-quota': ['', true],
    'cpu-rt-period': ['', true],
    'cpu-rt-runtime': ['', true],
    'cpu-shares': ['', true],
    cpus: ['', true],
    'cpuset-cpus': ['', true],
    'cpuset-mems': ['', true],
    detach: ['d', false],
    'detach-keys': ['', true],
    device: ['', true],
    'device-read-bps': ['', true],
    'device-read-iops': ['', true],
    'device-write-bps': ['', true],
    'device-write-iops': ['', true],
    dns: ['', true],
    'dns-opt': ['', true],
    'dns-option': ['', true],
    'dns-search': ['', true],
    domainname: ['', true],
    entrypoint: ['', true],
    env: ['e', true],
    'env-file': ['', true],
    gpus: ['', true],
    'group-add': ['', true],
    'health-cmd': ['', true],
    'health-interval': ['', true],
    'health-retries': ['', true],
    'health-start-period': ['', true],
    'health-timeout': ['', true],
    help: ['', false],
    hostname: ['h', true],
    init: ['', false],
    'init-binary': ['', true],
    interactive: ['i', false],
    ip: ['', true],
    ip6: ['', true],
    ipc: ['', true],
    'ipfs-address': ['', true],
    isolation: ['', true],
    'kernel-memory': ['', true],
    label: ['l', true],
    'label-file': ['', true],
    'log-driver': ['', true],
    'log-opt': ['', true],
    'mac-address': ['', true],
    memory: ['m', true],
    'memory-reservation': ['', true],
    'memory-swap': ['', true],
    'memory-swappiness': ['', true],
    mount: ['', true],
    name: ['', true],
    net: ['', true],
    network: ['', true],
    'no-healthcheck': ['', false],
    'oom-kill-disable': ['', false],
    'oom-score-adj': ['', true],
    pid: ['', true],
    pidfile: ['', true],
    'pids-limit': ['', true],
    platform: ['', true],
    privileged: ['', false],
    publish: ['p', true],
    pull: ['', true],
    quiet: ['q', false],
    'rdt-class': ['', true],
    'read-only': ['', false],
    restart: ['', true],
    rm: ['', false],
    rootfs: ['', false],
    runtime: ['', true],
    'security-opt': ['', true],
    'shm-size': ['', true],
    'sig-proxy': ['', false],
    'stop-signal': ['', true],
    'stop-timeout': ['', true],
    sysctl: ['', true],
    systemd: ['', true],
    tmpfs: ['', true],
    tty: ['t', false],
    ulimit: ['', true],
    umask: ['', true],
    user: ['u', true],
    userns: ['', true],
    uts: ['', true],
    verify: ['', true],
    volume: ['v', true],
    'volumes-from': ['', true],
    workdir: ['w', true]
};
/** nerdctl's global flags, which `run` also reads (long names only). */
const GLOBAL_FLAGS = {
    address: ['', true],
    'bridge-ip': ['', true],
    'cdi-spec-dirs': ['', true],
    'cgroup-manager': ['', true],
    'cni-netconfpath': ['', true],
    'cni-path': ['', true],
    'data-root': ['', true],
    debug: ['', false],
    'debug-full': ['', false],
    experimental: ['', false],
    host: ['', true],
    'host-gateway-ip': ['', true],
    'hosts-dir': ['', true],
    'insecure-registry': ['', false],
    'kube-hide-dupe': ['', false],
    namespace: ['', true],
    'selinux-enabled': ['', false],
    snapshotter: ['', true],
    'storage-driver': ['', true],
    'userns-remap': ['', true],
    'global-dns': ['', true],
    'global-dns-opts': ['', true],
    'global-dns-search': ['', true]
};

;// CONCATENATED MODULE: ./src/action/run-options.ts
// Reads a service's `options` the way nerdctl's flag parser (spf13/pflag, as
// cobra sets it up for `nerdctl run`) reads the same words, so a check on
// the flags sees what nerdctl will see: short flags bundle (`-itd`), a short
// flag that takes a value takes the rest of its word (`-lkey=v`, `-l=key=v`)
// or the next word, long flags take `--x=v` or `--x v`, and there are no
// abbreviations (pflag looks long names up exactly: `--labe` is unknown).
// Which flags take a value comes from the real binary (src/action/run-flags.ts,
// written by scripts/record-run-flags.sh).

const SHORT = new Map(Object.entries(RUN_FLAGS)
    .filter(([, [short]]) => short !== '')
    .map(([long, [short]]) => [short, long]));
function lookup(name) {
    const run = RUN_FLAGS[name];
    if (run)
        return { takesValue: run[1], global: false };
    const global = GLOBAL_FLAGS[name];
    return global ? { takesValue: global[1], global: true } : undefined;
}
/**
 * The flags in `words`, in order. Anything nerdctl would not read as a flag
 * of `run` is an error: an unknown flag (nerdctl would fail anyway), a flag
 * missing its value, and any positional word or `--`, which nerdctl would
 * read as the image, since the step puts `options` just before it.
 */
function parseRunOptions(words) {
    const out = [];
    for (let i = 0; i < words.length; i++) {
        const word = words[i];
        if (word === '--')
            throw new Error('"--" ends nerdctl\'s flags, so the words after it would be read as the image: remove it');
        if (!word.startsWith('-') || word === '-')
            throw new Error(`${JSON.stringify(word)} is not a flag: nerdctl would read it as the image; "options" holds nerdctl run flags only (the command goes in "command")`);
        if (word.startsWith('--')) {
            const eq = word.indexOf('=');
            const name = eq < 0 ? word.slice(2) : word.slice(2, eq);
            const flag = lookup(name);
            if (!flag)
                throw new Error(`${JSON.stringify(word)}: nerdctl run has no flag --${name} (nerdctl takes no abbreviations): see nerdctl run --help`);
            let value;
            if (eq >= 0)
                value = word.slice(eq + 1);
            else if (!flag.takesValue)
                value = 'true';
            else if (i + 1 < words.length)
                value = words[++i];
            else
                throw new Error(`${JSON.stringify(word)} needs a value`);
            out.push({ name, word, value, global: flag.global });
            continue;
        }
        // pflag's parseSingleShortArg, one shorthand at a time.
        let rest = word.slice(1);
        while (rest !== '') {
            const c = rest[0];
            const name = SHORT.get(c);
            if (name === undefined)
                throw new Error(`${JSON.stringify(word)}: nerdctl run has no flag -${c}: see nerdctl run --help`);
            const takesValue = RUN_FLAGS[name][1];
            let value;
            if (rest.length > 2 && rest[1] === '=') {
                value = rest.slice(2);
                rest = '';
            }
            else if (!takesValue) {
                value = 'true';
                rest = rest.slice(1);
            }
            else if (rest.length > 1) {
                value = rest.slice(1);
                rest = '';
            }
            else if (i + 1 < words.length) {
                value = words[++i];
                rest = '';
            }
            else
                throw new Error(`${JSON.stringify(word)}: -${c} needs a value`);
            out.push({ name, word, value, global: false });
        }
    }
    return out;
}

;// CONCATENATED MODULE: ./src/action/inputs/services.ts
// The services section: a YAML map from service key to a definition in the
// shape of GitHub's `jobs.<id>.services.<key>` (image, env, ports, volumes,
// options, command, entrypoint, credentials), plus our additions (health-*,
// wait, depends-on, memory, cpus, user, workdir, labels), read into the
// library's ServiceSpec. Everything is checked here, before anything runs:
// unknown keys, bad values, depends-on cycles, and `options` that would
// break the step's own bookkeeping.








const services_KEYS = [
    'image',
    'env',
    'ports',
    'volumes',
    'options',
    'command',
    'entrypoint',
    'credentials',
    'health-cmd',
    'health-interval',
    'health-timeout',
    'health-retries',
    'health-start-period',
    'wait',
    'depends-on',
    'memory',
    'cpus',
    'user',
    'workdir',
    'labels'
];
const WAIT_KEYS = ['health', 'clients', 'port', 'ports', 'http', 'log', 'exec', 'timeout'];
/**
 * `nerdctl run` flags that `options` may not hold, by long name (each is
 * refused however it is spelled: `-h`, `-hdb`, `--hostname=db`). The step
 * names each container, runs it detached on its own network with the key as
 * host name, finds what it made by its io.github.nerdctl-action.* labels, and
 * removes it itself; these would undo one of those, hang the step on a
 * terminal, or leave files the post step does not know about.
 */
const REFUSED_FLAGS = {
    name: 'the step names each container (NETWORK-KEY) so two jobs never collide',
    network: 'every service joins the step network, where the others reach it by its key',
    net: 'every service joins the step network, where the others reach it by its key',
    hostname: 'the host name is the service key, which is how the others reach it',
    rm: 'the post step removes the services; a container gone early loses its logs',
    detach: 'services always run detached',
    interactive: 'services get no standard input',
    tty: 'services get no terminal',
    attach: 'services run detached; read their logs instead',
    cidfile: 'the container ID is in the "services" output',
    pidfile: 'the step does not track files it did not write',
    'label-file': 'the step\'s io.github.nerdctl-action.* labels are how it finds what it made, and a file could set them: give labels with "labels"',
    help: 'it prints help instead of starting the service'
};
/** Labels the step sets itself and finds its containers by. */
const OWN_LABEL = /^\s*io\.github\.nerdctl-action\./i;
const isObj = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
function fail(where, message) {
    throw new reader/* InputError */.dz(constants/* Input */.pd.Services, `${where}: ${message}`);
}
/** A scalar as text: YAML gives numbers and booleans for `5432` and `true`. */
function scalar(v, where) {
    if (typeof v === 'string')
        return v;
    if (typeof v === 'number' || typeof v === 'boolean')
        return String(v);
    return fail(where, `expected a string or number, got ${Array.isArray(v) ? 'a list' : typeof v}`);
}
function list(v, where) {
    if (v === undefined || v === null)
        return [];
    if (!Array.isArray(v))
        return fail(where, 'expected a list');
    return v.map((x, i) => scalar(x, `${where}[${i}]`));
}
function pairs(v, where) {
    if (v === undefined || v === null)
        return [];
    if (!isObj(v))
        return fail(where, 'expected a map of NAME: value');
    return Object.entries(v).map(([k, x]) => [k, x === null ? '' : scalar(x, `${where}.${k}`)]);
}
function duration(v, where) {
    if (v === undefined || v === null || v === '')
        return undefined;
    const text = scalar(v, where);
    let ms;
    try {
        ms = (0,src_nerdctl.parseDuration)(text);
    }
    catch {
        return fail(where, `${JSON.stringify(text)} is not a duration: use a Go duration such as 30s, 1m30s or 500ms`);
    }
    const over = (0,reader/* durationOverMaximum */.f0)(ms);
    return over ? fail(where, `${JSON.stringify(text)} ${over}`) : ms;
}
function positiveInt(v, where) {
    if (v === undefined || v === null || v === '')
        return undefined;
    const n = Number(scalar(v, where));
    if (!Number.isInteger(n) || n < 1)
        return fail(where, `${JSON.stringify(v)} is not a whole number of at least 1`);
    return n;
}
/**
 * The `options` string split like a shell, then read as nerdctl's flag parser
 * reads it (see run-options.ts), refusing flags that break the step (see
 * REFUSED_FLAGS), global flags, and labels in the step's own namespace.
 */
function serviceOptions(text, where) {
    const words = (0,reader/* asInput */.lv)(constants/* Input */.pd.Services, () => shellWords(text));
    let flags;
    try {
        flags = parseRunOptions(words);
    }
    catch (e) {
        return fail(where, e instanceof Error ? e.message : String(e));
    }
    for (const f of flags) {
        const spelled = f.word === `--${f.name}` || f.word.startsWith(`--${f.name}=`) ? '' : ` (--${f.name})`;
        const flag = `${JSON.stringify(f.word)}${spelled}`;
        if (f.global)
            fail(where, `${flag} is a nerdctl global flag: it would change which containerd, namespace or state nerdctl uses for this one container; the step's nerdctl settings come from its inputs and environment`);
        const why = REFUSED_FLAGS[f.name];
        if (why)
            fail(where, `${flag} is not allowed: ${why}`);
        if (f.name === 'label' && OWN_LABEL.test(f.value))
            fail(where, `${flag}: label ${JSON.stringify(f.value)} is not allowed: io.github.nerdctl-action.* labels are how the step finds what it made`);
    }
    return words;
}
function readHttp(v, where) {
    // "8080/health" or "8080": port, then the path.
    if (typeof v === 'string' || typeof v === 'number') {
        const m = /^(\d{1,5})(\/\S*)?$/.exec(String(v));
        if (!m)
            return fail(where, `${JSON.stringify(v)} is not PORT[/PATH], e.g. "8080/health"`);
        return { port: Number(m[1]), path: m[2] ?? '/' };
    }
    if (!isObj(v))
        return fail(where, 'expected PORT[/PATH] or a map of port, path, status, body');
    for (const k of Object.keys(v))
        if (!['port', 'path', 'status', 'body'].includes(k))
            fail(where, `unknown key "${k}": use port, path, status and body`);
    const port = positiveInt(v.port, `${where}.port`);
    if (port === undefined)
        return fail(where, 'needs a port');
    const check = {
        port,
        path: v.path === undefined ? '/' : scalar(v.path, `${where}.path`)
    };
    const status = positiveInt(v.status, `${where}.status`);
    if (status !== undefined)
        check.status = status;
    if (v.body !== undefined)
        check.body = scalar(v.body, `${where}.body`);
    return check;
}
function readLog(v, where) {
    if (typeof v === 'string')
        return { pattern: v };
    if (!isObj(v))
        return fail(where, 'expected a regular expression or a map of pattern and times');
    for (const k of Object.keys(v))
        if (!['pattern', 'times'].includes(k))
            fail(where, `unknown key "${k}": use pattern and times`);
    return {
        pattern: scalar(v.pattern, `${where}.pattern`),
        times: positiveInt(v.times, `${where}.times`)
    };
}
function services_readWait(v, where) {
    if (v === undefined || v === null)
        return {};
    if (!isObj(v))
        return fail(where, `expected a map of ${WAIT_KEYS.join(', ')}`);
    for (const k of Object.keys(v))
        if (!WAIT_KEYS.includes(k))
            fail(where, `unknown key "${k}": use ${WAIT_KEYS.join(', ')}`);
    const spec = {};
    if (v.health !== undefined) {
        if (typeof v.health !== 'boolean')
            fail(`${where}.health`, 'expected true or false');
        spec.health = v.health;
    }
    if (v.clients !== undefined) {
        if (typeof v.clients !== 'boolean')
            fail(`${where}.clients`, 'expected true (ready for clients, the default) or false (the checks given alone)');
        spec.clients = v.clients;
    }
    const ports = [
        ...(v.port !== undefined ? [v.port] : []),
        ...(Array.isArray(v.ports) ? v.ports : v.ports !== undefined ? [v.ports] : [])
    ];
    if (ports.length > 0)
        spec.ports = ports.map((p, i) => positiveInt(p, `${where}.ports[${i}]`));
    if (v.http !== undefined)
        spec.http = readHttp(v.http, `${where}.http`);
    if (v.log !== undefined)
        spec.log = readLog(v.log, `${where}.log`);
    if (v.exec !== undefined)
        spec.exec = Array.isArray(v.exec)
            ? list(v.exec, `${where}.exec`)
            : scalar(v.exec, `${where}.exec`);
    const timeout = duration(v.timeout, `${where}.timeout`);
    if (timeout !== undefined)
        spec.timeoutMs = timeout;
    (0,reader/* asInput */.lv)(constants/* Input */.pd.Services, () => (0,src_nerdctl.validateReadiness)(spec, where));
    return spec;
}
function readHealth(def, where) {
    const cmd = def['health-cmd'];
    const options = [
        'health-interval',
        'health-timeout',
        'health-retries',
        'health-start-period'
    ];
    if (cmd === undefined || cmd === null || cmd === '') {
        for (const o of options)
            if (def[o] !== undefined)
                fail(`${where}.${o}`, 'is set but health-cmd is not: set health-cmd too');
        return undefined;
    }
    const hc = {
        cmd: scalar(cmd, `${where}.health-cmd`).replace(/\s+$/, ''),
        interval: duration(def['health-interval'], `${where}.health-interval`),
        timeout: duration(def['health-timeout'], `${where}.health-timeout`),
        retries: positiveInt(def['health-retries'], `${where}.health-retries`),
        startPeriod: duration(def['health-start-period'], `${where}.health-start-period`)
    };
    (0,reader/* asInput */.lv)(constants/* Input */.pd.Services, () => (0,src_nerdctl.validateHealthCheck)(hc));
    return hc;
}
function readCredentials(v, where) {
    if (v === undefined || v === null)
        return undefined;
    if (!isObj(v))
        return fail(where, 'expected a map of username and password');
    for (const k of Object.keys(v))
        if (!['username', 'password'].includes(k))
            fail(where, `unknown key "${k}": use username and password`);
    const username = v.username === undefined ? '' : scalar(v.username, `${where}.username`);
    // Masked already, as soon as the YAML was parsed (maskPasswords).
    const password = v.password === undefined ? '' : scalar(v.password, `${where}.password`);
    // An empty pair is what `${{ secrets.X }}` gives on a fork: no login, as GitHub does.
    if (!username && !password)
        return undefined;
    if (!username || !password)
        return fail(where, 'needs both username and password');
    return { username, password };
}
function readService(key, def) {
    const where = `service "${key}"`;
    (0,reader/* asInput */.lv)(constants/* Input */.pd.Services, () => (0,src_nerdctl.checkServiceKey)(key));
    if (!isObj(def))
        return fail(where, 'expected a map with at least "image"');
    for (const k of Object.keys(def))
        if (!services_KEYS.includes(k))
            fail(where, `unknown key "${k}" (known: ${services_KEYS.join(', ')})`);
    if (def.image === undefined || def.image === null || def.image === '')
        fail(where, 'needs an "image"');
    const image = scalar(def.image, `${where}.image`);
    const command = def.command;
    const entrypoint = def.entrypoint;
    const labels = pairs(def.labels, `${where}.labels`);
    for (const [k] of labels)
        if (k.startsWith('io.github.nerdctl-action.'))
            fail(`${where}.labels`, `"${k}" is not allowed: io.github.nerdctl-action.* labels are how the step finds what it made`);
    const container = {
        image,
        env: pairs(def.env, `${where}.env`),
        ports: list(def.ports, `${where}.ports`),
        volumes: list(def.volumes, `${where}.volumes`),
        labels,
        command: command === undefined || command === null
            ? undefined
            : Array.isArray(command)
                ? list(command, `${where}.command`)
                : (0,reader/* asInput */.lv)(constants/* Input */.pd.Services, () => shellWords(scalar(command, `${where}.command`))),
        entrypoint: entrypoint === undefined || entrypoint === null
            ? undefined
            : Array.isArray(entrypoint)
                ? list(entrypoint, `${where}.entrypoint`)
                : scalar(entrypoint, `${where}.entrypoint`),
        memoryLimit: def.memory === undefined ? undefined : scalar(def.memory, `${where}.memory`),
        cpuLimit: def.cpus === undefined ? undefined : scalar(def.cpus, `${where}.cpus`),
        user: def.user === undefined ? undefined : scalar(def.user, `${where}.user`),
        workdir: def.workdir === undefined ? undefined : scalar(def.workdir, `${where}.workdir`),
        healthCheck: readHealth(def, where),
        extraArgs: def.options === undefined || def.options === null
            ? []
            : serviceOptions(scalar(def.options, `${where}.options`), `${where}.options`)
    };
    (0,reader/* asInput */.lv)(constants/* Input */.pd.Services, () => {
        try {
            (0,src_nerdctl.validateSpec)({ ...container, name: `x-${key}`, hostname: key });
        }
        catch (e) {
            throw new Error(`${where}: ${e instanceof Error ? e.message : String(e)}`);
        }
    });
    const dependsOn = typeof def['depends-on'] === 'string'
        ? [def['depends-on']]
        : list(def['depends-on'], `${where}.depends-on`);
    return {
        spec: { container, readiness: services_readWait(def.wait, `${where}.wait`), dependsOn },
        credentials: readCredentials(def.credentials, `${where}.credentials`)
    };
}
/**
 * Masks every service's `credentials.password` as soon as the YAML is
 * parsed, before any service is checked: a mistake anywhere may fail the
 * step with a message, and a password must be a mask by then.
 */
function maskPasswords(doc) {
    if (!isObj(doc))
        return;
    for (const def of Object.values(doc)) {
        const credentials = isObj(def) ? def.credentials : undefined;
        const password = isObj(credentials) ? credentials.password : undefined;
        if (typeof password === 'string' || typeof password === 'number') {
            if (String(password))
                workflow/* setSecret */.Pq(String(password));
        }
    }
}
/** The services input, parsed and checked; an empty input is no services. */
function parseServices(text) {
    if (!text.trim())
        return {};
    let doc;
    try {
        doc = parseYaml(text);
    }
    catch (e) {
        // Where and what kind of mistake, never the text (see parseYaml).
        throw new reader/* InputError */.dz(constants/* Input */.pd.Services, e instanceof Error ? e.message : 'not valid YAML');
    }
    maskPasswords(doc);
    if (doc === null || doc === undefined)
        return {};
    if (!isObj(doc))
        return fail('top level', 'expected a map from service key to its definition, as under jobs.<id>.services');
    const services = {};
    for (const [key, def] of Object.entries(doc))
        services[key] = readService(key, def);
    (0,reader/* asInput */.lv)(constants/* Input */.pd.Services, () => (0,src_nerdctl.startWaves)(Object.fromEntries(Object.entries(services).map(([k, s]) => [k, s.spec]))));
    return services;
}
function readServices(r, paths) {
    const services = parseServices(r.raw(constants/* Input */.pd.Services));
    for (const s of Object.values(services))
        checkVolumes(paths, constants/* Input */.pd.Services, s.spec.container.volumes ?? []);
    return { services, reap: r.bool(constants/* Input */.pd.Reap, true) };
}

;// CONCATENATED MODULE: ./src/action/inputs/compose.ts
// The compose-* inputs: which Compose files, the project name (by default one
// unique to the job and step, so two jobs with one file never collide), the
// profiles, the services to bring up, the env file, whether to build, and
// whether the single container joins the project's network. Paths are
// checked against the host-path policy here; the files themselves are read
// by compose-go in the compose phase, before anything starts.



/** A project name unique to this job and step: lower case, as Compose wants it. */
function defaultProject() {
    const run = (process.env.GITHUB_RUN_ID ?? 'local').replace(/[^0-9a-z]/gi, '').toLowerCase();
    return `nerdctl-action-${run || 'local'}-${(0,src_nerdctl.randomHex)(4)}`;
}
function readCompose(r, paths, run) {
    const files = r.lines(constants/* Input */.pd.ComposeFile);
    if (files.length === 0) {
        r.refuseIfSet('is a Compose option, but "compose-file" is not set: set "compose-file"', [constants/* Input */.pd.ComposeProject, constants/* Input */.pd.ComposeProfiles, constants/* Input */.pd.ComposeServices, constants/* Input */.pd.ComposeEnvFile], [
            [constants/* Input */.pd.ComposeBuild, false],
            [constants/* Input */.pd.ComposeJoin, false]
        ]);
        return undefined;
    }
    const project = r.optional(constants/* Input */.pd.ComposeProject);
    if (project !== undefined)
        (0,reader/* asInput */.lv)(constants/* Input */.pd.ComposeProject, () => (0,src_nerdctl.checkComposeProject)(project));
    const profiles = r.csv(constants/* Input */.pd.ComposeProfiles);
    for (const p of profiles)
        (0,reader/* asInput */.lv)(constants/* Input */.pd.ComposeProfiles, () => (0,src_nerdctl.checkComposeProfile)(p));
    const services = r.csv(constants/* Input */.pd.ComposeServices);
    for (const s of services)
        (0,reader/* asInput */.lv)(constants/* Input */.pd.ComposeServices, () => (0,src_nerdctl.checkServiceKey)(s, 'services'));
    const envFile = r.optional(constants/* Input */.pd.ComposeEnvFile);
    const join = r.bool(constants/* Input */.pd.ComposeJoin, false);
    const name = project ?? defaultProject();
    if (join) {
        if (!run)
            throw new reader/* InputError */.dz(constants/* Input */.pd.ComposeJoin, 'is true, but the step starts no container: set "image" or "run" too, or remove compose-join');
        if (run.spec.network !== undefined)
            throw new reader/* InputError */.dz(constants/* Input */.pd.ComposeJoin, `is true, but "network" is set too (${run.spec.network}): a container joins the Compose network or the one named, not both`);
        // compose config names the default network <project>_default; the phase checks it did.
        run.spec.network = `${name}_default`;
    }
    return {
        files: files.map(f => paths.check(constants/* Input */.pd.ComposeFile, f, 'read')),
        project: name,
        profiles,
        services,
        envFile: envFile === undefined ? undefined : paths.check(constants/* Input */.pd.ComposeEnvFile, envFile, 'read'),
        build: r.bool(constants/* Input */.pd.ComposeBuild, false),
        join,
        checkBind: (source, readOnly) => paths.check(constants/* Input */.pd.ComposeFile, source, readOnly ? 'mount-ro' : 'mount')
    };
}

;// CONCATENATED MODULE: ./src/action/inputs/signing.ts
// The signing section: sign what the step pushes, and verify what it takes
// from a registry, with cosign. Read after the images section (signing needs
// a push). A key path is a host path like any other (workspace, RUNNER_TEMP,
// host-paths); `env://` and KMS URIs are handed to cosign as they are.



const MODES = ['none', 'cosign'];
function mode(r, name) {
    const v = r.text(name) || 'none';
    if (!MODES.includes(v))
        throw new reader/* InputError */.dz(name, `${(0,reader/* show */.WU)(v)} is not one of none, cosign`);
    return v === 'cosign';
}
/** A key reference: `env://VAR`, a KMS-style URI (`scheme://…`), or a host path (checked). */
function keyRef(r, name, paths) {
    const v = r.text(name);
    if (!v)
        return undefined;
    if (v.startsWith('-'))
        throw new reader/* InputError */.dz(name, `${(0,reader/* show */.WU)(v)} is not a key: give a path, env://VARIABLE or a KMS URI`);
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(v)) {
        if (v.startsWith('env://') && !/^env:\/\/[A-Za-z_][A-Za-z0-9_]*$/.test(v))
            throw new reader/* InputError */.dz(name, `${(0,reader/* show */.WU)(v)} is not env://VARIABLE (a variable name after env://)`);
        return v;
    }
    return paths.check(name, v, 'read');
}
function readSigning(r, images, paths) {
    // Masked before anything else is read: no later message may show it.
    const password = r.raw(constants/* Input */.pd.CosignPassword);
    if (password)
        workflow/* setSecret */.Pq(password);
    const sign = mode(r, constants/* Input */.pd.Sign);
    const verify = mode(r, constants/* Input */.pd.Verify);
    const tlog = r.bool(constants/* Input */.pd.CosignTlog, false);
    const cosign = r.text(constants/* Input */.pd.Cosign) || 'cosign';
    if (cosign.startsWith('-'))
        throw new reader/* InputError */.dz(constants/* Input */.pd.Cosign, `${(0,reader/* show */.WU)(cosign)} is not a program: give a name on PATH or a path`);
    let signPlan;
    if (sign) {
        if (!images.push && !images.merge)
            throw new reader/* InputError */.dz(constants/* Input */.pd.Sign, 'is cosign but the step pushes nothing: set push: true, or merge (signatures are stored in the registry, beside the image)');
        const key = r.text(constants/* Input */.pd.CosignKey);
        if (!key)
            throw new reader/* InputError */.dz(constants/* Input */.pd.CosignKey, 'is empty but sign is cosign: give the private key (a path, or env://VARIABLE with the key from a secret), ' +
                "or the word keyless to sign with the job's OIDC identity. An empty key is never taken as keyless: a secret is empty on a fork's pull request");
        if (key === 'keyless') {
            if (password)
                throw new reader/* InputError */.dz(constants/* Input */.pd.CosignPassword, 'is set but cosign-key is keyless: a keyless signature has no key password');
            signPlan = { signing: { keyless: true }, tlog: true };
        }
        else {
            signPlan = {
                signing: {
                    key: keyRef(r, constants/* Input */.pd.CosignKey, paths),
                    ...(password ? { password } : {})
                },
                tlog
            };
        }
    }
    else {
        r.refuseIfSet('means nothing without sign: cosign', [constants/* Input */.pd.CosignKey, constants/* Input */.pd.CosignPassword]);
    }
    let verifyPlan;
    const identityInputs = [
        constants/* Input */.pd.CosignCertificateIdentity,
        constants/* Input */.pd.CosignCertificateIdentityRegexp,
        constants/* Input */.pd.CosignCertificateOidcIssuer,
        constants/* Input */.pd.CosignCertificateOidcIssuerRegexp
    ];
    if (verify) {
        const publicKey = keyRef(r, constants/* Input */.pd.CosignPublicKey, paths);
        const identity = r.optional(constants/* Input */.pd.CosignCertificateIdentity);
        const identityRegexp = r.optional(constants/* Input */.pd.CosignCertificateIdentityRegexp);
        const issuer = r.optional(constants/* Input */.pd.CosignCertificateOidcIssuer);
        const issuerRegexp = r.optional(constants/* Input */.pd.CosignCertificateOidcIssuerRegexp);
        const keyless = [identity, identityRegexp, issuer, issuerRegexp].some(v => v !== undefined);
        if (publicKey && keyless)
            throw new reader/* InputError */.dz(constants/* Input */.pd.CosignPublicKey, 'is set, and so is a cosign-certificate-* input: verify with a public key, or with a keyless identity and issuer, not both');
        if (!publicKey && !keyless)
            throw new reader/* InputError */.dz(constants/* Input */.pd.Verify, 'is cosign but nothing says what a signature must prove: set cosign-public-key, or cosign-certificate-identity(-regexp) and cosign-certificate-oidc-issuer(-regexp) for keyless signatures');
        if (keyless && identity === undefined && identityRegexp === undefined)
            throw new reader/* InputError */.dz(constants/* Input */.pd.CosignCertificateIdentity, 'is empty: keyless verification needs cosign-certificate-identity or cosign-certificate-identity-regexp');
        if (keyless && issuer === undefined && issuerRegexp === undefined)
            throw new reader/* InputError */.dz(constants/* Input */.pd.CosignCertificateOidcIssuer, 'is empty: keyless verification needs cosign-certificate-oidc-issuer or cosign-certificate-oidc-issuer-regexp');
        for (const [name, value] of [
            [constants/* Input */.pd.CosignCertificateIdentityRegexp, identityRegexp],
            [constants/* Input */.pd.CosignCertificateOidcIssuerRegexp, issuerRegexp]
        ]) {
            if (value === undefined)
                continue;
            try {
                new RegExp(value);
            }
            catch {
                throw new reader/* InputError */.dz(name, `${(0,reader/* show */.WU)(value)} is not a regular expression`);
            }
        }
        verifyPlan = publicKey
            ? { publicKey, tlog }
            : {
                certificateIdentity: identity,
                certificateIdentityRegexp: identityRegexp,
                certificateOidcIssuer: issuer,
                certificateOidcIssuerRegexp: issuerRegexp,
                tlog: true
            };
    }
    else {
        r.refuseIfSet('means nothing without verify: cosign', [
            constants/* Input */.pd.CosignPublicKey,
            ...identityInputs
        ]);
    }
    if (!sign && !verify)
        r.refuseIfSet('means nothing without sign or verify: cosign', [], [[constants/* Input */.pd.CosignTlog, false]]);
    return { sign: signPlan, verify: verifyPlan, cosign };
}

;// CONCATENATED MODULE: ./src/action/inputs/plan.ts
/** Every login of the step: the single-registry inputs first, then `registries`. */
function loginsOf(plan) {
    return [...(plan.login ? [plan.login] : []), ...plan.registries];
}

;// CONCATENATED MODULE: ./src/action/inputs/index.ts
// getInputs: every input read and checked into one typed plan before any
// command runs, section by section in the order of action.yml. A section may
// depend on the ones before it (run on the tags, after-start on the run).

















/**
 * What reading the inputs needs loaded first: the YAML parser, when the
 * registries or services input is given (most steps give neither).
 */
async function prepareInputs(read = reader/* readFromEnvironment */.Ey) {
    if ([constants/* Input */.pd.Registries, constants/* Input */.pd.Services].some(name => read(name).trim() !== ''))
        await loadYaml();
}
function getInputs(read = reader/* readFromEnvironment */.Ey) {
    const r = new reader/* Reader */.mP(read);
    const nerdctl = readNerdctl(r);
    const paths = readHostPaths(r, nerdctl.sudo === true);
    nerdctl.hostRoots = paths.realRoots;
    const registry = readRegistry(r);
    const images = readImages(r, paths);
    const run = readRun(r, images, paths);
    const afterStart = readAfterStart(r, run, paths);
    const behaviour = readBehaviour(r);
    const services = readServices(r, paths);
    const signing = readSigning(r, images, paths);
    checkCopyContainers(afterStart.copy, run?.spec.name, Object.keys(services.services));
    const disk = readDisk(r);
    const compose = readCompose(r, paths, run);
    return { nerdctl, registry, images, run, afterStart, behaviour, services, disk, compose, signing };
}

// EXTERNAL MODULE: ./src/action/job-marker.ts
var job_marker = __webpack_require__(7568);
// EXTERNAL MODULE: ./src/action/logger.ts
var logger = __webpack_require__(8980);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
;// CONCATENATED MODULE: ./src/action/merge.ts
// Builds across runners, the action's side: the digests file a build pushed
// by digest leaves for the merge job, and the merge itself. `mergeStep` is the
// one place a merge's result is known (every tag pushed, and the index digest
// the registry serves), for whatever acts on the pushed index next (signing).




/**
 * Writes the digests file into RUNNER_TEMP, named after the platform (one
 * artifact per matrix leg); returns its path. Written beside and renamed, so
 * an upload never sees half a file.
 */
function writeDigestsFile(file, env = process.env) {
    const dir = env.RUNNER_TEMP || (0,external_node_os_.tmpdir)();
    const path = (0,external_node_path_.join)(dir, (0,src_nerdctl.digestsFileName)(file.platform));
    const partial = `${path}.${process.pid}.partial`;
    (0,external_node_fs_.writeFileSync)(partial, (0,src_nerdctl.formatDigestsFile)(file), { mode: 0o644 });
    (0,external_node_fs_.renameSync)(partial, path);
    return path;
}
/** Merges the plan's builds under every tag; undefined when the plan merges nothing. */
async function mergeStep(step) {
    const { merge, tags } = step.plan.images;
    if (!merge)
        return undefined;
    return (0,src_nerdctl.mergeDigests)(merge.sources, tags, { ...step.call, annotations: merge.annotations });
}

;// CONCATENATED MODULE: ./src/action/phases/context.ts
// What every phase is given, and the one signature all phases share: the
// plan, the report its outputs go to, how it calls nerdctl, the state the post
// step needs, and the facts earlier phases leave for later ones.

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
/**
 * Whether push and save take the image whole: several platforms, or
 * attestations (provenance, SBOM), which live in the index beside the
 * platforms and which a reduced single-platform push would leave out.
 */
function pushedWhole(plan) {
    const b = plan.images.build;
    const attests = (v) => v !== undefined && v !== false;
    return (multiPlatform(plan) ||
        (!!b && (attests(b.sbom) || attests(b.provenance) || b.attest.length > 0)));
}
/**
 * Runs a phase that leaves the container as it is (export, copy) with one
 * inspect alongside it. When no phase runs after it, the closing phase takes
 * that status instead of asking again at the end of the step: one nerdctl call
 * fewer on the step's critical path. A failed read is simply not kept.
 */
async function withStatusAlongside(step, id, name, fn) {
    const reading = (0,src_nerdctl.inspect)(id, step.call).catch(() => undefined);
    const result = await step.report.phase(name, fn);
    const status = await reading;
    if (status)
        step.lastStatus = { status, phases: step.report.phases.length };
    return result;
}

;// CONCATENATED MODULE: ./src/action/phases/build.ts
// Builds the image under every tag; its ID, buildx-style metadata and, when the
// step pushes nothing, its digest become outputs (a push sets the digest). BuildKit's plain progress streams into the log group as it
// comes. An output that is not an image (type=local, type=tar) leaves no ID;
// one BuildKit pushes itself (type=registry) has its digest as ID and digest.





const build = async (step) => {
    const { build: b, tags } = step.plan.images;
    if (!b)
        return;
    // Pushed by digest, the image has no tag: nerdctl would name the push after one.
    const [first = '', ...more] = step.plan.images.pushByDigest ? [] : tags;
    await step.report.phase('build', async () => {
        const result = await (0,src_nerdctl.imageBuild)(first, b.context, {
            ...streamed(step),
            file: b.file,
            tags: more,
            buildArgs: b.buildArgs,
            labels: b.labels,
            target: b.target,
            platforms: b.platforms,
            noCache: b.noCache,
            pull: b.pull,
            cacheFrom: b.cacheFrom,
            cacheTo: b.cacheTo,
            secrets: b.secrets,
            ssh: b.ssh,
            allow: b.allow,
            attest: b.attest,
            sbom: b.sbom,
            provenance: b.provenance,
            annotations: b.annotations,
            output: b.output,
            buildContexts: b.buildContexts,
            network: b.network,
            addHosts: b.addHosts,
            // Read below, alongside the phases that follow.
            readMetadata: false
        });
        // How much came from the cache, as BuildKit said it (`#N CACHED`).
        const cached = result.steps.filter(s => s.cached).length;
        step.report.buildMetadata({ cache: { steps: result.steps.length, cached } });
        if (result.steps.length > 0)
            step.report.note(`${cached}/${result.steps.length} steps cached`);
        if (!result.imageId) {
            step.report.note(`output ${b.output ?? ''}`);
            return;
        }
        step.report.set(constants/* Output */.k7.ImageId, result.imageId);
        if (step.plan.images.pushByDigest) {
            // BuildKit pushed it by digest: what it reports is what the registry holds.
            step.report.set(constants/* Output */.k7.Digest, result.imageId);
            const repository = (0,src_nerdctl.repositoryOf)(tags[0]);
            const path = writeDigestsFile({
                repository,
                digest: result.imageId,
                platform: b.platforms[0]
            });
            step.report.set(constants/* Output */.k7.DigestsFile, path);
            step.report.note(`${repository}@${result.imageId} pushed by digest (${path})`);
            return;
        }
        if (!(0,src_nerdctl.exporterOf)({ output: b.output }).storesImage) {
            // BuildKit pushed it itself (type=registry): what it reports is what the registry holds.
            step.report.set(constants/* Output */.k7.Digest, result.imageId);
            step.report.note(`${tags.join(', ')} pushed by BuildKit (${result.imageId.slice(0, 19)})`);
            return;
        }
        step.report.note(`${tags.join(', ')} (${result.imageId.slice(0, 19)})`);
        // The image's descriptor (buildx's metadata; its digest is what `nerdctl
        // images` lists) is read alongside the phases that follow, which do not
        // need it: one nerdctl call off the step's critical path.
        step.background.push((0,src_nerdctl.buildMetadata)(tags, { ...step.call, stream: false }).then(metadata => {
            if (!metadata)
                return;
            step.report.buildMetadata(metadata);
            // Without a push, the digest is the image's own in the store (its
            // manifest, or its index with several platforms or attestations).
            // With one, it is the push's to set: a push of one platform can
            // rewrite an index, and a failed push leaves no digest at all.
            const digest = metadata['containerimage.digest'];
            if (digest && !step.plan.images.push)
                step.report.set(constants/* Output */.k7.Digest, digest);
        }, (e) => workflow/* warning */.$e(`could not read the digest and metadata of ${first}: ${(0,src_nerdctl.errorMessage)(e)}`)));
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
        const imageId = await (0,src_nerdctl.imageCommit)(id, image, step.call);
        step.report.note(`${image} (${imageId.slice(0, 19)})`);
    });
};

;// CONCATENATED MODULE: ./src/action/signing.ts
// The step's side of signing and verification: finds cosign once, signs what
// the step pushed (every tag, by the digest pushed), and verifies what the
// step takes from a registry, handing back `repo@digest` references to use in
// place of the tags. Other phases (a merge of per-runner digests, Compose
// images) reuse `signPushed` and `pinVerified` so there is one way to do each.



const signedBy = new WeakMap();
const pinnedBy = new WeakMap();
const cosignBy = new WeakMap();
/** The cosign binary of the step, looked up once (and named in the log) when first needed. */
function stepCosign(step) {
    const known = cosignBy.get(step);
    if (known)
        return known;
    let path;
    try {
        path = (0,src_nerdctl.cosignProgram)(step.plan.signing.cosign);
    }
    catch (e) {
        throw new Error(`${e instanceof Error ? e.message : String(e)} (input "${constants/* Input */.pd.Cosign}")`, {
            cause: e
        });
    }
    workflow/* info */.pq(`cosign: ${path}`);
    cosignBy.set(step, path);
    return path;
}
/**
 * Checks, before anything is pushed, what signing will need: cosign itself,
 * and for keyless signing in GitHub Actions the job's OIDC token, which the
 * runner offers only with `permissions: id-token: write`.
 */
function signingPreflight(step, env = process.env) {
    const { sign, verify } = step.plan.signing;
    if (!sign && !verify)
        return;
    stepCosign(step);
    if (sign &&
        'keyless' in sign.signing &&
        !env.ACTIONS_ID_TOKEN_REQUEST_URL &&
        !env.SIGSTORE_ID_TOKEN)
        throw new Error(`Input "${constants/* Input */.pd.CosignKey}" is keyless, but the job has no OIDC token to sign with ` +
            '(ACTIONS_ID_TOKEN_REQUEST_URL is not set): add `permissions: id-token: write` to the job ' +
            '(or the workflow), or sign with a key (cosign-key: a path or env://VARIABLE). Nothing was pushed.');
}
/**
 * Signs what a push left in the registry: each reference by `digest` (one
 * signature per repository: tags of one repository share it), and adds one
 * entry per reference to the `signatures` output. Does nothing without
 * `sign: cosign`.
 */
async function signPushed(step, pushed) {
    const spec = step.plan.signing.sign;
    if (!spec)
        return [];
    const cosign = stepCosign(step);
    const keyless = 'keyless' in spec.signing;
    const signing = keyless && process.env.ACTIONS_ID_TOKEN_REQUEST_URL
        ? { keyless: true, oidcProvider: 'github-actions' }
        : spec.signing;
    const done = new Map();
    const out = [];
    for (const ref of pushed.refs) {
        const repo = (0,src_nerdctl.repositoryOf)(ref);
        let signed = done.get(repo);
        if (!signed) {
            signed = await (0,src_nerdctl.imageSign)(ref, {
                ...step.call,
                cosign,
                signing,
                tlog: spec.tlog,
                digest: pushed.digest
            });
            done.set(repo, signed);
            workflow/* info */.pq(`signed ${repo}@${pushed.digest} (signature ${signed.signature})`);
        }
        out.push({ ref, digest: pushed.digest, signature: signed.signature });
    }
    const all = [...(signedBy.get(step) ?? []), ...out];
    signedBy.set(step, all);
    step.report.set(constants/* Output */.k7.Signatures, JSON.stringify(all));
    return out;
}
/**
 * Verifies each reference (once per distinct reference) and returns the
 * `repo@digest` to use for each, in order. Without `verify: cosign` the
 * references come back as they are. The first image that fails stops the
 * step: the error names it and says why.
 */
async function pinVerified(step, refs) {
    const spec = step.plan.signing.verify;
    if (!spec)
        return [...refs];
    const cosign = stepCosign(step);
    const pinned = pinnedBy.get(step) ?? new Map();
    pinnedBy.set(step, pinned);
    for (const ref of refs) {
        if (pinned.has(ref))
            continue;
        const verified = await (0,src_nerdctl.imageVerify)(ref, { ...step.call, cosign, ...spec });
        pinned.set(ref, verified.pinned);
        workflow/* info */.pq(`verified ${ref}: ${verified.pinned}`);
    }
    return refs.map(r => pinned.get(r) ?? r);
}
/** The reference to use for `ref`: its verified digest when verification pinned it, else itself. */
function pinnedImage(step, ref) {
    return pinnedBy.get(step)?.get(ref) ?? ref;
}
/** The images a step takes from a registry before its services: the pull list and the run image unless built here. */
function registryImages(step) {
    const { registry, images, run } = step.plan;
    const built = images.build ? new Set(images.tags) : new Set();
    const refs = [...registry.pull];
    if (run && !built.has(run.spec.image))
        refs.push(run.spec.image);
    return [...new Set(refs)];
}

;// CONCATENATED MODULE: ./src/action/volumes.ts
// The named volumes a step's containers mount: the step creates each one that
// does not exist yet itself, with its owner label and job marker, because
// nerdctl would create it at `run` without labels and it would outlive the
// job. A volume that exists already (another job's, one made by hand) is used
// as it is and never relabelled or removed.



/** The distinct named volumes of `volumes` entries (no host path, no anonymous volume). */
function namedVolumes(entries) {
    return [...new Set(entries.map(src_nerdctl.namedVolumeOf).filter((n) => n !== undefined))];
}
/**
 * Creates the missing ones, labelled; returns those this step owns. Two jobs
 * creating one name at once both succeed (nerdctl keeps the first one's
 * labels), so only the one whose token is on the volume afterwards owns it.
 * With cleanup false nothing is made here: what the step uses is kept anyway.
 */
async function prepareVolumes(entries, step) {
    const names = namedVolumes(entries);
    if (names.length === 0 || !step.plan.behaviour.cleanup)
        return [];
    const { state, call } = step;
    // The client's owner label is the step's token.
    const token = call.client?.options.labels?.find(([k]) => k === constants/* OWNER_LABEL */.pk)?.[1];
    if (token === undefined)
        return [];
    const owned = [];
    for (const name of names) {
        if (await (0,src_nerdctl.volumeInspect)(name, call)) {
            workflow/* info */.pq(`volume ${name} exists already: used as it is, and kept`);
            continue;
        }
        // Saved before it exists: the post step then looks for the step's volumes after any crash.
        state.recordVolume(name);
        await (0,src_nerdctl.volumeCreate)(name, call);
        const made = await (0,src_nerdctl.volumeInspect)(name, call);
        if (made?.labels[constants/* OWNER_LABEL */.pk] === token) {
            owned.push(name);
            workflow/* info */.pq(`created volume ${name}`);
        }
        else
            workflow/* info */.pq(`volume ${name} was created by someone else meanwhile: used as it is, and kept`);
    }
    return owned;
}

;// CONCATENATED MODULE: ./src/action/phases/services.ts
// Starts the services input's environment: removes what killed jobs left
// behind (reap), logs in for images that need credentials, creates the step's
// network, starts the services in depends-on order and waits until each is
// ready, then sets the `services` output and a summary row per service. The
// post step removes the containers (by the step's label) and the network.






/** The step network's name: unique per step, so two jobs on one runner never collide. */
function networkName() {
    return `nerdctl-action-${process.env.GITHUB_RUN_ID ?? 'local'}-svc-${(0,src_nerdctl.randomHex)(3)}`;
}
/**
 * Removes the containers (services, the single container, a script's),
 * networks and named volumes of this action whose job marker names a process that is certainly
 * gone, with their anonymous volumes. Only what carries both of the action's
 * labels is looked at; a marker that cannot be judged is left alone.
 */
async function reapLeftovers(call) {
    const removed = [];
    const view = (0,job_marker/* systemProcView */.vh)();
    const filters = [`label=${constants/* JOB_LABEL */.pM}`];
    // The three listings at once (reap runs beside the step's own start);
    // removal stays in order: a volume is free only once its container is gone.
    const [containers, networks, volumes] = await Promise.all([
        (0,src_nerdctl.list)(true, { ...call, filters }),
        (0,src_nerdctl.networkList)({ ...call, filters }),
        (0,src_nerdctl.volumeList)({ ...call, filters })
    ]);
    /** Removes one leftover whose job is certainly gone; `gone` says a failure means it already went. */
    const reap = async (kind, name, labels, rm, gone = () => false) => {
        const marker = labels?.[constants/* JOB_LABEL */.pM];
        if (!marker || !labels[constants/* OWNER_LABEL */.pk] || (0,job_marker/* markerAlive */.cj)(marker, view))
            return;
        try {
            await rm();
            removed.push(`${kind} ${name}`);
            workflow/* info */.pq(`reap: removed ${kind} ${name} (its job ${marker} no longer runs)`);
        }
        catch (e) {
            if (!gone(e))
                workflow/* warning */.$e(`reap: could not remove ${kind} ${name}: ${(0,src_nerdctl.errorMessage)(e)}`);
        }
    };
    for (const c of containers) {
        // Its labels as inspect reads them now; a container gone since is skipped.
        const status = await (0,src_nerdctl.inspect)(c.id, call).catch(() => undefined);
        if (!status)
            continue;
        await reap('container', status.name, status.labels, () => (0,src_nerdctl.remove)(c.id, { ...call, force: true, volumes: true }), src_nerdctl.isNoSuchContainer);
    }
    for (const n of networks)
        await reap('network', n.name, n.labels, () => (0,src_nerdctl.networkRemove)(n.name, call), src_nerdctl.isNoSuchNetwork);
    for (const v of volumes)
        await reap('volume', v.name, v.labels, () => (0,src_nerdctl.volumeRemove)(v.name, call));
    return removed;
}
/** Logs in to each registry a service's credentials are for; returns those to log out of. */
async function logins(step, defs) {
    const done = new Set();
    for (const [key, def] of Object.entries(defs)) {
        if (!def.credentials)
            continue;
        const registry = (0,src_nerdctl.registryOf)(def.spec.container.image);
        if (done.has(registry))
            continue;
        // The step's own login (the registry input) stays; a second one would replace it, and the logout end it.
        const own = step.plan.registry.login;
        if (own && (own.registry || 'docker.io') === registry) {
            workflow/* info */.pq(`${key}: using the step's login to ${registry}`);
            continue;
        }
        // Into the step's own Docker config (main gives the step one whenever a
        // service has credentials), never the runner user's, which every job shares.
        await (0,src_nerdctl.login)({
            ...step.call,
            registry: registry === 'docker.io' ? undefined : registry,
            ...def.credentials
        });
        workflow/* info */.pq(`${key}: logged in to ${registry} as ${def.credentials.username}`);
        done.add(registry);
    }
    return [...done];
}
/** One service of the `services` output, in the shape of `job.services.<key>`. */
function outputOf(s) {
    return {
        id: s.id,
        name: s.name,
        ip: s.ip,
        network: s.network,
        ports: s.ports,
        health: s.health,
        'ready-ms': s.readyMs
    };
}
const services = async (step) => {
    const defs = step.plan.services.services;
    const keys = Object.keys(defs);
    if (keys.length === 0)
        return;
    await step.report.phase('services', async () => {
        // Leftovers of killed jobs are looked for alongside this step's own start:
        // they carry other (dead) job markers, never this step's network or
        // containers, so nothing here waits for the look.
        const reaping = step.plan.services.reap
            ? reapLeftovers(step.call).catch((e) => {
                workflow/* warning */.$e(`reap: could not look for leftovers: ${(0,src_nerdctl.errorMessage)(e)}`);
                return [];
            })
            : Promise.resolve([]);
        try {
            await startAll(step, defs, keys);
        }
        finally {
            const removed = await reaping;
            if (removed.length > 0)
                step.report.note(`reaped ${removed.length} leftover(s) of killed jobs`);
        }
    });
};
/** The step's network and every service on it, ready; outputs and summary rows as they go. */
async function startAll(step, defs, keys) {
    const network = networkName();
    // Saved before it exists: the post step removes it after any crash.
    step.state.saveNetworks([network]);
    await prepareVolumes(keys.flatMap(k => defs[k].spec.container.volumes ?? []), step);
    const registries = await logins(step, defs);
    const ready = {};
    const rows = new Map(keys.map(k => [
        k,
        { key: k, ok: false, detail: 'not started', readyMs: undefined }
    ]));
    try {
        // With verify: cosign, every service image is verified (after the logins
        // it may need) before any service starts, and runs as the digest verified.
        const specs = keys.map(k => defs[k].spec);
        const images = await pinVerified(step, specs.map(s => s.container.image));
        await (0,src_nerdctl.startServices)({
            network,
            services: Object.fromEntries(keys.map((k, i) => {
                const spec = specs[i];
                return [k, { ...spec, container: { ...spec.container, image: images[i] } }];
            }))
        }, {
            ...step.call,
            // The post step removes everything, after the logs phase has shown them.
            keepOnFailure: true,
            onStarted: (key, container) => {
                if (container.containerId)
                    step.services.set(key, container.containerId);
                workflow/* info */.pq(`${key}: started ${container.name} (${container.containerId?.slice(0, 12)})`);
                const row = rows.get(key);
                if (row)
                    row.detail = 'started, not ready';
            },
            onReady: s => {
                ready[s.key] = s;
                workflow/* info */.pq(`${s.key}: ready after ${s.readyMs} ms at ${s.ip}${Object.keys(s.ports).length ? `, ports ${JSON.stringify(s.ports)}` : ''}`);
                rows.set(s.key, {
                    key: s.key,
                    ok: true,
                    detail: `${s.name} at ${s.ip}`,
                    readyMs: s.readyMs
                });
            }
        });
    }
    catch (e) {
        const message = (0,src_nerdctl.errorMessage)(e);
        const failedKey = /^service ([^:\s]+):/.exec(message)?.[1];
        const row = failedKey ? rows.get(failedKey) : undefined;
        if (row)
            row.detail = message.split('\n')[0] ?? '';
        step.report.section(`service ${failedKey ?? ''} failed`.replace('  ', ' '), message);
        throw e;
    }
    finally {
        step.report.services.push(...rows.values());
        step.report.set(constants/* Output */.k7.Services, JSON.stringify(Object.fromEntries(Object.entries(ready).map(([k, s]) => [k, outputOf(s)]))));
        // Not under the job's signal: when the job was cancelled that one is
        // aborted already, and the credentials must still go.
        const ownLimit = { ...step.call, signal: AbortSignal.timeout(constants/* LOGOUT_TIMEOUT_MS */.oD) };
        for (const registry of registries)
            await (0,src_nerdctl.logout)(registry === 'docker.io' ? undefined : registry, ownLimit).catch((e) => workflow/* warning */.$e(`logout from ${registry} failed: ${(0,src_nerdctl.errorMessage)(e)}`));
    }
    step.report.note(`${keys.length} service(s) on ${network}`);
}

;// CONCATENATED MODULE: ./src/action/phases/compose.ts
// Brings the compose-file environment up: compose-go's merged model (through
// `nerdctl compose config`), checked before anything exists; bind mounts
// checked against the host-path policy; the project's networks and volumes
// saved for the post step before they exist; then the library's Compose
// environment: each service started through the library's run path with the
// step's labels and job marker, in depends_on condition order, each ready for
// clients by the same code as the services input. Sets the `compose`,
// `compose-project` and `compose-network` outputs and a summary row per
// service. The post step removes what carries the step's label.






/** The input a library refusal is about, by the field the library named. */
const compose_INPUT_OF_FIELD = {
    composeFile: constants/* Input */.pd.ComposeFile,
    build: constants/* Input */.pd.ComposeBuild,
    services: constants/* Input */.pd.ComposeServices,
    project: constants/* Input */.pd.ComposeProject,
    profiles: constants/* Input */.pd.ComposeProfiles
};
/** A refusal of the file or of an input, named as the input; anything else as it is. */
function asInputError(e) {
    if (e instanceof src_nerdctl.NerdctlError && e.field && compose_INPUT_OF_FIELD[e.field])
        return new reader/* InputError */.dz(compose_INPUT_OF_FIELD[e.field], e.message);
    return e;
}
/** One service of the `compose` output: the services output's shape, plus exit-code for one-shots. */
function compose_outputOf(s) {
    return {
        id: s.id,
        name: s.name,
        ip: s.ip,
        network: s.network,
        ports: s.ports,
        health: s.health,
        'ready-ms': s.readyMs,
        ...(s.exitCode === undefined ? {} : { 'exit-code': s.exitCode })
    };
}
const compose = async (step) => {
    const c = step.plan.compose;
    if (!c)
        return;
    await step.report.phase('compose', async () => {
        // The services phase reaps when it runs; otherwise this one does, alongside its own start.
        const reaping = step.plan.services.reap && Object.keys(step.plan.services.services).length === 0
            ? reapLeftovers(step.call).catch((e) => {
                workflow/* warning */.$e(`reap: could not look for leftovers: ${(0,src_nerdctl.errorMessage)(e)}`);
                return [];
            })
            : Promise.resolve([]);
        try {
            await up(step, c);
        }
        finally {
            const removed = await reaping;
            if (removed.length > 0)
                step.report.note(`reaped ${removed.length} leftover(s) of killed jobs`);
        }
    });
};
async function up(step, c) {
    step.report.set(constants/* Output */.k7.ComposeProject, c.project);
    let plan;
    try {
        plan = await src_nerdctl.Compose.plan(c.files, {
            ...step.call,
            project: c.project,
            profiles: c.profiles,
            envFile: c.envFile,
            services: c.services,
            build: c.build
        });
        for (const b of plan.binds)
            c.checkBind(b.source, b.readOnly);
        if (c.join && plan.network !== `${c.project}_default`)
            throw new reader/* InputError */.dz(constants/* Input */.pd.ComposeJoin, `the Compose file names its default network "${plan.network}": compose-join needs the project's own (${c.project}_default); remove networks.default.name`);
    }
    catch (e) {
        throw asInputError(e);
    }
    // verify: cosign: every image taken from a registry is verified and runs as
    // the repo@digest verified, before anything of the project exists.
    if (step.plan.signing.verify)
        plan = await pinnedPlan(step, plan);
    // Saved before they exist: the post step removes them after any crash.
    step.state.saveNetworks([plan.network, ...(plan.spec.networks ?? []).map(n => n.name)]);
    for (const v of plan.spec.volumes ?? [])
        step.state.recordVolume(v.name);
    step.report.set(constants/* Output */.k7.ComposeNetwork, plan.network);
    const ready = {};
    const rows = new Map(plan.keys.map(k => [
        k,
        {
            key: `${k} (compose)`,
            ok: false,
            detail: 'not started',
            readyMs: undefined
        }
    ]));
    try {
        await src_nerdctl.Compose.start(plan, {
            ...step.call,
            // The post step removes everything, after the logs phase has shown them.
            keepOnFailure: true,
            onStarted: (key, container) => {
                workflow/* info */.pq(`${key}: started ${container.name} (${container.containerId?.slice(0, 12)})`);
                const row = rows.get(key);
                if (row)
                    row.detail = 'started, not ready';
            },
            onReady: s => {
                ready[s.key] = s;
                workflow/* info */.pq(s.exitCode === undefined
                    ? `${s.key}: ready after ${s.readyMs} ms at ${s.ip}${Object.keys(s.ports).length ? `, ports ${JSON.stringify(s.ports)}` : ''}`
                    : `${s.key}: completed (exit code ${s.exitCode}) after ${s.readyMs} ms`);
                const row = rows.get(s.key);
                if (row) {
                    row.ok = true;
                    row.detail = s.exitCode === undefined ? `${s.name} at ${s.ip}` : `${s.name} exited 0`;
                    row.readyMs = s.readyMs;
                }
            }
        });
    }
    catch (e) {
        const message = (0,src_nerdctl.errorMessage)(e);
        const failedKey = /^service ([^:\s]+):/.exec(message)?.[1];
        const row = failedKey ? rows.get(failedKey) : undefined;
        if (row)
            row.detail = message.split('\n')[0] ?? '';
        step.report.section(`compose service ${failedKey ?? ''} failed`.replace('  ', ' '), message);
        throw asInputError(e);
    }
    finally {
        step.report.services.push(...rows.values());
        step.report.set(constants/* Output */.k7.Compose, JSON.stringify(Object.fromEntries(Object.entries(ready).map(([k, s]) => [k, compose_outputOf(s)]))));
    }
    step.report.note(`${plan.keys.length} Compose service(s) of project ${plan.project}`);
}
/** The plan with each image not built here replaced by the digest verification pinned it to. */
async function pinnedPlan(step, plan) {
    const built = new Set(plan.builds.map(b => b.key));
    const refs = [
        ...new Set(Object.entries(plan.images)
            .filter(([key]) => !built.has(key))
            .map(([, image]) => image))
    ];
    const verified = await pinVerified(step, refs);
    const pinned = new Map(refs.map((r, i) => [r, verified[i] ?? r]));
    const images = Object.fromEntries(Object.entries(plan.images).map(([key, image]) => [
        key,
        built.has(key) ? image : (pinned.get(image) ?? image)
    ]));
    const services = Object.fromEntries(Object.entries(plan.spec.services).map(([key, svc]) => [
        key,
        built.has(key)
            ? svc
            : { ...svc, container: { ...svc.container, image: images[key] ?? svc.container.image } }
    ]));
    return { ...plan, images, spec: { ...plan.spec, services } };
}

;// CONCATENATED MODULE: ./src/action/phases/copy.ts
// Copies files between the runner and one of the step's own containers:
// ":/path" (or the container's name) is the step's container, "KEY:/path" a
// service of the step. Every container side is sent to nerdctl by the ID the
// step got when it made that container, never by a name, which another job's
// container could carry.



const copy = async (step) => {
    const lines = step.plan.afterStart.copy;
    if (lines.length === 0)
        return;
    const { id } = startedContainer(step);
    const runName = step.plan.run?.spec.name;
    const side = (p) => {
        const name = copyContainerOf(p);
        if (name === undefined)
            return p;
        const own = name === '' || name === runName ? id : step.services.get(name);
        // The plan only lets through the step's names; a service that never started has no ID.
        if (!own)
            throw new Error(`copy ${p}: service ${name} has no container of this step`);
        return `${own}${p.slice(name.length)}`;
    };
    await withStatusAlongside(step, id, 'copy', async () => {
        for (const c of lines) {
            await (0,src_nerdctl.copy)(side(c.from), side(c.to), step.call);
            step.report.note(`${c.from} -> ${c.to}`);
        }
    });
};

// EXTERNAL MODULE: ./src/action/disk-budget.ts
var disk_budget = __webpack_require__(423);
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
            // The command echoed is text too: its words (a `##[…]` anywhere in a
            // line is a command to the runner) must not act on the runner.
            workflow/* output */.CG(`$ ${cmd}`);
            const r = await container.exec(cmd, { allowFailure: true });
            // The command's output is the container's text, never commands to the runner.
            if (r.truncated)
                workflow/* info */.pq(`(output cut: only its last ${src_nerdctl.EXEC_OUTPUT_BYTES} bytes were kept)`);
            if (r.stdout.trim())
                workflow/* output */.CG(r.stdout.trimEnd());
            if (r.stderr.trim())
                workflow/* output */.CG(r.stderr.trimEnd());
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
    await withStatusAlongside(step, id, 'export', async () => {
        await (0,src_nerdctl.exportContainer)(id, path, step.call);
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
    step.statsSample = (0,src_nerdctl.stats)(id, step.call);
    // Awaited by finalState; until then a failure must not count as unhandled.
    step.statsSample.catch(() => undefined);
};
async function currentStatus(step, id) {
    const last = step.lastStatus;
    if (last && last.phases === step.report.phases.length && last.status.id === id)
        return last.status;
    return (0,src_nerdctl.inspect)(id, step.call);
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
        workflow/* warning */.$e(`could not read the final state of ${id}: ${(0,src_nerdctl.errorMessage)(e)}`);
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
        workflow/* warning */.$e(`could not read the resource use of ${id}: ${(0,src_nerdctl.errorMessage)(e)}`);
    }
};

;// CONCATENATED MODULE: ./src/action/phases/login.ts
// Logs in to every registry of the step (the single-registry inputs first,
// then `registries`) before any pull or push; the post step logs out.


/**
 * With `logout: false` the logins are meant to stay for later steps, in the
 * runner user's Docker config. When the step has a config of its own (a
 * service's credentials or a script may log in too, and those must not land
 * in the shared one), the step's calls read that one, so each login goes to
 * both; otherwise the client already logs in to the runner user's config.
 */
function keptLoginClient(step) {
    const client = step.call.client;
    if (step.plan.registry.logout || !client.options.env?.DOCKER_CONFIG)
        return undefined;
    const env = { ...client.options.env };
    delete env.DOCKER_CONFIG;
    return client.with({ env });
}
const login = async (step) => {
    const logins = loginsOf(step.plan.registry);
    if (logins.length === 0)
        return;
    const kept = keptLoginClient(step);
    await step.report.phase('login', async () => {
        const done = [];
        for (const { registry, username, password } of logins) {
            const options = { ...step.call, registry: registry || undefined, username, password };
            await (0,src_nerdctl.login)(options);
            if (kept)
                await (0,src_nerdctl.login)({ ...options, client: kept });
            const said = `logged in to ${registry || 'docker.io'} as ${username}`;
            step.call.client.logger.info(said);
            step.report.note(said);
            done.push(registry || 'docker.io');
            // Saved after each, so a later failed login still leaves these to log out of.
            if (step.plan.registry.logout)
                step.state.saveLogouts(done);
        }
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
            const r = await (0,src_nerdctl.logs)(id, { ...step.call, tail: 500, maxBytes: 1024 * 1024 });
            const text = [r.stdout.trimEnd(), r.stderr.trimEnd()].filter(Boolean).join('\n');
            // The container's own lines: shown, never obeyed as workflow commands.
            if (text)
                workflow/* output */.CG(text);
            else
                workflow/* info */.pq('(no output)');
        }
        catch (e) {
            workflow/* warning */.$e(`could not read the logs of ${container.name}: ${(0,src_nerdctl.errorMessage)(e)}`);
        }
    });
};

;// CONCATENATED MODULE: ./src/action/phases/merge.ts
// Merges builds pushed by digest on several runners into one index under
// every tag; the digest output is the index's, as the registry serves it.



const merge = async (step) => {
    if (!step.plan.images.merge)
        return;
    await step.report.phase('merge', async () => {
        const merged = await mergeStep(step);
        if (!merged)
            return;
        step.report.set(constants/* Output */.k7.Digest, merged.digest);
        // The index, by the digest the registry serves, under every tag: what a
        // verifier of any tag checks (sign: cosign; a no-op otherwise).
        await signPushed(step, { refs: merged.references, digest: merged.digest });
        const platforms = merged.index.manifests
            .map(m => (m.platform ? `${m.platform.os}/${m.platform.architecture}` : ''))
            .filter(p => p && p !== 'unknown/unknown');
        step.report.note(`${merged.references.join(', ')} (${merged.digest.slice(0, 19)}): ${platforms.join(', ')}, ${merged.index.manifests.length} manifests`);
    });
};

;// CONCATENATED MODULE: ./src/action/phases/pull.ts
// Pulls the listed images, each in its own log group and summary row.



const pull = async (step) => {
    for (const image of step.plan.registry.pull) {
        await step.report.phase(`pull ${image}`, async () => {
            // The digest verified (verify: cosign), never the tag again.
            const ref = pinnedImage(step, image);
            await (0,src_nerdctl.imagePull)(ref, streamed(step));
            step.report.note(ref);
        });
    }
};

;// CONCATENATED MODULE: ./src/action/phases/push.ts
// Pushes every tag, in order; the first tag's digest is the digest output:
// what the registry serves for that tag, as nerdctl reported pushing it. An
// image built for several platforms is pushed whole (every platform, and its
// index is the digest), not reduced to the runner's platform; so is one with
// attestations, which sit in its index beside the image.




const push = async (step) => {
    const { push, tags } = step.plan.images;
    if (!push)
        return;
    await step.report.phase('push', async () => {
        for (const tag of tags) {
            const pushed = await (0,src_nerdctl.imagePush)(tag, undefined, {
                ...streamed(step),
                allPlatforms: pushedWhole(step.plan)
            });
            // The first tag names the image the step built.
            if (tag === tags[0]) {
                if (pushed.digest)
                    step.report.set(constants/* Output */.k7.Digest, pushed.digest);
                else
                    workflow/* warning */.$e(`nerdctl printed no digest for ${tag}: the digest output is not set`);
            }
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
    const [local] = await (0,src_nerdctl.images)({ ...step.call, reference: image }).catch(() => []);
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
    const planned = step.plan.run?.spec;
    if (!planned)
        return;
    // With verify: cosign, the digest that verified (repo@digest), so a tag moved since cannot run.
    const spec = { ...planned, image: pinnedImage(step, planned.image) };
    step.report.set(constants/* Output */.k7.ContainerName, spec.name);
    // A foreground run's output streams to the log live; only its tail is kept.
    const container = src_nerdctl.Container.fromSpec(spec, spec.detach === false ? streamed(step) : step.call);
    await step.report.phase('run', async () => {
        await reportImageId(step, spec.image);
        await prepareVolumes(spec.volumes ?? [], step);
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
        await (0,src_nerdctl.imageSave)(tags, path, { ...step.call, allPlatforms: pushedWhole(step.plan) });
        step.report.set(constants/* Output */.k7.SavePath, path);
        step.report.note(path);
    });
};

;// CONCATENATED MODULE: ./src/action/phases/signing.ts
// Two phases around the registry: `verify` (after the logins, before any
// pull, build or container) checks cosign and verifies every image the step
// takes from a registry, pinning each to the digest verified; `sign` (right
// after the push) signs every pushed tag by the digest the push reported.


const verify = async (step) => {
    const { sign, verify: spec } = step.plan.signing;
    if (!sign && !spec)
        return;
    // cosign missing, or keyless without the job's token: fail before any push.
    signingPreflight(step);
    const refs = spec ? registryImages(step) : [];
    if (refs.length === 0)
        return;
    await step.report.phase('verify', async () => {
        const pinned = await pinVerified(step, refs);
        step.report.note(pinned.join(', '));
    });
};
const sign = async (step) => {
    // A merge signs its index itself (phases/merge.ts).
    if (!step.plan.signing.sign || !step.plan.images.push || step.plan.images.merge)
        return;
    await step.report.phase('sign', async () => {
        const digest = step.report.outputs[constants/* Output */.k7.Digest];
        if (typeof digest !== 'string' || !digest)
            throw new Error('the push reported no digest, so there is nothing to sign by: nothing was signed');
        const signed = await signPushed(step, { refs: step.plan.images.tags, digest });
        step.report.note(`${signed.length} tag(s) signed by ${digest.slice(0, 19)}`);
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
// Waits until the container is ready for clients (its published ports accept,
// then its health check passes), or, with wait-for-clients false, until its
// health check passes; fails when it turns unhealthy, stops, or time is up.



const wait = async (step) => {
    const { wait, waitForClients, waitTimeoutMs } = step.plan.afterStart;
    if (!wait)
        return;
    const { container } = startedContainer(step);
    await step.report.phase('wait', async () => {
        const status = await container.waitForHealthy({
            waitTimeoutMs,
            clients: waitForClients,
            onStatus: s => workflow/* info */.pq(`${s.name}: ${s.status}`)
        });
        step.report.set(constants/* Output */.k7.Health, status.healthStatus);
        // Counted with this phase, which is recorded by now: current until another phase runs.
        step.lastStatus = { status, phases: step.report.phases.length };
        const seconds = Math.round((Date.now() - Date.parse(status.started)) / 100) / 10;
        step.report.note(`${waitForClients ? 'ready for clients' : 'healthy'} after ${seconds}s`);
    });
};

;// CONCATENATED MODULE: ./src/action/phases/index.ts
// The phases of the main step, in the order they run. Each one looks in the
// plan for work of its own and does nothing without it; the first that fails
// stops the rest, and the closing phases run after, whatever happened.



















/**
 * The user's script, loaded only when the plan has one: the script runner and
 * the @actions/core API it hands the script stay out of every other step's
 * start-up (ncc puts this dynamic import in a chunk of its own).
 */
const script = async (step) => {
    if (!step.plan.behaviour.script)
        return;
    const { script: runUserScript } = await Promise.all(/* import() */[__webpack_require__.e(324), __webpack_require__.e(414)]).then(__webpack_require__.bind(__webpack_require__, 5414));
    await runUserScript(step);
};
const PHASES = [
    // First: the step's own work gets the space a prune frees.
    disk_budget/* diskBudget */.F0,
    login,
    verify,
    pull,
    tags,
    build,
    push,
    merge,
    sign,
    save,
    services,
    compose,
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

;// CONCATENATED MODULE: ./src/action/report.ts
// What the step did, as it happens: each output is set the moment it is known
// (so a later failure keeps the earlier outputs), each phase's result and time
// is kept for the job summary and the `metadata` output.


class Report {
    phases = [];
    services = [];
    /** Longer texts for the summary (a failed service's logs), after the tables. */
    sections = [];
    outputs = {};
    /** Registry calls tried again after a transient failure, in all phases. */
    retries = 0;
    current;
    build = {};
    /** Sections of `metadata` a phase adds under a key of its own (`disk`). */
    extras = {};
    /** One more retry of a registry call, in the running phase. */
    countRetry() {
        this.retries++;
        if (this.current)
            this.current.retries = (this.current.retries ?? 0) + 1;
    }
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
    section(title, text) {
        this.sections.push({ title, text });
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
    /**
     * The build's fields under the names of buildx's `--metadata-file`
     * (`containerimage.digest`, …), merged into the `metadata` output at its
     * top level so steps written for build-push-action read them unchanged.
     */
    buildMetadata(fields) {
        this.build = { ...this.build, ...fields };
    }
    /** A key of `metadata` of a phase's own (the disk budget's figures). */
    extra(key, value) {
        this.extras[key] = value;
    }
    /** The `metadata` output: every output known, the build's buildx fields, and the phases. */
    metadata() {
        const known = {};
        for (const [k, v] of Object.entries(this.outputs)) {
            if (k === constants/* Output */.k7.Metadata)
                continue;
            known[k] =
                (k === constants/* Output */.k7.Stats || k === constants/* Output */.k7.Services) && v
                    ? JSON.parse(v)
                    : k === constants/* Output */.k7.Tags && v
                        ? v.split('\n')
                        : v;
        }
        return JSON.stringify({
            ...this.build,
            ...known,
            ...this.extras,
            retries: this.retries,
            phases: this.phases
        });
    }
}

;// CONCATENATED MODULE: ./src/action/rootless.ts
// Rootless runners: the runner's user is not root and has its own containerd
// in rootlesskit (nerdctl's containerd-rootless.sh, or the administrator's
// own). Told apart once per step, before anything is created, from what
// nerdctl itself reads (the user, ROOTLESSKIT_STATE_DIR or XDG_RUNTIME_DIR's
// containerd-rootless/child_pid): a few stat calls, no nerdctl call. Then
// what cannot work rootless on this host is refused naming its input, and the
// client is told it is rootless (readiness then goes through published ports).





/** The input a problem of the run container is about. */
function runInputOf(spec, problem) {
    if (problem.topic === 'ports')
        return constants/* Input */.pd.Ports;
    if (spec.memoryLimit)
        return constants/* Input */.pd.Memory;
    if (spec.cpuLimit)
        return constants/* Input */.pd.Cpus;
    if (spec.memorySwapLimit)
        return constants/* Input */.pd.MemorySwap;
    return constants/* Input */.pd.CpuShares;
}
/** Refuses what a rootless nerdctl cannot do on this host, naming the input. */
function checkRootlessPlan(plan, stateDir, facts) {
    if (plan.nerdctl.sudo)
        throw new reader/* InputError */.dz(constants/* Input */.pd.Sudo, `is true, but this runner's containerd is rootless (${stateDir}): nerdctl must run as the runner's user, ` +
            'and through sudo it would run as root against a root containerd this runner does not have. Remove "sudo: true".');
    const stats = plan.afterStart.stats ? (0,src_nerdctl.rootlessStatsProblem)(facts) : undefined;
    if (stats)
        throw new reader/* InputError */.dz(constants/* Input */.pd.Stats, `is true, but ${stats}`);
    const run = plan.run?.spec;
    const ofRun = (c) => {
        const name = copyContainerOf(c.containerSide === 'from' ? c.from : c.to);
        return name === '' || name === run?.name;
    };
    if (run?.detach === false && plan.afterStart.copy.some(ofRun))
        throw new reader/* InputError */.dz(constants/* Input */.pd.Copy, 'copies to or from the step\'s container, which has stopped by then ("detach: false"), and nerdctl runs ' +
            `rootless here (${stateDir}): rootless nerdctl cannot use cp with a stopped container. Keep the container ` +
            'running (detach: true with a command that stays up), or copy in a later step while it runs.');
    if (run) {
        const [first] = (0,src_nerdctl.rootlessProblems)(run, undefined, facts);
        if (first)
            throw new reader/* InputError */.dz(runInputOf(run, first), first.message);
    }
    for (const [key, def] of Object.entries(plan.services.services)) {
        const [first] = (0,src_nerdctl.rootlessProblems)({ ...def.spec.container, name: key }, def.spec.readiness, facts);
        if (first)
            throw new reader/* InputError */.dz(constants/* Input */.pd.Services, `service "${key}": ${first.message}`);
    }
}
/**
 * The plan for this runner: unchanged when nerdctl runs as root or through
 * sudo on a runner without a rootless containerd; rootless otherwise, after
 * the checks. `stateDir` finds the rootless containerd (tests replace it).
 */
function rootlessPlan(plan, stateDir = src_nerdctl.rootlessStateDir) {
    const dir = stateDir();
    if (dir === undefined)
        return plan;
    const nerdctl = { ...plan.nerdctl, rootless: true };
    checkRootlessPlan(plan, dir, (0,src_nerdctl.rootlessHostFacts)(new src_nerdctl.Nerdctl(nerdctl)));
    workflow/* info */.pq(`nerdctl: rootless (rootlesskit state ${dir})`);
    return { ...plan, nerdctl };
}

;// CONCATENATED MODULE: ./src/action/docker-config.ts
// The step's own Docker config directory: where its logins go while `logout`
// is true, so a logout in one job never removes a login another job on the
// same runner still uses, and the runner user's config is left as it was. It
// starts as a copy of the runner user's config.json, so credentials made
// before the step (an earlier login step, a login by hand) keep working in
// the same push as the step's own. It lives in the step's scratch directory,
// which the post step removes; the file holding credentials is 0600.




/** Where nerdctl and BuildKit's client read credentials when DOCKER_CONFIG is not set for them. */
function userDockerConfig(env = process.env) {
    return env.DOCKER_CONFIG || (0,external_node_path_.join)((0,external_node_os_.homedir)(), '.docker');
}
/**
 * Makes `scratch/docker-config`, seeded from the runner user's config; returns
 * its path. `ownLogins` are the registries the step logs in to ('' is Docker
 * Hub): a seed that sends credentials to a helper (`credsStore`,
 * `credHelpers`) would send the step's logins, and its logouts, to the store
 * every job of the runner user shares; an empty helper for each of them keeps
 * them in the step's own file, while other registries still read the helper.
 */
function stepDockerConfig(scratch, env = process.env, ownLogins = []) {
    const dir = (0,external_node_path_.join)(scratch, 'docker-config');
    (0,external_node_fs_.mkdirSync)(dir, { mode: 0o700 });
    const from = (0,external_node_path_.join)(userDockerConfig(env), 'config.json');
    let seed = '{}';
    try {
        const text = (0,external_node_fs_.readFileSync)(from, 'utf8');
        JSON.parse(text);
        seed = text;
    }
    catch (e) {
        // No config of the user's is the common case: nothing to carry over.
        if (e.code !== 'ENOENT')
            workflow/* warning */.$e(`the runner user's ${from} was not carried into the step's logins: ${String(e)}`);
    }
    (0,external_node_fs_.writeFileSync)((0,external_node_path_.join)(dir, 'config.json'), withOwnLogins(seed, ownLogins), { mode: 0o600 });
    return dir;
}
/** The names nerdctl looks a registry's helper up by, for login, use and logout alike. */
function helperKeys(registry) {
    const hosts = registry === '' ? ['docker.io', 'index.docker.io', 'registry-1.docker.io'] : [registry];
    const keys = hosts.flatMap(h => [h, `https://${h}`, `http://${h}`]);
    return registry === '' ? ['https://index.docker.io/v1/', ...keys] : keys;
}
function withOwnLogins(seed, ownLogins) {
    const config = JSON.parse(seed);
    const helpers = config.credHelpers;
    const usesHelpers = (typeof config.credsStore === 'string' && config.credsStore !== '') ||
        (typeof helpers === 'object' && helpers !== null && Object.keys(helpers).length > 0);
    if (!usesHelpers || ownLogins.length === 0)
        return seed;
    const pinned = typeof helpers === 'object' && helpers !== null ? { ...helpers } : {};
    // An empty helper name means the config file itself (docker/cli's rule, which nerdctl and BuildKit follow).
    for (const registry of ownLogins)
        for (const key of helperKeys(registry))
            pinned[key] = '';
    return JSON.stringify({ ...config, credHelpers: pinned });
}

// EXTERNAL MODULE: ./src/action/state.ts
var action_state = __webpack_require__(3175);
// EXTERNAL MODULE: ./src/action/scratch.ts
var action_scratch = __webpack_require__(132);
;// CONCATENATED MODULE: ./src/action/summary.ts
// The job summary: one table of what each phase did and how long it took,
// then the image and container facts. Built from the report only, so it
// cannot show anything (a password) that the report does not hold. Written
// as the HTML tables the runner renders, in one append.



function seconds(ms) {
    return `${(ms / 1000).toFixed(1)} s`;
}
function retried(n) {
    return `retried ${n} time${n === 1 ? '' : 's'}`;
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
        p.retries ? `${p.detail}${p.detail ? '; ' : ''}${retried(p.retries)}` : p.detail,
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
        ['exported filesystem', o[constants/* Output */.k7.ExportPath]],
        ['registry retries', report.retries > 0 ? String(report.retries) : undefined]
    ];
    const known = facts.filter((f) => !!f[1]);
    let text = `<h3>nerdctl-action</h3>${external_node_os_.EOL}`;
    text += table(['phase', 'result', 'details', 'time'], phases);
    if (known.length > 0)
        text += table(['what', 'value'], known);
    if (report.services.length > 0) {
        text += `<h4>services</h4>${external_node_os_.EOL}`;
        text += table(['service', 'result', 'details', 'ready after'], report.services.map(r => [
            r.key,
            r.ok ? '✅ ready' : '❌ failed',
            r.detail,
            r.readyMs === undefined ? '' : `${r.readyMs} ms`
        ]));
    }
    for (const { title, text: body } of report.sections)
        text += `<h4>${html(title)}</h4>${external_node_os_.EOL}<pre><code>${html(body)}</code></pre>${external_node_os_.EOL}`;
    await (0,workflow/* appendSummary */.fe)(text);
}

;// CONCATENATED MODULE: ./src/action/versions.ts
// The action's side of the version check (the table and the reading are the
// library's: src/nerdctl/pure/versions.ts, ops/versions.ts): which
// version-dependent features a plan uses, where readings are kept, and the
// check before anything runs.
//
// No nerdctl call is added to every step: a step that uses no such feature
// reads the versions once per nerdctl binary (kept in RUNNER_TOOL_CACHE) and
// then checks the kept reading, and when a call fails in a way an old nerdctl
// explains (an unknown flag), the versions are read then and the step fails
// with what is too old instead of nerdctl's words alone.


/**
 * Where readings are kept: RUNNER_TOOL_CACHE outlives the job on a
 * self-hosted runner (RUNNER_TEMP is emptied after every job), belongs to the
 * runner's user, and is where the toolkit keeps facts about installed tools.
 * A reading is keyed by the nerdctl binary's path, size, mtime and inode, so
 * a new binary is read again. Without it (the CLI's local step), nothing is kept.
 */
function versionCacheDir(env = process.env) {
    return env.RUNNER_TOOL_CACHE ? (0,external_node_path_.join)(env.RUNNER_TOOL_CACHE, 'nerdctl-action') : undefined;
}
/** The version-dependent features a plan uses (rows of the library's FEATURES table). */
function planFeatures(plan) {
    const features = [];
    if (plan.images.build)
        features.push('build');
    const health = plan.run?.spec.healthCheck !== undefined ||
        Object.values(plan.services.services).some(d => d.spec.container.healthCheck !== undefined);
    if (health)
        features.push('health-check');
    if (plan.signing.sign || plan.signing.verify)
        features.push('sign');
    if (plan.compose)
        features.push('compose');
    return features;
}
/**
 * Before anything runs: a plan with version-dependent features needs the
 * versions (kept, or read with one call); any other checks the minimums
 * against the kept reading (read once per binary when a cache exists). Throws
 * the library's message, naming each feature and tool.
 */
async function checkVersions(plan, call) {
    const features = planFeatures(plan);
    const options = { client: call.client, signal: call.signal, cacheDir: versionCacheDir() };
    if (features.length > 0)
        await (0,src_nerdctl.requireFeatures)(call.client, features, options);
    else
        await (0,src_nerdctl.checkMinimumVersions)(options);
}
/** A step's failure, or the versions' message when old tools explain it (with the original below). */
async function explainStepFailure(e, plan, client) {
    const why = await (0,src_nerdctl.explainFailure)(e, planFeatures(plan), { client, cacheDir: versionCacheDir() });
    return why ? new Error(`${why.message}\n(what failed: ${(0,src_nerdctl.errorMessage)(e)})`) : e;
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
    // Saved real, directly under the real RUNNER_TEMP: what the post step checks.
    const scratch = (0,external_node_fs_.mkdtempSync)((0,external_node_path_.join)((0,external_node_fs_.realpathSync)((0,action_scratch/* scratchParent */.d)()), 'nerdctl-action-'));
    process.env.TMPDIR = scratch;
    return scratch;
}
/**
 * The nerdctl binary as an absolute path, looked up once here, shown in the
 * log and saved for the post step: a later change of PATH (an earlier
 * step's GITHUB_PATH, or one between main and post) cannot swap the program
 * that runs, and under sudo the sudoers rule is matched against this path.
 */
function resolveNerdctl(options, environment) {
    const find = environment.findProgram ?? (environment.runner ? undefined : src_nerdctl.findProgram);
    const name = options.binary ?? 'nerdctl';
    if (!find)
        return options;
    const path = find(name);
    if (!path)
        throw new reader/* InputError */.dz(constants/* Input */.pd.Nerdctl, `${JSON.stringify(name)} was not found${name.includes('/') ? '' : ' on PATH'} or is not executable: install nerdctl, or give its full path, e.g. /usr/local/bin/nerdctl`);
    workflow/* info */.pq(`nerdctl: ${path}`);
    return { ...options, binary: path };
}
/** Saved before anything is created, so the post step can clean up after any crash. */
function prepareCleanup(state, plan) {
    const token = (0,src_nerdctl.randomHex)(8);
    // The post step finds this step's containers by this label even if main dies before saving an ID.
    state.saveToken(token);
    state.saveNerdctl(plan.nerdctl);
    state.saveCleanup(plan.behaviour.cleanup);
    const scratch = scratchDirectory();
    state.saveScratch(scratch);
    return { token, scratch };
}
/**
 * Whether the step may log in other than through the registry inputs: a
 * service's `credentials`, or a script (which has the library's `login`).
 */
function otherLogins(plan) {
    return (!!plan.behaviour.script ||
        Object.values(plan.services.services).some(d => d.credentials !== undefined));
}
/** The registries the step itself logs in to ('' is Docker Hub), for `stepDockerConfig`. */
function ownLoginRegistries(plan) {
    const services = Object.values(plan.services.services)
        .filter(d => d.credentials !== undefined)
        .map(d => (0,src_nerdctl.registryOf)(d.spec.container.image))
        .map(r => (r === 'docker.io' ? '' : r));
    return [...loginsOf(plan.registry).map(l => l.registry), ...services];
}
/**
 * The environment of the step's nerdctl calls: a DOCKER_CONFIG of the step's
 * own whenever the step logs in (or a script may), so that no login of the
 * step lands in the runner user's config, which every job on the runner
 * shares, and no other job's logout touches the step's. Only `logout: false`
 * puts the registry inputs' logins in the runner user's config as well, on
 * purpose, for later steps; with nothing else to log in, they go there alone.
 */
function credentialsEnv(state, plan, scratch) {
    const registryLogins = loginsOf(plan.registry).length > 0;
    if (!otherLogins(plan) && !(registryLogins && plan.registry.logout))
        return undefined;
    const dir = stepDockerConfig(scratch, process.env, ownLoginRegistries(plan));
    state.saveDockerConfig(dir);
    return { DOCKER_CONFIG: dir };
}
async function writeReport(step) {
    step.report.set(constants/* Output */.k7.Metadata, step.report.metadata());
    if (step.plan.behaviour.summary)
        await writeSummary(step.report).catch((e) => workflow/* warning */.$e(`job summary not written: ${String(e)}`));
}
async function main(read = reader/* readFromEnvironment */.Ey, environment = {}) {
    const state = new action_state/* StepState */.u();
    state.markPost();
    let plan;
    try {
        await prepareInputs(read);
        plan = getInputs(read);
    }
    catch (e) {
        workflow/* setFailed */.C1((0,src_nerdctl.errorMessage)(e));
        return;
    }
    finally {
        // Read now, and masked; nerdctl (and a login's sudo) must not inherit them.
        (0,reader/* forgetSecretInputs */.vx)(constants/* SECRET_INPUTS */.pH);
    }
    try {
        plan = { ...plan, nerdctl: resolveNerdctl(plan.nerdctl, environment) };
        plan = rootlessPlan(plan, environment.rootlessStateDir);
    }
    catch (e) {
        workflow/* setFailed */.C1((0,src_nerdctl.errorMessage)(e));
        return;
    }
    const { token, scratch } = prepareCleanup(state, plan);
    // With cleanup false what the step makes is kept on purpose: no job marker,
    // so no later step reaps it.
    const marker = plan.behaviour.cleanup ? (0,job_marker/* jobMarker */.qB)() : undefined;
    let env;
    try {
        env = credentialsEnv(state, plan, scratch);
    }
    catch (e) {
        workflow/* setFailed */.C1(`could not make the step's Docker config: ${(0,src_nerdctl.errorMessage)(e)}`);
        return;
    }
    const abort = cancellation();
    const report = new Report();
    // Every container and network made through this client (the run phase's,
    // the services', a script's) carries the step's label, which is how the post
    // step finds them, and the job marker, which is how a later job reaps them
    // when this one is killed before its post step.
    const client = new src_nerdctl.Nerdctl({
        ...plan.nerdctl,
        labels: [[constants/* OWNER_LABEL */.pk, token], ...(marker ? [[constants/* JOB_LABEL */.pM, marker]] : [])],
        ...(env ? { env } : {}),
        // Output files land only where the inputs were allowed to point (and
        // the library's own files in the scratch directory); each temporary
        // name is recorded for the post step before it is made.
        hostRoots: [...(plan.nerdctl.hostRoots ?? []), scratch],
        onOutputPartial: path => state.recordPartial(path),
        logger: logger/* coreLogger */.W,
        runner: environment.runner
    });
    if (plan.behaviour.script && plan.behaviour.cleanup)
        state.markVolumesPossible();
    const step = {
        plan,
        report,
        call: {
            client,
            signal: abort.signal,
            retry: { ...plan.registry.retry, onRetry: () => report.countRetry() }
        },
        state,
        container: undefined,
        services: new Map(),
        failed: false,
        background: []
    };
    let failure;
    try {
        // Before any phase: tools too old for the plan fail it by name.
        await checkVersions(plan, step.call);
        for (const phase of PHASES)
            await phase(step);
    }
    catch (e) {
        failure = await explainStepFailure(e, plan, client);
        step.failed = true;
    }
    // Each handles its own failure; none is left running past the step.
    await Promise.all(step.background);
    for (const phase of CLOSING_PHASES)
        await phase(step);
    await writeReport(step);
    abort.dispose();
    // A script's containers, or one whose run failed before its ID was known,
    // are found by label; otherwise the saved IDs are all of them.
    // Services are found by the step's label, not saved IDs: with them, the post step lists.
    if (!step.failed &&
        !plan.behaviour.script &&
        Object.keys(plan.services.services).length === 0 &&
        !plan.compose)
        state.saveComplete();
    if (step.failed)
        workflow/* setFailed */.C1((0,src_nerdctl.errorMessage)(failure));
}


/***/ })

};

//# sourceMappingURL=643.index.js.map