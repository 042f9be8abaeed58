export const id = 351;
export const ids = [351];
export const modules = {

/***/ 423:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   F0: () => (/* binding */ diskBudget),
/* harmony export */   Nr: () => (/* binding */ postDiskBudget)
/* harmony export */ });
/* unused harmony exports containerdRoot, diskFigures, diskReport */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _workflow_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(5809);
/* harmony import */ var _nerdctl_index_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(7126);
/* harmony import */ var _constants_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(915);
/* harmony import */ var _job_marker_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(7568);
// The disk budget of persistent runners: before the step's work (a phase,
// first of all) and again in the post step, one statfs of the filesystem
// holding containerd's store; only when it is over the budget, the store is
// accounted for and pruned, under a machine-wide lock, by the library's
// `prune` with this action's rules: the keep label, and containers, networks
// and volumes only of this action whose job is certainly gone (the job
// marker, as reap judges it). The figures go to the log, the job summary and
// the `metadata` output; still over budget, the step warns and goes on.





/** Where containerd's config says its root is, when the runner did not say. */
const CONTAINERD_CONFIG = '/etc/containerd/config.toml';
const CONTAINERD_DEFAULT_ROOT = '/var/lib/containerd';
/**
 * containerd's root (the store the budget is about): the runner's
 * NERDCTL_ACTION_CONTAINERD_ROOT, else the top-level `root` of
 * /etc/containerd/config.toml, else containerd's default, /var/lib/containerd.
 */
function containerdRoot(env = process.env, readConfig = () => {
    try {
        return (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readFileSync)(CONTAINERD_CONFIG, 'utf8');
    }
    catch {
        return undefined;
    }
}) {
    const fromEnv = env[_constants_js__WEBPACK_IMPORTED_MODULE_3__/* .CONTAINERD_ROOT_ENV */ .fx]?.trim();
    if (fromEnv)
        return fromEnv;
    const config = readConfig();
    if (config) {
        // Only the top level: every [section] may have a `root` of its own.
        const top = config.split(/^\s*\[/m)[0] ?? '';
        const m = /^\s*root\s*=\s*(?:"([^"]+)"|'([^']+)')/m.exec(top);
        const root = m?.[1] ?? m?.[2];
        if (root)
            return root;
    }
    return CONTAINERD_DEFAULT_ROOT;
}
/** One statfs; undefined (with a warning) when the root cannot be measured. */
function measure(root) {
    try {
        return (0,_nerdctl_index_js__WEBPACK_IMPORTED_MODULE_2__.storeFilesystem)(root);
    }
    catch (e) {
        _workflow_js__WEBPACK_IMPORTED_MODULE_1__/* .warning */ .$e(`disk-budget: cannot measure the filesystem of containerd's root ${root} (${(0,_nerdctl_index_js__WEBPACK_IMPORTED_MODULE_2__.errorMessage)(e)}); no prune. Set ${_constants_js__WEBPACK_IMPORTED_MODULE_3__/* .CONTAINERD_ROOT_ENV */ .fx} in the runner's environment to containerd's root.`);
        return undefined;
    }
}
function budgetText(plan, fs) {
    const b = plan.budget;
    if (!b)
        return '';
    const limit = (0,_nerdctl_index_js__WEBPACK_IMPORTED_MODULE_2__.formatBytes)((0,_nerdctl_index_js__WEBPACK_IMPORTED_MODULE_2__.budgetBytes)(fs, b));
    return 'percent' in b ? `${b.percent}% (${limit})` : limit;
}
function totalText(t) {
    return t ? `${t.count} (${(0,_nerdctl_index_js__WEBPACK_IMPORTED_MODULE_2__.formatBytes)(t.bytes)})` : 'not counted';
}
function itemText(i) {
    return `${i.kind} ${i.name}${i.sizeBytes > 0 ? ` (${(0,_nerdctl_index_js__WEBPACK_IMPORTED_MODULE_2__.formatBytes)(i.sizeBytes)})` : ''}`;
}
/** Cache records go in one line per prune: a build leaves hundreds. */
function removedLines(removed) {
    const cache = removed.filter(i => i.kind === 'build-cache');
    const lines = removed.filter(i => i.kind !== 'build-cache').map(itemText);
    if (cache.length > 0)
        lines.unshift(`build cache: ${cache.length} record(s) (${(0,_nerdctl_index_js__WEBPACK_IMPORTED_MODULE_2__.formatBytes)(cache.reduce((n, i) => n + i.sizeBytes, 0))})`);
    return lines;
}
/** The figures of a prune, for `metadata` (sizes in bytes). */
function diskFigures(plan, r) {
    const usage = (u) => ({
        'filesystem-used': u.filesystem?.usedBytes,
        'filesystem-size': u.filesystem?.sizeBytes,
        images: u.images,
        containers: u.containers,
        volumes: u.volumes,
        'build-cache': u.buildCache ?? null
    });
    return {
        budget: r.before.filesystem && plan.budget ? (0,_nerdctl_index_js__WEBPACK_IMPORTED_MODULE_2__.budgetBytes)(r.before.filesystem, plan.budget) : null,
        'dry-run': r.dryRun,
        'within-budget': r.withinBudget,
        before: usage(r.before),
        after: usage(r.after),
        removed: r.removed.map(i => ({ kind: i.kind, name: i.name, bytes: i.sizeBytes })),
        failed: r.failed.map(f => ({ kind: f.item.kind, name: f.item.name, reason: f.reason }))
    };
}
/** The summary's text of a prune: use before and after, and what went. */
function diskReport(plan, r) {
    const fs = r.before.filesystem;
    const rows = [
        [
            'filesystem used',
            fs ? (0,_nerdctl_index_js__WEBPACK_IMPORTED_MODULE_2__.formatBytes)(fs.usedBytes) : '?',
            r.after.filesystem ? (0,_nerdctl_index_js__WEBPACK_IMPORTED_MODULE_2__.formatBytes)(r.after.filesystem.usedBytes) : '?'
        ],
        ['images', totalText(r.before.images), totalText(r.after.images)],
        ['containers', totalText(r.before.containers), totalText(r.after.containers)],
        ['volumes', totalText(r.before.volumes), totalText(r.after.volumes)],
        ['build cache', totalText(r.before.buildCache), totalText(r.after.buildCache)]
    ];
    const width = Math.max(...rows.map(x => x[1].length), 'before'.length);
    const lines = [
        `budget ${fs ? budgetText(plan, fs) : '?'} of ${fs ? (0,_nerdctl_index_js__WEBPACK_IMPORTED_MODULE_2__.formatBytes)(fs.sizeBytes) : '?'} on ${fs?.path ?? '?'}${r.dryRun ? ' (dry run: nothing removed)' : ''}`,
        '',
        `${''.padEnd(16)}${'before'.padEnd(width + 2)}${r.dryRun ? 'after (estimated)' : 'after'}`,
        ...rows.map(([k, b, a]) => `${k.padEnd(16)}${b.padEnd(width + 2)}${a}`),
        '',
        r.removed.length === 0
            ? 'nothing could be removed'
            : r.dryRun
                ? 'would remove, in this order:'
                : 'removed, in this order:',
        ...removedLines(r.removed).map(l => `  ${l}`),
        ...(r.failed.length > 0
            ? ['not removed:', ...r.failed.map(f => `  ${itemText(f.item)}: ${f.reason}`)]
            : [])
    ];
    return lines.join('\n');
}
/**
 * Whether the maker of what carries these labels is certainly gone: this
 * action's (both labels) and its job marker names a process /proc shows gone.
 */
function creatorGone(labels) {
    const marker = labels[_constants_js__WEBPACK_IMPORTED_MODULE_3__/* .JOB_LABEL */ .pM];
    if (!marker || !labels[_constants_js__WEBPACK_IMPORTED_MODULE_3__/* .OWNER_LABEL */ .pk])
        return false;
    return !(0,_job_marker_js__WEBPACK_IMPORTED_MODULE_4__/* .markerAlive */ .cj)(marker, (0,_job_marker_js__WEBPACK_IMPORTED_MODULE_4__/* .systemProcView */ .vh)());
}
/**
 * Prunes under the machine-wide lock, when usage (measured again once the
 * lock is held: another step's prune may have done the work) is still over
 * the budget. Undefined when nothing ran.
 */
async function pruneToBudget(plan, root, nerdctl, call) {
    const budget = plan.budget;
    if (!budget)
        return undefined;
    const lock = await (0,_nerdctl_index_js__WEBPACK_IMPORTED_MODULE_2__.machineLock)(_constants_js__WEBPACK_IMPORTED_MODULE_3__/* .PRUNE_LOCK_DIR */ .Li, _constants_js__WEBPACK_IMPORTED_MODULE_3__/* .PRUNE_LOCK_WAIT_MS */ .el, why => _workflow_js__WEBPACK_IMPORTED_MODULE_1__/* .warning */ .$e(`disk-budget: cannot take the prune lock: ${why}`));
    if (!lock) {
        _workflow_js__WEBPACK_IMPORTED_MODULE_1__/* .warning */ .$e(`disk-budget: another prune holds ${_constants_js__WEBPACK_IMPORTED_MODULE_3__/* .PRUNE_LOCK_DIR */ .Li} after ${_constants_js__WEBPACK_IMPORTED_MODULE_3__/* .PRUNE_LOCK_WAIT_MS */ .el / 1000} s; going on without pruning`);
        return undefined;
    }
    try {
        const fs = measure(root);
        if (!fs || fs.usedBytes <= (0,_nerdctl_index_js__WEBPACK_IMPORTED_MODULE_2__.budgetBytes)(fs, budget)) {
            _workflow_js__WEBPACK_IMPORTED_MODULE_1__/* .info */ .pq('disk-budget: within the budget now (another prune ran meanwhile)');
            return undefined;
        }
        return await (0,_nerdctl_index_js__WEBPACK_IMPORTED_MODULE_2__.prune)({
            olderThanMs: plan.pruneUntilMs,
            buildCacheKeepBytes: plan.buildCacheKeepBytes,
            keepLabel: _constants_js__WEBPACK_IMPORTED_MODULE_3__/* .KEEP_LABEL */ .hW,
            creatorGone,
            dryRun: plan.dryRun,
            budget: { path: root, budget },
            buildkitAddress: (0,_nerdctl_index_js__WEBPACK_IMPORTED_MODULE_2__.localBuildkit)(nerdctl.buildkitHost ?? (process.env.BUILDKIT_HOST || undefined), nerdctl.namespace)
        }, call);
    }
    finally {
        await lock.release();
    }
}
/** Logs a prune, and warns with the biggest items when it stays over budget. */
function logPrune(plan, r, where) {
    _workflow_js__WEBPACK_IMPORTED_MODULE_1__/* .info */ .pq(diskReport(plan, r));
    if (!r.withinBudget) {
        const big = (0,_nerdctl_index_js__WEBPACK_IMPORTED_MODULE_2__.biggest)(r.after.items)
            .map(i => `${itemText(i)}`)
            .join(', ');
        _workflow_js__WEBPACK_IMPORTED_MODULE_1__/* .warning */ .$e(`disk-budget: still over the budget after ${where}${r.dryRun ? ' (dry run)' : ''}: ${(0,_nerdctl_index_js__WEBPACK_IMPORTED_MODULE_2__.formatBytes)(r.after.filesystem?.usedBytes ?? 0)} used; nothing more may be removed. Biggest items: ${big || 'none found in the store'}`);
    }
}
/** Whether the filesystem is over the budget: the one statfs of a step under budget. */
function over(plan, root) {
    const budget = plan.budget;
    if (!budget)
        return undefined;
    const fs = measure(root);
    if (!fs)
        return undefined;
    const limit = (0,_nerdctl_index_js__WEBPACK_IMPORTED_MODULE_2__.budgetBytes)(fs, budget);
    if (fs.usedBytes <= limit) {
        _workflow_js__WEBPACK_IMPORTED_MODULE_1__/* .debug */ .Yz(`disk-budget: ${(0,_nerdctl_index_js__WEBPACK_IMPORTED_MODULE_2__.formatBytes)(fs.usedBytes)} used of ${(0,_nerdctl_index_js__WEBPACK_IMPORTED_MODULE_2__.formatBytes)(limit)} allowed`);
        return undefined;
    }
    return fs;
}
/** The phase: first of all, so the step's own work has the space it frees. */
const diskBudget = async (step) => {
    const plan = step.plan.disk;
    if (!plan.budget)
        return;
    const root = containerdRoot();
    step.state.saveDisk({ plan, root });
    const fs = over(plan, root);
    if (!fs)
        return;
    await step.report.phase('disk budget', async () => {
        _workflow_js__WEBPACK_IMPORTED_MODULE_1__/* .info */ .pq(`${(0,_nerdctl_index_js__WEBPACK_IMPORTED_MODULE_2__.formatBytes)(fs.usedBytes)} used on ${root}, over the budget of ${budgetText(plan, fs)}`);
        let r;
        try {
            r = await pruneToBudget(plan, root, step.plan.nerdctl, step.call);
        }
        catch (e) {
            // A full disk must not also fail the job because accounting did.
            _workflow_js__WEBPACK_IMPORTED_MODULE_1__/* .warning */ .$e(`disk-budget: prune failed: ${(0,_nerdctl_index_js__WEBPACK_IMPORTED_MODULE_2__.errorMessage)(e)}`);
            return;
        }
        if (!r)
            return;
        logPrune(plan, r, 'pruning');
        step.report.extra('disk', diskFigures(plan, r));
        step.report.section('disk budget', diskReport(plan, r));
        step.report.note(`${r.dryRun ? 'would remove' : 'removed'} ${r.removed.length} item(s); ${(0,_nerdctl_index_js__WEBPACK_IMPORTED_MODULE_2__.formatBytes)(r.before.filesystem?.usedBytes ?? 0)} -> ${(0,_nerdctl_index_js__WEBPACK_IMPORTED_MODULE_2__.formatBytes)(r.after.filesystem?.usedBytes ?? 0)}`);
    });
};
/** The post step's check, after its own cleanup freed what it could. */
async function postDiskBudget(state, call) {
    const saved = state.disk();
    if (!saved?.plan.budget)
        return;
    const nerdctl = state.nerdctl();
    if (!over(saved.plan, saved.root))
        return;
    try {
        const r = await pruneToBudget(saved.plan, saved.root, nerdctl, call);
        if (!r)
            return;
        logPrune(saved.plan, r, 'the post step pruned');
        const summary = process.env.GITHUB_STEP_SUMMARY;
        if (summary)
            await _workflow_js__WEBPACK_IMPORTED_MODULE_1__/* .appendSummary */ .fe(`<h4>disk budget (post step)</h4>\n<pre><code>${diskReport(saved.plan, r)
                .replace(/&/g, '&amp;')
                .replace(/</g, '&lt;')
                .replace(/>/g, '&gt;')}</code></pre>\n`);
    }
    catch (e) {
        _workflow_js__WEBPACK_IMPORTED_MODULE_1__/* .warning */ .$e(`disk-budget: post step prune failed: ${(0,_nerdctl_index_js__WEBPACK_IMPORTED_MODULE_2__.errorMessage)(e)}`);
    }
}


/***/ }),

/***/ 3687:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   E1: () => (/* binding */ parseList),
/* harmony export */   Ey: () => (/* binding */ readFromEnvironment),
/* harmony export */   WU: () => (/* binding */ show),
/* harmony export */   dz: () => (/* binding */ InputError),
/* harmony export */   f0: () => (/* binding */ durationOverMaximum),
/* harmony export */   lv: () => (/* binding */ asInput),
/* harmony export */   mP: () => (/* binding */ Reader),
/* harmony export */   vx: () => (/* binding */ forgetSecretInputs)
/* harmony export */ });
/* harmony import */ var csv_parse_sync__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(5175);
/* harmony import */ var _workflow_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(5809);
/* harmony import */ var _nerdctl_index_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(7126);
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
/**
 * Why a duration is refused, or undefined when it is not: durations stop at
 * MAX_DURATION_MS (7 days), longer than any job runs (a longer one is a
 * typo, and past 24.8 days Node's timers would fire at once).
 */
function durationOverMaximum(ms) {
    if (ms <= _nerdctl_index_js__WEBPACK_IMPORTED_MODULE_2__.MAX_DURATION_MS)
        return undefined;
    return 'is longer than the longest duration allowed, 168h (7 days): give a shorter one, or 0 where it means no limit';
}
/**
 * The entries of a list input, read as build-push-action reads them: CSV
 * (csv-parse with relaxed quotes and column counts), one record per line, a
 * quoted entry keeping its commas and line breaks; a record's fields are
 * separate entries unless `ignoreComma` joins them back with commas; empty
 * entries dropped, the others trimmed.
 */
function parseList(name, input, opts = {}) {
    if (input === '')
        return [];
    let records;
    try {
        records = (0,csv_parse_sync__WEBPACK_IMPORTED_MODULE_0__/* .parse */ .qg)(input, {
            columns: false,
            relaxQuotes: true,
            relaxColumnCount: true,
            skipEmptyLines: true,
            quote: opts.noQuote ? false : '"'
        });
    }
    catch (e) {
        // csv-parse's messages quote the input; a secret's text must not appear.
        const why = e instanceof Error && !opts.secret ? `: ${e.message}` : '';
        throw new InputError(name, `is not a list as build-push-action reads it (one entry per line or comma; quote an entry with "…" and double a quote inside it)${why}`);
    }
    const out = [];
    for (const record of records) {
        if (record.length === 1)
            out.push(...(opts.ignoreComma ? record : record[0].split(',')));
        else
            out.push(...(opts.ignoreComma ? [record.join(',')] : record));
    }
    return out.filter(e => e).map(e => (opts.keepSpaces ? e : e.trim()));
}
const readFromEnvironment = name => _workflow_js__WEBPACK_IMPORTED_MODULE_1__/* .getInput */ .V4(name);
/** A value a user gave, quoted and cut for a message. */
const show = _nerdctl_index_js__WEBPACK_IMPORTED_MODULE_2__.showValue;
/** Drops the secret inputs from the environment the step's child processes inherit. */
function forgetSecretInputs(names) {
    for (const name of names)
        delete process.env[_workflow_js__WEBPACK_IMPORTED_MODULE_1__/* .inputVariable */ .LO(name)];
}
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
    /** A list input read as build-push-action reads it (see parseList). */
    list(name, opts = {}) {
        return parseList(name, this.read(name), opts);
    }
    /** KEY=VALUE entries of a list input read as build-push-action reads it. */
    listPairs(name) {
        return this.list(name, { ignoreComma: true }).map(entry => {
            const eq = entry.indexOf('=');
            if (eq <= 0)
                throw new InputError(name, `entry ${show(entry)} is not KEY=VALUE`);
            return [entry.slice(0, eq).trim(), entry.slice(eq + 1)];
        });
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
    /**
     * A Go duration in milliseconds, at most MAX_DURATION_MS (7 days); undefined
     * when empty and there is no default.
     */
    duration(name, dflt) {
        const v = this.text(name) || dflt;
        if (v === undefined || v === '')
            return undefined;
        let ms;
        try {
            ms = (0,_nerdctl_index_js__WEBPACK_IMPORTED_MODULE_2__.parseDuration)(v);
        }
        catch {
            throw new InputError(name, `${show(v)} is not a duration: use a Go duration such as 30s, 1m30s or 500ms`);
        }
        const over = durationOverMaximum(ms);
        if (over)
            throw new InputError(name, `${show(v)} ${over}`);
        return ms;
    }
    /** A whole number of at least 0, `dflt` when empty. */
    count(name, dflt) {
        const v = this.text(name);
        if (v === '')
            return dflt;
        if (!/^\d+$/.test(v))
            throw new InputError(name, `${show(v)} is not a whole number of at least 0`);
        return Number(v);
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


/***/ }),

/***/ 7568:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   cj: () => (/* binding */ markerAlive),
/* harmony export */   qB: () => (/* binding */ jobMarker),
/* harmony export */   vh: () => (/* binding */ systemProcView)
/* harmony export */ });
/* unused harmony exports parseStartTime, procHiding */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
// Which job made a container, network or volume: the runner process that runs
// the job's steps (the parent of this step's process), named by its PID and
// its start time in /proc (a PID alone is reused; the pair is not), and by
// the user it runs as. A later step on the same runner removes what carries a
// marker whose process is gone: a job killed with its runner, or whose post
// step never ran. Being wrong one way strands a leftover; the other way
// removes a running job's services. So "gone" is only ever concluded from
// what /proc shows for certain, and everything else counts as alive.

/** Field 22 of /proc/PID/stat: when the process started, in clock ticks since boot. */
function parseStartTime(stat) {
    // The command name (field 2) is in parentheses and may hold spaces and ")".
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const start = rest[19];
    return start && /^\d+$/.test(start) ? start : undefined;
}
function procHiding(mountinfo) {
    if (mountinfo === undefined)
        return 'any';
    let options;
    for (const line of mountinfo.split('\n')) {
        // ID PARENT MAJ:MIN ROOT MOUNTPOINT MOUNTOPTS [TAGS...] - FSTYPE SOURCE SUPEROPTS
        const fields = line.split(' ');
        const dash = fields.indexOf('-');
        if (fields[4] !== '/proc' || dash < 0 || fields[dash + 1] !== 'proc')
            continue;
        options = [...(fields[5] ?? '').split(','), ...(fields[dash + 3] ?? '').split(',')];
    }
    if (!options)
        return 'any';
    const hidepid = options.filter(o => o.startsWith('hidepid=')).map(o => o.slice(8));
    if (hidepid.length === 0 || hidepid.every(v => v === '0' || v === 'off'))
        return 'none';
    if (hidepid.every(v => ['0', 'off', '1', 'noaccess', '2', 'invisible'].includes(v)))
        return 'others';
    return 'any';
}
function entryOf(pid) {
    try {
        const start = parseStartTime((0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readFileSync)(`/proc/${pid}/stat`, 'utf8'));
        return start ? { start } : 'unreadable';
    }
    catch (e) {
        // Only "no such entry" says the process is not listed; EACCES (hidepid=1),
        // EPERM and the rest say nothing.
        return e.code === 'ENOENT' ? 'absent' : 'unreadable';
    }
}
function readOr(path) {
    try {
        return (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readFileSync)(path, 'utf8');
    }
    catch {
        return undefined;
    }
}
/** The PID namespace we see PIDs in (`pid:[4026531836]` -> 4026531836). */
function pidNamespace() {
    try {
        return /\[(\d+)\]/.exec((0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readlinkSync)('/proc/self/ns/pid'))?.[1];
    }
    catch {
        return undefined;
    }
}
/** The system's /proc, as this process sees it. */
function systemProcView() {
    return {
        namespace: pidNamespace(),
        uid: process.getuid?.() ?? -1,
        hiding: procHiding(readOr('/proc/self/mountinfo')),
        entry: entryOf
    };
}
function ownerOf(pid) {
    try {
        return (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.statSync)(`/proc/${pid}`).uid;
    }
    catch {
        return undefined;
    }
}
/**
 * This job's marker, `PIDNS-PID-START-UID`, or undefined where /proc cannot
 * say (then nothing is marked). The PID namespace is part of it: a step in a
 * container job sees other PIDs, and must not judge markers from the host.
 * The user the process runs as is part of it: where /proc hides other users'
 * processes, only a marker of our own user can be judged gone.
 */
function jobMarker(pid = process.ppid, view = systemProcView()) {
    const entry = view.entry(pid);
    const uid = ownerOf(pid);
    if (!view.namespace || typeof entry !== 'object' || uid === undefined)
        return undefined;
    return `${view.namespace}-${pid}-${entry.start}-${uid}`;
}
/**
 * Whether the job a marker names may still run. Dead only when /proc shows
 * for certain that the marker's process is gone: its PID now belongs to a
 * process that started at another time, or it has no entry where /proc lists
 * every process of that user (no hidepid, or hidepid=1/2 and the marker's
 * user is ours). A marker of another PID namespace, one this does not
 * understand (an older one without the user, under hidepid, included) or a
 * PID /proc will not show counts as alive and is left alone.
 */
function markerAlive(marker, view = systemProcView()) {
    const m = /^(\d+)-(\d+)-(\d+)(?:-(\d+))?$/.exec(marker);
    if (!m || !view.namespace || m[1] !== view.namespace)
        return true;
    const entry = view.entry(Number(m[2]));
    if (typeof entry === 'object')
        return entry.start === m[3];
    if (entry === 'unreadable')
        return true;
    if (view.hiding === 'none')
        return false;
    return !(view.hiding === 'others' && m[4] !== undefined && Number(m[4]) === view.uid);
}


/***/ }),

/***/ 8980:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   W: () => (/* binding */ coreLogger)
/* harmony export */ });
/* harmony import */ var _workflow_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(5809);
// The library's log lines, sent to the job log through the runner's log commands.

const coreLogger = {
    debug: m => _workflow_js__WEBPACK_IMPORTED_MODULE_0__/* .debug */ .Yz(m),
    info: m => _workflow_js__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(m),
    warning: m => _workflow_js__WEBPACK_IMPORTED_MODULE_0__/* .warning */ .$e(m),
    // What a container, a build or a probe printed reaches the log as text only.
    output: t => _workflow_js__WEBPACK_IMPORTED_MODULE_0__/* .output */ .CG(t)
};


/***/ }),

/***/ 132:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   d: () => (/* binding */ scratchParent)
/* harmony export */ });
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8161);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_os__WEBPACK_IMPORTED_MODULE_0__);
// Where the step's scratch directory is made. Main makes it there; the post
// step removes a saved scratch directory only when it is directly in it.

function scratchParent() {
    return process.env.RUNNER_TEMP || (0,node_os__WEBPACK_IMPORTED_MODULE_0__.tmpdir)();
}


/***/ }),

/***/ 7126:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  COMPOSE_NETWORK_LABEL: () => (/* reexport */ COMPOSE_NETWORK_LABEL),
  COMPOSE_PROJECT_LABEL: () => (/* reexport */ COMPOSE_PROJECT_LABEL),
  COMPOSE_SERVICE_LABEL: () => (/* reexport */ COMPOSE_SERVICE_LABEL),
  COMPOSE_VOLUME_LABEL: () => (/* reexport */ COMPOSE_VOLUME_LABEL),
  Compose: () => (/* reexport */ Compose),
  Container: () => (/* reexport */ Container),
  DEFAULT_RETRIES: () => (/* reexport */ DEFAULT_RETRIES),
  DEFAULT_RETRY_DELAY_MS: () => (/* reexport */ DEFAULT_RETRY_DELAY_MS),
  DEFAULT_TIMEOUT_MS: () => (/* reexport */ DEFAULT_TIMEOUT_MS),
  EXEC_OUTPUT_BYTES: () => (/* reexport */ EXEC_OUTPUT_BYTES),
  Environment: () => (/* reexport */ Environment),
  FEATURES: () => (/* reexport */ FEATURES),
  MAX_DURATION_MS: () => (/* reexport */ MAX_DURATION_MS),
  MAX_RETRY_DELAY_MS: () => (/* reexport */ MAX_RETRY_DELAY_MS),
  MINIMUM_VERSIONS: () => (/* reexport */ MINIMUM_VERSIONS),
  Nerdctl: () => (/* reexport */ Nerdctl),
  NerdctlError: () => (/* reexport */ NerdctlError),
  VerificationError: () => (/* reexport */ VerificationError),
  backoffDelay: () => (/* reexport */ backoffDelay),
  biggest: () => (/* reexport */ biggest),
  budgetBytes: () => (/* reexport */ budgetBytes),
  buildArgs: () => (/* reexport */ buildArgs),
  buildMetadata: () => (/* reexport */ buildMetadata),
  buildSteps: () => (/* reexport */ buildSteps),
  cachedToolVersions: () => (/* reexport */ cachedToolVersions),
  checkComposeHostPorts: () => (/* reexport */ checkComposeHostPorts),
  checkComposeProfile: () => (/* reexport */ checkComposeProfile),
  checkComposeProject: () => (/* reexport */ checkComposeProject),
  checkContainerName: () => (/* reexport */ checkContainerName),
  checkImageReference: () => (/* reexport */ checkImageReference),
  checkMinimumVersions: () => (/* reexport */ checkMinimumVersions),
  checkNetworkName: () => (/* reexport */ checkNetworkName),
  checkRegistryHost: () => (/* reexport */ checkRegistryHost),
  checkServiceKey: () => (/* reexport */ checkServiceKey),
  checkVolumeName: () => (/* reexport */ checkVolumeName),
  classifyRegistryFailure: () => (/* reexport */ classifyRegistryFailure),
  composeBuilds: () => (/* reexport */ composeBuilds),
  composeConfig: () => (/* reexport */ composeConfig),
  composeImage: () => (/* reexport */ composeImage),
  composeModel: () => (/* reexport */ composeModel),
  composePlan: () => (/* reexport */ composePlan),
  configure: () => (/* reexport */ configure),
  copy: () => (/* reexport */ copy),
  cosignProgram: () => (/* reexport */ cosignProgram),
  create: () => (/* reexport */ create),
  digestsFileName: () => (/* reexport */ digestsFileName),
  diskUsage: () => (/* reexport */ diskUsage),
  errorMessage: () => (/* reexport */ errorMessage),
  exec: () => (/* reexport */ exec),
  execNerdctl: () => (/* reexport */ execNerdctl),
  explainFailure: () => (/* reexport */ explainFailure),
  exportContainer: () => (/* reexport */ exportContainer),
  exporterOf: () => (/* reexport */ exporterOf),
  findProgram: () => (/* reexport */ findProgram),
  formatArgv: () => (/* reexport */ formatArgv),
  formatBytes: () => (/* reexport */ formatBytes),
  formatDigestsFile: () => (/* reexport */ formatDigestsFile),
  formatDuration: () => (/* reexport */ formatDuration),
  healthcheck: () => (/* reexport */ healthcheck),
  hintFor: () => (/* reexport */ hintFor),
  imageBuild: () => (/* reexport */ imageBuild),
  imageCommit: () => (/* reexport */ imageCommit),
  imageExists: () => (/* reexport */ imageExists),
  imageInspect: () => (/* reexport */ imageInspect),
  imageLoad: () => (/* reexport */ imageLoad),
  imagePull: () => (/* reexport */ imagePull),
  imagePush: () => (/* reexport */ imagePush),
  imageRemove: () => (/* reexport */ imageRemove),
  imageSave: () => (/* reexport */ imageSave),
  imageSign: () => (/* reexport */ imageSign),
  imageTag: () => (/* reexport */ imageTag),
  imageVerify: () => (/* reexport */ imageVerify),
  images: () => (/* reexport */ images_images),
  indexAnnotations: () => (/* reexport */ indexAnnotations),
  inspect: () => (/* reexport */ inspect),
  isContainerSide: () => (/* reexport */ isContainerSide),
  isImageReference: () => (/* reexport */ isImageReference),
  isNerdctlError: () => (/* reexport */ isNerdctlError),
  isNoSuchContainer: () => (/* reexport */ isNoSuchContainer),
  isNoSuchNetwork: () => (/* reexport */ isNoSuchNetwork),
  keptBecause: () => (/* reexport */ keptBecause),
  limitsOf: () => (/* reexport */ limitsOf),
  list: () => (/* reexport */ list),
  localBuildkit: () => (/* reexport */ localBuildkit),
  login: () => (/* reexport */ login),
  logout: () => (/* reexport */ logout),
  logs: () => (/* reexport */ logs),
  machineLock: () => (/* reexport */ machineLock),
  manifestAnnotate: () => (/* reexport */ manifestAnnotate),
  manifestCreate: () => (/* reexport */ manifestCreate),
  manifestInspect: () => (/* reexport */ manifestInspect),
  manifestInspectVerbose: () => (/* reexport */ manifestInspectVerbose),
  manifestPush: () => (/* reexport */ manifestPush),
  manifestRemove: () => (/* reexport */ manifestRemove),
  mergeDigests: () => (/* reexport */ mergeDigests),
  namedVolumeOf: () => (/* reexport */ namedVolumeOf),
  networkCreate: () => (/* reexport */ networkCreate),
  networkList: () => (/* reexport */ networkList),
  networkRemove: () => (/* reexport */ networkRemove),
  overBudgetBy: () => (/* reexport */ overBudgetBy),
  parseBudget: () => (/* reexport */ parseBudget),
  parseContainerInspect: () => (/* reexport */ parseContainerInspect),
  parseDigestsFile: () => (/* reexport */ parseDigestsFile),
  parseDuration: () => (/* reexport */ parseDuration),
  parsePublish: () => (/* reexport */ parsePublish),
  parseRetryAfter: () => (/* reexport */ parseRetryAfter),
  parseSize: () => (/* reexport */ parseSize),
  parseVersionOutput: () => (/* reexport */ parseVersionOutput),
  pinnedReference: () => (/* reexport */ pinnedReference),
  prune: () => (/* reexport */ prune),
  prunePlan: () => (/* reexport */ prunePlan),
  publishedHostPorts: () => (/* reexport */ publishedHostPorts),
  pushByDigestOutput: () => (/* reexport */ pushByDigestOutput),
  randomHex: () => (/* reexport */ randomHex),
  readToolVersions: () => (/* reexport */ readToolVersions),
  registryOf: () => (/* reexport */ registryOf),
  remove: () => (/* reexport */ remove),
  removeRecordedPartials: () => (/* reexport */ removeRecordedPartials),
  removeTree: () => (/* reexport */ removeTree),
  repositoryOf: () => (/* reexport */ repositoryOf),
  requireFeatures: () => (/* reexport */ requireFeatures),
  resolveHostPath: () => (/* reexport */ resolveHostPath),
  rootHolding: () => (/* reexport */ rootHolding),
  rootlessCgroupManager: () => (/* reexport */ rootlessCgroupManager),
  rootlessHostFacts: () => (/* reexport */ rootlessHostFacts),
  rootlessLimitsApply: () => (/* reexport */ rootlessLimitsApply),
  rootlessProblems: () => (/* reexport */ rootlessProblems),
  rootlessStateDir: () => (/* reexport */ rootlessStateDir),
  rootlessStatsProblem: () => (/* reexport */ rootlessStatsProblem),
  run: () => (/* reexport */ run),
  runArgs: () => (/* reexport */ runArgs),
  runSpec: () => (/* reexport */ runSpec),
  showValue: () => (/* reexport */ showValue),
  signatureReference: () => (/* reexport */ signatureReference),
  silentLogger: () => (/* reexport */ silentLogger),
  splitAttributeList: () => (/* reexport */ splitAttributeList),
  splitContainerPath: () => (/* reexport */ splitContainerPath),
  splitDigestReference: () => (/* reexport */ splitDigestReference),
  startServices: () => (/* reexport */ startServices),
  startWaves: () => (/* reexport */ startWaves),
  stats: () => (/* reexport */ stats),
  stop: () => (/* reexport */ stop),
  storeFilesystem: () => (/* reexport */ storeFilesystem),
  systemProgram: () => (/* reexport */ systemProgram),
  toolVersions: () => (/* reexport */ toolVersions),
  validateEnvironment: () => (/* reexport */ validateEnvironment),
  validateHealthCheck: () => (/* reexport */ validateHealthCheck),
  validateReadiness: () => (/* reexport */ validateReadiness),
  validateSpec: () => (/* reexport */ validateSpec),
  versionAtLeast: () => (/* reexport */ versionAtLeast),
  versionProblems: () => (/* reexport */ versionProblems),
  volumeCreate: () => (/* reexport */ volumeCreate),
  volumeInspect: () => (/* reexport */ volumeInspect),
  volumeList: () => (/* reexport */ volumeList),
  volumeRemove: () => (/* reexport */ volumeRemove),
  waitExit: () => (/* reexport */ waitExit),
  waitFor: () => (/* reexport */ waitFor),
  waitForHealthy: () => (/* reexport */ waitForHealthy),
  withRetry: () => (/* reexport */ withRetry)
});

