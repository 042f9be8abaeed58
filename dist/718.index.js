export const id = 718;
export const ids = [718];
export const modules = {

/***/ 7718:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   post: () => (/* binding */ post)
/* harmony export */ });
/* harmony import */ var _workflow_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(5809);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var _nerdctl_index_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(7126);
/* harmony import */ var _constants_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(915);
/* harmony import */ var _inputs_reader_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(3687);
/* harmony import */ var _logger_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(8980);
/* harmony import */ var _state_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(3175);
/* harmony import */ var _disk_budget_js__WEBPACK_IMPORTED_MODULE_8__ = __webpack_require__(423);
/* harmony import */ var _scratch_js__WEBPACK_IMPORTED_MODULE_9__ = __webpack_require__(132);
// The post step (runs even when the job failed or was cancelled): removes
// exactly the containers this step started, found by their saved IDs and by
// the step's own label, removes the files a crash left half-written, logs
// out, and warns instead of failing when a cleanup does not work out. It
// never touches a container the step did not create.










/**
 * The saved containers and those the step's label finds (a script's, one main
 * did not record). When main said its saved list is complete, that list is
 * all there is, and the post step saves itself one nerdctl call.
 */
async function containersOf(token, saved, complete, call) {
    if (complete)
        return saved;
    const ids = new Set(saved);
    try {
        for (const c of await (0,_nerdctl_index_js__WEBPACK_IMPORTED_MODULE_3__.list)(true, { ...call, filters: [`label=${_constants_js__WEBPACK_IMPORTED_MODULE_4__/* .OWNER_LABEL */ .pk}=${token}`] }))
            ids.add(c.id);
    }
    catch (e) {
        _workflow_js__WEBPACK_IMPORTED_MODULE_0__/* .warning */ .$e(`post step: could not list this step's containers: ${(0,_nerdctl_index_js__WEBPACK_IMPORTED_MODULE_3__.errorMessage)(e)}`);
    }
    return [...ids];
}
async function removeContainer(id, call) {
    try {
        // With its anonymous volumes: nothing else would ever remove them.
        await (0,_nerdctl_index_js__WEBPACK_IMPORTED_MODULE_3__.remove)(id, { ...call, force: true, volumes: true });
        _workflow_js__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`removed container ${id.slice(0, 12)}`);
    }
    catch (e) {
        if ((0,_nerdctl_index_js__WEBPACK_IMPORTED_MODULE_3__.isNoSuchContainer)(e))
            _workflow_js__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`container ${id.slice(0, 12)} was already gone`);
        else
            _workflow_js__WEBPACK_IMPORTED_MODULE_0__/* .warning */ .$e(`post step: could not remove container ${id.slice(0, 12)}: ${(0,_nerdctl_index_js__WEBPACK_IMPORTED_MODULE_3__.errorMessage)(e)}`);
    }
}
/**
 * Removes the containers a few at a time: an `rm --force` spends most of its
 * time waiting on containerd and CNI (killing the task, tearing down its
 * network), so a services step's eight containers go in about the time of two.
 */
async function removeContainers(ids, call) {
    let next = 0;
    const worker = async () => {
        for (let id = ids[next++]; id !== undefined; id = ids[next++])
            await removeContainer(id, call);
    };
    await Promise.all(Array.from({ length: Math.min(_constants_js__WEBPACK_IMPORTED_MODULE_4__/* .REMOVE_CONCURRENCY */ .JK, ids.length) }, worker));
}
/**
 * The saved networks and those the step's label finds (a script's); removed
 * after their containers. When main said its saved lists are complete (no
 * script, no services, no failure), it made no network to look for.
 */
