export const id = 753;
export const ids = [753];
export const modules = {

/***/ 4753:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  script: () => (/* binding */ script)
});

// NAMESPACE OBJECT: ./src/action/actions-core.ts
var actions_core_namespaceObject = {};
__webpack_require__.r(actions_core_namespaceObject);
__webpack_require__.d(actions_core_namespaceObject, {
  ExitCode: () => (ExitCode),
  Summary: () => (Summary),
  addPath: () => (addPath),
  debug: () => (debug),
  endGroup: () => (endGroup),
  error: () => (error),
  exportVariable: () => (exportVariable),
  getBooleanInput: () => (getBooleanInput),
  getIDToken: () => (getIDToken),
  getInput: () => (getInput),
  getMultilineInput: () => (getMultilineInput),
  getState: () => (workflow/* getState */.Gu),
  group: () => (group),
  info: () => (workflow/* info */.pq),
  isDebug: () => (isDebug),
  markdownSummary: () => (markdownSummary),
  notice: () => (notice),
  platform: () => (platform),
  saveState: () => (saveState),
  setCommandEcho: () => (setCommandEcho),
  setFailed: () => (setFailed),
  setOutput: () => (setOutput),
  setSecret: () => (setSecret),
  startGroup: () => (startGroup),
  summary: () => (summary),
  toPlatformPath: () => (toPlatformPath),
  toPosixPath: () => (toPosixPath),
  toWin32Path: () => (toWin32Path),
  warning: () => (warning)
});

// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __webpack_require__(1421);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./src/action/workflow.ts
var workflow = __webpack_require__(5809);
;// CONCATENATED MODULE: ./src/action/actions-core.ts
// The `core` a user script gets: the whole API of @actions/core (v3) — inputs,
// outputs, state, secrets, log commands and annotations, groups, exported
// variables and PATH, the job summary builder, path helpers, platform facts
// and OIDC tokens — on the runner protocol of workflow.ts.
//
// Why not hand scripts @actions/core itself: its OIDC client brings an HTTP
// stack (undici) that made the action's bundle over a megabyte, for one call
// few scripts make. Here the token request uses Node's own fetch. A unit test
// holds this module to core's list of exports and compares what both write.







