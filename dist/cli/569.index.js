export const id = 569;
export const ids = [569];
export const modules = {

/***/ 3569:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   toolkit: () => (/* binding */ toolkit)
/* harmony export */ });
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7264);
/* harmony import */ var _actions_exec__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1955);
/* harmony import */ var _actions_glob__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(3324);
/* harmony import */ var _actions_io__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(8701);
/* harmony import */ var node_module__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(8995);
/* harmony import */ var node_module__WEBPACK_IMPORTED_MODULE_4___default = /*#__PURE__*/__webpack_require__.n(node_module__WEBPACK_IMPORTED_MODULE_4__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_5___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_5__);
// What actions/github-script hands a script besides its GitHub client: the
// real @actions/core, @actions/exec, @actions/io and @actions/glob, and a
// `require` that finds modules from the working directory first (as
// github-script's wrapRequire does), so a script written for github-script
// runs here unchanged.
//
// This module is only ever reached through a dynamic import (the action's
// script phase, the CLI's `script` command): @actions/core brings an HTTP
// stack for its OIDC client, about +60 ms of a Node start, which only steps
// that run a script pay (ARCHITECTURE.md, "Start-up").






/**
 * A require for scripts: a relative or bare name is looked up from the
 * working directory (the workspace, where a workflow's own node_modules is),
 * then as Node would from here (built-in modules).
 */
function scriptRequire(cwd) {
    const fromCwd = (0,node_module__WEBPACK_IMPORTED_MODULE_4__.createRequire)((0,node_path__WEBPACK_IMPORTED_MODULE_5__.join)(cwd, 'index.js'));
    const own = (0,node_module__WEBPACK_IMPORTED_MODULE_4__.createRequire)(import.meta.url);
    const req = ((id) => {
        try {
            return fromCwd(id);
        }
        catch (e) {
            if (e.code !== 'MODULE_NOT_FOUND')
                throw e;
            return own(id);
        }
    });
    return Object.assign(req, {
        resolve: fromCwd.resolve,
        cache: fromCwd.cache,
        main: undefined,
        extensions: fromCwd.extensions
    });
}
function toolkit(cwd = process.cwd()) {
    // Spread into plain objects: a script may add to or replace what it was given
    // (a namespace object is frozen), as it can with github-script's arguments.
    return {
        core: { ..._actions_core__WEBPACK_IMPORTED_MODULE_0__ },
        exec: { ..._actions_exec__WEBPACK_IMPORTED_MODULE_1__ },
        glob: { ..._actions_glob__WEBPACK_IMPORTED_MODULE_2__ },
        io: { ..._actions_io__WEBPACK_IMPORTED_MODULE_3__ },
        require: scriptRequire(cwd)
    };
}


/***/ })

};

//# sourceMappingURL=569.index.js.map