;// CONCATENATED MODULE: ./src/nerdctl/base/defaults.ts
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
const DEFAULT_TIMEOUT_MS = 2 * 60 * 1000;
/** Docker's defaults for a health check that does not set them. */
const DEFAULT_HEALTH_INTERVAL_MS = 30_000;
const DEFAULT_HEALTH_TIMEOUT_MS = 30_000;
/**
 * The one poll schedule of every readiness wait: the first pause after a
 * round of checks is POLL_FIRST_MS, each next one POLL_GROWTH times longer, up
 * to POLL_MAX_MS. A service that answers is seen within about one pause plus
 * one check, whatever its health interval; a round never starts while the one
 * before still runs.
 */
const defaults_POLL_FIRST_MS = 20;
const POLL_GROWTH = 1.5;
const POLL_MAX_MS = 200;
/** Docker's default number of failed probes before a container is unhealthy. */
const DEFAULT_HEALTH_RETRIES = 3;
/**
 * The pause of a round that only tried connections from this machine (no
 * nerdctl call): a refused connection costs next to nothing, and a port that
 * starts listening is how most services say they are up, so such rounds come
 * this often instead of on the growing schedule.
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
/**
 * Output of a container exec kept in memory: its tail. A command that prints
 * more returns the last this many bytes, with `truncated` set.
 */
const EXEC_OUTPUT_BYTES = 1024 * 1024;
/**
 * Longest part of a line without a newline that streamed output holds back
 * waiting for its end (characters); past it the part is shown as a line.
 */
const MAX_PENDING_LINE_CHARS = 64 * 1024;
/**
 * The longest duration the action accepts (7 days: longer than any job may
 * run, and well inside the 24.8 days Node's timers can count).
 */
const MAX_DURATION_MS = 7 * 24 * 60 * 60 * 1000;
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