var ExitCode;
(function (ExitCode) {
    ExitCode[ExitCode["Success"] = 0] = "Success";
    ExitCode[ExitCode["Failure"] = 1] = "Failure";
})(ExitCode || (ExitCode = {}));
/** A value as a command carries it: strings as they are, null and undefined empty, the rest as JSON. */
function commandValue(value) {
    if (value === null || value === undefined)
        return '';
    if (typeof value === 'string' || value instanceof String)
        return String(value);
    return JSON.stringify(value);
}
function getInput(name, options) {
    const value = process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '';
    if (options?.required && !value)
        throw new Error(`Input required and not supplied: ${name}`);
    return options?.trimWhitespace === false ? value : value.trim();
}
function getMultilineInput(name, options) {
    const lines = getInput(name, options)
        .split('\n')
        .filter(l => l !== '');
    return options?.trimWhitespace === false ? lines : lines.map(l => l.trim());
}
/** true/True/TRUE or false/False/FALSE (YAML 1.2's core schema); anything else throws. */
function getBooleanInput(name, options) {
    const value = getInput(name, options);
    if (['true', 'True', 'TRUE'].includes(value))
        return true;
    if (['false', 'False', 'FALSE'].includes(value))
        return false;
    throw new TypeError(`Input does not meet YAML 1.2 "Core Schema" specification: ${name}\n` +
        'Support boolean input list: `true | True | TRUE | false | False | FALSE`');
}
function setOutput(name, value) {
    (0,workflow/* fileCommand */.ol)('GITHUB_OUTPUT', 'set-output', name, commandValue(value));
}
function saveState(name, value) {
    (0,workflow/* saveState */.LZ)(name, commandValue(value));
}
/** Sets a variable for this process and every later step of the job. */
function exportVariable(name, value) {
    const text = commandValue(value);
    process.env[name] = text;
    (0,workflow/* fileCommand */.ol)('GITHUB_ENV', 'set-env', name, text);
}
/** Puts a directory first on PATH, for this process and every later step. */
function addPath(path) {
    const file = process.env.GITHUB_PATH;
    if (file)
        (0,external_node_fs_.appendFileSync)(file, `${path}${external_node_os_.EOL}`, 'utf8');
    else
        (0,workflow/* command */.G5)('add-path', path);
    process.env.PATH = `${path}${external_node_path_.delimiter}${process.env.PATH ?? ''}`;
}
function setSecret(secret) {
    (0,workflow/* command */.G5)('add-mask', secret);
}
function setCommandEcho(enabled) {
    (0,workflow/* command */.G5)('echo', enabled ? 'on' : 'off');
}
function isDebug() {
    return process.env.RUNNER_DEBUG === '1';
}
function debug(message) {
    (0,workflow/* command */.G5)('debug', message);
}
/** An annotation's properties by the names the runner reads (line, col, ...); unset ones left out. */
function annotation(properties) {
    const named = {
        title: properties.title,
        file: properties.file,
        line: properties.startLine,
        endLine: properties.endLine,
        col: properties.startColumn,
        endColumn: properties.endColumn
    };
    const out = {};
    for (const [k, v] of Object.entries(named))
        if (v)
            out[k] = String(v);
    return out;
}
const actions_core_text = (message) => message instanceof Error ? message.toString() : message;
function error(message, properties = {}) {
    (0,workflow/* command */.G5)('error', actions_core_text(message), annotation(properties));
}
function warning(message, properties = {}) {
    (0,workflow/* command */.G5)('warning', actions_core_text(message), annotation(properties));
}
function notice(message, properties = {}) {
    (0,workflow/* command */.G5)('notice', actions_core_text(message), annotation(properties));
}
function setFailed(message) {
    process.exitCode = ExitCode.Failure;
    error(message);
}
function startGroup(name) {
    (0,workflow/* command */.G5)('group', name);
}
function endGroup() {
    (0,workflow/* command */.G5)('endgroup', '');
}
async function group(name, fn) {
    startGroup(name);
    try {
        return await fn();
    }
    finally {
        endGroup();
    }
}
const toPosixPath = (path) => path.replace(/[\\]/g, '/');
const toWin32Path = (path) => path.replace(/[/]/g, '\\');
const toPlatformPath = (path) => path.replace(/[/\\]/g, external_node_path_.sep);
// ---- OIDC --------------------------------------------------------------------------------
/** Statuses the token service may answer while it is briefly unavailable: asked again. */
const RETRY_STATUS = new Set([502, 503, 504]);
const TOKEN_TRIES = 10;
/**
 * A JSON Web Token for the job from GitHub's OIDC provider (the workflow needs
 * `permissions: id-token: write`), masked in the log before it is returned.
 */
