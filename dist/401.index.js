export const id = 401;
export const ids = [401];
export const modules = {

/***/ 401:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   post: () => (/* binding */ post)
/* harmony export */ });
/* harmony import */ var _workflow_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4486);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _nerdctl_index_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(754);
/* harmony import */ var _constants_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(2838);
/* harmony import */ var _logger_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(8027);
/* harmony import */ var _state_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(7178);
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
        for (const c of await (0,_nerdctl_index_js__WEBPACK_IMPORTED_MODULE_2__.list)(true, { ...call, filters: [`label=${_constants_js__WEBPACK_IMPORTED_MODULE_3__/* .OWNER_LABEL */ .pk}=${token}`] }))
            ids.add(c.id);
    }
    catch (e) {
        _workflow_js__WEBPACK_IMPORTED_MODULE_0__/* .warning */ .$e(`post step: could not list this step's containers: ${(0,_nerdctl_index_js__WEBPACK_IMPORTED_MODULE_2__.errorMessage)(e)}`);
    }
    return [...ids];
}
async function removeContainer(id, call) {
    try {
        // With its anonymous volumes: nothing else would ever remove them.
        await (0,_nerdctl_index_js__WEBPACK_IMPORTED_MODULE_2__.remove)(id, { ...call, force: true, volumes: true });
        _workflow_js__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`removed container ${id.slice(0, 12)}`);
    }
    catch (e) {
        if ((0,_nerdctl_index_js__WEBPACK_IMPORTED_MODULE_2__.isNoSuchContainer)(e))
            _workflow_js__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`container ${id.slice(0, 12)} was already gone`);
        else
            _workflow_js__WEBPACK_IMPORTED_MODULE_0__/* .warning */ .$e(`post step: could not remove container ${id.slice(0, 12)}: ${(0,_nerdctl_index_js__WEBPACK_IMPORTED_MODULE_2__.errorMessage)(e)}`);
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
    await Promise.all(Array.from({ length: Math.min(_constants_js__WEBPACK_IMPORTED_MODULE_3__/* .REMOVE_CONCURRENCY */ .JK, ids.length) }, worker));
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
        for (const n of await (0,_nerdctl_index_js__WEBPACK_IMPORTED_MODULE_2__.networkList)({ ...call, filters: [`label=${_constants_js__WEBPACK_IMPORTED_MODULE_3__/* .OWNER_LABEL */ .pk}=${token}`] }))
            names.add(n.name);
    }
    catch (e) {
        _workflow_js__WEBPACK_IMPORTED_MODULE_0__/* .warning */ .$e(`post step: could not list this step's networks: ${(0,_nerdctl_index_js__WEBPACK_IMPORTED_MODULE_2__.errorMessage)(e)}`);
    }
    for (const name of names) {
        try {
            await (0,_nerdctl_index_js__WEBPACK_IMPORTED_MODULE_2__.networkRemove)(name, call);
            _workflow_js__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`removed network ${name}`);
        }
        catch (e) {
            if (!(0,_nerdctl_index_js__WEBPACK_IMPORTED_MODULE_2__.isNoSuchNetwork)(e))
                _workflow_js__WEBPACK_IMPORTED_MODULE_0__/* .warning */ .$e(`post step: could not remove network ${name}: ${(0,_nerdctl_index_js__WEBPACK_IMPORTED_MODULE_2__.errorMessage)(e)}`);
        }
    }
}
/** What main's scratchDirectory makes: an absolute path named nerdctl-action-XXXXXX. */
const SCRATCH_NAME = /^nerdctl-action-[A-Za-z0-9]{6}$/;
async function removeFiles(state, call) {
    for (const target of state.targets()) {
        for (const gone of await (0,_nerdctl_index_js__WEBPACK_IMPORTED_MODULE_2__.removePartials)(target).catch(() => []))
            _workflow_js__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`removed partial file ${gone}`);
    }
    const scratch = state.scratch();
    if (!scratch)
        return;
    // Saved state is read back, not trusted: only a directory of main's making
    // is removed (through sudo when nerdctl left root-owned files in it).
    if (!(0,node_path__WEBPACK_IMPORTED_MODULE_1__.isAbsolute)(scratch) || !SCRATCH_NAME.test((0,node_path__WEBPACK_IMPORTED_MODULE_1__.basename)(scratch))) {
        _workflow_js__WEBPACK_IMPORTED_MODULE_0__/* .warning */ .$e(`post step: ${scratch} is not this step's scratch directory; left as it is`);
        return;
    }
    await (0,_nerdctl_index_js__WEBPACK_IMPORTED_MODULE_2__.removeTree)(scratch, call).catch((e) => _workflow_js__WEBPACK_IMPORTED_MODULE_0__/* .warning */ .$e(`post step: could not remove ${scratch}: ${(0,_nerdctl_index_js__WEBPACK_IMPORTED_MODULE_2__.errorMessage)(e)}`));
}
async function logOut(registry, call) {
    try {
        await (0,_nerdctl_index_js__WEBPACK_IMPORTED_MODULE_2__.logout)(registry === 'docker.io' ? undefined : registry, call);
        _workflow_js__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`logged out of ${registry}`);
    }
    catch (e) {
        _workflow_js__WEBPACK_IMPORTED_MODULE_0__/* .warning */ .$e(`post step: logout from ${registry} failed: ${(0,_nerdctl_index_js__WEBPACK_IMPORTED_MODULE_2__.errorMessage)(e)}`);
    }
}
async function post(environment = {}) {
    const state = new _state_js__WEBPACK_IMPORTED_MODULE_5__/* .StepState */ .u();
    const token = state.token();
    if (!token) {
        _workflow_js__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq('Nothing to clean up: the main step stopped before it created anything.');
        return;
    }
    const options = state.nerdctl();
    // Logouts act on the config the logins went to: the step's own, when it had one.
    const dockerConfig = state.dockerConfig();
    const client = new _nerdctl_index_js__WEBPACK_IMPORTED_MODULE_2__.Nerdctl({
        ...options,
        ...(dockerConfig ? { env: { DOCKER_CONFIG: dockerConfig } } : {}),
        // Cleanup must not hang the job: every call is bounded, whatever `timeout`
        // said (0, "no limit", included).
        timeoutMs: options.timeoutMs
            ? Math.min(options.timeoutMs, _constants_js__WEBPACK_IMPORTED_MODULE_3__/* .POST_CALL_TIMEOUT_MS */ .Fo)
            : _constants_js__WEBPACK_IMPORTED_MODULE_3__/* .POST_CALL_TIMEOUT_MS */ .Fo,
        logger: _logger_js__WEBPACK_IMPORTED_MODULE_4__/* .coreLogger */ .W,
        runner: environment.runner
    });
    const call = { client };
    if (state.cleanup()) {
        await removeContainers(await containersOf(token, state.containers(), state.complete(), call), call);
        await removeNetworks(token, state.networks(), state.complete(), call);
    }
    else
        _workflow_js__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq('cleanup is false: containers and networks of this step are kept.');
    // Before the files: the step's Docker config is in its scratch directory.
    for (const registry of state.logouts())
        await logOut(registry, call);
    await removeFiles(state, call);
}


/***/ })

};

//# sourceMappingURL=401.index.js.map