async function removeNetworks(token, saved, complete, call) {
    if (complete && saved.length === 0)
        return;
    const names = new Set(saved);
    try {
        for (const n of await (0,_nerdctl_index_js__WEBPACK_IMPORTED_MODULE_3__.networkList)({ ...call, filters: [`label=${_constants_js__WEBPACK_IMPORTED_MODULE_4__/* .OWNER_LABEL */ .pk}=${token}`] }))
            names.add(n.name);
    }
    catch (e) {
        _workflow_js__WEBPACK_IMPORTED_MODULE_0__/* .warning */ .$e(`post step: could not list this step's networks: ${(0,_nerdctl_index_js__WEBPACK_IMPORTED_MODULE_3__.errorMessage)(e)}`);
    }
    for (const name of names) {
        try {
            await (0,_nerdctl_index_js__WEBPACK_IMPORTED_MODULE_3__.networkRemove)(name, call);
            _workflow_js__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`removed network ${name}`);
        }
        catch (e) {
            if (!(0,_nerdctl_index_js__WEBPACK_IMPORTED_MODULE_3__.isNoSuchNetwork)(e))
                _workflow_js__WEBPACK_IMPORTED_MODULE_0__/* .warning */ .$e(`post step: could not remove network ${name}: ${(0,_nerdctl_index_js__WEBPACK_IMPORTED_MODULE_3__.errorMessage)(e)}`);
        }
    }
}
/**
 * The volumes carrying this step's owner label, after the containers that
 * used them: listed only when main created one (or a script may have). A
 * volume the step found existing never has the label and is never touched;
 * one still in use (by a container this step did not make) stays, with a warning.
 */
async function removeVolumes(token, state, call) {
    if (!state.mayHaveVolumes())
        return;
    let volumes;
    try {
        volumes = await (0,_nerdctl_index_js__WEBPACK_IMPORTED_MODULE_3__.volumeList)({ ...call, filters: [`label=${_constants_js__WEBPACK_IMPORTED_MODULE_4__/* .OWNER_LABEL */ .pk}=${token}`] });
    }
    catch (e) {
        _workflow_js__WEBPACK_IMPORTED_MODULE_0__/* .warning */ .$e(`post step: could not list this step's volumes: ${(0,_nerdctl_index_js__WEBPACK_IMPORTED_MODULE_3__.errorMessage)(e)}`);
        return;
    }
    for (const v of volumes) {
        // The filter is nerdctl's; the label is checked again here before removing.
        if (v.labels[_constants_js__WEBPACK_IMPORTED_MODULE_4__/* .OWNER_LABEL */ .pk] !== token)
            continue;
        try {
            await (0,_nerdctl_index_js__WEBPACK_IMPORTED_MODULE_3__.volumeRemove)(v.name, call);
            _workflow_js__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`removed volume ${v.name}`);
        }
        catch (e) {
            _workflow_js__WEBPACK_IMPORTED_MODULE_0__/* .warning */ .$e(`post step: could not remove volume ${v.name}: ${(0,_nerdctl_index_js__WEBPACK_IMPORTED_MODULE_3__.errorMessage)(e)}`);
        }
    }
}
/** What main's scratchDirectory makes: nerdctl-action-XXXXXX. */
const SCRATCH_NAME = /^nerdctl-action-[A-Za-z0-9]{6}$/;
/**
 * Why saved state does not name this step's scratch directory, or undefined
 * when it does: a directory (not a link) of main's name, directly under the
 * real RUNNER_TEMP, owned by this user. State is read back, not trusted.
 */