class NerdctlError extends Error {
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
    return e instanceof NerdctlError && (kind === undefined || e.kind === kind);
}
/** A bad value given to the library, found before anything ran. */
function invalidValue(field, message) {
    return new NerdctlError('Other', message, { field });
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
        // Before not-root: the bind is refused with "permission denied" in rootless mode.
        id: 'rootless-privileged-port',
        match: /cannot expose privileged port|ip_unprivileged_port_start/i,
        hint: 'nerdctl runs rootless, and a user cannot bind a host port below net.ipv4.ip_unprivileged_port_start (1024 by default): publish a host port of 1024 or more (e.g. 8080:80), or have the administrator lower net.ipv4.ip_unprivileged_port_start (sysctl).'
    },
    {
        id: 'rootless-cp-stopped',
        match: /cannot use cp with stopped containers in rootless mode/i,
        hint: 'nerdctl runs rootless, and rootless nerdctl copies only to and from a running container: copy while it runs (keep it running with a long command), or take its files with export or commit.'
    },
    {
        // Before not-root, which any message naming rootless matches.
        id: 'rootless-cgroup-v1',
        match: /requires cgroup v2 for rootless containers|cgroups not configured for container/i,
        hint: 'nerdctl runs rootless on a cgroup v1 host (or cgroup v2 without systemd), where rootless containers have no cgroups: stats, pause and resource limits need cgroup v2 with systemd delegating the controllers to the user; leave them out here.'
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
 * Image references in the grammar of distribution's `reference` package,
 * which nerdctl parses them with (github.com/distribution/reference,
 * regexp.go): an optional registry host (with port), lower-case path
 * components joined by `.`, `_`, `__` or dashes, then `:tag` (at most 128
 * word characters, dots and dashes) and/or `@algorithm:hex`. The first
 * character is a letter or digit, so a reference is never an option, and a
 * reference never holds a comma, a quote or "=", so it cannot carry a second
 * attribute where BuildKit reads `ref=…` lists.
 */
const ALNUM = '[a-z0-9]+';
const PATH_COMPONENT = `${ALNUM}(?:(?:[._]|__|-+)${ALNUM})*`;
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?`;
const NAME = `(?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`;
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';
const IMAGE_REFERENCE = new RegExp(`^(${NAME})(?::${TAG})?(?:@${DIGEST})?$`);
/** distribution's NameTotalLengthMax. */
const NAME_MAX = 255;
function isImageReference(value) {
    if (value.length === 0 || value.length > NAME_MAX + 300)
        return false;
    const m = IMAGE_REFERENCE.exec(value);
    return m !== null && m[1].length <= NAME_MAX;
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
        throw new NerdctlError('ConversionError', `"${text}" is not a size: expected a number with a unit such as 512B, 12kB, 1.5MiB or 2GB`, { text });
    }
    return Math.round(Number(m[1]) * unit);
}
/** "12.34%" to 12.34; "--" (no data yet) to 0. */
function parsePercent(text) {
    const t = text.trim();
    if (t === '--' || t === '')
        return 0;
    const m = /^(-?\d+(?:\.\d+)?)\s*%$/.exec(t);
    if (!m) {
        throw new NerdctlError('ConversionError', `"${text}" is not a percentage like "12.5%"`, {
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
        throw new NerdctlError('ConversionError', `"${text}" is not a duration: expected a Go duration such as 500ms, 30s, 1m30s or 2h`, { text });
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
    return new NerdctlError('JsonParseError', `could not read ${what} from nerdctl's output: ${snippet(text)}`, {
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
// spec always gives the same argv. No env value is ever in it: see
// `containerEnv`.



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
    containerEnv(spec.env);
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
/**
 * The argv of `nerdctl run` (or `create`) for a spec, after validating it.
 * The env is `--env-file FILE` and `-e NAME` for each variable the file
 * cannot carry, whose value the caller puts in nerdctl's environment
 * (`containerEnv`): never a value.
 */
function runArgs(spec, subcommand = 'run', options = {}) {
    validateSpec(spec);
    const env = containerEnv(spec.env, { sudo: options.sudo });
    if (env.file !== '' && !options.envFile) {
        throw invalid('env', 'the environment of this container goes in an env file: write containerEnv(spec.env).file to a private file and pass its path as envFile');
    }
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
    if (env.file !== '')
        a.push('--env-file', options.envFile);
    for (const [k] of env.byName)
        a.push('-e', k);
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
// ---- env -----------------------------------------------------------------------------
//
// An env value on nerdctl's command line is readable by every local user in
// /proc, kept in sudo's log and shown in every debug line and error about the
// call. So values go in an env file, or in nerdctl's own environment, where
// `-e NAME` (no "=") makes nerdctl look the value up.
//
// nerdctl 2.3's env file (pkg/flagutil parseEnvVars): read with a
// bufio.Scanner, one line at a time (at most 64 KiB with its newline), each
// line trimmed of white space (Go's unicode.IsSpace), blank lines and lines
// starting with "#" skipped, no quotes or escapes: everything after the first
// "=" is the value. So a line carries NAME=VALUE exactly unless the value
// holds a line break or ends with white space, the name starts with "#", or
// the line is too long (white space that starts a value is inside the line). Those few go as `-e NAME`, which is refused
// only for names that would change what nerdctl, sudo, BuildKit, Go or the
// dynamic loader do themselves.
/** Go's unicode.IsSpace: what nerdctl trims from both ends of an env file line. */
const GO_SPACE = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/;
/** bufio.MaxScanTokenSize: an env file line, newline included, must fit. */
const ENV_FILE_LINE_BYTES = 64 * 1024;
/** Linux refuses to start a program with one environment string of 128 KiB or more. */
const ENV_STRING_BYTES = 128 * 1024;
/**
 * Names whose value, in nerdctl's environment, would change what nerdctl,
 * sudo, BuildKit's client, containerd's resolver, the CNI plugins nerdctl's
 * hook runs, Go's runtime or the dynamic loader do, or that sudo sets or
 * drops itself. Compared without case (proxies are read in either).
 */
const OWN_BEHAVIOUR = new RegExp(`^(?:${[
    'PATH',
    'HOME',
    'USER',
    'LOGNAME',
    'SHELL',
    'MAIL',
    'PWD',
    'TMPDIR',
    'HOSTNAME',
    'TZ',
    'TERM',
    'COLORTERM',
    'LANG',
    'LANGUAGE',
    'LINGUAS',
    'LC_.*',
    'LD_.*',
    '_RLD.*',
    'GCONV_PATH',
    'GETCONF_DIR',
    'MALLOC_.*',
    'GLIBC_.*',
    'NLSPATH',
    'PATH_LOCALE',
    'LOCALDOMAIN',
    'RES_OPTIONS',
    'HOSTALIASES',
    'IFS',
    'CDPATH',
    'ENV',
    'BASH_ENV',
    'BASHOPTS',
    'SHELLOPTS',
    'GLOBIGNORE',
    'PS4',
    'FPATH',
    'NULLCMD',
    'READNULLCMD',
    'ZDOTDIR',
    'TMPPREFIX',
    'TERMINFO.*',
    'TERMCAP',
    'TERMPATH',
    'JAVA_TOOL_OPTIONS',
    'PERLIO_DEBUG',
    'PERLLIB',
    'PERL5LIB',
    'PERL5OPT',
    'PERL5DB',
    'PYTHONHOME',
    'PYTHONPATH',
    'PYTHONINSPECT',
    'PYTHONUSERBASE',
    'RUBYLIB',
    'RUBYOPT',
    'GODEBUG',
    'GOGC',
    'GOMAXPROCS',
    'GOMEMLIMIT',
    'GOTRACEBACK',
    'GORACE',
    'GOCOVERDIR',
    'GOFIPS.*',
    'SSL_CERT_FILE',
    'SSL_CERT_DIR',
    'HTTPS?_PROXY',
    'FTP_PROXY',
    'NO_PROXY',
    'ALL_PROXY',
    'DOCKER_.*',
    'BUILDKIT_.*',
    'BUILDCTL_.*',
    'BUILDX_.*',
    'CONTAINERD_.*',
    'NERDCTL_.*',
    'ROOTLESSKIT_.*',
    'CNI_.*',
    'NETCONFPATH',
    'XTABLES_.*',
    'IPTABLES_.*',
    'IPFS_PATH',
    'XDG_.*',
    'SUDO_.*',
    'NOTIFY_SOCKET',
    'LISTEN_.*',
    'OTEL_.*',
    'COSIGN_.*',
    'SIGSTORE_.*',
    'NOTATION_.*',
    'SOURCE_DATE_EPOCH'
].join('|')})$`, 'i');
/** Whether nerdctl reads `NAME=VALUE` back from an env file line exactly as written. */
function fitsEnvFile(name, value) {
    const line = `${name}=${value}`;
    return (!line.includes('\n') &&
        !line.startsWith('#') &&
        !GO_SPACE.test(line.charAt(0)) &&
        !GO_SPACE.test(line.charAt(line.length - 1)) &&
        Buffer.byteLength(line) + 1 <= ENV_FILE_LINE_BYTES);
}
/** Why a value cannot go in the env file, for messages (never the value itself). */
function whyNotInFile(name, value) {
    if (value.includes('\n'))
        return 'it spans several lines';
    if (name.startsWith('#'))
        return 'its name starts with "#", which makes the line a comment';
    if (Buffer.byteLength(name) + Buffer.byteLength(value) + 2 > ENV_FILE_LINE_BYTES)
        return 'it is longer than the 64 KiB nerdctl reads in one line';
    return 'it ends with white space, which nerdctl trims';
}
/**
 * Splits a container's env between the env file and `-e NAME`: a later entry
 * for a name replaces an earlier one's value (as inside the container) and
 * keeps its place, so the same env always gives the same file and argv.
 * Throws, naming the variable but never showing its value, when a value can
 * go neither way: NUL, over Linux's limit, or one the file cannot carry for a
 * name in OWN_BEHAVIOUR (or, through sudo, one starting with "()", which sudo
 * drops as a shell function).
 */
function containerEnv(env, options = {}) {
    const last = new Map();
    for (const [k, v] of env ?? []) {
        if (!ENV_KEY.test(k))
            throw invalid('env', `environment variable name "${k}" is invalid: it must be non-empty, without "=" or spaces`);
        last.set(k, v);
    }
    const lines = [];
    const byName = [];
    for (const [name, value] of last) {
        if (value.includes('\0'))
            throw invalid('env', `environment variable ${name}: its value holds a NUL character, which no environment variable can hold`);
        if (fitsEnvFile(name, value)) {
            lines.push(`${name}=${value}\n`);
            continue;
        }
        const why = whyNotInFile(name, value);
        if (OWN_BEHAVIOUR.test(name))
            throw invalid('env', `environment variable ${name}: its value cannot go in the env file nerdctl reads (${why}), ` +
                `and passing it in nerdctl's own environment would change how nerdctl itself runs: ` +
                'give a value on one line without white space at its end, or put it in a file in a volume');
        if (Buffer.byteLength(name) + Buffer.byteLength(value) + 1 >= ENV_STRING_BYTES)
            throw invalid('env', `environment variable ${name}: its value is over the 128 KiB Linux allows for one environment variable: put it in a file in a volume instead`);
        if (options.sudo && value.startsWith('()'))
            throw invalid('env', `environment variable ${name}: its value cannot go in the env file nerdctl reads (${why}), ` +
                'and sudo drops a value starting with "()" from nerdctl\'s environment (it reads as a shell function): ' +
                'change the value, or put it in a file in a volume');
        byName.push([name, value]);
    }
    return { file: lines.join(''), byName };
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

;// CONCATENATED MODULE: ./src/nerdctl/base/sleep.ts
// The library's one abortable pause (polls, retry backoff): an AbortSignal
// ends it early, one aborted before the pause included. It resolves, it does
// not throw: the caller looks at the signal and says what was cancelled.
// (The global timer, not node:timers/promises: nothing below exec/ imports
// Node's modules.)
function sleep(ms, signal) {
    return new Promise(resolve => {
        if (signal?.aborted)
            return resolve();
        const t = setTimeout(done, Math.max(0, ms));
        function done() {
            clearTimeout(t);
            signal?.removeEventListener('abort', done);
            resolve();
        }
        signal?.addEventListener('abort', done, { once: true });
    });
}

;// CONCATENATED MODULE: ./src/nerdctl/pure/readiness.ts
// Pure parts of readiness: the poll schedule, the clock, the combinators that
// make one check of several (all, any, inOrder), what a log or an HTTP answer
// means for a check, and the validation of a readiness spec. The checks that
// look at a container, and the loop that drives them, are ops/ (readiness.ts,
// health.ts, strategies.ts).



/** The first pause between rounds of checks (base/defaults.ts holds the schedule). */
const FIRST_POLL_MS = (/* unused pure expression or super */ null && (POLL_FIRST_MS));
/** The longest pause between two rounds: a service is seen ready this soon after it is. */
const MAX_POLL_MS = POLL_MAX_MS;
/**
 * The pause after round `round` (0-based) of checks: tens of milliseconds at
 * first, growing, never more than MAX_POLL_MS. Unlike a health check's
 * interval it does not grow past that: a service that takes a minute is still
 * seen within a fifth of a second of being ready.
 */
function pollDelay(round, maxMs = MAX_POLL_MS) {
    return Math.min(maxMs, Math.round(defaults_POLL_FIRST_MS * POLL_GROWTH ** Math.min(round, 32)));
}
/** The machine's clock. */
const systemClock = { now: () => Date.now(), sleep: sleep };
/** A check's state in a message: "name: passed", "name: not yet (why)". */
function describeLook(name, look) {
    if (look?.ready)
        return `${name}: passed`;
    const state = look?.fatal ? 'failed' : look ? 'not yet' : 'not looked at yet';
    const detail = look?.fatal ?? look?.detail ?? '';
    if (!detail)
        return `${name}: ${state}`;
    if (!detail.includes('\n'))
        return `${name}: ${state} (${detail})`;
    return `${name}: ${state}\n${detail.replace(/^/gm, '    ')}`;
}
/** The status one of these looks read, if any did. */
function newest(looks) {
    return looks.find(l => l?.status)?.status;
}
/**
 * Ready when every check is. Checks not yet met are looked at together, once
 * each per look; a met one is not looked at again. Fails as soon as one does.
 */
function readiness_all(...checks) {
    if (checks.length === 1 && checks[0])
        return checks[0];
    const last = new Map();
    return {
        name: checks.map(c => c.name).join(' and ') || 'nothing',
        async look(context) {
            const pending = checks.filter(c => !last.get(c)?.ready);
            await Promise.all(pending.map(async (c) => last.set(c, await c.look(context))));
            const looks = checks.map(c => last.get(c));
            const fatal = checks.find(c => last.get(c)?.fatal);
            return {
                ready: looks.every(l => l?.ready),
                fatal: fatal ? last.get(fatal)?.fatal : undefined,
                cheap: looks.every(l => l?.ready || l?.cheap),
                status: newest(pending.map(c => last.get(c))),
                detail: checks.map(c => describeLook(c.name, last.get(c))).join('\n')
            };
        }
    };
}
/**
 * Ready when one check is. Those that have not failed are looked at together;
 * the wait fails only when every one has.
 */
function any(...checks) {
    if (checks.length === 1 && checks[0])
        return checks[0];
    const last = new Map();
    return {
        name: checks.map(c => c.name).join(' or '),
        async look(context) {
            const live = checks.filter(c => !last.get(c)?.fatal);
            await Promise.all(live.map(async (c) => last.set(c, await c.look(context))));
            const looks = checks.map(c => last.get(c));
            return {
                ready: looks.some(l => l?.ready),
                fatal: looks.every(l => l?.fatal)
                    ? checks.map(c => `${c.name}: ${last.get(c)?.fatal}`).join('; ')
                    : undefined,
                cheap: looks.every(l => l?.fatal || l?.cheap),
                status: newest(live.map(c => last.get(c))),
                detail: checks.map(c => describeLook(c.name, last.get(c))).join('\n')
            };
        }
    };
}
/**
 * Ready when each check has passed after the one before it passed: a check is
 * first looked at once every earlier one is met, so its pass is a fresh one,
 * seen after theirs. When one passes, the next is looked at in the same look,
 * without a pause.
 */
function inOrder(...checks) {
    if (checks.length === 1 && checks[0])
        return checks[0];
    const last = checks.map(() => undefined);
    let at = 0;
    return {
        name: checks.map(c => c.name).join(', then '),
        async look(context) {
            let look = { ready: true };
            let status;
            while (at < checks.length) {
                const check = checks[at];
                look = await check.look(context);
                last[at] = look;
                status = look.status ?? status;
                if (!look.ready || look.fatal)
                    break;
                at++;
            }
            return {
                ready: at >= checks.length,
                fatal: look.fatal,
                cheap: look.ready || look.cheap,
                status,
                detail: checks
                    .map((c, i) => i > at ? `${c.name}: waiting for the check before` : describeLook(c.name, last[i]))
                    .join('\n')
            };
        }
    };
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
    const networks = [spec.network, ...(spec.networks ?? []).map(n => n.name)];
    for (const n of networks)
        checkNetworkName(n);
    for (const [key, service] of Object.entries(spec.services)) {
        checkServiceKey(key);
        validateSpec({
            ...service.container,
            name: service.name ?? serviceContainerName(spec.network, key),
            hostname: key
        });
        if (service.readiness)
            validateReadiness(service.readiness);
        for (const n of service.networks ?? [])
            if (!networks.includes(n))
                throw invalidValue('services', `service "${key}" joins network "${n}", which the environment does not have (networks: ${networks.join(', ')})`);
        for (const [dep, condition] of Object.entries(service.conditions ?? {})) {
            if (!(service.dependsOn ?? []).includes(dep))
                throw invalidValue('services', `service "${key}" has a condition on "${dep}", which is not in its depends-on list`);
            if (condition === 'completed' && !spec.services[dep]?.oneShot)
                throw invalidValue('services', `service "${key}" waits for "${dep}" to complete, but "${dep}" is not a one-shot service: mark it oneShot`);
        }
    }
    if (Object.keys(spec.services).length === 0)
        throw invalidValue('services', 'an environment needs at least one service');
    return startWaves(spec.services);
}

;// CONCATENATED MODULE: ./src/nerdctl/pure/build-args.ts
// Pure: a build spec in, the exact `nerdctl build` argv out (the table tests
// check it), so every build option can be proven without BuildKit. Values
// BuildKit reads as comma-separated attributes (cache sources and
// destinations, outputs, attestations, secrets) are read here as BuildKit
// reads them, and a key given twice is refused, so a value cannot smuggle in
// a second `type=` or `dest=`.



/** Where a secret given by value is written: the Nth secret of the spec. */
function secretFile(secretDir, index) {
    return `${secretDir.replace(/\/+$/, '')}/secret-${index}`;
}
const EXPORTER_TYPES = new Set(['image', 'registry', 'local', 'tar', 'oci', 'docker']);
function fail(field, message) {
    throw invalidValue(field, message);
}
/**
 * Splits one attribute list the way BuildKit's parsers read it (Go's
 * encoding/csv, one record): fields separated by commas; a field that starts
 * with `"` is quoted, may hold commas, and writes a quote as `""`. What Go
 * would refuse (a quote inside an unquoted field, text after a closing quote)
 * is refused here too, and so is a line break anywhere.
 */
function splitAttributeList(value) {
    if (/[\n\r]/.test(value))
        return 'has a line break';
    const fields = [];
    let i = 0;
    for (;;) {
        if (value[i] === '"') {
            let field = '';
            i++;
            for (;;) {
                if (i >= value.length)
                    return 'has a quote that is not closed';
                if (value[i] === '"') {
                    if (value[i + 1] === '"') {
                        field += '"';
                        i += 2;
                        continue;
                    }
                    i++;
                    break;
                }
                field += value[i];
                i++;
            }
            if (i < value.length && value[i] !== ',')
                return 'has text after a closing quote (quote the whole key=value, e.g. "dest=a,b")';
            fields.push(field);
        }
        else {
            const end = value.indexOf(',', i);
            const field = end < 0 ? value.slice(i) : value.slice(i, end);
            if (field.includes('"'))
                return 'has a quote inside a field (quote the whole key=value, e.g. "dest=a,b")';
            fields.push(field);
            i = end < 0 ? value.length : end;
        }
        if (i >= value.length)
            return fields;
        i++; // the comma
    }
}
/** One field of an attribute list, quoted as Go's csv writer would when it must be. */
function attributeField(field) {
    return /[",\r\n]/.test(field) || /^[ \t]/.test(field) ? `"${field.replace(/"/g, '""')}"` : field;
}
/**
 * `k=v,k=v` as BuildKit reads it. A key given twice is refused: BuildKit keeps
 * the last, so text that ends up inside one value (a branch name in a cache
 * `ref=`) could otherwise replace the `type` or `dest` before it. Keys are
 * compared as BuildKit compares them, without case.
 */
function attributes(value, field, what) {
    const fields = splitAttributeList(value);
    if (typeof fields === 'string')
        fail(field, `${what} ${showValue(value)} ${fields}: give key=value pairs separated by commas`);
    const seen = new Set();
    return fields.map(part => {
        const eq = part.indexOf('=');
        if (eq <= 0)
            fail(field, `${what} ${showValue(value)}: "${part}" is not key=value`);
        const key = part.slice(0, eq).trim();
        if (seen.has(key.toLowerCase()))
            fail(field, `${what} ${showValue(value)} gives attribute "${key}" twice; BuildKit would keep only the last, so one of them is not what it seems: give each key once (quote a value that holds a comma, e.g. "dest=a,b")`);
        seen.add(key.toLowerCase());
        return [key, part.slice(eq + 1)];
    });
}
const joinAttributes = (attrs) => attrs.map(([k, v]) => attributeField(`${k}=${v}`)).join(',');
/**
 * A cache source or destination. nerdctl reads a value without "type=" (a
 * substring test) as `type=registry,ref=VALUE`, so such a value must be one
 * image reference; any other is an attribute list with a type and no key twice.
 */
function cacheArg(value, field, what) {
    if (!value.trim() || /[\n\r]/.test(value))
        fail(field, `${what} ${showValue(value)} is empty or spans lines`);
    if (!value.includes('type=')) {
        if (!isImageReference(value))
            fail(field, `${what} ${showValue(value)} has no type= and is not an image reference: give "type=registry,ref=HOST/IMAGE:TAG" or another BuildKit cache (type=local,src=… / dest=…, type=gha, …)`);
        return value;
    }
    const attrs = attributes(value, field, what);
    if (!attrs.some(([k]) => k.toLowerCase() === 'type'))
        fail(field, `${what} ${showValue(value)} has no type= attribute, e.g. "type=registry,ref=…"`);
    return joinAttributes(attrs);
}
/**
 * An attestation: nerdctl takes its first field as `type=…` and hands the rest
 * to BuildKit as one attribute list.
 */
function attestSpec(value) {
    if (!value.trim())
        fail('attest', `attestation ${showValue(value)} is empty`);
    const attrs = attributes(value, 'attest', 'attestation');
    if (attrs[0]?.[0] !== 'type')
        fail('attest', `attestation ${showValue(value)} must start with type=, e.g. "type=sbom,generator=IMAGE"`);
    return joinAttributes(attrs);
}
/** `--sbom`/`--provenance` attributes: nerdctl puts its own `type=` before them. */
function attestArg(value, field) {
    if (typeof value === 'boolean')
        return String(value);
    const attrs = attributes(value, field, field);
    if (attrs.some(([k]) => k.toLowerCase() === 'type'))
        fail(field, `${field} ${showValue(value)} sets type=, which is already ${field}`);
    return joinAttributes(attrs);
}
/**
 * An ssh entry, `ID[=SOCKET|KEY[,KEY]]` as buildctl reads it (the paths after
 * "=" are split on commas: that is the format). Each ID once.
 */
const SSH_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
function sshArgs(values) {
    const seen = new Set();
    return nonEmpty(values, 'ssh', 'ssh').map(v => {
        const id = v.split('=', 1)[0];
        if (!SSH_ID.test(id))
            fail('ssh', `ssh ${showValue(v)}: ${showValue(id)} is not an id: give "default" or ID=PATH`);
        if (seen.has(id))
            fail('ssh', `ssh id ${showValue(id)} is given twice: give each id once`);
        seen.add(id);
        return v;
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
    if (!s.file || /[\n\r]/.test(s.file))
        fail('secrets', `secret ${s.id}: file ${showValue(s.file)} is empty or spans lines`);
    // Quoted as BuildKit's csv reader expects, so a comma stays in the path.
    return `id=${s.id},${attributeField(`src=${s.file}`)}`;
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
                            : [attributeField(`${k}=${v}`)])
            .join(',')
        : 'type=oci';
    return [base, ...annotations].join(',');
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
        throw new NerdctlError('Other', 'build needs at least one tag, e.g. "127.0.0.1:5000/app:1.0"');
    for (const t of tags)
        checkImageReference(t, 'tag', 'tags');
    if (!contextPath)
        throw new NerdctlError('Other', 'build context is empty: give a directory such as "."');
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
    for (const c of options.cacheFrom ?? [])
        a.push('--cache-from', cacheArg(c, 'cacheFrom', 'cache source'));
    for (const c of options.cacheTo ?? [])
        a.push('--cache-to', cacheArg(c, 'cacheTo', 'cache destination'));
    (options.secrets ?? []).forEach((s, i) => a.push('--secret', secretArg(s, i, files.secretDir)));
    for (const s of sshArgs(options.ssh))
        a.push('--ssh', s);
    for (const s of nonEmpty(options.allow, 'allow', 'entitlement'))
        a.push('--allow', s);
    for (const s of options.attest ?? [])
        a.push('--attest', attestSpec(s));
    if (options.sbom !== undefined && options.sbom !== '')
        a.push('--sbom', attestArg(options.sbom, 'sbom'));
    if (options.provenance !== undefined && options.provenance !== '')
        a.push('--provenance', attestArg(options.provenance, 'provenance'));
    const output = outputArg(options, files);
    if (output)
        a.push('--output', output);
    const contextNames = new Set();
    for (const [name, value] of options.buildContexts ?? []) {
        // nerdctl keeps the last of two contexts with one name.
        if (contextNames.has(name))
            fail('buildContexts', `build context ${showValue(name)} is given twice: give each name once`);
        contextNames.add(name);
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
        throw new NerdctlError('Other', `nerdctl ${args[0] === 'create' ? 'create' : 'run -d'} printed "${id}" where a container ID was expected`, { args, stdout: result.stdout, stderr: result.stderr });
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
 * platform says so on stderr ("pushing as a reduced-platform image (…, DIGEST)").
 * A push of every platform pushes the image's own target, and its progress
 * lists the target first: an index as `index-[NAME@]DIGEST:`, before the
 * manifests under it, or a lone manifest as `manifest-[NAME@]DIGEST:`. The
 * `NAME@` is there only when the target carries an OCI ref-name annotation
 * (an image loaded from an archive); an image BuildKit stored itself, such as
 * a single-platform build with provenance, has none. Any index line beats any
 * manifest line, so a tail of the progress that starts inside one of its
 * repeated tables still names the index, not one of its manifests.
 */
function pushedDigest(output) {
    const m = /reduced-platform image \([^,]*, (sha256:[0-9a-f]{64})\)/.exec(output) ??
        /^index-(?:[^@\s]*@)?(sha256:[0-9a-f]{64}):/m.exec(output) ??
        /^manifest-(?:[^@\s]*@)?(sha256:[0-9a-f]{64}):/m.exec(output);
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

;// CONCATENATED MODULE: ./src/nerdctl/pure/versions.ts
// Which versions of nerdctl, containerd and BuildKit the library supports, and
// which feature needs which: the one table every part of the project reads
// (the action's version check, `requireFeatures` for the library's users, the
// README's Requirements section). The feature gates follow docker/actions-toolkit,
// which asks `versionSatisfies` before it uses what a Buildx release added:
// here a step that needs a newer tool than the runner has fails by the
// feature's name before anything runs, instead of deep inside a call.


/**
 * The oldest versions supported at all. nerdctl 2.0 is the line whose output
 * formats and flags the parsers and argv builders follow (the project is
 * recorded and tested against 2.3.5); containerd 1.7 is the oldest that
 * nerdctl 2 releases name as compatible, and tag/save/load need it; BuildKit
 * 0.13 is what nerdctl 2.0 builds against (checked only for builds).
 */
const MINIMUM_VERSIONS = {
    nerdctl: '2.0.0',
    containerd: '1.7.0',
    buildkit: '0.13.0'
};
/**
 * Features that need more than MINIMUM_VERSIONS, by the name a message uses.
 * Add a row when a feature needs a newer tool; the lead wires each caller to
 * its row with `requireFeatures(client, ['name'])`.
 */
const FEATURES = {
    /** `nerdctl build` (BuildKit through buildctl). */
    build: { buildkit: '0.13.0' },
    /** `--health-*` flags on run and create (and Compose health checks). */
    'health-check': { nerdctl: '2.1.3' },
    /** `nerdctl manifest create/annotate/push` (merging platform images, push by digest). */
    manifest: { nerdctl: '2.1.0' },
    /** Signing and verification (cosign by digest; pulls and runs by `repo@digest`). */
    sign: { nerdctl: '2.0.0' },
    /** Compose environments (`nerdctl compose config`, compose-go's model). */
    compose: { nerdctl: '2.0.0' }
};
const TOOL_NAMES = {
    nerdctl: 'nerdctl',
    containerd: 'containerd',
    buildkit: 'BuildKit'
};
/** The numbers of a version (`v2.3.5`, `1.7.22+unknown`, `2.1.0-rc.1`); undefined when none. */
function versionNumbers(version) {
    const m = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(version.trim());
    if (!m)
        return undefined;
    return [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)];
}
/** Whether `version` is at least `minimum`; a pre-release counts as its release. */
function versionAtLeast(version, minimum) {
    const a = versionNumbers(version);
    const b = versionNumbers(minimum);
    if (!a || !b)
        return false;
    for (let i = 0; i < 3; i++)
        if (a[i] !== b[i])
            return a[i] > b[i];
    return true;
}
/**
 * Versions from `nerdctl version --format '{{json .}}'`: the client's own,
 * containerd's (the server's component), and buildctl's, the BuildKit client
 * nerdctl finds (what `nerdctl build` runs). nerdctl 1.x prints the same shape.
 */
function parseVersionOutput(text) {
    const [doc] = parseJsonArray(`[${text.trim()}]`, 'nerdctl version');
    const out = {};
    const obj = (v) => typeof v === 'object' && v !== null && !Array.isArray(v)
        ? v
        : undefined;
    const components = (v) => (Array.isArray(v) ? v : []).flatMap(c => {
        const o = obj(c);
        return typeof o?.Name === 'string' && typeof o.Version === 'string'
            ? [[o.Name, o.Version]]
            : [];
    });
    const client = obj(doc?.Client);
    if (typeof client?.Version === 'string' && client.Version)
        out.nerdctl = client.Version;
    for (const [name, version] of components(client?.Components))
        if (name === 'buildctl')
            out.buildkit = version;
    for (const [name, version] of components(obj(doc?.Server)?.Components))
        if (name === 'containerd')
            out.containerd = version;
    return out;
}
/** The tools a check looks at, with the version each needs: the minimums, raised by each feature. */
function requirements(features) {
    const need = [
        ['nerdctl', MINIMUM_VERSIONS.nerdctl, undefined],
        ['containerd', MINIMUM_VERSIONS.containerd, undefined]
    ];
    for (const feature of features) {
        const row = FEATURES[feature];
        for (const tool of Object.keys(row))
            need.push([tool, row[tool], feature]);
    }
    return need;
}
/**
 * What the runner's versions cannot do, one sentence each with the fix:
 * empty when they suffice. A tool whose version is unknown (containerd not
 * reachable, no buildctl) is not judged here: the call that needs it fails
 * with its own message.
 */
function versionProblems(versions, features) {
    const problems = [];
    for (const [tool, minimum, feature] of requirements(features)) {
        const have = versions[tool];
        if (have === undefined || versionAtLeast(have, minimum))
            continue;
        const name = TOOL_NAMES[tool];
        problems.push(feature
            ? `${feature} needs ${name} ${minimum} or newer, but this runner has ${name} ${have}: upgrade ${name}, or do without ${feature}`
            : `${name} ${have} is older than ${minimum}, the oldest this action and library support: upgrade ${name} to ${minimum} or newer`);
    }
    return [...new Set(problems)];
}
/** The error a failed check raises: every problem, one per line. */
function versionError(problems) {
    return new NerdctlError('Other', problems.length === 1
        ? problems[0]
        : `this runner's tools are too old:\n${problems.map(p => `- ${p}`).join('\n')}`, { field: 'versions' });
}

// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __webpack_require__(1421);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
// EXTERNAL MODULE: external "node:string_decoder"
var external_node_string_decoder_ = __webpack_require__(6193);
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
/**
 * The longest delay Node's timers take (2^31-1 ms, about 24.8 days): a
 * longer one fires after 1 ms. Longer time limits wait in steps of this.
 */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** Calls fn after `ms`, for any ms (a non-finite one never); the returned function cancels it. */
function longTimeout(ms, fn) {
    let timer;
    const arm = (left) => {
        if (!Number.isFinite(left))
            return;
        timer =
            left > MAX_TIMER_MS
                ? setTimeout(() => arm(left - MAX_TIMER_MS), MAX_TIMER_MS)
                : setTimeout(fn, left);
    };
    arm(ms);
    return () => {
        if (timer)
            clearTimeout(timer);
    };
}
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
        const all = Buffer.concat(this.chunks);
        // A cut tail may start inside a UTF-8 character: skip its continuation bytes.
        let start = 0;
        if (this.truncated)
            while (start < all.length && ((all[start] ?? 0) & 0xc0) === 0x80)
                start++;
        return all.subarray(start).toString('utf8');
    }
}
const spawnRunner = spec => new Promise(resolve => {
    const stdout = new TailBuffer(spec.maxOutputBytes);
    const stderr = new TailBuffer(MAX_STDERR_BYTES);
    let timedOut = false;
    let aborted = false;
    let settled = false;
    let killTimer;
    // Output for a file that nobody reads as it comes (an export, a save, a
    // tar stream): the file is opened here, so it is this process's user's,
    // with its umask, even when nerdctl runs through sudo, and is the child's
    // stdout itself: the bytes go from nerdctl to the disk without passing
    // through this process (no copy, no memory, no back-pressure to manage),
    // and never to onStdout: an exported archive is not for the job log.
    let outFd;
    if (spec.stdoutFile) {
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
            env: spec.envOnly
                ? { ...spec.env }
                : spec.env
                    ? { ...process.env, ...spec.env }
                    : process.env,
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
    const clearTimer = spec.timeoutMs > 0
        ? longTimeout(spec.timeoutMs, () => {
            timedOut = true;
            stop();
        })
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
        clearTimer?.();
        if (killTimer)
            clearTimeout(killTimer);
        spec.signal?.removeEventListener('abort', onAbort);
        // What a decoder still holds (a character cut at the very end) is the output's last.
        const outTail = outDecoder.end();
        if (outTail)
            spec.onStdout?.(outTail);
        const errTail = errDecoder.end();
        if (errTail)
            spec.onStderr?.(errTail);
        const result = {
            stdout: stdout.toString(),
            stderr: stderr.toString(),
            exitCode,
            timedOut,
            aborted
        };
        if (stdout.truncated || stderr.truncated)
            result.truncated = true;
        if (spawnError)
            result.spawnError = spawnError;
        resolve(result);
    };
    // One decoder per stream: a UTF-8 character split between two reads
    // is held until its last byte comes, never shown as U+FFFD.
    const outDecoder = new external_node_string_decoder_.StringDecoder('utf8');
    const errDecoder = new external_node_string_decoder_.StringDecoder('utf8');
    outPipe?.on('data', (chunk) => {
        stdout.push(chunk);
        if (spec.onStdout) {
            const text = outDecoder.write(chunk);
            if (text)
                spec.onStdout(text);
        }
    });
    errPipe.on('data', (chunk) => {
        stderr.push(chunk);
        if (spec.onStderr) {
            const text = errDecoder.write(chunk);
            if (text)
                spec.onStderr(text);
        }
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

// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
;// CONCATENATED MODULE: ./src/nerdctl/exec/programs.ts
// Where the programs the library starts come from. The helpers it runs beside
// nerdctl (sudo, tar, rm, cat) are the system's own, from its standard
// directories: PATH is not asked, since an earlier step of a job can put a
// directory of its own first on it (GITHUB_PATH), and a `sudo` or `rm` there
// would run with what the step hands it. The programs a user names (nerdctl)
// are looked up once, on the PATH the caller starts with, to an absolute path.


/** The standard system directories helper programs are taken from, in this order. */
const SYSTEM_DIRECTORIES = ['/usr/bin', '/bin', '/usr/sbin', '/sbin'];
function isExecutableFile(path) {
    try {
        (0,external_node_fs_.accessSync)(path, external_node_fs_.constants.X_OK);
        return (0,external_node_fs_.statSync)(path).isFile();
    }
    catch {
        return false;
    }
}
const systemPrograms = new Map();
/**
 * The absolute path of a system program (`sudo`, `tar`, `rm`, `cat`): the
 * first of SYSTEM_DIRECTORIES that has it; when none has, the path it would
 * have in /usr/bin, so that starting it fails as "not found" by that path.
 * A name with a slash is taken as it is.
 */
function systemProgram(name) {
    if (name.includes('/'))
        return name;
    const known = systemPrograms.get(name);
    if (known)
        return known;
    const found = SYSTEM_DIRECTORIES.map(d => (0,external_node_path_.join)(d, name)).find(isExecutableFile);
    const path = found ?? (0,external_node_path_.join)(SYSTEM_DIRECTORIES[0], name);
    if (found)
        systemPrograms.set(name, path);
    return path;
}
/**
 * A program a user names, as an absolute path: a path (with a slash) resolved
 * against the working directory, a bare name looked up on `searchPath` as a
 * shell would; undefined when it is not an executable file there.
 */
function findProgram(name, searchPath = process.env.PATH ?? '') {
    if (name.includes('/')) {
        const path = (0,external_node_path_.resolve)(name);
        return isExecutableFile(path) ? path : undefined;
    }
    for (const dir of searchPath.split(external_node_path_.delimiter)) {
        // An empty or relative entry means a directory that depends on where the
        // step stands: not a place to take a program from.
        if (!dir || !(0,external_node_path_.isAbsolute)(dir))
            continue;
        const path = (0,external_node_path_.join)(dir, name);
        if (isExecutableFile(path))
            return path;
    }
    return undefined;
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
    /** Whether nerdctl runs rootless for this client (see `GlobalOptions.rootless`). */
    get rootless() {
        return this.options.rootless ?? (!this.options.sudo && process.geteuid?.() !== 0);
    }
    get logger() {
        return this.options.logger ?? silentLogger;
    }
    /** The argv this client runs for `args`, sudo and global flags included. */
    argv(args, registry, envNames = [], debug = false, wholeEnvironment = false, program) {
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
        if (program)
            global.length = 0;
        const bin = program ?? o.binary ?? 'nerdctl';
        // sudo resets the environment: the variables we were asked to set, and
        // those of the runner's that nerdctl reads, must pass.
        const keep = [...new Set([...envNames, ...sudoKeptEnv(process.env)])];
        // `--` ends sudo's options: the binary is the command, whatever its name.
        // -E keeps an environment made for the call (see `quietEnv`); -H then
        // gives root's HOME, as without -E.
        const sudo = !o.sudo
            ? []
            : wholeEnvironment
                ? [systemProgram('sudo'), '-n', '-E', '-H', '--']
                : [
                    systemProgram('sudo'),
                    '-n',
                    ...(keep.length > 0 ? [`--preserve-env=${keep.join(',')}`] : []),
                    '--'
                ];
        return [...sudo, bin, ...global, ...args];
    }
    /** Runs nerdctl; throws NerdctlError unless it exits 0 (or `allowFailure`). */
    async exec(args, options = {}) {
        const quiet = options.quietEnv ?? {};
        // sudo writes the value of every --preserve-env variable to its log (the
        // journal, auth.log): a call that must pass a secret, or a runner proxy
        // whose URL holds a password, hands sudo a whole environment with -E instead.
        const wholeEnvironment = this.options.sudo === true &&
            (Object.keys(quiet).length > 0 ||
                sudoKeptEnv(process.env).some(k => hasPassword(process.env[k])));
        const env = wholeEnvironment
            ? sudoEnvironment({ ...this.options.env, ...options.env, ...quiet })
            : { ...this.options.env, ...options.env, ...quiet };
        const argv = this.argv(args, options.registry, Object.keys(env), options.debug, wholeEnvironment, options.program);
        const secrets = [...(options.secrets ?? [])].filter(s => s.length > 0);
        const shown = argv.map(a => redact(a, secrets));
        // Errors show nerdctl's own argv: what follows sudo (and its options) and the binary.
        const shownArgs = shown.slice(argv.indexOf(options.program ?? this.options.binary ?? 'nerdctl') + 1);
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
                ...(wholeEnvironment ? { envOnly: true } : {}),
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
            throw new NerdctlError('Other', `could not run ${formatArgv(shown)}: ${String(e)}`, {
                args: shownArgs,
                cause: e
            });
        }
        finally {
            options.onEnd?.();
        }
        const failure = this.failureOf(result, argv, shownArgs, secrets, timeoutMs, options);
        if (failure)
            throw failure;
        const out = {
            stdout: redact(result.stdout, secrets),
            stderr: redact(result.stderr, secrets),
            exitCode: result.exitCode ?? -1
        };
        if (result.truncated)
            out.truncated = true;
        return out;
    }
    /**
     * Runs a host program the library needs beside nerdctl (tar to unpack an
     * archive nerdctl streamed, rm to clear what nerdctl wrote as root) through
     * the same runner: its own process group, the same timeouts and abort. With
     * `privileged` it goes through `sudo -n` when this client uses sudo, and
     * runs as it is otherwise. Nothing goes through a shell. A bare program
     * name (and sudo) is taken from the system's directories, never from PATH.
     */
    async tool(argv, options = {}) {
        const [program, ...rest] = argv;
        const own = [systemProgram(program), ...rest];
        const full = options.privileged && this.options.sudo ? [systemProgram('sudo'), '-n', '--', ...own] : own;
        this.logger.debug(`[command]${formatArgv(full)}`);
        const timeoutMs = options.timeoutMs ?? this.options.timeoutMs ?? (options.longRunning ? 0 : DEFAULT_TIMEOUT_MS);
        if (options.signal?.aborted)
            throw cancelled(full, options.signal, '', '', '');
        const runner = this.options.runner ?? spawnRunner;
        const result = await runner({
            file: full[0],
            args: full.slice(1),
            // A registry tool (crane) needs the step's DOCKER_CONFIG and reads an
            // index on stdin; tar and rm are given neither.
            env: options.env,
            input: options.input,
            timeoutMs,
            signal: options.signal,
            stdoutFile: options.stdoutFile,
            maxOutputBytes: options.maxOutputBytes ?? 64 * 1024
        });
        const said = tail(result.stderr.trim() || result.stdout.trim() || '(no output)');
        if (result.spawnError)
            throw new NerdctlError('CommandExecutionFailed', `could not run ${formatArgv(full)}: ${result.spawnError.message}`, { args: full, cause: result.spawnError });
        if (result.timedOut)
            throw new NerdctlError('Timeout', `${formatArgv(full)} did not finish within ${timeoutMs} ms and was killed`, { args: full, exitCode: result.exitCode, stderr: result.stderr });
        if (result.aborted)
            throw cancelled(full, options.signal, result.stderr, '', '');
        const exitCode = result.exitCode ?? -1;
        if (exitCode !== 0 && !options.allowFailure)
            throw new NerdctlError('CommandFailed', `${formatArgv(full)} failed with exit code ${exitCode}: ${said}`, { args: full, exitCode, stderr: result.stderr, stdout: result.stdout });
        return { stdout: result.stdout, stderr: result.stderr, exitCode };
    }
    /** The error a finished process stands for, or undefined when it succeeded. */
    failureOf(result, argv, shownArgs, secrets, timeoutMs, options) {
        const stderr = redact(result.stderr, secrets);
        const stdout = redact(result.stdout, secrets);
        if (result.spawnError) {
            const missing = result.spawnError.code === 'ENOENT';
            const bin = argv[0];
            return new NerdctlError('CommandExecutionFailed', missing
                ? this.options.sudo
                    ? `sudo was not found in ${SYSTEM_DIRECTORIES.join(', ')}: ${CLIENT_FAILURES.sudoNotFound.hint}`
                    : `${bin} was not found on PATH: ${CLIENT_FAILURES.binaryNotFound.hint}`
                : `could not start ${bin}: ${result.spawnError.message}`, { args: shownArgs, cause: result.spawnError });
        }
        if (result.timedOut) {
            return new NerdctlError('Timeout', `nerdctl ${formatArgv(shownArgs)} did not finish within ${timeoutMs} ms and was killed` +
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
    throw new NerdctlError('Other', `argument ${i + 1} of nerdctl ${args[0] ?? ''} is ${Math.round(Buffer.byteLength(args[i]) / 1024)} KiB, ` +
        'over the 128 KiB Linux allows for one argument of a program: pass large content in a file ' +
        '(a volume, a copy into the container, a build context) instead', { args });
}
/** Builds the CommandFailed error with what nerdctl said and a hint when one is known. */
function commandFailed(args, exitCode, stderr, stdout = '') {
    const said = tail(nerdctlSaid(withoutDebugLines(stderr))) || tail(stdout) || '(no output)';
    const hint = hintFor(stderr);
    return new NerdctlError('CommandFailed', `nerdctl ${formatArgv(args)} failed with exit code ${exitCode}: ${said}` +
        (hint ? `\nHint: ${hint}` : ''), { args, exitCode, stderr, stdout });
}
function cancelled(args, signal, stderr = '', stdout = '', program = 'nerdctl ') {
    const reason = signal?.reason;
    const why = reason instanceof Error ? reason.message : reason === undefined ? '' : String(reason);
    return new NerdctlError('Cancelled', `${program}${formatArgv(args)} was cancelled${why ? `: ${why}` : ''}`, { args, stderr, stdout, cause: reason });
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
/** Whether a variable's value is a URL with a password in it (`http://user:pass@proxy:3128`). */
function hasPassword(value) {
    return value !== undefined && /^[a-z][a-z0-9+.-]*:\/\/[^/@\s]*:[^/@\s]*@/i.test(value);
}
/** The whole environment of a `sudo -E` call: PATH, what sudo would keep for nerdctl, and `extra`. */
function sudoEnvironment(extra) {
    const base = {};
    for (const k of ['PATH', ...sudoKeptEnv(process.env)]) {
        const v = process.env[k];
        if (v !== undefined)
            base[k] = v;
    }
    return { ...base, ...extra };
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
        const print = outputOf(clientOf(options).logger);
        // Streamed lines are redacted like the returned output: a build that
        // echoes a secret must not print it.
        const secrets = extra.secrets ?? [];
        const out = lineWriter(text => print(redact(text, secrets)));
        const err = lineWriter(text => print(redact(text, secrets)));
        // stdout that goes to a file never reaches the log (the runner does not
        // call onStdout for it): an archive is not text.
        o.onStdout = out.write;
        o.onStderr = err.write;
        const chained = extra.onEnd;
        o.onEnd = () => {
            out.end();
            err.end();
            chained?.();
        };
    }
    return o;
}
/** Where a logger takes text a process printed. */
function outputOf(logger) {
    return logger.output ? text => logger.output?.(text) : text => logger.info(text);
}
/** Runs nerdctl with the call's client and options: the one way operations run a command. */
function nerdctl(args, options = {}, extra = {}) {
    return clientOf(options).exec(args, execOptionsOf(options, extra));
}
/**
 * Splits chunks into whole lines and hands the lines of each chunk over as one
 * block (one write, one stop-commands region in a job log, not one per line);
 * a partial line waits for the next chunk, but never grows past
 * MAX_PENDING_LINE_CHARS (a progress bar without newlines is shown in pieces),
 * and `end` shows a last line that had no newline. nerdctl's debug lines
 * (asked for to read a registry's Retry-After) are not the log's business.
 */
function lineWriter(write) {
    let pending = '';
    const show = (lines) => {
        const kept = lines.filter(l => l.trim() && !isDebugLine(l));
        if (kept.length > 0)
            write(kept.join('\n'));
    };
    return {
        write: chunk => {
            const lines = (pending + chunk).split(/\r?\n|\r/);
            pending = lines.pop() ?? '';
            while (pending.length > MAX_PENDING_LINE_CHARS) {
                lines.push(pending.slice(0, MAX_PENDING_LINE_CHARS));
                pending = pending.slice(MAX_PENDING_LINE_CHARS);
            }
            show(lines);
        },
        end: () => {
            const last = pending;
            pending = '';
            show([last]);
        }
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

;// CONCATENATED MODULE: ./src/nerdctl/ops/host-paths.ts
// Where a path on this machine really leads: `..` folded, then every symbolic
// link of the part that exists followed, and whether that lands inside one
// of a few allowed directories. A path that does not exist yet (an output
// file) is judged by its nearest existing ancestor, since that is where the
// write would create it. Synchronous, so a caller can check every path before
// anything runs; the write-time check in files.ts uses the same rule.



function errnoOf(e) {
    return e.code;
}
/**
 * Resolves `path` (relative to `base`) to where it really leads. Fails on a
 * symbolic link that leads nowhere (a write there would land wherever the
 * link's target is later made) and on a directory this user cannot search.
 */
function resolveHostPath(path, base) {
    const abs = (0,external_node_path_.resolve)(base, path);
    const rest = [];
    let cur = abs;
    for (;;) {
        try {
            const existing = (0,external_node_fs_.realpathSync)(cur);
            const real = rest.length > 0 ? (0,external_node_path_.join)(existing, ...rest) : existing;
            return { path: abs, real, exists: rest.length === 0, existing };
        }
        catch (e) {
            const code = errnoOf(e);
            if (code !== 'ENOENT' && code !== 'ENOTDIR')
                throw new NerdctlError('Other', `path ${abs} cannot be resolved (${code ?? String(e)})`);
            let isLink = false;
            try {
                isLink = (0,external_node_fs_.lstatSync)(cur).isSymbolicLink();
            }
            catch {
                // Not there at all: its parent decides.
            }
            if (isLink)
                throw new NerdctlError('Other', `path ${abs}: ${cur} is a symbolic link to something that does not exist`);
        }
        rest.unshift((0,external_node_path_.basename)(cur));
        cur = (0,external_node_path_.dirname)(cur);
    }
}
/** Whether `real` is `root` or lies below it (both already real paths). */
function isInside(real, root) {
    if (real === root || root === external_node_path_.sep)
        return true;
    return real.startsWith(root.endsWith(external_node_path_.sep) ? root : root + external_node_path_.sep);
}
/** The first of `roots` that holds `real`, or undefined. */
function rootHolding(real, roots) {
    return roots.find(root => isInside(real, root));
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

;// CONCATENATED MODULE: ./src/nerdctl/pure/tar.ts
// Reading a tar archive's headers (POSIX ustar and GNU long names), without
// its contents: enough to tell whether an archive a tool wrote is whole.
function tar_text(block, from, length) {
    const bytes = block.subarray(from, from + length);
    const end = bytes.indexOf(0);
    return Buffer.from(end < 0 ? bytes : bytes.subarray(0, end)).toString('utf8');
}
/** The size field: octal text, or base-256 when its first byte's high bit is set (over 8 GiB). */
function sizeOf(block) {
    const field = block.subarray(124, 136);
    if (((field[0] ?? 0) & 0x80) !== 0) {
        let n = 0;
        for (let i = 1; i < field.length; i++)
            n = n * 256 + (field[i] ?? 0);
        return n;
    }
    const digits = tar_text(block, 124, 12).trim();
    return digits === '' ? 0 : parseInt(digits, 8);
}
/** Reads one header block; undefined at the end-of-archive zero block. */
function tarHeader(block) {
    if (block.every(b => b === 0))
        return undefined;
    const prefix = tar_text(block, 345, 155);
    const name = tar_text(block, 0, 100);
    const type = String.fromCharCode(block[156] ?? 0);
    return { name: prefix ? `${prefix}/${name}` : name, size: sizeOf(block), longName: type === 'L' };
}
/** Where the next header starts after one whose data is `size` bytes. */
function nextHeader(offset, size) {
    return offset + 512 + Math.ceil(size / 512) * 512;
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








/** The client's guard of output writes: where they may land, who records partial names. */
function outputGuard(call) {
    const { hostRoots, onOutputPartial } = clientOf(call).options;
    return { roots: hostRoots, onPartial: onOutputPartial };
}
function outsideRoots(target, real, roots) {
    return new NerdctlError('Other', `output path ${target} leads to ${real}, outside the directories this step may write (${roots.join(', ')}): refused`);
}
/**
 * Makes the parent of `final` and returns `final` under its parent's real
 * path, refusing when a symbolic link leads it outside `roots`. The parent is
 * judged before it is made (so no directory is made outside) and again once
 * it is there; an existing target is judged where its links lead.
 */
async function guardedTarget(final, roots) {
    if (!roots) {
        await (0,promises_.mkdir)((0,external_node_path_.dirname)(final), { recursive: true });
        return final;
    }
    const before = resolveHostPath((0,external_node_path_.dirname)(final), '/').real;
    if (!rootHolding(before, roots))
        throw outsideRoots(final, before, roots);
    await (0,promises_.mkdir)((0,external_node_path_.dirname)(final), { recursive: true });
    const parent = await (0,promises_.realpath)((0,external_node_path_.dirname)(final));
    if (!rootHolding(parent, roots))
        throw outsideRoots(final, parent, roots);
    const placed = (0,external_node_path_.join)(parent, (0,external_node_path_.basename)(final));
    const there = await (0,promises_.realpath)(placed).catch(() => undefined);
    if (there !== undefined && !rootHolding(there, roots))
        throw outsideRoots(final, there, roots);
    return placed;
}
/**
 * Creates the temporary file itself, new and not through a link, before
 * anything is streamed into it: a name planted there in the meantime makes
 * the write fail instead of following it.
 */
async function createPartial(tmp) {
    const flags = external_node_fs_.constants.O_WRONLY | external_node_fs_.constants.O_CREAT | external_node_fs_.constants.O_EXCL | external_node_fs_.constants.O_NOFOLLOW;
    await (await (0,promises_.open)(tmp, flags, 0o666)).close();
}
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
        throw new NerdctlError('Other', 'output path is empty: give a file path such as out/image.tar');
    const final = (0,external_node_path_.resolve)(target);
    if ((await kind(final)) !== 'directory')
        return { final, merge: false };
    if (!options.intoDirectory) {
        throw new NerdctlError('Other', `output path ${target} is a directory: give a file path inside it, e.g. ${(0,external_node_path_.join)(target, 'out.tar')}`);
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
    const placed = await placement(target, options);
    const final = await guardedTarget(placed.final, options.roots);
    if (placed.merge) {
        await write(final);
        return final;
    }
    const tmp = partialPath(final);
    options.onPartial?.(tmp);
    try {
        await createPartial(tmp);
        await write(tmp);
        await recheckParent(final, options.roots);
        await (0,promises_.rename)(tmp, final);
    }
    catch (e) {
        await (0,promises_.rm)(tmp, { recursive: true, force: true });
        throw e;
    }
    return final;
}
/**
 * Right before the rename: the parent is still where it was judged to be (a
 * long write gives time to swap a directory on the way for a link).
 */
async function recheckParent(final, roots) {
    if (!roots)
        return;
    const parent = await (0,promises_.realpath)((0,external_node_path_.dirname)(final));
    if (parent !== (0,external_node_path_.dirname)(final) || !rootHolding(parent, roots))
        throw outsideRoots(final, parent, roots);
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
    const placed = await placement(target, options);
    const merge = placed.merge;
    const final = await guardedTarget(placed.final, options.roots);
    const staging = partialPath(final);
    options.onPartial?.(staging);
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
        await recheckParent(final, options.roots);
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
        throw new NerdctlError('Other', `the archive ${archive} holds ${names.length} entries at its top where one was expected`);
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
    const path = resolve(target);
    const beside = (await namesIn(dirname(path)))
        .filter(n => n.startsWith(partialPrefix(path)))
        .map(n => join(dirname(path), n));
    const inside = (await kind(path)) === 'directory'
        ? (await namesIn(path)).filter(n => PARTIAL_NAME.test(n)).map(n => join(path, n))
        : [];
    for (const p of [...beside, ...inside])
        await rm(p, { recursive: true, force: true });
    return [...beside, ...inside];
}
/**
 * Removes temporary names an owner recorded (GlobalOptions.onOutputPartial)
 * and nothing else: each must still have this module's form of name, be no
 * link and belong to this process's user. Returns the paths removed.
 */
async function removeRecordedPartials(paths) {
    const uid = process.getuid?.();
    const gone = [];
    for (const p of paths) {
        if (!(0,external_node_path_.isAbsolute)(p) || !PARTIAL_NAME.test((0,external_node_path_.basename)(p)))
            continue;
        const st = await (0,promises_.lstat)(p).catch(() => undefined);
        if (!st || st.isSymbolicLink() || (uid !== undefined && st.uid !== uid))
            continue;
        await (0,promises_.rm)(p, { recursive: true, force: true });
        gone.push(p);
    }
    return gone;
}
async function namesIn(dir) {
    try {
        return await readdir(dir);
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
        throw new NerdctlError('Other', `removeTree needs an absolute path, not ${path}`);
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
/**
 * The member names of a tar archive, read from its headers alone (a few
 * reads, however big the archive), and whether it is whole: every member's
 * data present and the end-of-archive block there. A tool that stops early
 * leaves an archive that is not.
 */
async function archiveMembers(path) {
    const names = new Set();
    const file = await (0,promises_.open)(path, 'r');
    try {
        const { size: total } = await file.stat();
        const block = Buffer.alloc(512);
        let offset = 0;
        let longName;
        for (;;) {
            const { bytesRead } = await file.read(block, 0, 512, offset);
            if (bytesRead < 512)
                return { names, whole: false };
            const header = tarHeader(block);
            if (!header)
                return { names, whole: true };
            const next = nextHeader(offset, header.size);
            if (next > total)
                return { names, whole: false };
            if (header.longName) {
                const data = Buffer.alloc(header.size);
                await file.read(data, 0, header.size, offset + 512);
                longName = data.toString('utf8').replace(/\0+$/, '');
            }
            else {
                names.add((longName ?? header.name).replace(/^\.\//, ''));
                longName = undefined;
            }
            offset = next;
        }
    }
    finally {
        await file.close();
    }
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
            await sleep(delayMs, options.signal);
            if (options.signal?.aborted)
                throw cancelledWhileWaiting(operation, options.signal.reason);
        }
    }
}
/** The error of a retry whose wait was cancelled, with the signal's reason. */
function cancelledWhileWaiting(operation, reason) {
    const why = reason instanceof Error ? reason.message : reason === undefined ? '' : String(reason);
    return new NerdctlError('Cancelled', `${operation} was cancelled while waiting to retry${why ? `: ${why}` : ''}`, { cause: reason });
}

;// CONCATENATED MODULE: ./src/nerdctl/pure/manifest.ts
// Manifests and indexes, without I/O: what nerdctl's `manifest` commands
// print, the digests file a build pushed by digest leaves, and the one index
// that merges several such builds (every platform's image manifest and
// attestation manifests, their descriptors kept byte for byte in meaning:
// platform and annotations as each build's index had them).



const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const INDEX_TYPES = new Set([
    OCI_INDEX,
    'application/vnd.docker.distribution.manifest.list.v2+json'
]);
const MANIFEST_TYPES = new Set([
    'application/vnd.oci.image.manifest.v1+json',
    'application/vnd.docker.distribution.manifest.v2+json'
]);
const manifest_DIGEST = /^sha256:[0-9a-f]{64}$/;
/** What BuildKit marks an attestation manifest with, in its build's index. */
const REFERENCE_TYPE = 'vnd.docker.reference.type';
/** The repository of `HOST/NAME[:TAG][@DIGEST]`: tag and digest dropped. */
function repositoryOf(reference) {
    if (!isImageReference(reference))
        throw invalidValue('reference', `${showValue(reference)} is not an image reference`);
    const name = reference.split('@', 1)[0];
    const colon = name.lastIndexOf(':');
    return colon > name.lastIndexOf('/') ? name.slice(0, colon) : name;
}
/** `REPO@sha256:…`, checked: the one form a merge entry and a digests file name. */
function splitDigestReference(reference) {
    const at = reference.lastIndexOf('@');
    const digest = at > 0 ? reference.slice(at + 1) : '';
    if (!manifest_DIGEST.test(digest) || !isImageReference(reference))
        throw invalidValue('merge', `${showValue(reference)} is not REPOSITORY@sha256:DIGEST, e.g. "127.0.0.1:5000/app@sha256:…" (64 hex digits)`);
    return { repository: repositoryOf(reference), digest };
}
/** "os/arch[/variant]" as nerdctl and BuildKit spell a platform. */
function platformString(p) {
    return p ? [p.os, p.architecture, ...(p.variant ? [p.variant] : [])].join('/') : '';
}
function parsePlatform(value) {
    const parts = value.trim().split('/');
    const [os = '', architecture = '', variant] = parts;
    if (parts.length < 2 || parts.length > 3 || !os || !architecture || variant === '')
        throw invalidValue('platform', `${showValue(value)} is not os/arch[/variant], e.g. linux/amd64`);
    return { os, architecture, ...(variant ? { variant } : {}) };
}
/**
 * The output a build pushed by digest uses: BuildKit's image exporter pushes
 * the image to the repository with no tag and names it only by digest.
 * nerdctl adds `dangling-name-prefix=<none>` when it has no tag, which would
 * make BuildKit push `<none>@sha256:…` too; `danging-name-empty-only` (sic,
 * BuildKit's spelling) keeps that name for builds without one. `store=false`
 * leaves nothing in this runner's image store.
 */
function pushByDigestOutput(repository) {
    if (repositoryOf(repository) !== repository)
        throw invalidValue('repository', `${showValue(repository)} has a tag or digest`);
    return `type=image,name=${repository},push-by-digest=true,name-canonical=true,push=true,danging-name-empty-only=true,store=false`;
}
/** The digests file's name for a platform: one per matrix leg, e.g. digests-linux-arm64-v8.json. */
function digestsFileName(platform) {
    return `digests-${platformString(parsePlatform(platform)).replace(/\//g, '-')}.json`;
}
function formatDigestsFile(file) {
    return `${JSON.stringify({ repository: file.repository, digest: file.digest, platform: file.platform }, null, 2)}\n`;
}
/** A digests file, checked; `where` names it in the error. */
function parseDigestsFile(text, where) {
    let doc;
    try {
        doc = JSON.parse(text);
    }
    catch {
        doc = undefined;
    }
    const o = (typeof doc === 'object' && doc !== null ? doc : {});
    const { repository, digest, platform } = o;
    if (typeof repository !== 'string' || typeof digest !== 'string' || typeof platform !== 'string')
        throw invalidValue('merge', `${where} is not a digests file: it needs "repository", "digest" and "platform" (written by a build with push-by-digest)`);
    splitDigestReference(`${repository}@${digest}`);
    parsePlatform(platform);
    return { repository, digest, platform };
}
function manifest_obj(v) {
    return typeof v === 'object' && v !== null && !Array.isArray(v)
        ? v
        : undefined;
}
function stringMap(v) {
    const o = manifest_obj(v);
    if (!o)
        return undefined;
    const out = {};
    for (const [k, x] of Object.entries(o))
        if (typeof x === 'string')
            out[k] = x;
    return out;
}
function descriptorOf(v, what) {
    const d = manifest_obj(v);
    if (!d ||
        typeof d.mediaType !== 'string' ||
        typeof d.digest !== 'string' ||
        typeof d.size !== 'number')
        throw new NerdctlError('JsonParseError', `${what} has an entry that is not a descriptor`, {
            text: JSON.stringify(v)
        });
    // Every field is kept (urls, artifactType, data, …): the merged index
    // describes each manifest exactly as the build's own index did.
    return { ...d, mediaType: d.mediaType, digest: d.digest, size: d.size };
}
/** A manifest or index as a registry serves it (`crane manifest`, `nerdctl manifest inspect`). */
function parseManifestDocument(text, what) {
    let doc;
    try {
        doc = manifest_obj(JSON.parse(text));
    }
    catch {
        doc = undefined;
    }
    if (!doc)
        throw new NerdctlError('JsonParseError', `${what} is not a JSON object`, { text });
    const mediaType = typeof doc.mediaType === 'string' ? doc.mediaType : '';
    if (Array.isArray(doc.manifests) || INDEX_TYPES.has(mediaType)) {
        const manifests = (Array.isArray(doc.manifests) ? doc.manifests : []).map(m => descriptorOf(m, what));
        const annotations = stringMap(doc.annotations);
        return {
            kind: 'index',
            mediaType: mediaType || OCI_INDEX,
            manifests,
            ...(annotations ? { annotations } : {})
        };
    }
    if (manifest_obj(doc.config) || MANIFEST_TYPES.has(mediaType)) {
        const config = manifest_obj(doc.config);
        return {
            kind: 'manifest',
            mediaType,
            configDigest: typeof config?.digest === 'string' ? config.digest : '',
            layers: Array.isArray(doc.layers) ? doc.layers.length : 0
        };
    }
    throw new NerdctlError('JsonParseError', `${what} is neither a manifest nor an index`, { text });
}
/** `nerdctl manifest inspect --verbose`: one entry per manifest, with its descriptor. */
function parseManifestInspectVerbose(text) {
    let doc;
    try {
        doc = JSON.parse(text);
    }
    catch {
        throw new NerdctlError('JsonParseError', 'manifest inspect output is not JSON', { text });
    }
    const list = Array.isArray(doc) ? doc : [doc];
    return list.map(e => {
        const o = manifest_obj(e) ?? {};
        return {
            ref: typeof o.Ref === 'string' ? o.Ref : '',
            descriptor: descriptorOf(o.Descriptor, 'manifest inspect output')
        };
    });
}
/** The list `nerdctl manifest create` made ("Created manifest list NAME"). */
function parseManifestCreate(stdout) {
    return /^Created manifest list (\S+)/m.exec(stdout)?.[1];
}
/**
 * What `nerdctl manifest push` printed: a "Pushed ref REF with digest: D" line
 * per entry it pushed first, then the list's own digest alone on the last line.
 */
function parseManifestPush(stdout) {
    const entries = [
        ...stdout.matchAll(/^Pushed ref (\S+) with digest: (sha256:[0-9a-f]{64})$/gm)
    ].map(m => ({ reference: m[1], digest: m[2] }));
    const last = stdout.trim().split('\n').pop()?.trim() ?? '';
    return { entries, digest: manifest_DIGEST.test(last) ? last : undefined };
}
/**
 * Index-level annotations from `KEY=VALUE` or `index:KEY=VALUE` lines (the
 * form buildx's `imagetools create --annotation` takes); any other level
 * describes one build's manifests, which a merge does not rewrite.
 */
function indexAnnotations(lines) {
    const out = {};
    for (const line of lines) {
        const rest = line.startsWith('index:') ? line.slice('index:'.length) : line;
        const eq = rest.indexOf('=');
        const key = eq > 0 ? rest.slice(0, eq) : '';
        if (/^(manifest|manifest-descriptor|index-descriptor)(\[[^\]]*\])?:/.test(line))
            throw invalidValue('annotations', `annotation ${showValue(line)} is for one build's manifests; a merge sets only the index's: give KEY=VALUE or index:KEY=VALUE`);
        if (!/^[A-Za-z0-9][A-Za-z0-9_.\-/]*$/.test(key) || /[\n\r]/.test(rest))
            throw invalidValue('annotations', `annotation ${showValue(line)} is not KEY=VALUE (optionally "index:" first), e.g. "org.opencontainers.image.description=My app"`);
        out[key] = rest.slice(eq + 1);
    }
    return out;
}
const isAttestation = (d) => d.annotations?.[REFERENCE_TYPE] !== undefined;
/**
 * The merged index: each input's manifests in input order (an index's
 * descriptors as they are, a lone manifest as a descriptor with its
 * platform), with `annotations` at index level. Refuses two image manifests
 * of one platform, naming both references, and an image manifest without a
 * platform. The same manifest given twice is kept once.
 */
function mergeIndex(inputs, annotations = {}) {
    const manifests = [];
    const seen = new Set();
    const platforms = new Map();
    const name = (i) => i.origin ? `${i.reference} (from ${i.origin})` : i.reference;
    for (const input of inputs) {
        const descriptors = input.document.kind === 'index'
            ? input.document.manifests
            : [
                {
                    mediaType: input.document.mediaType,
                    digest: splitDigestReference(input.reference).digest,
                    size: input.size,
                    ...(input.platform ? { platform: input.platform } : {})
                }
            ];
        for (const d of descriptors) {
            if (seen.has(d.digest))
                continue;
            seen.add(d.digest);
            if (!isAttestation(d) && !INDEX_TYPES.has(d.mediaType)) {
                const p = platformString(d.platform);
                if (!p)
                    throw invalidValue('merge', `${name(input)}: manifest ${d.digest} has no platform: build with "platforms" set, or push by digest, which records it`);
                const other = platforms.get(p);
                if (other !== undefined)
                    throw invalidValue('merge', `${name(input)} and ${other} both hold an image for ${p}: an index has one image per platform; merge one build per platform`);
                platforms.set(p, name(input));
            }
            manifests.push(d);
        }
    }
    if (manifests.length === 0)
        throw invalidValue('merge', 'nothing to merge: give at least one digest');
    return {
        schemaVersion: 2,
        mediaType: OCI_INDEX,
        manifests,
        ...(Object.keys(annotations).length > 0 ? { annotations: { ...annotations } } : {})
    };
}
/** The bytes pushed for an index; their sha256 is the digest the registry serves. */
function indexBytes(index) {
    return JSON.stringify(index);
}

;// CONCATENATED MODULE: ./src/nerdctl/pure/cosign.ts
// cosign's side of signing and verification, without I/O: the argv of
// `cosign sign` and `cosign verify` (spec in, exact argv out), where cosign
// keeps a signature, which digest a verification covered, and why cosign
// refused (no signature, wrong key, identity mismatch), read from what it said.
// cosign is called directly rather than through nerdctl's `push --sign` and
// `pull --verify`: nerdctl passes cosign only `--key` and `--yes`, and cosign
// v2 then uploads to (and looks up in) the public transparency log, which an
// offline runner cannot reach.




/** The registry flags of a cosign call: plain HTTP and unverified TLS for registries the caller trusts. */
function cosignRegistryFlags(insecure) {
    return insecure ? ['--allow-insecure-registry', '--allow-http-registry'] : [];
}
/** `repo` and `sha256:…` of a reference that holds a digest; the tag, if any, is dropped. */
function referenceParts(reference) {
    const at = reference.indexOf('@');
    const name = at < 0 ? reference : reference.slice(0, at);
    const digest = at < 0 ? undefined : reference.slice(at + 1);
    return { repository: repositoryOf(name), digest };
}
const cosign_DIGEST = /^sha256:[0-9a-f]{64}$/;
function checkDigest(digest, field = 'digest') {
    if (!cosign_DIGEST.test(digest))
        throw invalidValue(field, `${showValue(digest)} is not an image digest: expected sha256: and 64 hex digits`);
}
/** `repo@digest`: what is signed, verified and run, so a tag moved afterwards changes nothing. */
function pinnedReference(reference, digest) {
    checkDigest(digest);
    return `${repositoryOf(reference)}@${digest}`;
}
/** Where cosign v2 stores the signature of a digest: the `sha256-<hex>.sig` tag of the repository. */
function signatureReference(reference, digest) {
    checkDigest(digest);
    return `${repositoryOf(reference)}:${digest.replace(':', '-')}.sig`;
}
function checkKeyRef(value, field) {
    // Taken by cosign as the value of its own option, never as an option; a
    // leading dash is still refused, so a mistake reads as one.
    if (value.trim() === '' || value.startsWith('-'))
        throw invalidValue(field, `${showValue(value)} is not a key: give a file path, env://VARIABLE or a KMS URI`);
}
/** `cosign sign` of one `repo@digest`. */
function cosignSignArgs(pinned, spec, insecure = false) {
    if (!isImageReference(pinned) || referenceParts(pinned).digest === undefined)
        throw invalidValue('image', `${showValue(pinned)} is not an image reference with a digest`);
    const args = ['sign', '--yes'];
    if ('key' in spec.signing) {
        checkKeyRef(spec.signing.key, 'key');
        args.push('--key', spec.signing.key);
        args.push(`--tlog-upload=${spec.tlog === true ? 'true' : 'false'}`);
    }
    else if (spec.signing.oidcProvider) {
        args.push('--oidc-provider', spec.signing.oidcProvider);
    }
    return [...args, ...cosignRegistryFlags(insecure), pinned];
}
/** Whether a verify spec names a public key or an identity, and not both kinds half-given. */
function checkVerifySpec(spec) {
    const identity = spec.certificateIdentity ?? spec.certificateIdentityRegexp;
    const issuer = spec.certificateOidcIssuer ?? spec.certificateOidcIssuerRegexp;
    if (spec.publicKey !== undefined) {
        checkKeyRef(spec.publicKey, 'publicKey');
        return;
    }
    if (!identity || !issuer)
        throw invalidValue('verify', 'cosign verification needs a public key, or (keyless) both a certificate identity and an OIDC issuer (exact or regexp)');
}
/**
 * A Sigstore trusted root that trusts no service: with a public key and no
 * transparency log there is nothing for it to hold, and naming it keeps
 * `cosign verify` from fetching Sigstore's own root over TUF (which cosign v2
 * does for every verification without one, and only warns when it fails).
 */
const EMPTY_TRUSTED_ROOT = '{"mediaType":"application/vnd.dev.sigstore.trustedroot+json;version=0.1"}\n';
/** Whether a verification needs no Sigstore service: a key, no transparency log. */
function verifiesOffline(spec) {
    return spec.publicKey !== undefined && spec.tlog !== true;
}
/**
 * `cosign verify` of one reference; its JSON (the verified payloads) goes to
 * stdout. `trustedRoot` is a file holding EMPTY_TRUSTED_ROOT, for an offline
 * verification (see `verifiesOffline`).
 */
function cosignVerifyArgs(reference, spec, insecure = false, trustedRoot) {
    if (!isImageReference(reference))
        throw invalidValue('image', `${showValue(reference)} is not an image reference`);
    checkVerifySpec(spec);
    const args = ['verify', '--output', 'json'];
    if (spec.publicKey !== undefined) {
        args.push('--key', spec.publicKey);
        if (spec.tlog !== true)
            args.push('--insecure-ignore-tlog=true');
        if (trustedRoot !== undefined && verifiesOffline(spec))
            args.push('--trusted-root', trustedRoot);
    }
    const pairs = [
        ['--certificate-identity', spec.certificateIdentity],
        ['--certificate-identity-regexp', spec.certificateIdentityRegexp],
        ['--certificate-oidc-issuer', spec.certificateOidcIssuer],
        ['--certificate-oidc-issuer-regexp', spec.certificateOidcIssuerRegexp]
    ];
    for (const [flag, value] of pairs)
        if (value !== undefined)
            args.push(flag, value);
    return [...args, ...cosignRegistryFlags(insecure), reference];
}
/**
 * The digests the payloads of a successful `cosign verify` name
 * (`critical.image.docker-manifest-digest`): cosign checks each against the
 * digest it resolved, so they are the digest that was verified.
 */
function verifiedDigests(stdout) {
    const found = new Set();
    // cosign prints one JSON array; older versions a line per payload.
    const texts = stdout.trim().startsWith('[') ? [stdout] : stdout.split('\n');
    for (const text of texts) {
        if (!text.trim())
            continue;
        let value;
        try {
            value = JSON.parse(text);
        }
        catch {
            continue;
        }
        for (const item of Array.isArray(value) ? value : [value]) {
            const digest = item?.critical
                ?.image?.['docker-manifest-digest'];
            if (typeof digest === 'string' && cosign_DIGEST.test(digest))
                found.add(digest);
        }
    }
    return [...found];
}
/**
 * What cosign said that matters: its error without the warnings it prints on
 * every offline run and the line that repeats the error.
 */
function cosignSaid(stderr, stdout = '') {
    const lines = stderr
        .split('\n')
        .map(l => l.trim())
        .filter(l => l && !/^WARNING:/.test(l) && !/^error during command execution:/.test(l));
    return lines.join('\n') || stdout.trim() || '(no output)';
}
/** Why cosign refused an image, from what it printed; the reason says it in words. */
function verifyFailureOf(said) {
    const s = said.toLowerCase();
    if (/none of the expected identities matched|expected oidc issuer not found|certificate identity|no matching issuer|issuer .* not found/.test(s))
        return {
            kind: 'identity-mismatch',
            reason: 'it is signed, but not by the expected identity and issuer (identity mismatch)'
        };
    if (/no signatures found|no matching signatures: *$|signatures? not found/.test(s) &&
        !/invalid signature|verification error/.test(s))
        return { kind: 'no-signature', reason: 'it has no signature (no signature)' };
    if (/invalid signature|verification error|failed to verify signature|crypto\/ecdsa|signature verification failed/.test(s))
        return {
            kind: 'wrong-key',
            reason: 'its signatures do not verify with the given public key (wrong key)'
        };
    if (/manifest_unknown|manifest unknown|name_unknown|not found in registry|entity not found/.test(s))
        return { kind: 'not-found', reason: 'the registry has no such image' };
    if (/rekor|tlog|transparency log|bundle/.test(s))
        return { kind: 'tlog', reason: 'its transparency-log entry could not be checked' };
    if (/dial tcp|no such host|connection refused|network is unreachable|i\/o timeout|tls:/.test(s))
        return { kind: 'network', reason: 'cosign could not reach the registry or a service it needs' };
    return { kind: 'other', reason: 'cosign refused it' };
}
/** What cosign says about a failed signing, in words with the fix. */
function signFailureOf(said) {
    const s = said.toLowerCase();
    if (/decrypt|incorrect password|wrong password|password/.test(s) &&
        /decrypt|incorrect|invalid/.test(s))
        return 'the key could not be decrypted: check the key password (COSIGN_PASSWORD)';
    if (/getting credentials|unauthorized|denied|authentication required/.test(s))
        return 'the registry refused cosign: log in to it in the step (registry inputs) so cosign can write the signature';
    if (/no such file|could not read|reading key|loading key|not a valid|unsupported pem/.test(s))
        return 'the key could not be read: give the path of a cosign private key (cosign generate-key-pair) or env://VARIABLE';
    return undefined;
}

;// CONCATENATED MODULE: ./src/nerdctl/ops/cosign.ts
// Signing and verifying images with cosign, through the client's chokepoint
// (its sudo, environment, time limits, abort and redaction). What is signed
// and verified is always a digest (`repo@sha256:…`): an index digest covers
// every platform and the attestations BuildKit put beside them, and a tag
// moved after verification cannot change what runs. With a key nothing leaves
// the machine: no transparency-log upload or lookup unless asked for.











/** An image that failed verification; `failure` says why in one word. */
class VerificationError extends NerdctlError {
    image;
    failure;
    constructor(image, failure, message, stderr) {
        super('CommandFailed', message, { stderr });
        this.name = 'VerificationError';
        this.image = image;
        this.failure = failure;
    }
}
const found = new Map();
/**
 * The cosign binary as an absolute path, looked up once (a name on PATH, or
 * a path); a clear error when it is not there.
 */
function cosignProgram(name = 'cosign') {
    const known = found.get(name);
    if (known)
        return known;
    const path = findProgram(name);
    if (!path)
        throw new NerdctlError('CommandExecutionFailed', `cosign (${name}) was not found${name.includes('/') ? '' : ' on PATH'}: install cosign v2 ` +
            '(scripts/cosign.sh builds it, or sigstore/cosign-installer in a workflow) or name the binary');
    found.set(name, path);
    return path;
}
let trustedRoot;
/**
 * The file holding EMPTY_TRUSTED_ROOT: written once per process (it holds
 * nothing secret) in a directory of its own, removed when the process exits.
 */
function emptyTrustedRoot() {
    trustedRoot ??= (async () => {
        const dir = await (0,promises_.mkdtemp)((0,external_node_path_.join)((0,external_node_os_.tmpdir)(), 'cosign-root-'));
        process.once('exit', () => (0,external_node_fs_.rmSync)(dir, { recursive: true, force: true }));
        const file = (0,external_node_path_.join)(dir, 'trusted-root.json');
        await (0,promises_.writeFile)(file, EMPTY_TRUSTED_ROOT, { mode: 0o644 });
        return file;
    })();
    return trustedRoot;
}
/** Variables cosign reads for keyless signing in GitHub Actions: kept across sudo, never logged. */
const KEYLESS_ENV = [
    'ACTIONS_ID_TOKEN_REQUEST_URL',
    'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
    'SIGSTORE_ID_TOKEN'
];
function runCosign(args, image, options, quietEnv, secrets) {
    return nerdctl(args, options, {
        program: cosignProgram(options.cosign),
        allowFailure: true,
        // In the child's environment only (through sudo as `sudo -E`, whose log
        // holds no values): never on its command line.
        quietEnv,
        secrets,
        registry: registryOf(image),
        maxOutputBytes: 4 * 1024 * 1024
    });
}
function insecure(image, options) {
    return insecureFor(clientOf(options).options.insecureRegistries, registryOf(image));
}
/**
 * Signs `image` by digest: `image@digest` when `digest` is given (the one a
 * push reported), or the digest `image` already holds. Returns where the
 * signature went.
 */
async function imageSign(image, options) {
    checkImageReference(image);
    const digest = options.digest ?? referenceParts(image).digest;
    if (!digest)
        throw new NerdctlError('Other', `cannot sign ${image}: no digest (sign what a push reported, image@sha256:…), never a tag`, { field: 'digest' });
    checkDigest(digest);
    const pinned = pinnedReference(image, digest);
    const args = cosignSignArgs(pinned, options, insecure(image, options));
    const quiet = {};
    const secrets = [];
    if ('key' in options.signing) {
        // Always set, so cosign never waits at a password prompt; an unset
        // password is the caller's own COSIGN_PASSWORD, or the empty one.
        const password = options.signing.password ?? process.env.COSIGN_PASSWORD ?? '';
        quiet.COSIGN_PASSWORD = password;
        secrets.push(password);
    }
    else {
        for (const name of KEYLESS_ENV) {
            const value = process.env[name];
            if (value === undefined)
                continue;
            quiet[name] = value;
            if (name !== 'ACTIONS_ID_TOKEN_REQUEST_URL')
                secrets.push(value);
        }
    }
    const result = await runCosign(args, image, options, quiet, secrets);
    if (result.exitCode !== 0) {
        const said = tail(cosignSaid(result.stderr, result.stdout), 800);
        const why = signFailureOf(said);
        throw new NerdctlError('CommandFailed', `cosign could not sign ${pinned}${why ? `: ${why}` : ''}. cosign ${formatArgv(args)} said: ${said}`, { args, exitCode: result.exitCode, stderr: result.stderr, stdout: result.stdout });
    }
    return { reference: image, digest, signature: signatureReference(image, digest) };
}
/**
 * Verifies the signature of `image` with cosign and returns the digest it
 * covers: a tag is resolved by cosign and the digest read back from the
 * payloads that verified, so what is returned is exactly what was checked.
 * Pull and run `pinned`. Throws VerificationError naming the image and why.
 */
async function imageVerify(image, options) {
    checkImageReference(image);
    // The spec is checked before anything is written.
    cosignVerifyArgs(image, options);
    // Offline (a key, no log): an empty trusted root, so cosign looks nothing up.
    const root = verifiesOffline(options) ? await emptyTrustedRoot() : undefined;
    const args = cosignVerifyArgs(image, options, insecure(image, options), root);
    const result = await runCosign(args, image, options, {}, []);
    const asked = referenceParts(image).digest;
    if (result.exitCode !== 0) {
        const said = tail(cosignSaid(result.stderr, result.stdout), 800);
        const { kind, reason } = verifyFailureOf(said);
        throw new VerificationError(image, kind, `image ${image} failed cosign verification: ${reason}. cosign said: ${said}`, result.stderr);
    }
    const digests = verifiedDigests(result.stdout);
    const [digest] = digests;
    // One digest, and the one asked for when the reference named one.
    if (!digest || digests.length > 1 || (asked !== undefined && digest !== asked))
        throw new VerificationError(image, 'other', `image ${image}: cosign verified, but its output names ${digests.length === 0 ? 'no digest' : digests.join(', ')}` +
            `${asked ? ` (asked for ${asked})` : ''}: refusing to run it`, result.stderr);
    return { reference: image, digest, pinned: pinnedReference(image, digest) };
}

;// CONCATENATED MODULE: ./src/nerdctl/pure/rootless.ts
/**
 * The cgroup manager rootless nerdctl uses: as nerdctl's defaults
 * (pkg/defaults/cgroup_linux.go) decide, "systemd" on cgroup v2 with systemd,
 * "none" otherwise, unless one is set.
 */
function rootlessCgroupManager(facts) {
    if (facts.cgroupManager)
        return facts.cgroupManager;
    return facts.cgroupV2 && facts.systemd ? 'systemd' : 'none';
}
/** Whether resource limits take effect for rootless containers on this host. */
function rootlessLimitsApply(facts) {
    return rootlessCgroupManager(facts) !== 'none';
}
/** nerdctl run flags that ask for a cgroup limit (or a cgroup); long names, and the short -m and -c. */
const LIMIT_FLAGS = new Set([
    'cpus',
    'cpu-quota',
    'cpu-period',
    'cpu-shares',
    'cpuset-cpus',
    'cpuset-mems',
    'cpu-rt-period',
    'cpu-rt-runtime',
    'memory',
    'memory-reservation',
    'memory-swap',
    'memory-swappiness',
    'kernel-memory',
    'oom-kill-disable',
    'pids-limit',
    'blkio-weight',
    'blkio-weight-device',
    'device-read-bps',
    'device-write-bps',
    'device-read-iops',
    'device-write-iops',
    'cgroup-parent'
]);
const SHORT_LIMIT_FLAGS = new Set(['m', 'c']);
/** The limit flags among extra nerdctl flags, as the user wrote them (`--memory`, `-m`). */
function limitFlagsIn(extraArgs) {
    const out = [];
    for (const arg of extraArgs) {
        if (arg === '--')
            break;
        if (arg.startsWith('--')) {
            const name = arg.slice(2).split('=')[0] ?? '';
            if (LIMIT_FLAGS.has(name))
                out.push(`--${name}`);
        }
        else if (arg.startsWith('-') && arg.length >= 2 && SHORT_LIMIT_FLAGS.has(arg[1])) {
            out.push(arg.slice(0, 2));
        }
    }
    return out;
}
/** The limits a spec asks for: its fields by option name, then the flags among its extra args. */
function limitsOf(spec) {
    const fields = [
        ['cpuLimit', spec.cpuLimit],
        ['memoryLimit', spec.memoryLimit],
        ['memorySwapLimit', spec.memorySwapLimit],
        ['cpuShares', spec.cpuShares]
    ];
    return [
        ...fields.filter(([, v]) => v !== undefined && v !== '').map(([k]) => k),
        ...limitFlagsIn(spec.extraArgs ?? [])
    ];
}
/**
 * Reads `[ip:][hostPort[-end]:]containerPort[-end][/proto]`, as nerdctl's
 * `-p` takes it (an IPv6 address in brackets); undefined when it is not one.
 */
function parsePublish(value) {
    const [body = '', protocol = 'tcp', ...more] = value.split('/');
    if (more.length > 0)
        return undefined;
    let rest = body;
    if (rest.startsWith('[')) {
        const end = rest.indexOf(']:');
        if (end < 0)
            return undefined;
        rest = rest.slice(end + 2);
    }
    const parts = rest.split(':');
    if (parts.length > 3)
        return undefined;
    const container = parts[parts.length - 1] ?? '';
    const host = parts.length >= 2 ? (parts[parts.length - 2] ?? '') : '';
    if (!/^\d+(-\d+)?$/.test(container) || !/^(\d+(-\d+)?)?$/.test(host))
        return undefined;
    return {
        hostPort: Number.parseInt(host || '0', 10),
        containerPort: Number.parseInt(container, 10),
        protocol
    };
}
/**
 * A `-p` value that leaves the host port to nerdctl (`80`, `127.0.0.1::80`),
 * with `hostPort` filled in; undefined for any other (a host port given, a
 * range, not a `-p` value). Rootless nerdctl cannot pick a host port itself.
 */
function withHostPort(value, hostPort) {
    const parsed = parsePublish(value);
    const [body = '', protocol] = value.split('/');
    if (!parsed || parsed.hostPort !== 0 || body.includes('-'))
        return undefined;
    const suffix = protocol === undefined ? '' : `/${protocol}`;
    const cut = body.lastIndexOf(':');
    // `80` -> `PORT:80`; `IP::80` -> `IP:PORT:80`.
    if (cut < 0)
        return `${hostPort}:${body}${suffix}`;
    const before = body.slice(0, cut);
    const ip = before.endsWith(':') ? before.slice(0, -1) : before;
    return `${ip ? `${ip}:` : ''}${hostPort}:${body.slice(cut + 1)}${suffix}`;
}
/** The host address a `-p` value binds (`127.0.0.1`, `::1`), '' for every address. */
function publishHost(value) {
    const body = value.split('/')[0] ?? '';
    if (body.startsWith('['))
        return body.slice(1, body.indexOf(']'));
    const parts = body.split(':');
    return parts.length === 3 ? (parts[0] ?? '') : '';
}
/** The container TCP ports a spec publishes on the host. */
function publishedPortsOf(spec) {
    return (spec.ports ?? [])
        .map(parsePublish)
        .filter((p) => p !== undefined && p.protocol === 'tcp')
        .map(p => p.containerPort);
}
/** Why `nerdctl` is rootless, for the start of every message. */
const ROOTLESS = 'nerdctl runs rootless here (the runner user is not root and has its own containerd)';
/** The limits problem, or undefined. */
function limitsProblem(spec, facts) {
    const limits = limitsOf(spec);
    if (limits.length === 0 || rootlessLimitsApply(facts))
        return undefined;
    const host = facts.cgroupV2 ? 'cgroup v2 without systemd' : 'cgroup v1';
    return {
        topic: 'limits',
        message: `${limits.join(', ')}: ${ROOTLESS} and this host has ${host}, so nerdctl's cgroup manager is "none" ` +
            'and it would drop every resource limit with a warning. Remove the limits, or run on a cgroup v2 host ' +
            'with systemd that delegates the cpu, memory and pids controllers to the user (https://rootlesscontaine.rs/getting-started/common/cgroup2/).'
    };
}
/** The published ports below the host's unprivileged start, as problems. */
function portProblems(spec, facts) {
    const start = facts.unprivilegedPortStart;
    return (spec.ports ?? [])
        .filter(p => {
        const port = parsePublish(p);
        return port !== undefined && port.hostPort > 0 && port.hostPort < start;
    })
        .map(p => ({
        topic: 'ports',
        message: `${p}: ${ROOTLESS}, and binding host port ${parsePublish(p)?.hostPort} needs ` +
            `net.ipv4.ip_unprivileged_port_start at most that port (it is ${start}). Publish a host port of ${start} or more ` +
            '(e.g. 8080:80), or have the administrator lower net.ipv4.ip_unprivileged_port_start (sysctl).'
    }));
}
/**
 * The ports a readiness wait needs reached from the runner that the spec does
 * not publish: rootless containers' own addresses live in rootlesskit's
 * network namespace, which the runner cannot reach.
 */
function readinessProblems(spec, readiness) {
    const published = new Set(publishedPortsOf(spec));
    const needed = [...(readiness.ports ?? []), ...(readiness.http ? [readiness.http.port] : [])];
    return [...new Set(needed)]
        .filter(p => !published.has(p))
        .map(p => ({
        topic: 'readiness',
        message: `port ${p} is checked from the runner but not published: ${ROOTLESS}, and its containers' addresses ` +
            `are inside rootlesskit's network namespace, which the runner cannot reach. Publish it (e.g. 127.0.0.1::${p}) ` +
            'or check it with exec from inside the container.'
    }));
}
/** Everything in a container's spec (and its readiness wait) that cannot work rootless here. */
function rootlessProblems(spec, readiness, facts) {
    const limits = limitsProblem(spec, facts);
    return [
        ...(limits ? [limits] : []),
        ...portProblems(spec, facts),
        ...(readiness ? readinessProblems(spec, readiness) : [])
    ];
}
/** Why `nerdctl stats` cannot sample rootless containers here, or undefined when it can. */
function rootlessStatsProblem(facts) {
    if (facts.cgroupV2)
        return undefined;
    return (`${ROOTLESS} and this host has cgroup v1: nerdctl reads rootless containers' resource use from cgroup v2 only ` +
        '("stats requires cgroup v2 for rootless containers"). Leave stats off, or run on a cgroup v2 host.');
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

;// CONCATENATED MODULE: ./src/nerdctl/ops/env-file.ts
// How a container's environment reaches one nerdctl call (`run`, `create`,
// `exec`) without its values on nerdctl's command line, where any user of the
// machine reads them in /proc: a private env file for the values it carries
// exactly, nerdctl's own environment (`-e NAME`) for the rest. One home, so
// `exec` cannot drift back to `-e NAME=VALUE`.





/**
 * Writes the env file, when one is needed, alone in a directory made for this
 * call (mkdtemp: mode 0700, under TMPDIR, which the action points at its
 * step's scratch directory, so a killed step's file goes with it), the file
 * itself 0600: only its owner reads it, and root, for nerdctl through sudo.
 * Checks every variable first, so a bad one writes nothing.
 */
async function prepareEnv(env, client) {
    const sudo = client.options.sudo === true;
    const made = containerEnv(env, { sudo });
    // The client's own variables are nerdctl's settings; a container's value
    // under the same name would replace them.
    for (const [name] of made.byName) {
        if (client.options.env?.[name] !== undefined)
            throw invalidValue('env', `environment variable ${name}: its value cannot go in an env file, and the client sets ${name} for nerdctl itself: ` +
                'give a value on one line without white space at its end');
    }
    const byName = made.byName.map(([k]) => k);
    const exec = made.byName.length > 0 ? { quietEnv: Object.fromEntries(made.byName) } : {};
    if (made.file === '')
        return { args: { sudo }, byName, exec, remove: async () => { } };
    const dir = await (0,promises_.mkdtemp)((0,external_node_path_.join)((0,external_node_os_.tmpdir)(), 'nerdctl-env-'));
    const remove = () => (0,promises_.rm)(dir, { recursive: true, force: true });
    const envFile = (0,external_node_path_.join)(dir, 'env');
    try {
        await (0,promises_.writeFile)(envFile, made.file, { mode: 0o600, flag: 'wx' });
    }
    catch (e) {
        await remove();
        throw e;
    }
    return { args: { sudo, envFile }, byName, exec, remove };
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
        throw new NerdctlError('Other', 'exec needs a command: give a shell string or an argv array');
    }
    checkContainerRef(container);
    // Values as `run` passes them: never on nerdctl's command line.
    const env = await prepareEnv(options.env, clientOf(options));
    try {
        const args = ['exec'];
        if (options.input !== undefined)
            args.push('-i');
        if (options.user)
            args.push('--user', options.user);
        if (options.workdir)
            args.push('--workdir', options.workdir);
        if (env.args.envFile)
            args.push('--env-file', env.args.envFile);
        for (const name of env.byName)
            args.push('-e', name);
        args.push(container, ...argv);
        // A command may print without end: only a tail of it is kept.
        const extra = {
            allowFailure: true,
            longRunning: true,
            maxOutputBytes: options.maxOutputBytes ?? EXEC_OUTPUT_BYTES,
            ...env.exec
        };
        if (options.input !== undefined)
            extra.input = options.input;
        const result = execExitCode(await nerdctl(args, options, extra));
        if (result.exitCode !== 0 && !options.allowFailure) {
            throw commandFailed(args, result.exitCode, result.stderr, result.stdout);
        }
        return result;
    }
    finally {
        await env.remove();
    }
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
        throw new NerdctlError('Other', `copy "${source}" -> "${dest}": exactly one side must be a container path like "name:/path" and the other a host path`);
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
        await unpackOutput(dest, archive, { intoDirectory: pathBase(from.path), contents, ...outputGuard(options) }, options);
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
        throw new NerdctlError('JsonParseError', `nerdctl stats printed nothing for ${container}`, {
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
    await atomicOutput(path, outputGuard(options), async (tmp) => {
        await nerdctl(['export', container], options, { longRunning: true, stdoutFile: tmp });
    });
}
/**
 * `nerdctl wait`: blocks until the container stops and returns its exit
 * code. Long work: bounded only by the call's own time limit or signal.
 */
async function waitExit(container, options = {}) {
    checkContainerRef(container);
    const { stdout } = await nerdctl(['wait', container], options, { longRunning: true });
    const code = Number(stdout.trim().split('\n').pop());
    if (!Number.isInteger(code))
        throw new NerdctlError('ConversionError', `nerdctl wait printed no exit code for ${container}`, {
            text: stdout
        });
    return code;
}

// EXTERNAL MODULE: external "node:dgram"
var external_node_dgram_ = __webpack_require__(1314);
// EXTERNAL MODULE: external "node:net"
var external_node_net_ = __webpack_require__(7030);
;// CONCATENATED MODULE: ./src/nerdctl/ops/rootless.ts
// The host facts rootless rules need (pure/rootless.ts), read from files, and
// where a user's rootless containerd is: no nerdctl call, so knowing costs a
// few stat calls and nothing on steps that never ask.






/** Linux's default when the sysctl cannot be read. */
const DEFAULT_UNPRIVILEGED_PORT_START = 1024;
function isDirectory(path) {
    try {
        return (0,external_node_fs_.statSync)(path).isDirectory();
    }
    catch {
        return false;
    }
}
/** `cgroup_manager = "…"` in nerdctl.toml, if set. */
function configuredCgroupManager(toml) {
    return /^\s*cgroup_manager\s*=\s*"([^"]*)"/m.exec(toml)?.[1] || undefined;
}
/** nerdctl's config file for this client: NERDCTL_TOML, else the rootless user's own. */
function nerdctlToml(client) {
    const path = client.options.env?.NERDCTL_TOML ??
        process.env.NERDCTL_TOML ??
        (0,external_node_path_.join)(process.env.XDG_CONFIG_HOME || (0,external_node_path_.join)(process.env.HOME || (0,external_node_os_.homedir)(), '.config'), 'nerdctl/nerdctl.toml');
    try {
        return (0,external_node_fs_.readFileSync)(path, 'utf8');
    }
    catch {
        return '';
    }
}
/** The facts of this host for rootless containers of `client`. */
function rootlessHostFacts(client) {
    let start = DEFAULT_UNPRIVILEGED_PORT_START;
    try {
        const n = Number.parseInt((0,external_node_fs_.readFileSync)('/proc/sys/net/ipv4/ip_unprivileged_port_start', 'utf8'), 10);
        if (Number.isInteger(n))
            start = n;
    }
    catch {
        // not Linux, or /proc hidden: the kernel's default
    }
    return {
        cgroupV2: (0,external_node_fs_.existsSync)('/sys/fs/cgroup/cgroup.controllers'),
        systemd: isDirectory('/run/systemd/system'),
        cgroupManager: client.options.cgroupManager ?? configuredCgroupManager(nerdctlToml(client)),
        unprivilegedPortStart: start
    };
}
/**
 * The state directory of the rootless containerd of the user this process
 * runs as, where nerdctl looks for it (ROOTLESSKIT_STATE_DIR, else
 * $XDG_RUNTIME_DIR/containerd-rootless), when rootlesskit's child is there
 * (its `child_pid` file, which nerdctl enters); undefined as root or when
 * none runs.
 */
function rootlessStateDir(env = process.env, euid = process.geteuid?.()) {
    if (euid === undefined || euid === 0)
        return undefined;
    const dir = env.ROOTLESSKIT_STATE_DIR ||
        (env.XDG_RUNTIME_DIR ? (0,external_node_path_.join)(env.XDG_RUNTIME_DIR, 'containerd-rootless') : undefined);
    return dir && (0,external_node_fs_.existsSync)((0,external_node_path_.join)(dir, 'child_pid')) ? dir : undefined;
}
/** A port free on `host` ('' for every address) right now, for TCP or UDP. */
function freePort(host, protocol) {
    const address = host || (protocol === 'udp' ? '0.0.0.0' : '0.0.0.0');
    return new Promise((resolve, reject) => {
        if (protocol === 'udp') {
            const socket = (0,external_node_dgram_.createSocket)(address.includes(':') ? 'udp6' : 'udp4');
            socket.once('error', reject);
            socket.bind(0, address, () => {
                const { port } = socket.address();
                socket.close(() => resolve(port));
            });
            return;
        }
        const server = (0,external_node_net_.createServer)();
        server.once('error', reject);
        server.listen(0, address, () => {
            const a = server.address();
            server.close(() => typeof a === 'object' && a ? resolve(a.port) : reject(new Error('no port')));
        });
    });
}
/**
 * The spec with a host port picked for each `-p` that leaves it to nerdctl:
 * rootless nerdctl refuses those ("automatic port allocation is not
 * implemented for rootless mode"). A port free now may be taken before
 * rootlesskit binds it; nerdctl then fails with "address already in use".
 */
async function withRootlessHostPorts(spec) {
    if (!spec.ports?.some(p => parsePublish(p)?.hostPort === 0))
        return spec;
    const ports = await Promise.all(spec.ports.map(async (p) => {
        const parsed = parsePublish(p);
        if (!parsed || parsed.hostPort !== 0)
            return p;
        return withHostPort(p, await freePort(publishHost(p), parsed.protocol)) ?? p;
    }));
    return { ...spec, ports };
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
/**
 * `nerdctl run` of a full spec (what Container.build uses). The env reaches
 * nerdctl through a private env file, removed when nerdctl returns (for a
 * foreground run, when the program ends), and never on its command line.
 */
async function runSpec(given, options = {}) {
    // Verified first: what runs is the digest that verified, never the tag again.
    const verified = options.verify
        ? {
            ...given,
            image: (await imageVerify(given.image, { ...options, ...options.verify })).pinned
        }
        : given;
    const spec = await rootlessSpec(verified, clientOf(options));
    const env = await prepareSpecEnv(spec, clientOf(options));
    try {
        return await runPrepared(spec, env, options);
    }
    finally {
        await env.remove();
    }
}
async function runPrepared(spec, env, options) {
    const labelled = withClientLabels(spec, clientOf(options));
    if (spec.detach !== false) {
        const args = runArgs(labelled, 'run', env.args);
        // A run may pull its image (long work); the registry matters for `insecureRegistries`.
        const result = await nerdctl(args, options, {
            registry: registryOf(spec.image),
            longRunning: true,
            ...env.exec
        });
        return { ...result, containerId: containerIdOf(result, args) };
    }
    // A foreground run's output is the program's, so its ID comes from a file:
    // nerdctl writes the ID it picked before it makes the container, in a
    // directory of this run's own (a fresh file: nerdctl refuses one that exists).
    // The spec was checked by prepareSpecEnv, before this directory is made.
    const dir = await (0,promises_.mkdtemp)((0,external_node_path_.join)((0,external_node_os_.tmpdir)(), 'nerdctl-run-'));
    try {
        const cidfile = (0,external_node_path_.join)(dir, 'cid');
        // Last, so that it is the --cidfile nerdctl reads whatever extraArgs hold.
        const args = runArgs({ ...labelled, extraArgs: [...(labelled.extraArgs ?? []), '--cidfile', cidfile] }, 'run', env.args);
        const result = await nerdctl(args, options, {
            allowFailure: true,
            registry: registryOf(spec.image),
            longRunning: true,
            ...env.exec,
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
/**
 * The spec as a rootless nerdctl can run it: refused, before nerdctl runs, for
 * what it cannot do here (limits it would drop with a warning on cgroup v1,
 * host ports the user may not bind), and with host ports picked where the
 * spec leaves them to nerdctl, which rootless cannot pick them.
 */
async function rootlessSpec(spec, client) {
    if (!client.rootless)
        return spec;
    const [first] = rootlessProblems(spec, undefined, rootlessHostFacts(client));
    if (first)
        throw invalidValue(first.topic, first.message);
    return withRootlessHostPorts(spec);
}
function withClientLabels(spec, client) {
    const own = client.options.labels ?? [];
    return own.length === 0 ? spec : { ...spec, labels: [...own, ...(spec.labels ?? [])] };
}
/** `nerdctl create` of a spec: the container exists, stopped. Returns its ID. */
async function create(given, options = {}) {
    const spec = await rootlessSpec(given, clientOf(options));
    const env = await prepareSpecEnv(spec, clientOf(options));
    try {
        const args = runArgs(withClientLabels(spec, clientOf(options)), 'create', env.args);
        const result = await nerdctl(args, options, {
            registry: registryOf(spec.image),
            longRunning: true,
            ...env.exec
        });
        return containerIdOf(result, args);
    }
    finally {
        await env.remove();
    }
}
/** The spec checked first, so a bad one writes no env file. */
async function prepareSpecEnv(spec, client) {
    validateSpec(spec);
    return prepareEnv(spec.env, client);
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
        await atomicOutput(options.file, outputGuard(options), async (tmp) => {
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
        throw new NerdctlError('JsonParseError', `nerdctl image inspect printed no image for ${image}`, { text: stdout });
    return toImageDetails(i);
}
/** Whether an image is in the local store. */
async function imageExists(image, options = {}) {
    checkImageReference(image);
    const r = await nerdctl(['image', 'inspect', image], options, { allowFailure: true });
    return r.exitCode === 0;
}
/**
 * `nerdctl pull`, tried again on a transient registry failure (`retry`).
 * With `verify`, the image's cosign signature is verified first and the
 * verified digest (`repo@digest`) is what is pulled, never the tag again.
 */
async function imagePull(image, options = {}) {
    checkImageReference(image);
    const verified = options.verify
        ? await imageVerify(image, { ...options, ...options.verify })
        : undefined;
    const ref = verified?.pinned ?? image;
    const args = ['pull'];
    if (options.platform)
        args.push('--platform', options.platform);
    if (options.quiet)
        args.push('--quiet');
    const result = await registryCall(`pull ${ref}`, [...args, ref], registryOf(ref), options);
    return verified ? { ...result, verified } : result;
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
    let result;
    try {
        result = await registryCall(`push ${reference}`, [...args, reference], registryOf(reference), options);
    }
    catch (e) {
        // nerdctl tags a single-platform copy for the push and deletes it when the
        // push returns; a push killed midway (time limit, cancelled step) never
        // returns, and the copy would stay in the store for good.
        if (!options.allPlatforms && (isNerdctlError(e, 'Timeout') || isNerdctlError(e, 'Cancelled'))) {
            await removeReducedCopy(reference, options);
        }
        throw e;
    }
    // Progress lines are read from their start: stderr's last line may lack its newline.
    return { ...result, reference, digest: pushedDigest(`${result.stderr}\n${result.stdout}`) };
}
/** The name nerdctl gives its single-platform copy of REFERENCE during a push. */
function reducedCopyName(reference) {
    const lastPart = reference.slice(reference.lastIndexOf('/') + 1);
    return `${lastPart.includes(':') ? reference : `${reference}:latest`}-tmp-reduced-platform`;
}
async function removeReducedCopy(reference, options) {
    const name = reducedCopyName(reference);
    // Not the call's own signal: it has fired. A short bounded call of its own,
    // best effort: the push's error is what the caller must see.
    const own = { client: options.client, timeoutMs: 15_000 };
    if (await imageExists(name, own).catch(() => false))
        await imageRemove(name, own).catch(() => undefined);
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
/**
 * Whether nerdctl can pause a container for a commit: not rootless without
 * cgroups (cgroup v1, or v2 without systemd), where runc has no freezer
 * ("cannot toggle freezer: cgroups not configured for container"); there the
 * commit copies the running container as `--pause=false` does.
 */
function canFreeze(client) {
    if (!client.rootless || rootlessLimitsApply(rootlessHostFacts(client)))
        return true;
    client.logger.info('commit: not pausing the container (rootless without cgroups: no freezer)');
    return false;
}
async function imageCommit(container, imageName, options = {}) {
    checkImageReference(imageName, 'image name');
    const args = ['commit'];
    if (options.message)
        args.push('--message', options.message);
    if (options.author)
        args.push('--author', options.author);
    for (const c of options.changes ?? [])
        args.push('--change', c);
    if ((options.pause ?? canFreeze(clientOf(options))) === false)
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
                // quietEnv: through sudo, --preserve-env would put each value in sudo's log.
                ...(Object.keys(env).length > 0 ? { quietEnv: env } : {})
            });
            return { args, result };
        };
        let ran;
        if (exporter.dest && exporter.type === 'local') {
            const archive = (0,external_node_path_.join)(dir, 'output.tar');
            ran = await run(archive);
            await unpackOutput(exporter.dest, archive, { contents: true, ...outputGuard(options) }, options);
        }
        else if (exporter.dest) {
            await atomicOutput(exporter.dest, outputGuard(options), async (tmp) => {
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
            throw new NerdctlError('Other', `nerdctl build succeeded but wrote no image ID (iidfile ${imageId ? `held "${imageId}"` : 'missing'}): ` +
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
            // Given to nerdctl explicitly so that sudo, which resets the environment,
            // keeps it (as a quiet variable: sudo logs what --preserve-env names).
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
        throw new NerdctlError('Other', 'save needs at least one image');
    for (const i of list)
        checkImageReference(i);
    const args = ['save'];
    if (options.platform)
        args.push('--platform', options.platform);
    if (options.allPlatforms)
        args.push('--all-platforms');
    // Streamed into a file this process creates: it is the user's, even when
    // nerdctl runs through sudo.
    const save = async (call) => {
        await atomicOutput(path, outputGuard(options), async (tmp) => {
            await nerdctl([...args, ...list], call, { longRunning: true, stdoutFile: tmp });
            // Checked before the archive takes its name: seen under load, a save
            // that exited 0 had written an archive cut short (no index.json).
            const { names, whole } = await archiveMembers(tmp);
            if (!whole || !names.has('index.json'))
                throw new NerdctlError('CommandFailed', `nerdctl save ${list.join(' ')} exited 0 but wrote an archive that is ${whole ? 'without index.json' : 'cut short'}; nothing was written to ${path}`);
        });
    };
    await withRetry(`save ${list.join(' ')}`, options, async (call) => {
        try {
            await save(call);
        }
        catch (e) {
            // Once more for a cut archive (nothing replaced the target); any other failure is the caller's.
            if (!(e instanceof NerdctlError && /exited 0 but wrote an archive/.test(e.message)))
                throw e;
            await save(call);
        }
    });
}
/**
 * `nerdctl load`: images from a tarball. Returns nerdctl's report. containerd
 * also keeps each archive's index under a name `import@sha256:…`; those this
 * load created are removed, so a load leaves only the images it names.
 */
async function imageLoad(path, options = {}) {
    // Filtered here, not with `--filter reference=`: nerdctl fails that filter
    // outright ("invalid reference format") once the store holds a
    // `<none>@sha256:…` name, which an untagged `nerdctl build` leaves.
    const importNames = async () => new Set((await images_images(options)).map(i => i.name).filter(n => n.startsWith('import@sha256:')));
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
        throw new NerdctlError('Other', 'login needs a username');
    if (!options.password)
        throw new NerdctlError('Other', 'login needs a password (or token)');
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

;// CONCATENATED MODULE: ./src/nerdctl/ops/health.ts
// The health check as a readiness check (see ops/readiness.ts for the loop
// that drives it, and waitForHealthy).
//
// A health command is a shell snippet run by nerdctl as `/bin/sh -c CMD` INSIDE
// the container (Docker's CMD-SHELL). A multi-line script is passed the same
// way, newlines and all: argv never goes through a host shell, so it reaches
// the container intact.
//
// Probes: nerdctl runs them on a timer only with systemd as PID 1; elsewhere
// nothing probes unless someone runs `nerdctl container healthcheck`. The
// check therefore drives the recorded probes itself at the container's
// interval, so `unhealthy` keeps its meaning (retries x interval after the
// start period). To not make anyone wait a whole interval for a service that is
// already up, each look in between runs the same command through `nerdctl
// exec`: a quick check, not recorded, which cannot make the container
// unhealthy; as soon as one passes a recorded probe follows, so the container's
// own status says healthy. Every quick check's exit code and output is kept
// for the message of a wait that ends without ready.
//
// A `fresh` check (the health pass that follows the ports in the client rule)
// needs a pass from a probe it ran itself: a status already healthy, from a
// probe run before the ports accepted, does not count. Its first look, which
// comes right after a port started to accept, runs the recorded probe at once
// (one nerdctl call instead of a quick check and then a probe) when one more
// failure cannot make the container unhealthy.








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
 * Whether nerdctl runs health probes on systemd timers here: it does when
 * systemd is PID 1 (`/run/systemd/system` exists), nerdctl runs as root (not
 * rootless), and its config does not set `disable_hc_systemd`.
 */
async function nerdctlRunsProbes(client) {
    const rootless = client.rootless;
    const config = client.options.env?.NERDCTL_TOML ??
        process.env.NERDCTL_TOML ??
        (rootless ? (0,external_node_path_.join)((0,external_node_os_.homedir)(), '.config/nerdctl/nerdctl.toml') : '/etc/nerdctl/nerdctl.toml');
    return probesOnNerdctlTimer({
        systemdIsInit: await (0,promises_.stat)('/run/systemd/system').then(s => s.isDirectory(), () => false),
        rootless,
        config: await (0,promises_.readFile)(config, 'utf8').catch(() => '')
    });
}
/** The health check of a container as a readiness check. */
function healthCheck(o) {
    const { ref, hc, call, ownTimer } = o;
    const intervalMs = hc.interval ? durationMs(hc.interval) : DEFAULT_HEALTH_INTERVAL_MS;
    const probeTimeoutMs = hc.timeout ? durationMs(hc.timeout) : DEFAULT_HEALTH_TIMEOUT_MS;
    const retries = hc.retries ?? DEFAULT_HEALTH_RETRIES;
    let nextRecorded;
    let looks = 0;
    let quickRuns = 0;
    let quickFails = 0;
    let lastQuick;
    const describe = (status) => {
        const lines = [];
        if (lastQuick)
            lines.push(`quick checks (nerdctl exec of the health command): ${quickRuns} run, ${quickFails} failed; the last: exit ${lastQuick.exitCode ?? 'none'}: ${tail(lastQuick.output, 300) || '(no output)'}`);
        lines.push(`recorded probes:\n${describeProbes(status.health?.log ?? [])}`);
        return lines.join('\n');
    };
    const unhealthy = (status) => `container ${status.name} is unhealthy after ${status.health?.failingStreak ?? 0} failed probe(s) of: ${hc.cmd}`;
    /** A recorded probe, then what the status it left says. */
    const recorded = async (context) => {
        const remaining = Math.max(1, context.deadline - context.clock.now());
        await healthcheck(ref, {
            ...call,
            signal: context.signal,
            // A probe that hangs ends with the wait, never past it.
            timeoutMs: Math.min(probeTimeoutMs + 10_000, remaining),
            allowFailure: true
        }).catch(() => undefined);
        nextRecorded = context.clock.now() + intervalMs;
        const status = await inspect(ref, call);
        if (status.healthStatus === 'healthy')
            return { ready: true, status };
        if (status.healthStatus === 'unhealthy')
            return { ready: false, fatal: unhealthy(status), detail: describe(status), status };
        return { ready: false, detail: describe(status), status };
    };
    /** The health command through `nerdctl exec`: recorded nowhere but here. */
    const quick = async (context) => {
        const remaining = Math.max(1, context.deadline - context.clock.now());
        quickRuns++;
        try {
            const r = await exec(ref, ['/bin/sh', '-c', hc.cmd], {
                ...call,
                signal: context.signal,
                timeoutMs: Math.min(probeTimeoutMs, remaining),
                allowFailure: true
            });
            lastQuick = { exitCode: r.exitCode, output: `${r.stdout}${r.stderr}`.trim() };
        }
        catch (e) {
            lastQuick = { exitCode: null, output: errorMessage(e) };
        }
        if (lastQuick.exitCode !== 0)
            quickFails++;
        return lastQuick.exitCode === 0;
    };
    return {
        name: o.fresh ? 'health (again)' : 'health',
        async look(context) {
            const status = context.status;
            const first = looks++ === 0;
            if (status.healthStatus === 'unhealthy')
                return { ready: false, fatal: unhealthy(status), detail: describe(status) };
            if (!o.fresh && status.healthStatus === 'healthy')
                return { ready: true };
            if (nextRecorded === undefined) {
                // Recorded probes keep Docker's rhythm: the first one interval after start.
                const started = Date.parse(status.started);
                nextRecorded = (Number.isNaN(started) ? context.clock.now() : started) + intervalMs;
            }
            const safe = (status.health?.failingStreak ?? 0) + 1 < retries;
            // With nerdctl's own timer, recording on ours too would count failures
            // twice as fast as the user's interval and retries say.
            if ((first && o.fresh && safe) || (!ownTimer && context.clock.now() >= nextRecorded))
                return recorded(context);
            if (!(await quick(context)))
                return { ready: false, detail: describe(status) };
            // A quick pass on a container already recorded healthy is a fresh pass.
            if (status.healthStatus === 'healthy')
                return { ready: true };
            return recorded(context);
        }
    };
}

;// CONCATENATED MODULE: ./src/nerdctl/ops/net-probes.ts
// Probes from this machine to a container's address on its network: a TCP
// connection, an HTTP GET. The readiness waiter's port and HTTP checks use
// them, and the health waiter watches published ports with the first to see a
// service start listening.



/**
 * Opens and closes a TCP connection; resolves to undefined, or why it failed.
 * `timeoutMs` bounds the whole attempt, and an abort of `signal` ends it at
 * once (nothing is left open to keep the process alive).
 */
function tcpProbe(host, port, timeoutMs = DEFAULT_NET_PROBE_TIMEOUT_MS, signal) {
    return new Promise(resolve => {
        if (signal?.aborted) {
            resolve('cancelled');
            return;
        }
        const socket = (0,external_node_net_.connect)({ host, port });
        const cancel = () => done('cancelled');
        const timer = setTimeout(() => done(`no answer within ${timeoutMs} ms`), timeoutMs);
        const done = (why) => {
            clearTimeout(timer);
            signal?.removeEventListener('abort', cancel);
            socket.destroy();
            resolve(why);
        };
        signal?.addEventListener('abort', cancel, { once: true });
        socket.once('connect', () => done(undefined));
        socket.once('error', e => done(e.message));
    });
}
/**
 * One GET; resolves to undefined when the answer is what the check expects,
 * else why not. `timeoutMs` bounds the whole exchange, not the quiet between
 * two packets: a server that drips its answer a byte at a time is cut off at
 * the limit, and an abort of `signal` ends it at once.
 */
async function httpProbe(host, check, timeoutMs = DEFAULT_NET_PROBE_TIMEOUT_MS, signal) {
    if (signal?.aborted)
        return 'cancelled';
    // Loaded on first use: node:http is a few ms of every start of the action,
    // and only an http readiness check needs it.
    const { request } = await Promise.resolve(/* import() */).then(__webpack_require__.t.bind(__webpack_require__, 7067, 23));
    return new Promise(resolve => {
        let settled = false;
        const finish = (why) => {
            if (settled)
                return;
            settled = true;
            clearTimeout(timer);
            signal?.removeEventListener('abort', cancel);
            req.destroy();
            resolve(why);
        };
        const cancel = () => finish('cancelled');
        const req = request({ host, port: check.port, path: check.path ?? '/', method: 'GET', agent: false }, res => {
            let body = '';
            res.setEncoding('utf8');
            res.on('data', (chunk) => {
                if (body.length < 65536)
                    body += chunk;
            });
            res.on('end', () => finish(httpMismatch(check, res.statusCode ?? 0, body)));
            res.on('error', e => finish(e.message));
        });
        const timer = setTimeout(() => finish(`no whole answer within ${timeoutMs} ms`), timeoutMs);
        signal?.addEventListener('abort', cancel, { once: true });
        req.on('error', e => finish(e.message));
        req.end();
    });
}

;// CONCATENATED MODULE: ./src/nerdctl/ops/strategies.ts
// Readiness checks that look from this machine or at the container's output:
// TCP ports (through the published address and at the container's own
// address on its network), an HTTP answer, a log line, a command. Each is a
// value with one method (`look`); pure/readiness.ts composes them and
// ops/readiness.ts drives them. The health check is ops/health.ts.








/** Time left before the deadline, for one probe: never past it, never more than `most`. */
function budget(context, most) {
    return Math.max(1, Math.min(most, context.deadline - context.clock.now()));
}
/**
 * Whether this machine reaches an address directly, on the network of one of
 * its own interfaces (a container's bridge, loopback): a probe never goes
 * through a gateway, off the machine.
 */
function reachedDirectly(ip) {
    return Object.values((0,external_node_os_.networkInterfaces)()).some(list => (list ?? []).some(i => i.family === 'IPv4' && onSubnet(ip, i.address, i.netmask)));
}
/**
 * The host a client on this machine uses for a port published on `hostIp`.
 * Every address (IPv4's or IPv6's) is reached through 127.0.0.1: a runner's
 * IPv6 loopback may have no forwarding rule even when the port has one.
 */
function publishedHost(hostIp) {
    if (!hostIp || hostIp === '0.0.0.0' || hostIp === '::')
        return '127.0.0.1';
    return hostIp;
}
/**
 * Every address a client may use to reach container port `port` (TCP): each
 * address it is published on, and the container's own address when this
 * machine reaches it directly (or, for a port named by the user, always).
 * Rootless, published addresses only: the container's own address is inside
 * rootlesskit's network namespace, and the same address on this machine may
 * well be another container's, on the rootful bridge. Every check that
 * connects from the runner (port, http) picks its addresses here.
 */
function addressesOf(status, port, named, rootless = false) {
    const out = [];
    for (const p of status.ports)
        if (p.containerPort === `${port}/tcp` && p.hostPort)
            out.push({ host: publishedHost(p.hostIp), port: Number(p.hostPort), via: 'published' });
    const ip = status.ipAddress;
    if (!rootless && ip && (named || reachedDirectly(ip)))
        out.push({ host: ip, port, via: 'network' });
    const seen = new Set();
    return out.filter(a => {
        const key = `${a.host}:${a.port}`;
        if (seen.has(key))
            return false;
        seen.add(key);
        return true;
    });
}
/** Why a rootless container's port has no address the runner reaches. */
function notPublished(port) {
    return `port ${port} is not published, and nerdctl runs rootless: the runner reaches a rootless container only through its published ports`;
}
/** The container ports published over TCP (not the ones an image only EXPOSEs). */
function publishedTcpPorts(status) {
    const ports = status.ports
        .filter(p => p.containerPort.endsWith('/tcp') && p.hostPort)
        .map(p => Number.parseInt(p.containerPort, 10))
        .filter(n => n > 0 && n < 65536);
    return [...new Set(ports)];
}
/**
 * A TCP port accepts a connection at every address a client may use. An
 * address that accepted once is not tried again. Looking costs one connection
 * attempt per address, so it is a cheap check.
 */
function portCheck(status, port, named, rootless = false) {
    const addresses = addressesOf(status, port, named, rootless);
    const why = new Map();
    return {
        name: `port ${port}`,
        async look(context) {
            if (addresses.length === 0)
                return rootless
                    ? { ready: false, fatal: notPublished(port) }
                    : { ready: false, cheap: true, detail: 'the container has no address' };
            const pending = addresses.filter(a => !why.has(a) || why.get(a) !== undefined);
            await Promise.all(pending.map(async (a) => why.set(a, await tcpProbe(a.host, a.port, budget(context, DEFAULT_NET_PROBE_TIMEOUT_MS), context.signal))));
            const failing = addresses.filter(a => why.get(a) !== undefined);
            return {
                ready: failing.length === 0,
                cheap: true,
                detail: failing.map(a => `${a.host}:${a.port} (${a.via}): ${why.get(a)}`).join('; ')
            };
        }
    };
}
/**
 * An HTTP GET answers as `check` expects: at the container's own address, or
 * rootless at the address its port is published on (see addressesOf).
 */
function httpCheck(check, rootless = false) {
    return {
        name: `http :${check.port}${check.path ?? '/'}`,
        async look(context) {
            let host = context.status.ipAddress;
            let port = check.port;
            if (rootless) {
                const published = addressesOf(context.status, check.port, false, true)[0];
                if (!published)
                    return { ready: false, fatal: notPublished(check.port) };
                ({ host, port } = published);
            }
            if (!host)
                return { ready: false, cheap: true, detail: 'the container has no address' };
            const why = await httpProbe(host, { ...check, port }, budget(context, DEFAULT_NET_PROBE_TIMEOUT_MS), context.signal);
            return why === undefined ? { ready: true } : { ready: false, cheap: true, detail: why };
        }
    };
}
/** Splits chunks into lines and hands each whole one on; a partial line waits for the next chunk. */
function lineSplitter(onLine) {
    let pending = '';
    return chunk => {
        const lines = (pending + chunk).split(/\r?\n/);
        pending = lines.pop() ?? '';
        // A line that never ends is cut, so a chatty container cannot grow it without bound.
        if (pending.length > 64 * 1024) {
            onLine(pending);
            pending = '';
        }
        for (const l of lines)
            onLine(l);
    };
}
/**
 * `times` lines of the container's output (stdout or stderr) match `pattern`.
 * The logs are followed (`nerdctl logs --follow`) from the first look on, as
 * one stream counted line by line as it comes: a look reads a counter, never
 * the logs again. The follower is handed to the wait, which stops it and waits
 * for it to end.
 */
function logCheck(container, pattern, times, call) {
    checkContainerRef(container);
    let count = 0;
    let started = false;
    let ended;
    const onLine = (line) => {
        if (count < times && pattern.test(line))
            count++;
    };
    return {
        name: `log /${pattern.source}/${times > 1 ? ` x${times}` : ''}`,
        look(context) {
            if (!started) {
                started = true;
                context.keep(nerdctl(['logs', '--follow', container], { client: call.client, signal: context.signal }, {
                    onStdout: lineSplitter(onLine),
                    onStderr: lineSplitter(onLine),
                    // Counted as it comes; only a little is kept, for nothing.
                    maxOutputBytes: 4096,
                    longRunning: true,
                    allowFailure: true
                }).then(r => {
                    ended = `the log follower ended (exit ${r.exitCode})`;
                }, (e) => {
                    ended = context.signal.aborted ? 'stopped' : errorMessage(e);
                }));
            }
            const ready = count >= times;
            return Promise.resolve({
                ready,
                cheap: true,
                detail: ready
                    ? undefined
                    : `${count} of ${times} matching line(s) so far${ended ? `; ${ended}` : ''}`
            });
        }
    };
}
/** A command run in the container exits 0. */
function execCheck(container, command, call) {
    return {
        name: 'exec',
        async look(context) {
            try {
                const r = await exec(container, command, {
                    ...call,
                    signal: context.signal,
                    timeoutMs: budget(context, DEFAULT_NET_PROBE_TIMEOUT_MS * 5),
                    allowFailure: true
                });
                if (r.exitCode === 0)
                    return { ready: true };
                return {
                    ready: false,
                    detail: `exit ${r.exitCode}: ${tail(`${r.stdout}${r.stderr}`.trim(), 300) || '(no output)'}`
                };
            }
            catch (e) {
                return { ready: false, detail: errorMessage(e) };
            }
        }
    };
}

;// CONCATENATED MODULE: ./src/nerdctl/ops/readiness.ts
// waitFor and waitForHealthy: one loop drives one readiness check, made of
// small checks (health, port, http, log, exec; ops/health.ts and
// ops/strategies.ts) composed by all/any/inOrder (pure/readiness.ts).
//
// Ready for clients (the default): every TCP port the container publishes,
// and every port named in the spec, accepts a connection from this machine
// through each address it is published on and at the container's own address
// on its network, and AFTER that the health check (when there is one) passes.
// A health check can pass before a client can connect: the official
// PostgreSQL and MariaDB images initialise through a temporary server on the
// unix socket only, which `pg_isready` calls accepting, then restart; the
// port accepts only once the real server listens, and the health check that
// follows says that server is past its start-up. `clients: false` waits for
// the checks given alone (with none: health alone).
//
// The loop: each round looks at the check once (its parts together, never
// one part twice at once) while it reads the container's state, then pauses
// on the one poll schedule (base/defaults.ts): growing from tens of
// milliseconds to a fifth of a second, or PORT_WATCH_MS while what is left to
// look at is only connections from this machine. A container that stops
// running, or a check that can no longer pass (unhealthy), ends the wait at
// once. Time comes from a Clock, so tests run long waits without sleeping.
// Every task a check starts (a log follower) is stopped and awaited before
// the wait returns.









/** The check a spec stands for, on a container in `status`, and the names of its parts. */
async function readinessCheck(container, spec, status, options = {}) {
    const call = { client: options.client, signal: options.signal };
    const hc = status.healthCheck;
    const wantHealth = spec.health ?? hc !== undefined;
    if (wantHealth && !hc)
        throw new NerdctlError('Other', `container ${status.name} has no health check, so it can never become healthy: create it with one (withHealthCheck, or the health-cmd input)`, { containerStatus: status });
    const clients = spec.clients ?? true;
    const named = spec.ports ?? [];
    const ports = clients ? [...new Set([...publishedTcpPorts(status), ...named])] : [...named];
    const rootless = clientOf(options).rootless;
    const portChecks = ports.map(p => portCheck(status, p, named.includes(p), rootless));
    const ownTimer = hc
        ? (options.nerdctlProbes ?? (await nerdctlRunsProbes(clientOf(options))))
        : false;
    const health = (fresh) => hc && wantHealth ? [healthCheck({ ref: container, hc, call, ownTimer, fresh })] : [];
    const parts = clients && portChecks.length > 0 && wantHealth
        ? [inOrder(readiness_all(...portChecks), ...health(true))]
        : [...health(false), ...portChecks];
    const extra = [];
    if (spec.http)
        extra.push(httpCheck(spec.http, rootless));
    if (spec.log)
        extra.push(logCheck(container, new RegExp(spec.log.pattern), spec.log.times ?? 1, call));
    if (spec.exec !== undefined)
        extra.push(execCheck(container, spec.exec, call));
    const names = [
        ...(wantHealth ? ['health'] : []),
        ...ports.map(p => `port ${p}`),
        ...extra.map(c => c.name)
    ];
    return { check: readiness_all(...parts, ...extra), parts: names };
}
/** Runs `check` on `container` until it is ready, fails, or time is up. */
async function drive(container, check, parts, first, timeoutMs, options) {
    const clock = options.clock ?? systemClock;
    const call = { client: options.client, signal: options.signal };
    const t0 = clock.now();
    const deadline = t0 + timeoutMs;
    const stop = new AbortController();
    const onAbort = () => stop.abort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const kept = [];
    const context = (status) => ({
        status,
        deadline,
        signal: stop.signal,
        clock,
        keep: task => kept.push(task.catch(() => undefined))
    });
    let status = first;
    let look;
    let shown = '';
    let slowRounds = 0;
    let rounds = 0;
    let inspected = t0;
    const fail = async (kind, why) => {
        stop.abort();
        await Promise.all(kept);
        const logs = await logTail(container, options.logLines ?? DEFAULT_LOG_LINES, call);
        throw new NerdctlError(kind, `${why}\n` +
            `State: ${status.status}, exit code ${status.exitCode}${status.error ? ` (${status.error})` : ''}\n` +
            `Checks after ${clock.now() - t0} ms:\n${describeLook(check.name, look)}\n` +
            `Last log lines of ${status.name}:\n${logs || '(no output)'}`, { containerStatus: status, logs });
    };
    try {
        for (;;) {
            if (options.signal?.aborted)
                return await fail('Cancelled', `container ${status.name} is not ready: the wait was cancelled`);
            if (status.status !== shown) {
                shown = status.status;
                options.onStatus?.(status);
            }
            // A container its restart policy is restarting comes back: not a failure yet.
            if (!status.running && !status.restarting && status.state !== 'restarting')
                return await fail('Other', `container ${status.name} is not ready: it is ${status.status}, not running`);
            // Time is up after a pause: the last look (not one cut short by the deadline) says why.
            if (look && clock.now() >= deadline)
                return await fail('Timeout', `container ${status.name} is not ready: not ready within ${timeoutMs} ms (waiting for ${parts.join(', ')})`);
            const roundStart = clock.now();
            // The state is read while the check looks, so a round takes the longer of
            // the two, not their sum; on the fast schedule, only as often as on the slow one.
            const readState = roundStart - inspected >= pollDelay(rounds++, options.maxPollMs);
            const [fresh, seen] = await Promise.all([
                readState ? inspect(container, call) : Promise.resolve(status),
                check.look(context(status))
            ]);
            if (readState)
                inspected = roundStart;
            look = seen;
            status = seen.status ?? fresh;
            if (seen.fatal)
                return await fail('Other', seen.fatal);
            if (seen.ready)
                return { status, readyMs: clock.now() - t0, met: [...parts] };
            // The pause counts from the round's start: looks never more than the schedule's gap apart.
            const gap = seen.cheap ? PORT_WATCH_MS : pollDelay(slowRounds++, options.maxPollMs);
            const pause = Math.min(gap - (clock.now() - roundStart), deadline - clock.now());
            if (pause > 0)
                await clock.sleep(pause, stop.signal);
        }
    }
    finally {
        stop.abort();
        options.signal?.removeEventListener('abort', onAbort);
        await Promise.all(kept);
    }
}
/**
 * Waits until a container is ready by every check of `spec`, and ready for
 * clients unless `spec.clients` is false (see the head of this file), and
 * returns its status and how long that took. With no check given it waits for
 * health when the container has a health check, else only for it to run (and
 * its published ports to accept). Fails fast when it stops running or turns
 * unhealthy; fails with kind `Timeout` when the time is up. Every failure
 * carries the last log lines and each check's last output and exit code.
 */
async function waitFor(container, spec = {}, options = {}) {
    checkContainerRef(container);
    validateReadiness(spec);
    const clock = options.clock ?? systemClock;
    const t0 = clock.now();
    const status = await inspect(container, { client: options.client, signal: options.signal });
    const { check, parts } = await readinessCheck(container, spec, status, options);
    const timeoutMs = (spec.timeoutMs ?? DEFAULT_WAIT_TIMEOUT_MS) - (clock.now() - t0);
    const r = await drive(container, check, parts, status, Math.max(1, timeoutMs), options);
    return { ...r, readyMs: clock.now() - t0 };
}
/**
 * Waits until a container is healthy and ready for clients (every TCP port it
 * publishes accepts, and its health check passes after that), and returns its
 * status. `clients: false` waits for the health check alone. Fails fast, with
 * the last probe outputs, the last quick check and the tail of its logs, when
 * it turns unhealthy or stops running; fails with kind `Timeout` when the time
 * is up.
 */
async function waitForHealthy(container, options = {}) {
    const ref = typeof container === 'string' ? container : (container.containerId ?? container.name);
    const r = await waitFor(ref, {
        health: true,
        clients: options.clients ?? true,
        timeoutMs: options.waitTimeoutMs ?? DEFAULT_WAIT_TIMEOUT_MS
    }, {
        client: options.client,
        signal: options.signal,
        logLines: options.logLines,
        maxPollMs: options.pollMs ?? MAX_POLL_MS,
        nerdctlProbes: options.nerdctlProbes,
        clock: options.clock,
        onStatus: options.onStatus
    });
    return r.status;
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
        let id;
        try {
            id = await networkCreate(name, { ...options, subnet });
        }
        catch (e) {
            // Another step took the subnet between the listing and this create,
            // and nerdctl saw it: pick again.
            if (attempt < 4 &&
                isNerdctlError(e, 'CommandFailed') &&
                /overlaps with other/i.test(e.stderr))
                continue;
            throw e;
        }
        const after = await allSubnets(options);
        const clash = [...after.entries()].some(([n, s]) => n !== name && s.includes(subnet));
        if (!clash || attempt >= 4)
            return id;
        await networkRemove(name, options);
    }
}

;// CONCATENATED MODULE: ./src/nerdctl/ops/volumes.ts
// Named volumes: create one (labelled with the client's labels, so its owner
// finds it again and a later job reaps it when the owner was killed), look one
// up, list volumes by label, remove one. nerdctl would create a named volume
// implicitly at `run`, without labels, and then nobody ever removes it.





function checkVolumeName(name) {
    checkNetworkName(name, 'volume name', 'volume');
}
/**
 * The named volume a `-v`/`volumes` entry (`NAME:/path[:opts]`) refers to, or
 * undefined for a host path (`/x`, `./x`, `~/x`) or an anonymous volume (`/path`).
 */
function namedVolumeOf(entry) {
    const colon = entry.indexOf(':');
    if (colon <= 0)
        return undefined;
    const source = entry.slice(0, colon);
    return /^[/.~]/.test(source) ? undefined : source;
}
function volumes_labelsOf(value) {
    if (typeof value === 'string')
        return parseLabelList(value);
    if (typeof value !== 'object' || value === null)
        return {};
    const labels = {};
    for (const [k, v] of Object.entries(value))
        if (typeof v === 'string')
            labels[k] = v;
    return labels;
}
/**
 * `nerdctl volume create` with the client's labels and any given. Creating a
 * name that exists succeeds and keeps the old volume's labels: a caller that
 * must know whether it made the volume inspects it afterwards.
 */
async function volumeCreate(name, options = {}) {
    checkVolumeName(name);
    const args = ['volume', 'create'];
    const labels = [...(clientOf(options).options.labels ?? []), ...(options.labels ?? [])];
    for (const [k, v] of labels)
        args.push('--label', `${k}=${v}`);
    args.push(name);
    await nerdctl(args, options);
}
/** `nerdctl volume inspect`: the volume, or undefined when there is none of that name. */
async function volumeInspect(name, options = {}) {
    checkVolumeName(name);
    const r = await nerdctl(['volume', 'inspect', name], options, { allowFailure: true });
    if (r.exitCode !== 0) {
        if (/not found|no such volume|does not exist/i.test(r.stderr))
            return undefined;
        throw new NerdctlError('CommandFailed', `volume inspect ${name} failed`, r);
    }
    const [v] = parseJsonArray(r.stdout.trim() || '[]', 'volume inspect output');
    if (!v)
        return undefined;
    return { name: typeof v.Name === 'string' ? v.Name : name, labels: volumes_labelsOf(v.Labels) };
}
/** `nerdctl volume ls`, narrowed by `label=KEY[=VALUE]` filters. */
async function volumeList(options = {}) {
    const args = ['volume', 'ls', '--format', '{{json .}}'];
    for (const f of options.filters ?? [])
        args.push('--filter', f);
    const { stdout } = await nerdctl(args, options);
    return parseJsonLines(stdout, 'volume ls output').map(v => ({
        name: typeof v.Name === 'string' ? v.Name : '',
        labels: volumes_labelsOf(v.Labels)
    }));
}
/** `nerdctl volume rm` (fails while a container uses it). */
async function volumeRemove(name, options = {}) {
    checkVolumeName(name);
    await nerdctl(['volume', 'rm', name], options);
}

;// CONCATENATED MODULE: ./src/nerdctl/ops/versions.ts
// Reading the runner's nerdctl, containerd and BuildKit versions and checking
// them against the table in pure/versions.ts, without a nerdctl call on every
// step: the versions are read once per nerdctl binary and kept in a cache
// file keyed by the binary's path, size, mtime and inode (a new binary, even
// at the same path, is read again); a caller without a cache reads them only
// when it needs a version-dependent feature or when a call failed in a way an
// old version explains (`explainFailure`).






const CACHE_FILE = 'nerdctl-action-versions.json';
/** The cache key of the client's binary, or undefined when it has no absolute path to stat. */
async function binaryKey(client) {
    const path = client.options.binary;
    if (!path || !(0,external_node_path_.isAbsolute)(path))
        return undefined;
    try {
        const s = await (0,promises_.stat)(path);
        return `${path}\0${s.size}\0${s.mtimeMs}\0${s.ino}`;
    }
    catch {
        return undefined;
    }
}
async function readCache(dir) {
    try {
        const doc = JSON.parse(await (0,promises_.readFile)((0,external_node_path_.join)(dir, CACHE_FILE), 'utf8'));
        return typeof doc === 'object' && doc !== null && !Array.isArray(doc)
            ? doc
            : {};
    }
    catch {
        return {};
    }
}
/** Keeps what was read; a cache that cannot be written only costs a later read. */
async function writeCache(dir, key, versions) {
    try {
        await (0,promises_.mkdir)(dir, { recursive: true });
        // Only this binary's entry and the others' as they are: a file of many keys stays small.
        const all = { ...(await readCache(dir)), [key]: versions };
        const tmp = (0,external_node_path_.join)(dir, `.${CACHE_FILE}.${randomHex(6)}`);
        await (0,promises_.writeFile)(tmp, JSON.stringify(all), { mode: 0o644 });
        // Renamed into place: a concurrent step reads the old file or the new, never half.
        await (0,promises_.rename)(tmp, (0,external_node_path_.join)(dir, CACHE_FILE));
    }
    catch {
        // best effort
    }
}
/** The versions kept for the client's binary, without running anything; undefined when none are. */
async function cachedToolVersions(options = {}) {
    if (!options.cacheDir)
        return undefined;
    const key = await binaryKey(clientOf(options));
    return key ? (await readCache(options.cacheDir))[key] : undefined;
}
/**
 * The runner's versions from `nerdctl version` (one call), kept in the cache
 * when there is one. A server that does not answer leaves containerd out
 * (nerdctl still prints its own version); a nerdctl that prints nothing
 * readable fails.
 */
async function readToolVersions(options = {}) {
    let text;
    try {
        text = (await nerdctl(['version', '--format', '{{json .}}'], options)).stdout;
    }
    catch (e) {
        // Without containerd, `version` fails after printing the client's part.
        if (!(e instanceof NerdctlError) || e.kind !== 'CommandFailed' || !e.stdout.trim())
            throw e;
        text = e.stdout;
    }
    const versions = parseVersionOutput(text);
    const key = options.cacheDir ? await binaryKey(clientOf(options)) : undefined;
    if (options.cacheDir && key && versions.nerdctl)
        await writeCache(options.cacheDir, key, versions);
    return versions;
}
/** The cached versions, or read now. */
async function toolVersions(options = {}) {
    return (await cachedToolVersions(options)) ?? readToolVersions(options);
}
/**
 * Fails, before anything runs, when the runner's tools are older than the
 * supported minimums or than what `features` need, naming each feature and
 * the version it needs; returns the versions otherwise. A cached reading that
 * fails is read again first (containerd may have been upgraded under the
 * same nerdctl binary).
 */
async function requireFeatures(client, features, options = {}) {
    const call = client ? { ...options, client } : options;
    const cached = await cachedToolVersions(call);
    if (cached && versionProblems(cached, features).length === 0)
        return cached;
    const versions = await readToolVersions(call);
    const problems = versionProblems(versions, features);
    if (problems.length > 0)
        throw versionError(problems);
    return versions;
}
/**
 * The minimums alone, for a step that uses no version-dependent feature: with
 * a cache, the versions are read once per binary (the first step after nerdctl
 * was installed or upgraded) and kept, so every later step checks them with no
 * call; without one (or without an absolute binary path to key it by),
 * nothing is read here, and `explainFailure` names an old version when a call
 * fails the way one would.
 */
async function checkMinimumVersions(options = {}) {
    if (!options.cacheDir || !(await binaryKey(clientOf(options))))
        return;
    await requireFeatures(undefined, [], options);
}
/**
 * Whether a failure is one an older nerdctl explains: a flag, command or
 * config field it does not know. Timeouts, refused logins, missing images
 * and the rest are not.
 */
function oldVersionMayExplain(e) {
    if (!(e instanceof NerdctlError) || e.kind !== 'CommandFailed')
        return false;
    return /unknown (?:shorthand )?flag|unknown command|flag provided but not defined|strict mode: fields in the document are missing|invalid argument ".*" for "--/i.test(e.stderr);
}
/**
 * After a failed call: the versions' error when old tools explain it (the
 * minimums, and `features`), else undefined. Reads the versions (one call)
 * only for a failure an old version explains; a reading that itself fails
 * explains nothing.
 */
async function explainFailure(e, features, options = {}) {
    if (!oldVersionMayExplain(e))
        return undefined;
    try {
        const problems = versionProblems(await readToolVersions(options), features);
        return problems.length > 0 ? versionError(problems) : undefined;
    }
    catch {
        return undefined;
    }
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
;// CONCATENATED MODULE: ./src/nerdctl/ops/manifest.ts
// Manifest lists: nerdctl's `manifest` commands, typed, and `mergeDigests`,
// which makes one index of builds pushed by digest on several runners.
//
// Why the merge does not use nerdctl's commands (nerdctl 2.3.5, recorded by
// scripts/record-manifest-fixtures.sh): `manifest create` refuses an index as
// an entry, and a build with provenance is one (image manifest + attestation
// manifest); given the children instead, the attestation manifests have no
// platform and `manifest push` refuses them until annotated `unknown/unknown`,
// and the index it then pushes has lost their `vnd.docker.reference.*`
// annotations; an entry from another repository is pushed without its blobs
// ("blob unknown to registry"). So the merge writes the index itself (pure:
// `mergeIndex`) and moves it with go-containerregistry's crane, pinned and
// built by scripts/crane.sh: `crane manifest` reads each entry, `crane copy`
// mounts an entry into another repository of the registry, `crane edit
// manifest` puts the index's exact bytes under each tag, and `crane digest`
// reads back what the registry serves. crane reads credentials from the
// DOCKER_CONFIG the client gives nerdctl (the step's own logins), never argv.







const insecureFlag = (o) => (o.insecure ? ['--insecure'] : []);
/** `nerdctl manifest create LIST MANIFEST…`: a local list; returns its name as nerdctl printed it. */
async function manifestCreate(list, manifests, options = {}) {
    checkImageReference(list, 'manifest list');
    if (manifests.length === 0)
        throw invalidValue('manifests', 'manifest create needs at least one manifest');
    for (const m of manifests)
        checkImageReference(m, 'manifest', 'manifests');
    const args = [
        'manifest',
        'create',
        ...(options.amend ? ['--amend'] : []),
        ...insecureFlag(options)
    ];
    const { stdout } = await nerdctl([...args, list, ...manifests], options, {
        registry: registryOf(list),
        longRunning: true
    });
    return parseManifestCreate(stdout) ?? list;
}
/** `nerdctl manifest annotate LIST MANIFEST`: the platform fields of one entry. */
async function manifestAnnotate(list, manifest, annotation, options = {}) {
    checkImageReference(list, 'manifest list');
    checkImageReference(manifest, 'manifest', 'manifest');
    const args = ['manifest', 'annotate'];
    const field = (flag, v) => {
        if (v === undefined)
            return;
        if (!v || /[\s=]/.test(v))
            throw invalidValue(flag, `${showValue(v)} is not a ${flag} value`);
        args.push(`--${flag}`, v);
    };
    field('os', annotation.os);
    field('arch', annotation.arch);
    field('variant', annotation.variant);
    field('os-version', annotation.osVersion);
    for (const f of annotation.osFeatures ?? [])
        field('os-features', f);
    await nerdctl([...args, list, manifest], options);
}
/** `nerdctl manifest push LIST`: its entries, then the list; the list's digest. */
async function manifestPush(list, options = {}) {
    checkImageReference(list, 'manifest list');
    const args = ['manifest', 'push', ...(options.purge ? ['--purge'] : []), ...insecureFlag(options)];
    const { stdout } = await nerdctl([...args, list], options, {
        registry: registryOf(list),
        longRunning: true
    });
    return parseManifestPush(stdout);
}
/** `nerdctl manifest inspect REF`: the manifest or index the registry serves. */
async function manifestInspect(reference, options = {}) {
    checkImageReference(reference, 'manifest');
    const { stdout } = await nerdctl(['manifest', 'inspect', ...insecureFlag(options), reference], options, { registry: registryOf(reference) });
    return parseManifestDocument(stdout, `manifest inspect of ${reference}`);
}
/** `nerdctl manifest inspect --verbose REF`: each manifest's descriptor (without annotations: nerdctl drops them). */
async function manifestInspectVerbose(reference, options = {}) {
    checkImageReference(reference, 'manifest');
    const { stdout } = await nerdctl(['manifest', 'inspect', '--verbose', ...insecureFlag(options), reference], options, { registry: registryOf(reference) });
    return parseManifestInspectVerbose(stdout);
}
/** `nerdctl manifest rm LIST…`: local lists only. */
async function manifestRemove(lists, options = {}) {
    for (const l of lists)
        checkImageReference(l, 'manifest list');
    await nerdctl(['manifest', 'rm', ...lists], options);
}
/**
 * Makes one index of builds pushed by digest and pushes it under every tag:
 * each build's manifests (image and attestation) with their descriptors as
 * the build's index had them, and `annotations` on the index. Everything is
 * read and checked before anything is pushed: an entry the registry does not
 * have, two images of one platform, or names on different registries fail
 * naming the reference. Entries in another repository of the registry are
 * mounted into each tag's repository first. The digest is read back from the
 * registry for every tag.
 */
async function mergeDigests(sources, tags, options = {}) {
    if (sources.length === 0)
        throw invalidValue('merge', 'nothing to merge: give at least one digest');
    if (tags.length === 0)
        throw invalidValue('tags', 'a merge needs at least one tag to push the index to');
    for (const t of tags)
        checkImageReference(t, 'tag', 'tags');
    const parsed = sources.map(s => ({ ...s, ...splitDigestReference(s.reference) }));
    for (const s of parsed)
        if (s.platform !== undefined)
            parsePlatform(s.platform);
    const annotations = Array.isArray(options.annotations)
        ? indexAnnotations(options.annotations)
        : { ...options.annotations };
    // One registry: crane mounts blobs between its repositories; across
    // registries every blob would be copied, which a merge does not do.
    const registries = new Map();
    for (const r of [...parsed.map(s => s.reference), ...tags]) {
        const host = registryOf(r);
        if (!registries.has(host))
            registries.set(host, r);
    }
    if (registries.size > 1) {
        const [a, b] = [...registries.values()];
        throw invalidValue('merge', `${a} and ${b} are on different registries, and manifests cannot be cross-mounted between registries: push by digest to the registry of the tags`);
    }
    const crane = craneProgram(options);
    const run = (args, extra = {}) => tool([crane, ...args, ...craneFlags(options, args.at(-1) ?? '')], options, {
        ...craneEnv(options),
        ...extra
    });
    const inputs = await Promise.all(parsed.map(async (s) => {
        const where = s.origin ? `${s.reference} (from ${s.origin})` : s.reference;
        let body;
        try {
            body = (await run(['manifest', s.reference])).stdout;
        }
        catch (e) {
            throw missing(where, e);
        }
        if (sha256Of(body) !== s.digest)
            throw new NerdctlError('Other', `${where}: the registry served a manifest whose digest is ${sha256Of(body)}`);
        const document = parseManifestDocument(body, `the manifest of ${where}`);
        let platform;
        if (document.kind === 'manifest') {
            platform =
                s.platform !== undefined ? parsePlatform(s.platform) : await configPlatform(s.reference);
        }
        return {
            reference: s.reference,
            origin: s.origin,
            document,
            size: Buffer.byteLength(body),
            platform
        };
    }));
    async function configPlatform(reference) {
        const { stdout } = await run(['config', reference]);
        try {
            const c = JSON.parse(stdout);
            if (typeof c.os !== 'string' || typeof c.architecture !== 'string')
                return undefined;
            return {
                os: c.os,
                architecture: c.architecture,
                ...(typeof c.variant === 'string' && c.variant ? { variant: c.variant } : {})
            };
        }
        catch {
            return undefined;
        }
    }
    const index = mergeIndex(inputs, annotations);
    const bytes = indexBytes(index);
    const digest = sha256Of(bytes);
    // Every tag's repository gets each entry it lacks, mounted from where it was pushed.
    const targetRepos = [...new Set(tags.map(repositoryOf))];
    for (const repo of targetRepos)
        for (const s of parsed)
            if (s.repository !== repo)
                await run(['copy', s.reference, `${repo}@${s.digest}`], { longRunning: true });
    const first = parsed[0]?.reference;
    const references = [];
    for (const tag of tags) {
        await run(['edit', 'manifest', first, '--tag', tag], { input: bytes, longRunning: true });
        references.push(tag);
    }
    for (const tag of tags) {
        const served = (await run(['digest', tag])).stdout.trim();
        if (served !== digest)
            throw new NerdctlError('Other', `${tag}: the registry serves ${served || 'nothing'} after the merge, not the index pushed (${digest}): another push to the tag may have raced this one`);
    }
    return { references, digest, index };
}
const sha256Of = (bytes) => `sha256:${(0,external_node_crypto_.createHash)('sha256').update(bytes).digest('hex')}`;
function missing(where, e) {
    if (!(e instanceof NerdctlError))
        return e;
    const said = `${e.stderr ?? ''}\n${e.message}`;
    if (/MANIFEST_UNKNOWN|NAME_UNKNOWN|manifest unknown|not found/i.test(said))
        return invalidValue('merge', `${where} is not in the registry: its build did not push it (or pushed it to another repository); nothing was pushed`);
    return new NerdctlError('Other', `could not read ${where} from the registry: ${e.message}`, {
        ...(e.stderr !== undefined ? { stderr: e.stderr } : {})
    });
}
/** The crane to run: the caller's, or the one on PATH. */
function craneProgram(options) {
    const found = findProgram(options.crane ?? 'crane');
    if (!found)
        throw new NerdctlError('CommandExecutionFailed', `${options.crane ?? 'crane'} is not an executable on PATH: a merge needs go-containerregistry's crane (scripts/crane.sh installs v0.22.1 from the Go module proxy)`);
    return found;
}
/** crane talks to loopback registries over plain HTTP by itself; others as the client allows. */
function craneFlags(options, reference) {
    const insecure = clientOf(options).options.insecureRegistries;
    if (insecure === true)
        return ['--insecure'];
    if (Array.isArray(insecure) && reference && insecure.includes(registryOf(reference)))
        return ['--insecure'];
    return [];
}
/** The client's DOCKER_CONFIG (the step's logins), the only credentials crane sees. */
function craneEnv(options) {
    const dockerConfig = clientOf(options).options.env?.DOCKER_CONFIG;
    return dockerConfig ? { env: { DOCKER_CONFIG: dockerConfig } } : {};
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
            throw new NerdctlError('Other', `container ${this.name} has no image: use Container.fromImage(name, image) or withImage(image)`);
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
            throw new NerdctlError('Other', `container ${this.name} did not stay running: it is ${status.status}, exit code ${status.exitCode}` +
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
    /** Networks and named volumes this environment created, which stop() removes. */
    networksCreated = [];
    volumesCreated = [];
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
            // In order: an isolated create picks a subnet none of the others has.
            for (const net of [{ name: spec.network }, ...(spec.networks ?? [])]) {
                await networkCreateIsolated(net.name, {
                    ...call,
                    labels: [...(spec.labels ?? []), ...('labels' in net ? (net.labels ?? []) : [])]
                });
                env.networksCreated.push(net.name);
            }
            await env.createVolumes(spec, call);
            const ready = new Map();
            const started = new Map();
            const startedOf = (key) => {
                let d = started.get(key);
                if (!d) {
                    d = deferred();
                    started.set(key, d);
                }
                return d;
            };
            env.launch = key => {
                let p = ready.get(key);
                if (!p) {
                    const s = startedOf(key);
                    p = env.startService(spec, key, call, abort.signal, options, s.resolve);
                    // The first failure stops the waits of the others.
                    p.catch((e) => {
                        s.reject(e);
                        abort.abort();
                    });
                    ready.set(key, p);
                }
                return p;
            };
            env.started = key => {
                void env.launch(key);
                return startedOf(key).promise;
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
                throw new NerdctlError('Cancelled', 'starting the services was cancelled');
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
    /** The named volumes the services mount: each missing one is created, labelled, and owned. */
    async createVolumes(spec, call) {
        for (const v of spec.volumes ?? []) {
            if (await volumeInspect(v.name, call))
                continue;
            await volumeCreate(v.name, { ...call, labels: [...(spec.labels ?? []), ...(v.labels ?? [])] });
            this.volumesCreated.push(v.name);
        }
    }
    async startService(spec, key, call, signal, options, onStarted) {
        const service = spec.services[key];
        if (!service)
            throw new Error(`no service ${key}`);
        // Every dependency is started (once) and waited for, as far as its
        // condition asks, before this one.
        const deps = service.dependsOn ?? [];
        await Promise.all(deps.map(d => (service.conditions?.[d] === 'started' ? this.started(d) : this.launch(d)))).catch((e) => {
            throw signal.aborted ? new SkippedError(key) : e;
        });
        if (signal.aborted)
            throw new SkippedError(key);
        const name = service.name ?? serviceContainerName(spec.network, key);
        const [first, ...more] = service.networks ?? [spec.network];
        const container = Container.fromSpec({
            ...service.container,
            labels: [...(spec.labels ?? []), ...(service.container.labels ?? [])],
            name,
            network: first,
            // nerdctl joins every --network given; the spec models one.
            extraArgs: [...(service.container.extraArgs ?? []), ...more.flatMap(n => ['--network', n])],
            hostname: key,
            detach: true
        }, call);
        try {
            await container.build();
        }
        catch (e) {
            throw new NerdctlError('Other', `service ${key}: could not start: ${errorMessage(e)}`, {
                cause: e
            });
        }
        this.containers.set(key, container);
        onStarted();
        options.onStarted?.(key, container);
        try {
            const info = service.oneShot
                ? await this.completion(key, name, container, first ?? spec.network, service, call)
                : await this.readiness(key, name, container, first ?? spec.network, service, call, options);
            this.services.set(key, info);
            options.onReady?.(info);
        }
        catch (e) {
            if (signal.aborted && !(e instanceof NerdctlError && e.kind !== 'Cancelled'))
                throw new SkippedError(key);
            const inner = e instanceof NerdctlError ? e : undefined;
            throw new NerdctlError(inner?.kind === 'Timeout' ? 'Timeout' : 'Other', `service ${key}: ${errorMessage(e)}`, { cause: e, containerStatus: inner?.containerStatus, logs: inner?.logs });
        }
    }
    /** A long-running service: ready by its readiness spec (ready for clients by default). */
    async readiness(key, name, container, network, service, call, options) {
        const r = await container.waitFor(service.readiness ?? {}, { ...call, ...options.readiness });
        return {
            key,
            id: r.status.id,
            name,
            ip: r.status.ipAddress,
            network,
            ports: portMap(r.status),
            health: r.status.healthStatus,
            readyMs: r.readyMs
        };
    }
    /** A one-shot: done when it exits 0; any other code fails, with its last logs. */
    async completion(key, name, container, network, service, call) {
        const id = container.containerId ?? name;
        const t0 = Date.now();
        const timeoutMs = service.readiness?.timeoutMs ?? DEFAULT_WAIT_TIMEOUT_MS;
        let code;
        try {
            code = await waitExit(id, { ...call, timeoutMs });
        }
        catch (e) {
            if (isNerdctlError(e, 'Timeout'))
                throw new NerdctlError('Timeout', `did not exit within ${timeoutMs} ms\n--- last logs ---\n${await logTail(id, DEFAULT_LOG_LINES, this.call)}`, { cause: e });
            throw e;
        }
        if (code !== 0) {
            const tail = await logTail(id, DEFAULT_LOG_LINES, this.call);
            throw new NerdctlError('Other', `exited with code ${code}\n--- last logs ---\n${tail}`, {
                logs: tail
            });
        }
        return {
            key,
            id,
            name,
            ip: '',
            network,
            ports: {},
            health: 'none',
            readyMs: Date.now() - t0,
            exitCode: code
        };
    }
    /** Set by start(): starts a service once (and its dependencies first) and waits until it is ready. */
    launch = () => Promise.resolve();
    /** Set by start(): launches a service and resolves once its container has started. */
    started = () => Promise.resolve();
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
        for (const name of this.networksCreated.splice(0)) {
            try {
                await networkRemove(name, this.call);
            }
            catch (e) {
                if (!isNoSuchNetwork(e))
                    problems.push(`network ${name}: ${errorMessage(e)}`);
            }
        }
        for (const name of this.volumesCreated.splice(0)) {
            try {
                await volumeRemove(name, this.call);
            }
            catch (e) {
                problems.push(`volume ${name}: ${errorMessage(e)}`);
            }
        }
        if (problems.length > 0)
            throw new NerdctlError('Other', `the environment was not removed whole:\n${problems.join('\n')}`);
    }
}
function deferred() {
    let resolve = () => undefined;
    let reject = () => undefined;
    const promise = new Promise((res, rej) => {
        resolve = res;
        reject = rej;
    });
    // A dependant may never ask; its rejection must not go unhandled.
    promise.catch(() => undefined);
    return { promise, resolve, reject };
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

;// CONCATENATED MODULE: ./src/nerdctl/pure/disk.ts
// The disk budget and the prune policy, without I/O: what a budget text means,
// whether a filesystem is over it, the store's items from nerdctl's and
// BuildKit's own listings (nerdctl has no `system df`), and which items a
// prune may remove, in which order. ops/disk.ts reads the listings and
// removes; everything it decides is decided here, where tests reach it.



/**
 * A budget as a person writes it: a size (`40GB`, `512MiB`, bytes without a
 * unit) or a percentage of the filesystem (`80%`).
 */
function parseBudget(text) {
    const t = text.trim();
    const pct = /^(\d+(?:\.\d+)?)\s*%$/.exec(t);
    if (pct) {
        const percent = Number(pct[1]);
        if (percent <= 0 || percent > 100)
            throw new NerdctlError('ConversionError', `"${text}" is not a percentage between 0 and 100: give one such as 80%`, { text });
        return { percent };
    }
    const bytes = parseSize(t);
    if (bytes <= 0)
        throw new NerdctlError('ConversionError', `"${text}" is no space at all: give one such as 40GB`, {
            text
        });
    return { bytes };
}
/** What `fs.statfs` says, as df counts it: used = size - free, available = what a user may still write. */
function filesystemUsage(path, st) {
    return {
        path,
        sizeBytes: st.blocks * st.bsize,
        usedBytes: (st.blocks - st.bfree) * st.bsize,
        availableBytes: st.bavail * st.bsize
    };
}
/** The most the filesystem may have in use under the budget, in bytes. */
function budgetBytes(fs, budget) {
    if ('bytes' in budget)
        return budget.bytes;
    // df's Use%: used / (used + available); the root-reserved blocks count for neither.
    return Math.floor(((fs.usedBytes + fs.availableBytes) * budget.percent) / 100);
}
/** How far over the budget the filesystem is, in bytes (0 when within it). */
function overBudgetBy(fs, budget) {
    return Math.max(0, fs.usedBytes - budgetBytes(fs, budget));
}
/** A size for people, decimal as nerdctl prints sizes ("1.5 GB"). */
function formatBytes(bytes) {
    const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];
    let v = Math.max(0, bytes);
    let i = 0;
    while (v >= 1000 && i < units.length - 1) {
        v /= 1000;
        i++;
    }
    return `${i === 0 ? v.toFixed(0) : v.toFixed(v < 10 ? 2 : 1)} ${units[i]}`;
}
/** `nerdctl images` prints "2024-01-02 03:04:05 +0000 UTC"; Date reads it without the zone name. */
function parseNerdctlTime(text) {
    const m = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d(?:\.\d+)?) ([+-]\d\d)(\d\d)/.exec(text.trim());
    if (m)
        return Date.parse(`${m[1]}T${m[2]}${m[3]}:${m[4]}`);
    const t = Date.parse(text);
    return Number.isNaN(t) ? NaN : t;
}
function disk_sizeOf(text) {
    // `volume ls --size` prints "5.0 B"; `ps --size` "12.3kB (virtual 4.5MB)".
    const first = text.split('(')[0]?.trim() ?? '';
    try {
        return first ? parseSize(first) : 0;
    }
    catch {
        return 0;
    }
}
function disk_labelsOf(value) {
    const labels = {};
    if (typeof value === 'string') {
        for (const part of value.split(',')) {
            if (!part)
                continue;
            const eq = part.indexOf('=');
            if (eq < 0)
                labels[part] = '';
            else
                labels[part.slice(0, eq)] = part.slice(eq + 1);
        }
    }
    else if (isObject(value)) {
        for (const [k, v] of Object.entries(value))
            if (typeof v === 'string')
                labels[k] = v;
    }
    return labels;
}
/** The build cache records of `buildctl du --format '{{json .}}'` (one JSON array). */
function parseBuildCache(text) {
    const t = text.trim();
    if (!t || t === 'null')
        return [];
    let parsed;
    try {
        parsed = JSON.parse(t);
    }
    catch (e) {
        throw new NerdctlError('JsonParseError', 'buildctl du printed no JSON array', {
            text: t.slice(0, 200),
            cause: e
        });
    }
    if (!Array.isArray(parsed))
        return [];
    return parsed.filter(isObject).map(r => ({
        kind: 'build-cache',
        ref: str(r, 'id'),
        name: str(r, 'description') || str(r, 'recordType') || str(r, 'id'),
        sizeBytes: num(r, 'size') ?? 0,
        time: Date.parse(str(r, 'lastUsedAt') || str(r, 'createdAt')),
        labels: {},
        inUse: bool(r, 'inUse')
    }));
}
/**
 * Each image's config labels from `image inspect`, by the digest `images`
 * shows as its ID (inspect's own Id is the config's digest; RepoDigests
 * carry the one `images` lists).
 */
function imageLabels(inspected) {
    const out = new Map();
    for (const i of inspected) {
        const labels = disk_labelsOf(obj(i, 'Config')?.Labels);
        for (const d of arr(i, 'RepoDigests'))
            if (typeof d === 'string' && d.includes('@'))
                out.set(d.slice(d.indexOf('@') + 1), labels);
    }
    return out;
}
/**
 * The names a container's image field may match: the image's names, and
 * `repo@digest` forms (a container made from a digest reference).
 */
function imageKeys(image) {
    const keys = [image.name, image.id];
    if (image.repository && image.tag)
        keys.push(`${image.repository}:${image.tag}`);
    if (image.repository && image.digest)
        keys.push(`${image.repository}@${image.digest}`);
    if (image.digest)
        keys.push(image.digest);
    return keys.filter(Boolean);
}
/**
 * One item per image: rows that share a name (one containerd record, a row
 * per platform) or an ID (names of the same content: removing one name frees
 * nothing) are one image, with the newest record time of its names, in use
 * when any container's image field names any of its names or IDs. `labels`
 * are the image config's labels by ID, where known.
 */
function imageItems(images, containerImages, labelsById = new Map()) {
    const used = new Set(containerImages.filter(Boolean));
    // Union-find over rows, joined by name and by ID.
    const parent = images.map((_, i) => i);
    const find = (i) => {
        while (parent[i] !== i)
            i = parent[i] = parent[parent[i]];
        return i;
    };
    const seen = new Map();
    images.forEach((img, i) => {
        // `NAME@DIGEST` (what an import or a pull by digest also records) is NAME's image.
        for (const key of [`n:${img.name.split('@')[0] ?? ''}`, `i:${img.id}`]) {
            if (key.length <= 2)
                continue;
            const j = seen.get(key);
            if (j === undefined)
                seen.set(key, i);
            else
                parent[find(i)] = find(j);
        }
    });
    const byId = new Map();
    images.forEach((img, i) => byId.set(find(i), [...(byId.get(find(i)) ?? []), img]));
    const items = [];
    for (const group of byId.values()) {
        const names = [...new Set(group.map(i => i.name).filter(Boolean))];
        const ids = [...new Set(group.map(i => i.id).filter(Boolean))];
        // People read the names without the NAME@DIGEST records beside them.
        const plain = names.filter(x => !x.includes('@'));
        items.push({
            kind: 'image',
            ref: names.join(','),
            name: (plain.length > 0 ? plain : names).join(', ') || ids.join(', '),
            // One platform row per image: the largest is what the store holds of it.
            sizeBytes: Math.max(0, ...group.map(i => i.sizeBytes)),
            time: Math.max(...group.map(i => parseNerdctlTime(i.created)).map(t => (isNaN(t) ? 0 : t))),
            labels: Object.assign({}, ...ids.map(id => labelsById.get(id) ?? {})),
            inUse: group.some(i => imageKeys(i).some(k => used.has(k)))
        });
    }
    return items;
}
/** One container of `container inspect`, with its size from `ps --size` by ID. */
function containerItem(c, sizes) {
    const id = str(c, 'Id') || str(c, 'ID');
    const state = obj(c, 'State');
    const status = str(state, 'Status');
    const running = bool(state, 'Running') ||
        bool(state, 'Paused') ||
        bool(state, 'Restarting') ||
        ['running', 'paused', 'restarting'].includes(status);
    return {
        kind: 'container',
        ref: id,
        name: str(c, 'Name') || id.slice(0, 12),
        sizeBytes: sizes.get(id) ?? 0,
        time: Date.parse(str(c, 'Created')),
        labels: disk_labelsOf(obj(c, 'Config')?.Labels),
        inUse: running,
        running
    };
}
/** The image a container was made from and the named volumes it mounts (inspect). */
function containerUses(c) {
    const volumes = [];
    for (const m of arr(c, 'Mounts'))
        if (isObject(m) && str(m, 'Type') === 'volume' && str(m, 'Name'))
            volumes.push(str(m, 'Name'));
    return {
        id: str(c, 'Id') || str(c, 'ID'),
        image: str(c, 'Image') || str(obj(c, 'Config'), 'Image'),
        volumes
    };
}
/** `ps --all --size --format '{{json .}}'` lines: each container's own size, by full ID. */
function containerSizes(lines) {
    return new Map(lines.map(l => [str(l, 'ID'), disk_sizeOf(str(l, 'Size'))]));
}
/** One line of `volume ls --size --format '{{json .}}'`. */
function volumeItem(v, mounted) {
    const name = str(v, 'Name');
    const usedBy = mounted.get(name) ?? [];
    return {
        kind: 'volume',
        ref: name,
        name,
        sizeBytes: disk_sizeOf(str(v, 'Size')),
        time: NaN,
        labels: disk_labelsOf(v.Labels),
        inUse: usedBy.length > 0,
        usedBy
    };
}
/**
 * The items as they are once `removed` went: a volume mounted only by
 * removed containers is free (the volumes stage comes after the containers').
 */
function afterRemoval(items, removed) {
    const gone = new Set(removed.filter(i => i.kind === 'container').map(i => i.ref));
    return items.map(i => i.kind === 'volume' && i.inUse && (i.usedBy ?? []).every(id => gone.has(id))
        ? { ...i, inUse: false }
        : i);
}
/** One network of `network ls` (no size: it is pruned for its name, after its containers). */
function networkItem(name, labels) {
    return { kind: 'network', ref: name, name, sizeBytes: 0, time: NaN, labels, inUse: false };
}
function total(items, kind) {
    const of = items.filter(i => i.kind === kind);
    return { count: of.length, bytes: of.reduce((n, i) => n + i.sizeBytes, 0) };
}
/** The totals of a set of items. */
function usageOf(items, filesystem, withBuildCache) {
    return {
        filesystem,
        images: total(items, 'image'),
        containers: total(items, 'container'),
        volumes: total(items, 'volume'),
        buildCache: withBuildCache ? total(items, 'build-cache') : undefined,
        items
    };
}
/**
 * Why an item must stay, or undefined when the policy lets it go. The keep
 * label and use come first; then images and cache by age, and containers,
 * networks and volumes only when their maker is certainly gone (which also
 * means: made by the caller's kind, since only their labels name a maker).
 */
function keptBecause(item, policy, now) {
    const [key, value] = policy.keepLabel;
    if (item.labels[key] === value)
        return 'keep-label';
    if (item.running)
        return 'running';
    if (item.inUse)
        return 'in-use';
    switch (item.kind) {
        case 'image':
        case 'build-cache':
            // An unknown time is never old enough.
            return item.time <= now - policy.olderThanMs ? undefined : 'too-recent';
        default:
            if (Object.keys(item.labels).length === 0)
                return 'not-ours';
            return policy.creatorGone(item.labels) ? undefined : 'creator-alive';
    }
}
/**
 * The cache records a prune down to `keepBytes` removes: not in use, least
 * recently used first, until the total is within it (BuildKit's own order
 * for `--keep-storage`); a dry run shows these.
 */
function cacheOverKeep(records, keepBytes) {
    let size = records.reduce((n, r) => n + r.sizeBytes, 0);
    const out = [];
    const oldest = records.filter(r => !r.inUse).sort((a, b) => (a.time || 0) - (b.time || 0));
    for (const r of oldest) {
        if (size <= keepBytes)
            break;
        out.push(r);
        size -= r.sizeBytes;
    }
    return out;
}
/**
 * The eligible items of each stage, in removal order: cache (down to the keep
 * size, then older than the age), images no container uses oldest first,
 * stopped containers of gone makers then their networks, then their volumes.
 */
function prunePlan(items, policy, now) {
    const ok = (i) => keptBecause(i, policy, now) === undefined;
    const oldestFirst = (a, b) => (a.time || 0) - (b.time || 0);
    const cache = items.filter(i => i.kind === 'build-cache');
    const keep = policy.buildCacheKeepBytes === undefined ? [] : cacheOverKeep(cache, policy.buildCacheKeepBytes);
    const kept = new Set(keep);
    return [
        { stage: 'cache-keep', items: keep },
        { stage: 'cache-old', items: cache.filter(i => !kept.has(i) && ok(i)).sort(oldestFirst) },
        { stage: 'images', items: items.filter(i => i.kind === 'image' && ok(i)).sort(oldestFirst) },
        {
            stage: 'containers',
            items: [
                ...items.filter(i => i.kind === 'container' && ok(i)),
                ...items.filter(i => i.kind === 'network' && ok(i))
            ]
        },
        { stage: 'volumes', items: items.filter(i => i.kind === 'volume' && ok(i)) }
    ];
}
/** The biggest items, for the warning when nothing more may go. */
function biggest(items, n = 5) {
    return [...items]
        .filter(i => i.sizeBytes > 0)
        .sort((a, b) => b.sizeBytes - a.sizeBytes)
        .slice(0, n);
}

;// CONCATENATED MODULE: ./src/nerdctl/exec/lock.ts
// A lock for the whole machine, held by the kernel: `flock` (util-linux) takes
// it on a directory and holds it while its child `cat` runs, and `cat` runs
// until this process closes its standard input, which the kernel does when
// this process ends, however it ends (a kill included). So a lock is never
// left behind by a dead holder, and no lock file needs judging as stale.
// A directory, not a file: with fs.protected_regular (the default on most
// distributions), opening another user's file in sticky /run/lock is refused.



/**
 * Takes the lock named by `dir` (made, mode 0755, when absent), waiting at
 * most `waitMs`; resolves undefined when it stays taken that long, or when
 * `flock` cannot run (then `why` is told the reason).
 */
async function machineLock(dir, waitMs, why = () => { }) {
    try {
        (0,external_node_fs_.mkdirSync)(dir, { recursive: true, mode: 0o755 });
    }
    catch (e) {
        why(`cannot make ${dir}: ${e.message}`);
        return undefined;
    }
    const seconds = Math.max(0, waitMs / 1000).toFixed(1);
    const child = (0,external_node_child_process_.spawn)(systemProgram('flock'), ['--wait', seconds, '--conflict-exit-code', '75', dir, systemProgram('cat')], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c) => (stderr += c.toString()));
    const ended = new Promise(resolve => {
        child.on('error', e => {
            stderr += e.message;
            resolve(null);
        });
        child.on('close', code => resolve(code));
    });
    // `cat` echoes what it reads: the byte coming back says flock let it start.
    const held = new Promise(resolve => {
        child.stdout.once('data', () => resolve(true));
        void ended.then(() => resolve(false));
    });
    child.stdin.on('error', () => { });
    child.stdin.write('x');
    if (!(await held)) {
        const code = await ended;
        if (code !== 75)
            why(`flock failed${code === null ? '' : ` (exit ${code})`}: ${stderr.trim()}`);
        return undefined;
    }
    // The holder stays referenced: release() waits for it to end, and Node
    // would exit in the middle of that wait if nothing it awaits were referenced.
    let released;
    return {
        release: () => {
            released ??= (async () => {
                child.stdin.end();
                await ended;
            })();
            return released;
        }
    };
}

;// CONCATENATED MODULE: ./src/nerdctl/ops/disk.ts
// The store's disk: how full the filesystem holding it is (one statfs, no
// process), what takes the space (nerdctl's listings and the local BuildKit's
// `buildctl du`: nerdctl has no `system df`), and a prune that removes what
// the policy lets go, in the policy's order, until the filesystem is within
// its budget. What may go is decided in pure/disk.ts; here it is read and
// removed. A removal nerdctl refuses (an image a container took up meanwhile,
// a volume mounted since) is reported, never forced.










/** The filesystem holding `path`, from one statfs (no process, well under a millisecond). */
function storeFilesystem(path) {
    return filesystemUsage(path, (0,external_node_fs_.statfsSync)(path));
}
/**
 * The address of a BuildKit on this machine that the store's cache may be
 * pruned on: the given one when it is a unix socket (a tcp:// or other host
 * may be another machine's, whose cache is not ours to judge); unset, where
 * nerdctl itself looks (`/run/buildkit-NAMESPACE/`, then `/run/buildkit/`),
 * when that socket exists.
 */
function localBuildkit(address, namespace = 'default', exists = external_node_fs_.existsSync) {
    if (address !== undefined)
        return address.startsWith('unix://') ? address : undefined;
    for (const dir of [`/run/buildkit-${namespace}`, '/run/buildkit']) {
        const sock = `${dir}/buildkitd.sock`;
        if (exists(sock))
            return `unix://${sock}`;
    }
    return undefined;
}
let buildctlPath;
function buildctlOf(options) {
    if (options.buildctl)
        return options.buildctl;
    buildctlPath ??= findProgram('buildctl') ?? 'buildctl';
    return buildctlPath;
}
/** `buildctl --addr A ARGS`, through sudo when the client uses it (BuildKit's socket is root's). */
async function buildctl(args, options) {
    const address = options.buildkitAddress;
    const r = await tool([buildctlOf(options), '--addr', address, ...args], options, {
        privileged: true,
        maxOutputBytes: 16 * 1024 * 1024
    });
    return r.stdout;
}
/** Every item of the store in the client's namespace, with what uses what. */
async function storeItems(options) {
    const [imageRows, ps, volumes, networks, cache] = await Promise.all([
        images_images(options),
        nerdctl(['ps', '--all', '--no-trunc', '--size', '--format', '{{json .}}'], options),
        nerdctl(['volume', 'ls', '--size', '--format', '{{json .}}'], options),
        networkList(options),
        options.buildkitAddress
            ? buildctl(['du', '--format', '{{json .}}'], options).then(parseBuildCache)
            : Promise.resolve([])
    ]);
    const psLines = parseJsonLines(ps.stdout, 'ps output');
    const sizes = containerSizes(psLines);
    const ids = [...sizes.keys()].filter(id => /^[0-9a-f]{12,64}$/.test(id));
    // One inspect of every container: labels, state, image and mounts at once.
    const inspected = ids.length === 0
        ? []
        : parseJsonArray((await nerdctl(['container', 'inspect', ...ids], options, { allowFailure: true }))
            .stdout || '[]', 'container inspect output');
    const uses = inspected.map(containerUses);
    const mounted = new Map();
    for (const u of uses)
        for (const v of u.volumes)
            mounted.set(v, [...(mounted.get(v) ?? []), u.id]);
    // Image config labels (the keep label): one inspect of one name of every image.
    const names = new Map();
    for (const i of imageRows)
        if (i.name && !names.has(i.id))
            names.set(i.id, i.name);
    let labelsById = new Map();
    const named = [...names.values()].filter(isImageReference);
    if (named.length > 0) {
        const r = await nerdctl(['image', 'inspect', ...named], options, { allowFailure: true });
        labelsById = imageLabels(parseJsonArray(r.stdout || '[]', 'image inspect output'));
    }
    return [
        ...cache,
        ...imageItems(imageRows, uses.map(u => u.image), labelsById),
        ...inspected.map(c => containerItem(c, sizes)),
        ...networks
            .filter(n => Object.keys(n.labels).length > 0)
            .map(n => networkItem(n.name, n.labels)),
        ...parseJsonLines(volumes.stdout, 'volume ls output').map(v => volumeItem(v, mounted))
    ];
}
/**
 * What the store uses: the filesystem (when `path` is given), and images,
 * containers, volumes and, with a local BuildKit, build cache, as nerdctl and
 * BuildKit account for them (images by nerdctl's unpacked size; layers two
 * images share count for both).
 */
async function diskUsage(options = {}) {
    const items = await storeItems(options);
    const fs = options.path ? storeFilesystem(options.path) : undefined;
    return usageOf(items, fs, options.buildkitAddress !== undefined);
}
/** Removes one item; throws nerdctl's refusal. */
async function removeItem(item, options) {
    switch (item.kind) {
        case 'image':
            // Every name (one would free nothing), never forced: nerdctl refuses a name a container uses.
            for (const name of item.ref.split(',')) {
                checkImageReference(name);
                await nerdctl(['rmi', name], options);
            }
            return;
        case 'container':
            // Not forced: a container started meanwhile stays.
            checkContainerRef(item.ref);
            await nerdctl(['rm', '--volumes', item.ref], options);
            return;
        case 'network':
            if (!CONTAINER_NAME.test(item.ref))
                throw new Error(`${item.ref} is not a network name`);
            await nerdctl(['network', 'rm', item.ref], options);
            return;
        case 'volume':
            if (!CONTAINER_NAME.test(item.ref))
                throw new Error(`${item.ref} is not a volume name`);
            await nerdctl(['volume', 'rm', item.ref], options);
            return;
        case 'build-cache':
            throw new Error('build cache is pruned by BuildKit, not record by record');
    }
}
/**
 * Removes what `policy` lets go, stage by stage (build cache down to the
 * keep size, then cache and images older than the age, then stopped
 * containers and networks, then volumes, of makers certainly gone), and stops
 * as soon as the filesystem is within the budget. In a dry run nothing is
 * removed and the budget is judged on the estimated sizes. Callers that may
 * run at once on one machine take a machine-wide lock first (`machineLock`).
 */
async function prune(policy, options = {}) {
    const now = policy.now ?? Date.now();
    const dryRun = policy.dryRun === true;
    const withCache = {
        ...options,
        path: policy.budget?.path ?? options.path,
        buildkitAddress: policy.buildkitAddress
    };
    const before = await diskUsage(withCache);
    const removed = [];
    const failed = [];
    let estimate = before.filesystem?.usedBytes ?? 0;
    /** The filesystem's use now: measured, or in a dry run estimated. */
    const used = () => {
        if (dryRun || !policy.budget)
            return estimate;
        try {
            return storeFilesystem(policy.budget.path).usedBytes;
        }
        catch {
            return estimate;
        }
    };
    const within = () => {
        const b = policy.budget;
        if (!b || !before.filesystem)
            return false;
        return used() <= budgetBytes(before.filesystem, b.budget);
    };
    const gone = (item) => {
        removed.push(item);
        estimate -= item.sizeBytes;
    };
    for (const planned of prunePlan(before.items, policy, now)) {
        const { stage } = planned;
        // Volumes are judged again: one whose containers this prune removed is free now.
        const items = stage === 'volumes'
            ? (prunePlan(afterRemoval(before.items, removed), policy, now).find(s => s.stage === 'volumes')?.items ?? [])
            : planned.items;
        if (within())
            break;
        if (items.length === 0)
            continue;
        if (stage === 'cache-keep' || stage === 'cache-old') {
            if (!policy.buildkitAddress)
                continue;
            if (dryRun) {
                items.forEach(gone);
                continue;
            }
            const args = stage === 'cache-keep'
                ? ['prune', '--keep-storage', String((policy.buildCacheKeepBytes ?? 0) / 1e6)]
                : ['prune', '--keep-duration', formatDuration(policy.olderThanMs)];
            try {
                await buildctl(args, withCache);
                // What went is what `du` no longer lists.
                const left = new Set(parseBuildCache(await buildctl(['du', '--format', '{{json .}}'], withCache)).map(r => r.ref));
                for (const r of before.items)
                    if (r.kind === 'build-cache' && !left.has(r.ref) && !removed.includes(r))
                        gone(r);
            }
            catch (e) {
                failed.push({ item: items[0], reason: errorMessage(e) });
            }
            continue;
        }
        for (const item of items) {
            if (within())
                break;
            if (dryRun) {
                gone(item);
                continue;
            }
            try {
                await removeItem(item, options);
                gone(item);
            }
            catch (e) {
                failed.push({ item, reason: errorMessage(e) });
            }
        }
    }
    let after;
    if (dryRun) {
        const left = before.items.filter(i => !removed.some(r => r.kind === i.kind && r.ref === i.ref));
        const fs = before.filesystem && { ...before.filesystem, usedBytes: estimate };
        after = usageOf(left, fs, before.buildCache !== undefined);
    }
    else if (removed.length === 0)
        after = before;
    else
        after = await diskUsage(withCache);
    const withinBudget = !policy.budget || !after.filesystem
        ? true
        : after.filesystem.usedBytes <= budgetBytes(after.filesystem, policy.budget.budget);
    return { dryRun, before, after, removed, failed, withinBudget };
}

;// CONCATENATED MODULE: ./src/nerdctl/pure/compose.ts
// Compose environments, without I/O: the typed model of what `nerdctl compose
// config` prints (compose-go's merged, interpolated and normalised model, so
// merging, profiles, env files and `${VAR}` are the reference
// implementation's, not ours), checked key by key, and the environment it
// stands for: the same EnvironmentSpec the services input starts, so every
// Compose service is started and waited for by the same code.
//
// What this refuses, by name, instead of dropping: every service key this
// does not carry over (nerdctl's own `compose up` drops many with a warning),
// `container_name` (a fixed name defeats per-job projects: two jobs would
// collide), network aliases and IP addresses (nerdctl has none), external
// networks, secrets and configs.



/** The label keys Docker Compose puts on what it makes, so users' tools recognise ours. */
const COMPOSE_PROJECT_LABEL = 'com.docker.compose.project';
const COMPOSE_SERVICE_LABEL = 'com.docker.compose.service';
const COMPOSE_NETWORK_LABEL = 'com.docker.compose.network';
const COMPOSE_VOLUME_LABEL = 'com.docker.compose.volume';
/** A Compose project name as compose-go accepts it (lower case, so it is also a network name prefix). */
const PROJECT = /^[a-z0-9][a-z0-9_-]{1,62}$/;
const PROFILE = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;
function checkComposeProject(value) {
    if (!PROJECT.test(value))
        throw invalidValue('project', `Compose project name ${showValue(value)} is invalid: use 2 to 63 lower-case letters, digits, "-" and "_", starting with a letter or digit`);
}
function checkComposeProfile(value) {
    if (!PROFILE.test(value))
        throw invalidValue('profiles', `Compose profile ${showValue(value)} is invalid: use letters, digits, "_", "." and "-", starting with a letter or digit`);
}
const isDoc = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
/** A refusal naming the file, the service and the key, as every Compose message does. */
function refuse(where, key, why) {
    return invalidValue('composeFile', `${where}: key "${key}": ${why}`);
}
const SERVICE_KEYS = new Set([
    'image',
    'build',
    'command',
    'entrypoint',
    'environment',
    'env_file',
    'ports',
    'expose',
    'volumes',
    'tmpfs',
    'networks',
    'depends_on',
    'healthcheck',
    'restart',
    'labels',
    'working_dir',
    'user',
    'profiles',
    'pull_policy'
]);
/** Why a service key is refused, where a reason helps more than "not supported". */
const REFUSED_BECAUSE = {
    container_name: 'a fixed container name defeats per-job projects (two jobs with this file would collide on it); remove it: other services reach this one by its service name',
    hostname: 'the service name is the host name the others reach it by; remove it',
    deploy: 'replicas and resources of deploy are not supported; remove it',
    secrets: 'secrets are not supported; pass the value through environment (it never reaches a command line)',
    configs: 'configs are not supported; mount a file with volumes instead',
    extends: 'extends should have been resolved by compose config'
};
const TOP_KEYS = new Set(['name', 'services', 'networks', 'volumes']);
function compose_str(v, where, key) {
    if (typeof v === 'string')
        return v;
    if (typeof v === 'number' || typeof v === 'boolean')
        return String(v);
    throw refuse(where, key, `expected a string, got ${JSON.stringify(v)}`);
}
function strings(v, where, key) {
    if (v === undefined || v === null)
        return [];
    if (!Array.isArray(v))
        throw refuse(where, key, 'expected a list');
    return v.map(x => compose_str(x, where, key));
}
function pairs(v, where, key) {
    if (v === undefined || v === null)
        return [];
    if (!isDoc(v))
        throw refuse(where, key, 'expected a mapping');
    return Object.entries(v)
        .filter(([, value]) => value !== null && value !== undefined)
        .map(([k, value]) => [k, compose_str(value, where, `${key}.${k}`)]);
}
function onlyKeys(v, allowed, where, key) {
    for (const [k, value] of Object.entries(v)) {
        if (allowed.includes(k))
            continue;
        // compose config prints empty option blocks (`bind: {}`, `volume: {}`).
        if (isDoc(value) && Object.keys(value).length === 0)
            continue;
        throw refuse(where, `${key}.${k}`, 'not supported by this action; remove it');
    }
}
/** A shell word that /bin/sh reads back as exactly `w`. */
function shellWord(w) {
    return /^[A-Za-z0-9_@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`;
}
function healthOf(v, where) {
    if (v === undefined || v === null)
        return undefined;
    if (!isDoc(v))
        throw refuse(where, 'healthcheck', 'expected a mapping');
    // start_interval only asks for quicker probes while starting: the readiness
    // loop probes on its own short schedule anyway.
    onlyKeys(v, ['test', 'interval', 'timeout', 'retries', 'start_period', 'start_interval', 'disable'], where, 'healthcheck');
    if (v.disable === true)
        return undefined;
    const test = strings(v.test, where, 'healthcheck.test');
    const [kind, ...rest] = test;
    let cmd;
    if (kind === 'NONE' || test.length === 0)
        return undefined;
    if (kind === 'CMD-SHELL')
        cmd = rest.join(' ');
    else if (kind === 'CMD')
        cmd = rest.map(shellWord).join(' ');
    else
        throw refuse(where, 'healthcheck.test', `expected CMD, CMD-SHELL or NONE first, got ${showValue(kind ?? '')}`);
    const hc = { cmd };
    if (v.interval !== undefined)
        hc.interval = compose_str(v.interval, where, 'healthcheck.interval');
    if (v.timeout !== undefined)
        hc.timeout = compose_str(v.timeout, where, 'healthcheck.timeout');
    if (v.start_period !== undefined)
        hc.startPeriod = compose_str(v.start_period, where, 'healthcheck.start_period');
    if (v.retries !== undefined)
        hc.retries = Number(v.retries);
    return hc;
}
function portsOf(v, where) {
    if (v === undefined || v === null)
        return [];
    if (!Array.isArray(v))
        throw refuse(where, 'ports', 'expected a list');
    return v.map((p) => {
        if (!isDoc(p))
            throw refuse(where, 'ports', `expected a mapping, got ${JSON.stringify(p)}`);
        onlyKeys(p, ['mode', 'target', 'published', 'host_ip', 'protocol', 'name', 'app_protocol'], where, 'ports');
        if (p.mode !== undefined && p.mode !== 'ingress' && p.mode !== 'host')
            throw refuse(where, 'ports.mode', `mode ${JSON.stringify(p.mode)} is not supported`);
        const target = Number(p.target);
        if (!Number.isInteger(target) || target < 1 || target > 65535)
            throw refuse(where, 'ports.target', `container port ${JSON.stringify(p.target)} is invalid`);
        const published = p.published === undefined || p.published === null || p.published === ''
            ? undefined
            : compose_str(p.published, where, 'ports.published');
        if (published !== undefined && !/^\d{1,5}(-\d{1,5})?$/.test(published))
            throw refuse(where, 'ports.published', `host port ${showValue(published)} is invalid`);
        const protocol = p.protocol === undefined ? 'tcp' : compose_str(p.protocol, where, 'ports.protocol');
        if (!['tcp', 'udp', 'sctp'].includes(protocol))
            throw refuse(where, 'ports.protocol', `protocol ${showValue(protocol)} is invalid`);
        const hostIp = p.host_ip === undefined ? undefined : compose_str(p.host_ip, where, 'ports.host_ip');
        return { hostIp, published, target, protocol };
    });
}
function mountsOf(v, where) {
    if (v === undefined || v === null)
        return [];
    if (!Array.isArray(v))
        throw refuse(where, 'volumes', 'expected a list');
    return v.map((m) => {
        if (!isDoc(m))
            throw refuse(where, 'volumes', `expected a mapping, got ${JSON.stringify(m)}`);
        onlyKeys(m, ['type', 'source', 'target', 'read_only'], where, 'volumes');
        const type = compose_str(m.type, where, 'volumes.type');
        if (type !== 'volume' && type !== 'bind')
            throw refuse(where, 'volumes.type', `mount type ${showValue(type)} is not supported (volume and bind are)`);
        const target = compose_str(m.target, where, 'volumes.target');
        if (!target.startsWith('/') || target.includes(':'))
            throw refuse(where, 'volumes.target', `container path ${showValue(target)} must be absolute, without ":"`);
        const source = m.source === undefined ? undefined : compose_str(m.source, where, 'volumes.source');
        if (source?.includes(':'))
            throw refuse(where, 'volumes.source', `source ${showValue(source)} must not contain ":"`);
        if (type === 'bind' && !source?.startsWith('/'))
            throw refuse(where, 'volumes.source', `bind source ${showValue(source ?? '')} must be a path`);
        return { type, source, target, readOnly: m.read_only === true };
    });
}
function dependsOnOf(v, where) {
    if (v === undefined || v === null)
        return [];
    if (!isDoc(v))
        throw refuse(where, 'depends_on', 'expected a mapping');
    return Object.entries(v).map(([key, d]) => {
        const at = `depends_on.${key}`;
        if (!isDoc(d))
            throw refuse(where, at, 'expected a mapping');
        // restart: true asks Compose to restart this service when the dependency
        // is restarted by a later Compose command; a step brings it up once.
        onlyKeys(d, ['condition', 'required', 'restart'], where, at);
        const condition = d.condition ?? 'service_started';
        if (condition !== 'service_started' &&
            condition !== 'service_healthy' &&
            condition !== 'service_completed_successfully')
            throw refuse(where, `${at}.condition`, `condition ${JSON.stringify(condition)} is unknown: use service_started, service_healthy or service_completed_successfully`);
        return { key, condition, required: d.required !== false };
    });
}
function buildOf(v, where) {
    if (v === undefined || v === null)
        return undefined;
    if (!isDoc(v))
        throw refuse(where, 'build', 'expected a mapping');
    onlyKeys(v, ['context', 'dockerfile', 'args', 'target'], where, 'build');
    return {
        context: compose_str(v.context, where, 'build.context'),
        dockerfile: v.dockerfile === undefined ? undefined : compose_str(v.dockerfile, where, 'build.dockerfile'),
        args: pairs(v.args, where, 'build.args'),
        target: v.target === undefined ? undefined : compose_str(v.target, where, 'build.target')
    };
}
function serviceOf(key, v) {
    const where = `service "${key}"`;
    if (!isDoc(v))
        throw invalidValue('composeFile', `${where}: expected a mapping`);
    checkServiceKey(key, 'composeFile');
    for (const k of Object.keys(v)) {
        if (SERVICE_KEYS.has(k))
            continue;
        throw refuse(where, k, REFUSED_BECAUSE[k] ??
            'not supported by this action (nerdctl compose would drop or change it); remove it');
    }
    const networks = v.networks;
    const networkKeys = [];
    if (networks !== undefined && networks !== null) {
        if (!isDoc(networks))
            throw refuse(where, 'networks', 'expected a mapping');
        for (const [n, opts] of Object.entries(networks)) {
            if (opts !== null && !(isDoc(opts) && Object.keys(opts).length === 0))
                throw refuse(where, `networks.${n}`, 'aliases, addresses and other per-network options are not supported (nerdctl has no network aliases); other services reach this one by its service name');
            networkKeys.push(n);
        }
    }
    const image = v.image === undefined ? undefined : compose_str(v.image, where, 'image');
    if (image !== undefined) {
        try {
            checkImageReference(image);
        }
        catch (e) {
            throw refuse(where, 'image', e instanceof Error ? e.message : String(e));
        }
    }
    const restart = v.restart === undefined ? undefined : compose_str(v.restart, where, 'restart');
    if (restart !== undefined && !/^(no|always|unless-stopped|on-failure(:\d+)?)$/.test(restart))
        throw refuse(where, 'restart', `policy ${showValue(restart)} is invalid`);
    const pullPolicy = v.pull_policy === undefined ? undefined : compose_str(v.pull_policy, where, 'pull_policy');
    if (pullPolicy !== undefined &&
        !['always', 'missing', 'never', 'if_not_present', 'build'].includes(pullPolicy))
        throw refuse(where, 'pull_policy', `policy ${showValue(pullPolicy)} is not supported (always, missing, never, build)`);
    const tmpfs = typeof v.tmpfs === 'string' ? [v.tmpfs] : strings(v.tmpfs, where, 'tmpfs');
    for (const t of tmpfs)
        if (!/^\/[^\s:]*$/.test(t))
            throw refuse(where, 'tmpfs', `${showValue(t)} must be an absolute container path`);
    return {
        key,
        image,
        build: buildOf(v.build, where),
        command: v.command === undefined || v.command === null
            ? undefined
            : strings(v.command, where, 'command'),
        entrypoint: v.entrypoint === undefined || v.entrypoint === null
            ? undefined
            : strings(v.entrypoint, where, 'entrypoint'),
        environment: pairs(v.environment, where, 'environment'),
        ports: portsOf(v.ports, where),
        volumes: mountsOf(v.volumes, where),
        tmpfs,
        networks: networkKeys,
        dependsOn: dependsOnOf(v.depends_on, where),
        healthCheck: healthOf(v.healthcheck, where),
        restart,
        labels: pairs(v.labels, where, 'labels'),
        workdir: v.working_dir === undefined ? undefined : compose_str(v.working_dir, where, 'working_dir'),
        user: v.user === undefined ? undefined : compose_str(v.user, where, 'user'),
        pullPolicy
    };
}
function resourcesOf(v, kind, project) {
    const out = {};
    if (v === undefined || v === null)
        return out;
    if (!isDoc(v))
        throw invalidValue('composeFile', `${kind}: expected a mapping`);
    for (const [key, r] of Object.entries(v)) {
        const where = `${kind === 'networks' ? 'network' : 'volume'} "${key}"`;
        const d = r ?? {};
        if (!isDoc(d))
            throw invalidValue('composeFile', `${where}: expected a mapping`);
        onlyKeys(d, ['name', 'external', 'labels', 'driver'], where, kind);
        if (d.driver !== undefined && d.driver !== (kind === 'networks' ? 'bridge' : 'local'))
            throw refuse(where, 'driver', `driver ${JSON.stringify(d.driver)} is not supported`);
        const external = d.external === true;
        if (external && kind === 'networks')
            throw refuse(where, 'external', 'joining a network the step does not own is not supported: let the project make its own (remove external)');
        out[key] = {
            name: d.name === undefined ? `${project}_${key}` : compose_str(d.name, where, 'name'),
            external,
            labels: pairs(d.labels, where, 'labels')
        };
    }
    return out;
}
/** The typed model of `nerdctl compose config` output (parsed YAML), checked key by key. */
function composeModel(doc) {
    if (!isDoc(doc))
        throw invalidValue('composeFile', 'the Compose model is not a mapping');
    for (const k of Object.keys(doc))
        if (!TOP_KEYS.has(k))
            throw invalidValue('composeFile', `top-level key "${k}": ${REFUSED_BECAUSE[k] ?? 'not supported by this action; remove it'}`);
    const name = compose_str(doc.name, 'the Compose model', 'name');
    checkComposeProject(name);
    if (!isDoc(doc.services) || Object.keys(doc.services).length === 0)
        throw invalidValue('composeFile', 'the Compose file has no services (with the profiles given)');
    const services = {};
    for (const [key, s] of Object.entries(doc.services))
        services[key] = serviceOf(key, s);
    return {
        name,
        services,
        networks: resourcesOf(doc.networks, 'networks', name),
        volumes: resourcesOf(doc.volumes, 'volumes', name)
    };
}
/** The services `select` names and everything they depend on (required or present). */
function selection(model, select) {
    const all = Object.keys(model.services);
    if (!select || select.length === 0)
        return all;
    const chosen = new Set();
    const visit = (key) => {
        if (chosen.has(key))
            return;
        const s = model.services[key];
        if (!s)
            throw invalidValue('services', `service ${showValue(key)} is not in the Compose file (with the profiles given): services are ${all.join(', ')}`);
        chosen.add(key);
        for (const d of s.dependsOn)
            if (d.required || d.key in model.services)
                visit(d.key);
    };
    for (const k of select)
        visit(k);
    return all.filter(k => chosen.has(k));
}
const CONDITION = {
    service_started: 'started',
    service_healthy: 'ready',
    service_completed_successfully: 'completed'
};
/**
 * The environment a Compose model stands for: one EnvironmentSpec (the
 * project's networks and volumes, each service's container with Compose's
 * labels and `<project>-<service>-1` as its name), the images to pull or
 * build first, and the fixed host ports to check. Refuses, naming the
 * service and the key, whatever cannot start as written.
 */
function composePlan(model, options = {}) {
    const project = model.name;
    const keys = selection(model, options.select);
    const projectLabel = [COMPOSE_PROJECT_LABEL, project];
    const defaultNetwork = model.networks.default?.name ?? `${project}_default`;
    const netName = (key) => model.networks[key]?.name ?? `${project}_${key}`;
    // Completion is asked of a service by a dependant anywhere in the file (one
    // left out by the selection too): that makes it a one-shot.
    const oneShots = new Set();
    for (const s of Object.values(model.services))
        for (const d of s.dependsOn)
            if (d.condition === 'service_completed_successfully')
                oneShots.add(d.key);
    const services = {};
    const images = {};
    const builds = [];
    const hostPorts = [];
    const binds = [];
    const usedNetworks = new Set();
    const usedVolumes = new Set();
    for (const key of keys) {
        const s = model.services[key];
        const where = `service "${key}"`;
        let image = s.image;
        if (s.build && options.build) {
            image ??= `${project}-${key}`;
            builds.push({ key, image, build: s.build });
        }
        else if (!image)
            throw invalidValue('build', `${where} has only build: and no image, and building is off: turn building on, or give it an image`);
        images[key] = image;
        const dependsOn = [];
        const conditions = {};
        for (const d of s.dependsOn) {
            if (!keys.includes(d.key)) {
                // Only a dependency that is not required may be absent (its profile is off).
                if (d.required)
                    throw refuse(where, `depends_on.${d.key}`, `service "${d.key}" is not in the Compose file`);
                continue;
            }
            const dep = model.services[d.key];
            if (d.condition === 'service_healthy' && !dep.healthCheck)
                throw refuse(where, `depends_on.${d.key}.condition`, `service_healthy needs a healthcheck on "${d.key}", which has none: give it one, or use service_started`);
            if (d.condition === 'service_healthy' && oneShots.has(d.key))
                throw refuse(where, `depends_on.${d.key}.condition`, `"${d.key}" must complete for another service, so it cannot also be waited on as healthy`);
            dependsOn.push(d.key);
            conditions[d.key] = CONDITION[d.condition];
        }
        const oneShot = oneShots.has(key);
        if (oneShot && (s.restart === 'always' || s.restart === 'unless-stopped'))
            throw refuse(where, 'restart', `a service others wait on to complete (service_completed_successfully) never completes with restart ${s.restart}: use "no" or on-failure`);
        const networks = (s.networks.length > 0 ? s.networks : ['default']).map(n => {
            if (n !== 'default' && !model.networks[n])
                throw refuse(where, `networks.${n}`, `network "${n}" is not defined under networks`);
            usedNetworks.add(n);
            return n === 'default' ? defaultNetwork : netName(n);
        });
        const volumes = [];
        for (const m of s.volumes) {
            const ro = m.readOnly ? ':ro' : '';
            if (m.type === 'bind') {
                binds.push({ key, source: m.source, readOnly: m.readOnly });
                volumes.push(`${m.source}:${m.target}${ro}`);
            }
            else if (m.source === undefined)
                volumes.push(m.target);
            else {
                const v = model.volumes[m.source];
                if (!v)
                    throw refuse(where, 'volumes', `volume "${m.source}" is not defined under volumes`);
                if (!v.external)
                    usedVolumes.add(m.source);
                volumes.push(`${v.name}:${m.target}${ro}`);
            }
        }
        const ports = s.ports.map(p => {
            if (p.published !== undefined && !p.published.includes('-'))
                hostPorts.push({
                    key,
                    hostIp: p.hostIp,
                    port: Number(p.published),
                    target: p.target,
                    protocol: p.protocol
                });
            const host = p.published === undefined
                ? p.hostIp
                    ? `${p.hostIp}::`
                    : ''
                : `${p.hostIp ? `${p.hostIp}:` : ''}${p.published}:`;
            return `${host}${p.target}/${p.protocol}`;
        });
        const extraArgs = s.tmpfs.flatMap(t => ['--tmpfs', t]);
        const pull = s.pullPolicy === 'always' ? 'always' : s.pullPolicy === 'never' ? 'never' : undefined;
        services[key] = {
            name: `${project}-${key}-1`,
            networks,
            dependsOn,
            conditions,
            oneShot,
            readiness: options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs },
            container: {
                image,
                command: s.command,
                entrypoint: s.entrypoint,
                env: s.environment,
                ports,
                volumes,
                labels: [...s.labels, [COMPOSE_SERVICE_LABEL, key]],
                restartPolicy: s.restart,
                healthCheck: s.healthCheck,
                workdir: s.workdir,
                user: s.user,
                pull: builds.some(b => b.key === key) ? 'never' : pull,
                extraArgs
            }
        };
    }
    const labels = [...(options.labels ?? []), projectLabel];
    const resource = (labelKey, all) => (key) => ({
        name: all[key].name,
        labels: [...all[key].labels, [labelKey, key]]
    });
    return {
        project,
        network: defaultNetwork,
        keys,
        spec: {
            network: defaultNetwork,
            labels,
            services,
            networks: [...usedNetworks]
                .filter(n => n !== 'default')
                .map(resource(COMPOSE_NETWORK_LABEL, model.networks)),
            volumes: [...usedVolumes].map(resource(COMPOSE_VOLUME_LABEL, model.volumes))
        },
        images,
        builds,
        hostPorts,
        binds
    };
}
/**
 * The host ports that `nerdctl ps` lines show published
 * (`0.0.0.0:5432->5432/tcp, 127.0.0.1:8000-8001->80-81/tcp`), ranges expanded.
 */
function publishedHostPorts(texts) {
    const out = [];
    for (const text of texts)
        for (const m of text.matchAll(/:(\d+)(?:-(\d+))?->[\d-]+\/(\w+)/g)) {
            const from = Number(m[1]);
            const to = m[2] === undefined ? from : Number(m[2]);
            for (let p = from; p <= to && p - from < 65536; p++)
                out.push({ port: p, protocol: m[3] ?? 'tcp' });
        }
    return out;
}
/** The options a short volume entry (`SOURCE:TARGET:OPTIONS`) may end with, as Compose reads them. */
const VOLUME_MODES = new Set([
    'ro',
    'rw',
    'z',
    'Z',
    'nocopy',
    'shared',
    'slave',
    'private',
    'rshared',
    'rslave',
    'rprivate',
    'cached',
    'delegated',
    'consistent'
]);
/**
 * Checks the options of short volume entries in one Compose file as written.
 * compose config drops an option it does not know (`data:/x:zz` prints as
 * `data:/x`), so a typo like `:r0` would mount read-write without a word:
 * the files themselves are read for this one check. Entries with `${...}`
 * are left to interpolation.
 */
function checkShortVolumes(doc, file) {
    if (!isDoc(doc) || !isDoc(doc.services))
        return;
    for (const [key, s] of Object.entries(doc.services)) {
        if (!isDoc(s) || !Array.isArray(s.volumes))
            continue;
        for (const v of s.volumes) {
            if (typeof v !== 'string' || v.includes('$'))
                continue;
            const parts = v.split(':');
            if (parts.length < 3)
                continue;
            const unknown = (parts[parts.length - 1] ?? '').split(',').filter(m => !VOLUME_MODES.has(m));
            if (unknown.length > 0)
                throw invalidValue('composeFile', `${file}: service "${key}": key "volumes": ${showValue(v)} ends in an unknown option ${showValue(unknown.join(','))}: use ro or rw (compose config would drop it silently)`);
        }
    }
}

;// CONCATENATED MODULE: ./src/nerdctl/ops/compose.ts
// Compose files through the reference implementation: `nerdctl compose
// config` merges the files, applies profiles, the env file and `${VAR}`
// interpolation (compose-go), and prints the model, which pure/compose.ts
// reads. Starting is never `nerdctl compose up` (it puts env values on argv
// and ignores every depends_on condition but "started"): the builder starts
// each service through the library's own run path. Here too: the one
// function every Compose image goes through before a container of it runs,
// the fixed host ports checked before anything starts, and the builds.









/** What nerdctl's logrus line says (`level=fatal msg="..."`), else the text as it is. */
function nerdctlMessage(stderr) {
    const m = /level=fatal msg="((?:[^"\\]|\\.)*)"/.exec(stderr);
    if (!m?.[1])
        return stderr.trim();
    try {
        return JSON.parse(`"${m[1]}"`);
    }
    catch {
        return m[1];
    }
}
/**
 * The merged model of Compose files, as `nerdctl compose -f A -f B config`
 * prints it, typed and checked (see pure/compose.ts). Fails with field
 * `composeFile` and compose-go's own words on a file that does not load: a
 * missing file, a YAML error, an unknown service in depends_on, a cycle.
 */
async function composeConfig(files, options = {}) {
    if (files.length === 0)
        throw invalidValue('composeFile', 'give at least one Compose file');
    const args = ['compose'];
    for (const f of files) {
        if (!f)
            throw invalidValue('composeFile', 'a Compose file path is empty');
        args.push('--file', f);
    }
    if (options.project !== undefined) {
        checkComposeProject(options.project);
        args.push('--project-name', options.project);
    }
    for (const p of options.profiles ?? []) {
        checkComposeProfile(p);
        args.push('--profile', p);
    }
    if (options.envFile !== undefined)
        args.push('--env-file', options.envFile);
    args.push('config');
    const r = await nerdctl(args, options, { allowFailure: true });
    if (r.exitCode !== 0)
        throw invalidValue('composeFile', `the Compose file does not load: ${nerdctlMessage(r.stderr)}`);
    const { parse } = await __webpack_require__.e(/* import() */ 815).then(__webpack_require__.t.bind(__webpack_require__, 8815, 19));
    let doc;
    try {
        doc = parse(r.stdout, { logLevel: 'error' });
    }
    catch (e) {
        throw new NerdctlError('JsonParseError', `compose config printed no model: ${errorMessage(e)}`);
    }
    // What compose config drops silently, read from the files as written.
    for (const f of files) {
        let raw;
        try {
            raw = parse(await (0,promises_.readFile)(f, 'utf8'), { logLevel: 'error' });
        }
        catch {
            // compose config read it; a file this process cannot read is its business.
            continue;
        }
        checkShortVolumes(raw, f);
    }
    return composeModel(doc);
}
/**
 * Makes one Compose image ready to run: every image reference of a Compose
 * environment comes through here, once, before any container of it starts
 * (the place a signature check belongs). `missing` pulls only what the store
 * lacks; `always` pulls; `never` only checks it is there.
 */
async function composeImage(image, policy, options = {}) {
    if (policy === 'always') {
        await imagePull(image, { ...options, quiet: true });
        return;
    }
    if (await imageExists(image, options))
        return;
    if (policy === 'never')
        throw invalidValue('composeFile', `image ${image} is not on this machine and pull_policy is never`);
    await imagePull(image, { ...options, quiet: true });
}
/** Whether something on this machine listens on the TCP port (a bind says so at once). */
function listening(port, host) {
    return new Promise(resolve => {
        const server = (0,external_node_net_.createServer)();
        server.once('error', (e) => resolve(e.code === 'EADDRINUSE'));
        server.listen({ port, host: host || '0.0.0.0', exclusive: true }, () => server.close(() => resolve(false)));
    });
}
/**
 * Fails, naming the service and port, when a fixed host port is taken: by a
 * running container that publishes it (nerdctl's port mapping listens on no
 * socket, so only the listing shows it) or by a process of this machine.
 */
async function checkComposeHostPorts(ports, options = {}) {
    if (ports.length === 0)
        return;
    const published = publishedHostPorts((await list(false, options)).map(c => c.ports));
    for (const p of ports) {
        const taken = published.some(q => q.port === p.port && q.protocol === p.protocol) ||
            (p.protocol === 'tcp' && (await listening(p.port, p.hostIp)));
        if (taken)
            throw invalidValue('composeFile', `service "${p.key}": key "ports": host port ${p.port}/${p.protocol} is taken on this machine: publish the port without a host port (e.g. "${p.target}" instead of "${p.port}:${p.target}") so a free one is picked, and read it from the service's ports`);
    }
}
/** Builds the images of services with `build:` (through the client's BuildKit), one after another. */
async function composeBuilds(plan, options = {}) {
    const results = [];
    for (const b of plan.builds) {
        const file = b.build.dockerfile === undefined || (0,external_node_path_.isAbsolute)(b.build.dockerfile)
            ? b.build.dockerfile
            : (0,external_node_path_.join)(b.build.context, b.build.dockerfile);
        results.push(await imageBuild(b.image, b.build.context, {
            ...options,
            file,
            buildArgs: b.build.args,
            target: b.build.target,
            readMetadata: false
        }));
    }
    return results;
}

;// CONCATENATED MODULE: ./src/nerdctl/builder/compose.ts



const Compose = {
    /** The merged, checked model of the files (`nerdctl compose config`). */
    config(files, options = {}) {
        return composeConfig(files, options);
    },
    /** The environment the files stand for, checked, before anything is created. */
    async plan(files, options = {}) {
        const model = await composeConfig(files, {
            client: options.client,
            signal: options.signal,
            project: options.project,
            profiles: options.profiles,
            envFile: options.envFile
        });
        return composePlan(model, planOptions(options));
    },
    /**
     * Brings the files up: checks everything, then starts the services in
     * condition order and waits until each is ready (or a one-shot has exited
     * 0). Returns the same handle as Environment.start; `stop()` removes the
     * containers, networks and the volumes it created.
     */
    async up(files, options = {}) {
        return Compose.start(await Compose.plan(files, options), options);
    },
    /** Starts a plan (see `up`). */
    async start(plan, options = {}) {
        await options.onPlan?.(plan);
        const call = {
            client: options.client,
            signal: options.signal,
            retry: options.retry
        };
        await checkComposeHostPorts(plan.hostPorts, call);
        const built = new Set(plan.builds.map(b => b.key));
        const prepare = options.prepareImage ?? composeImage;
        // Each image once, however many services run it.
        const policies = new Map();
        for (const [key, image] of Object.entries(plan.images)) {
            if (built.has(key))
                continue;
            const pull = plan.spec.services[key]?.container.pull ?? 'missing';
            if (policies.get(image) !== 'always')
                policies.set(image, pull);
        }
        await Promise.all([...policies].map(([image, policy]) => prepare(image, policy, call)));
        await composeBuilds(plan, { ...call, stream: true });
        return Environment.start(plan.spec, options);
    }
};
function planOptions(options) {
    return {
        select: options.services,
        build: options.build,
        labels: options.labels,
        timeoutMs: options.readyTimeoutMs
    };
}

;// CONCATENATED MODULE: ./src/nerdctl/index.ts





































// Disk: the store's use, the budget, and a prune that removes only what a policy lets go.









/***/ })

};

//# sourceMappingURL=351.index.js.map