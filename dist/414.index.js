export const id = 414;
export const ids = [414];
export const modules = {

/***/ 5414:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  script: () => (/* binding */ script)
});

// EXTERNAL MODULE: ./src/nerdctl/index.ts + 55 modules
var nerdctl = __webpack_require__(7126);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: external "node:util"
var external_node_util_ = __webpack_require__(7975);
// EXTERNAL MODULE: external "node:vm"
var external_node_vm_ = __webpack_require__(714);
;// CONCATENATED MODULE: ./src/script/run-script.ts
// User scripts with the library in scope: what the Rhai bindings and script
// runner of the Rust module this library replaces were. A script is the body of an async function
// (so `await` works at its top level) run with `nerdctl` (every export of the
// library), what actions/github-script gives its scripts (`core`, `exec`,
// `glob`, `io`, `require`: src/script/toolkit.ts) and `inputs` (the step's
// parsed inputs) in scope; its return value is the result. Errors point at the
// script's own line and column.






/** An error in or thrown by a script, placed at its line and column. */
class ScriptError extends Error {
    filename;
    line;
    column;
    cause;
    constructor(message, filename, line, column, cause) {
        super(message);
        this.filename = filename;
        this.line = line;
        this.column = column;
        this.cause = cause;
        this.name = 'ScriptError';
    }
}
const PARAMS = ['nerdctl', 'core', 'exec', 'glob', 'io', 'require', 'inputs'];
/** Compiles a script body; a syntax error becomes a ScriptError at its position. */
function compileScript(source, filename) {
    // The body goes inside an async arrow on the line after `return (async () => {`,
    // so lineOffset -1 makes V8 report the script's own line numbers.
    const wrapped = `return (async () => {\n${source}\n})()`;
    try {
        return (0,external_node_vm_.compileFunction)(wrapped, [...PARAMS], { filename, lineOffset: -1 });
    }
    catch (e) {
        throw toScriptError(e, filename, source);
    }
}
/** Runs a script with the library in scope and returns what it returned. */
async function runScript(source, filename, scope) {
    const fn = compileScript(source, filename);
    try {
        return await fn(...PARAMS.map(p => scope[p]));
    }
    catch (e) {
        throw toScriptError(e, filename, source);
    }
}
async function runScriptFile(path, scope) {
    const full = resolve(path);
    let source;
    try {
        source = await readFile(full, 'utf8');
    }
    catch (e) {
        throw new ScriptError(`cannot read script ${path}: ${errorMessage(e)}`, full, undefined, undefined, e);
    }
    return runScript(source.replace(/^#!.*\n/, '\n'), full, scope);
}
// A script runs in this process's main context; its errors are not instances of
// the Error of a module loaded in another context (a test runner's), so native
// errors are recognised by what they are, not by their constructor.
function isError(e) {
    return e instanceof Error || external_node_util_.types.isNativeError(e);
}
function escapeRegExp(s) {
    return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
/** Where in the script an error happened: the first stack frame in the script file. */
function scriptPosition(e, filename) {
    const stack = isError(e) ? (e.stack ?? '') : '';
    const m = new RegExp(`${escapeRegExp(filename)}:(\\d+)(?::(\\d+))?`).exec(stack);
    if (!m)
        return undefined;
    if (m[2] !== undefined)
        return { line: Number(m[1]), column: Number(m[2]) };
    // A SyntaxError's stack shows the line and a caret under the column instead.
    const caret = /\n[^\n]*\n( *)\^/.exec(stack.slice(m.index));
    return { line: Number(m[1]), column: caret ? caret[1].length + 1 : 0 };
}
function toScriptError(e, filename, source) {
    if (e instanceof ScriptError)
        return e;
    const lines = source.split('\n');
    let pos = scriptPosition(e, filename);
    // Input that ends mid-expression is reported on the wrapper's closing line,
    // past the script: place it at the end of the script's last non-blank line.
    const last = lines.reduce((n, l, i) => (l.trim() ? i + 1 : n), 1);
    if (pos && pos.line > last && pos.line > lines.length) {
        pos = { line: last, column: (lines[last - 1] ?? '').length + 1 };
    }
    const where = pos ? `${filename}:${pos.line}${pos.column ? `:${pos.column}` : ''}` : filename;
    const code = pos && lines[pos.line - 1] !== undefined
        ? `\n  ${pos.line} | ${lines[pos.line - 1].trim()}`
        : '';
    let what;
    if (e instanceof nerdctl.NerdctlError) {
        what =
            `${e.message}\n  command: nerdctl ${(0,nerdctl.formatArgv)(e.args)}` +
                (e.exitCode !== null ? `\n  exit code: ${e.exitCode}` : '') +
                (e.stderr.trim() ? `\n  stderr: ${e.stderr.trim()}` : '');
    }
    else if (isError(e)) {
        what = `${e.name === 'Error' ? '' : `${e.name}: `}${e.message}`;
    }
    else {
        what = `threw ${JSON.stringify(e)}`;
    }
    return new ScriptError(`${where}: ${what}${code}`, filename, pos?.line, pos?.column, e);
}
/** The `result` output: strings as they are, anything else as JSON. */
function formatResult(value) {
    if (value === undefined)
        return '';
    if (typeof value === 'string')
        return value;
    return JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
}

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 10 modules
var core = __webpack_require__(7264);
// EXTERNAL MODULE: ./node_modules/@actions/exec/lib/exec.js + 1 modules
var exec = __webpack_require__(1955);
// EXTERNAL MODULE: ./node_modules/@actions/glob/lib/glob.js + 17 modules
var glob = __webpack_require__(3324);
// EXTERNAL MODULE: ./node_modules/@actions/io/lib/io.js
var io = __webpack_require__(8701);
// EXTERNAL MODULE: external "node:module"
var external_node_module_ = __webpack_require__(8995);
;// CONCATENATED MODULE: ./src/script/toolkit.ts
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
    const fromCwd = (0,external_node_module_.createRequire)((0,external_node_path_.join)(cwd, 'index.js'));
    const own = (0,external_node_module_.createRequire)(import.meta.url);
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
        core: { ...core },
        exec: { ...exec },
        glob: { ...glob },
        io: { ...io },
        require: scriptRequire(cwd)
    };
}

// EXTERNAL MODULE: ./src/action/constants.ts
var constants = __webpack_require__(915);
;// CONCATENATED MODULE: ./src/action/phases/script.ts
// Runs the user's script last, with the library, the real @actions toolkit
// (core, exec, glob, io: what actions/github-script gives) and the plan in scope. The library's static functions use the step's client (options,
// logger, owner label), so what the script creates is cleaned up like the
// step's own containers.




/** The plan as the script sees it: everything but the passwords and secret values. */
function withoutPassword(plan) {
    const login = plan.registry.login;
    const build = plan.images.build;
    const services = Object.fromEntries(Object.entries(plan.services.services).map(([k, d]) => [
        k,
        { ...d, credentials: d.credentials && { username: d.credentials.username } }
    ]));
    return {
        ...plan,
        registry: {
            ...plan.registry,
            login: login && { registry: login.registry, username: login.username },
            registries: plan.registry.registries.map(l => ({
                registry: l.registry,
                username: l.username
            }))
        },
        services: { ...plan.services, services },
        signing: {
            ...plan.signing,
            sign: plan.signing.sign && {
                ...plan.signing.sign,
                signing: 'key' in plan.signing.sign.signing
                    ? { key: plan.signing.sign.signing.key }
                    : plan.signing.sign.signing
            }
        },
        images: {
            ...plan.images,
            build: build && {
                ...build,
                // Ids and where they come from, never a value given inline.
                secrets: build.secrets.map(s => ('value' in s ? { id: s.id } : s))
            }
        }
    };
}
const script = async (step) => {
    const userScript = step.plan.behaviour.script;
    if (!userScript)
        return;
    await step.report.phase('script', async () => {
        nerdctl.configure(step.call.client.options);
        const result = await runScript(userScript.source, userScript.filename, {
            nerdctl: { ...nerdctl },
            ...toolkit(),
            inputs: withoutPassword(step.plan)
        });
        const text = formatResult(result);
        step.report.set(constants/* Output */.k7.Result, text);
        if (text)
            step.report.note(text.length > 80 ? `${text.slice(0, 80)}…` : text);
    });
};


/***/ })

};

//# sourceMappingURL=414.index.js.map