function notScratch(scratch) {
    let parent;
    try {
        parent = (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.realpathSync)((0,_scratch_js__WEBPACK_IMPORTED_MODULE_9__/* .scratchParent */ .d)());
    }
    catch {
        return 'RUNNER_TEMP cannot be resolved';
    }
    if (!(0,node_path__WEBPACK_IMPORTED_MODULE_2__.isAbsolute)(scratch) || (0,node_path__WEBPACK_IMPORTED_MODULE_2__.dirname)(scratch) !== parent || !SCRATCH_NAME.test((0,node_path__WEBPACK_IMPORTED_MODULE_2__.basename)(scratch)))
        return `it is not a nerdctl-action-XXXXXX directory directly in ${parent}`;
    let st;
    try {
        st = (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.lstatSync)(scratch);
    }
    catch {
        return 'it is not there';
    }
    if (st.isSymbolicLink() || !st.isDirectory())
        return 'it is not a directory';
    const uid = process.getuid?.();
    if (uid !== undefined && st.uid !== uid)
        return 'it belongs to another user';
    return undefined;
}
async function removeFiles(state, call) {
    // Only the temporary names main recorded: never another writer's in a shared directory.
    for (const gone of await (0,_nerdctl_index_js__WEBPACK_IMPORTED_MODULE_3__.removeRecordedPartials)(state.partials()).catch(() => []))
        _workflow_js__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`removed partial file ${gone}`);
    const scratch = state.scratch();
    if (!scratch)
        return;
    const why = notScratch(scratch);
    if (why !== undefined) {
        _workflow_js__WEBPACK_IMPORTED_MODULE_0__/* .warning */ .$e(`post step: ${scratch} is not this step's scratch directory (${why}); left as it is`);
        return;
    }
    // Through sudo when nerdctl left root-owned files in it.
    await (0,_nerdctl_index_js__WEBPACK_IMPORTED_MODULE_3__.removeTree)(scratch, call).catch((e) => _workflow_js__WEBPACK_IMPORTED_MODULE_0__/* .warning */ .$e(`post step: could not remove ${scratch}: ${(0,_nerdctl_index_js__WEBPACK_IMPORTED_MODULE_3__.errorMessage)(e)}`));
}
async function logOut(registry, call) {
    try {
        await (0,_nerdctl_index_js__WEBPACK_IMPORTED_MODULE_3__.logout)(registry === 'docker.io' ? undefined : registry, call);
        _workflow_js__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`logged out of ${registry}`);
    }
    catch (e) {
        _workflow_js__WEBPACK_IMPORTED_MODULE_0__/* .warning */ .$e(`post step: logout from ${registry} failed: ${(0,_nerdctl_index_js__WEBPACK_IMPORTED_MODULE_3__.errorMessage)(e)}`);
    }
}
async function post(environment = {}) {
    // The runner passes the inputs to the post step too, which reads none of them.
    (0,_inputs_reader_js__WEBPACK_IMPORTED_MODULE_5__/* .forgetSecretInputs */ .vx)(_constants_js__WEBPACK_IMPORTED_MODULE_4__/* .SECRET_INPUTS */ .pH);
    const state = new _state_js__WEBPACK_IMPORTED_MODULE_7__/* .StepState */ .u();
    const token = state.token();
    if (!token) {
        _workflow_js__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq('Nothing to clean up: the main step stopped before it created anything.');
        return;
    }
    const options = state.nerdctl();
    // Logouts act on the config the logins went to: the step's own, when it had one.
    const dockerConfig = state.dockerConfig();
    const client = new _nerdctl_index_js__WEBPACK_IMPORTED_MODULE_3__.Nerdctl({
        ...options,
        ...(dockerConfig ? { env: { DOCKER_CONFIG: dockerConfig } } : {}),
        // Cleanup must not hang the job: every call is bounded, whatever `timeout`
        // said (0, "no limit", included).
        timeoutMs: options.timeoutMs
            ? Math.min(options.timeoutMs, _constants_js__WEBPACK_IMPORTED_MODULE_4__/* .POST_CALL_TIMEOUT_MS */ .Fo)
            : _constants_js__WEBPACK_IMPORTED_MODULE_4__/* .POST_CALL_TIMEOUT_MS */ .Fo,
        logger: _logger_js__WEBPACK_IMPORTED_MODULE_6__/* .coreLogger */ .W,
        runner: environment.runner
    });
    const call = { client };
    if (state.cleanup()) {
        await removeContainers(await containersOf(token, state.containers(), state.complete(), call), call);
        await removeNetworks(token, state.networks(), state.complete(), call);
        await removeVolumes(token, state, call);
    }
    else
        _workflow_js__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq('cleanup is false: containers, networks and volumes of this step are kept.');
    // After the step's own removals, which may have brought usage within budget.
    await (0,_disk_budget_js__WEBPACK_IMPORTED_MODULE_8__/* .postDiskBudget */ .Nr)(state, call);
    // Before the files: the step's Docker config is in its scratch directory.
    for (const registry of state.logouts())
        await logOut(registry, call);
    await removeFiles(state, call);
}


/***/ })

};

//# sourceMappingURL=718.index.js.map