async function getIDToken(audience) {
    try {
        let url = process.env.ACTIONS_ID_TOKEN_REQUEST_URL;
        if (!url)
            throw new Error('Unable to get ACTIONS_ID_TOKEN_REQUEST_URL env variable');
        if (audience)
            url = `${url}&audience=${encodeURIComponent(audience)}`;
        debug(`ID token url is ${url}`);
        const token = process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
        if (!token)
            throw new Error('Unable to get ACTIONS_ID_TOKEN_REQUEST_TOKEN env variable');
        const value = await fetchToken(url, token);
        setSecret(value);
        return value;
    }
    catch (e) {
        throw new Error(`Error message: ${e instanceof Error ? e.message : String(e)}`);
    }
}
async function fetchToken(url, token) {
    for (let attempt = 1;; attempt++) {
        let response;
        let failure = '';
        try {
            response = await fetch(url, {
                headers: {
                    Accept: 'application/json',
                    Authorization: `Bearer ${token}`,
                    'User-Agent': 'actions/oidc-client'
                }
            });
        }
        catch (e) {
            failure = e instanceof Error ? e.message : String(e);
        }
        const retry = !response || RETRY_STATUS.has(response.status);
        if (retry && attempt < TOKEN_TRIES) {
            // 5 ms doubling per try, as the toolkit's HTTP client waits, capped at about 5 s.
            await new Promise(r => setTimeout(r, 5 * 2 ** Math.min(attempt, 10)));
            continue;
        }
        if (!response)
            throw new Error(`Failed to get ID Token: ${failure}`);
        const body = await response.text();
        if (!response.ok) {
            throw new Error(`Failed to get ID Token. Error Code : ${response.status}. Error Message: ${body.slice(0, 500)}`);
        }
        let value;
        try {
            value = JSON.parse(body)?.value;
        }
        catch {
            value = undefined;
        }
        if (typeof value !== 'string' || !value)
            throw new Error('Response json body do not have ID Token field');
        return value;
    }
}
// ---- platform ------------------------------------------------------------------------------
const platform = {
    platform: (0,external_node_os_.platform)(),
    arch: (0,external_node_os_.arch)(),
    isWindows: (0,external_node_os_.platform)() === 'win32',
    isMacOS: (0,external_node_os_.platform)() === 'darwin',
    isLinux: (0,external_node_os_.platform)() === 'linux',
    /** The OS's name and version, as the toolkit finds them (lsb_release, sw_vers, PowerShell). */
    async getDetails() {
        const { platform: p, arch, isWindows, isMacOS, isLinux } = platform;
        let name = '';
        let version = '';
        if (isWindows) {
            const ps = (q) => output('powershell', [
                '-command',
                `(Get-CimInstance -ClassName Win32_OperatingSystem).${q}`
            ]);
            version = (await ps('Version')).trim();
            name = (await ps('Caption')).trim();
        }
        else if (isMacOS) {
            const out = await output('sw_vers', []);
            version = /ProductVersion:\s*(.+)/.exec(out)?.[1] ?? '';
            name = /ProductName:\s*(.+)/.exec(out)?.[1] ?? '';
        }
        else {
            ;
            [name = '', version = ''] = (await output('lsb_release', ['-i', '-r', '-s']))
                .trim()
                .split('\n');
        }
        return { name, version, platform: p, arch, isWindows, isMacOS, isLinux };
    }
};
function output(file, args) {
    return new Promise((resolve, reject) => {
        (0,external_node_child_process_.execFile)(file, args, { timeout: 30_000 }, (err, stdout) => err ? reject(err) : resolve(stdout));
    });
}
/** The job summary builder: Markdown and HTML added to a buffer, written to GITHUB_STEP_SUMMARY. */
class Summary {
    buffer = '';
    path;
    async filePath() {
        if (this.path)
            return this.path;
        const file = process.env.GITHUB_STEP_SUMMARY;
        if (!file) {
            throw new Error('Unable to find environment variable for $GITHUB_STEP_SUMMARY. Check if your runtime environment supports job summaries.');
        }
        try {
            await (0,promises_.access)(file, promises_.constants.R_OK | promises_.constants.W_OK);
        }
        catch {
            throw new Error(`Unable to access summary file: '${file}'. Check if the file has correct read/write permissions.`);
        }
        this.path = file;
        return file;
    }
    /** An HTML element; with no content, the opening tag alone (img, hr, br). */
    wrap(tag, content, attrs = {}) {
        const html = Object.entries(attrs)
            .map(([k, v]) => ` ${k}="${v}"`)
            .join('');
        return content ? `<${tag}${html}>${content}</${tag}>` : `<${tag}${html}>`;
    }
    async write(options) {
        const file = await this.filePath();
        await (options?.overwrite ? promises_.writeFile : promises_.appendFile)(file, this.buffer, { encoding: 'utf8' });
        return this.emptyBuffer();
    }
    async clear() {
        return this.emptyBuffer().write({ overwrite: true });
    }
    stringify() {
        return this.buffer;
    }
    isEmptyBuffer() {
        return this.buffer.length === 0;
    }
    emptyBuffer() {
        this.buffer = '';
        return this;
    }
    addRaw(text, addEOL = false) {
        this.buffer += text;
        return addEOL ? this.addEOL() : this;
    }
    addEOL() {
        return this.addRaw(external_node_os_.EOL);
    }
    element(html) {
        return this.addRaw(html).addEOL();
    }
    addCodeBlock(code, lang) {
        return this.element(this.wrap('pre', this.wrap('code', code), lang ? { lang } : {}));
    }
    addList(items, ordered = false) {
        const li = items.map(item => this.wrap('li', item)).join('');
        return this.element(this.wrap(ordered ? 'ol' : 'ul', li));
    }
    addTable(rows) {
        const body = rows
            .map(row => {
            const cells = row.map(cell => {
                if (typeof cell === 'string')
                    return this.wrap('td', cell);
                const attrs = {};
                if (cell.colspan)
                    attrs.colspan = cell.colspan;
                if (cell.rowspan)
                    attrs.rowspan = cell.rowspan;
                return this.wrap(cell.header ? 'th' : 'td', cell.data, attrs);
            });
            return this.wrap('tr', cells.join(''));
        })
            .join('');
        return this.element(this.wrap('table', body));
    }
    addDetails(label, content) {
        return this.element(this.wrap('details', this.wrap('summary', label) + content));
    }
    addImage(src, alt, options) {
        const attrs = { src, alt };
        if (options?.width)
            attrs.width = options.width;
        if (options?.height)
            attrs.height = options.height;
        return this.element(this.wrap('img', null, attrs));
    }
    addHeading(text, level) {
        const tag = `h${level}`;
        return this.element(this.wrap(/^h[1-6]$/.test(tag) ? tag : 'h1', text));
    }
    addSeparator() {
        return this.element(this.wrap('hr', null));
    }
    addBreak() {
        return this.element(this.wrap('br', null));
    }
    addQuote(text, cite) {
        return this.element(this.wrap('blockquote', text, cite ? { cite } : {}));
    }
    addLink(text, href) {
        return this.element(this.wrap('a', text, { href }));
    }
}
const summary = new Summary();
/** The summary's old name, kept as core keeps it. */
const markdownSummary = summary;

// EXTERNAL MODULE: ./src/nerdctl/index.ts + 39 modules
var nerdctl = __webpack_require__(629);
// EXTERNAL MODULE: external "node:util"
var external_node_util_ = __webpack_require__(7975);
// EXTERNAL MODULE: external "node:vm"
var external_node_vm_ = __webpack_require__(714);
;// CONCATENATED MODULE: ./src/script/run-script.ts
// User scripts with the library in scope: what the Rhai bindings and script
// runner of the Rust module this library replaces were. A script is the body of an async function
// (so `await` works at its top level) run with `nerdctl` (every export of the
// library), `core` (@actions/core) and `inputs` (the step's parsed inputs) in
// scope; its return value is the result. Errors point at the script's own
// line and column.






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
const PARAMS = ['nerdctl', 'core', 'inputs'];
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
        return await fn(scope.nerdctl, scope.core, scope.inputs);
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

// EXTERNAL MODULE: ./src/action/constants.ts
var constants = __webpack_require__(915);
;// CONCATENATED MODULE: ./src/action/phases/script.ts
// Runs the user's script last, with the library, @actions/core's API and the plan
// in scope. The library's static functions use the step's client (options,
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
            core: { ...actions_core_namespaceObject },
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

//# sourceMappingURL=753.index.js.map