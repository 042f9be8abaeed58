#!/usr/bin/env node
import './sourcemap-register.cjs';import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
/******/ var __webpack_modules__ = ({

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

/***/ 7540:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:console");

/***/ }),

/***/ 7598:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:crypto");

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

/***/ }),

/***/ 7349:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var Scalar = __nccwpck_require__(3301);
var YAMLMap = __nccwpck_require__(4454);
var YAMLSeq = __nccwpck_require__(2223);
var resolveBlockMap = __nccwpck_require__(7103);
var resolveBlockSeq = __nccwpck_require__(334);
var resolveFlowCollection = __nccwpck_require__(3142);

function resolveCollection(CN, ctx, token, onError, tagName, tag) {
    const coll = token.type === 'block-map'
        ? resolveBlockMap.resolveBlockMap(CN, ctx, token, onError, tag)
        : token.type === 'block-seq'
            ? resolveBlockSeq.resolveBlockSeq(CN, ctx, token, onError, tag)
            : resolveFlowCollection.resolveFlowCollection(CN, ctx, token, onError, tag);
    const Coll = coll.constructor;
    // If we got a tagName matching the class, or the tag name is '!',
    // then use the tagName from the node class used to create it.
    if (tagName === '!' || tagName === Coll.tagName) {
        coll.tag = Coll.tagName;
        return coll;
    }
    if (tagName)
        coll.tag = tagName;
    return coll;
}
function composeCollection(CN, ctx, token, props, onError) {
    const tagToken = props.tag;
    const tagName = !tagToken
        ? null
        : ctx.directives.tagName(tagToken.source, msg => onError(tagToken, 'TAG_RESOLVE_FAILED', msg));
    if (token.type === 'block-seq') {
        const { anchor, newlineAfterProp: nl } = props;
        const lastProp = anchor && tagToken
            ? anchor.offset > tagToken.offset
                ? anchor
                : tagToken
            : (anchor ?? tagToken);
        if (lastProp && (!nl || nl.offset < lastProp.offset)) {
            const message = 'Missing newline after block sequence props';
            onError(lastProp, 'MISSING_CHAR', message);
        }
    }
    const expType = token.type === 'block-map'
        ? 'map'
        : token.type === 'block-seq'
            ? 'seq'
            : token.start.source === '{'
                ? 'map'
                : 'seq';
    // shortcut: check if it's a generic YAMLMap or YAMLSeq
    // before jumping into the custom tag logic.
    if (!tagToken ||
        !tagName ||
        tagName === '!' ||
        (tagName === YAMLMap.YAMLMap.tagName && expType === 'map') ||
        (tagName === YAMLSeq.YAMLSeq.tagName && expType === 'seq')) {
        return resolveCollection(CN, ctx, token, onError, tagName);
    }
    let tag = ctx.schema.tags.find(t => t.tag === tagName && t.collection === expType);
    if (!tag) {
        const kt = ctx.schema.knownTags[tagName];
        if (kt?.collection === expType) {
            ctx.schema.tags.push(Object.assign({}, kt, { default: false }));
            tag = kt;
        }
        else {
            if (kt) {
                onError(tagToken, 'BAD_COLLECTION_TYPE', `${kt.tag} used for ${expType} collection, but expects ${kt.collection ?? 'scalar'}`, true);
            }
            else {
                onError(tagToken, 'TAG_RESOLVE_FAILED', `Unresolved tag: ${tagName}`, true);
            }
            return resolveCollection(CN, ctx, token, onError, tagName);
        }
    }
    const coll = resolveCollection(CN, ctx, token, onError, tagName, tag);
    const res = tag.resolve?.(coll, msg => onError(tagToken, 'TAG_RESOLVE_FAILED', msg), ctx.options) ?? coll;
    const node = identity.isNode(res)
        ? res
        : new Scalar.Scalar(res);
    node.range = coll.range;
    node.tag = tagName;
    if (tag?.format)
        node.format = tag.format;
    return node;
}

exports.composeCollection = composeCollection;


/***/ }),

/***/ 3683:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Document = __nccwpck_require__(3021);
var composeNode = __nccwpck_require__(5937);
var resolveEnd = __nccwpck_require__(7788);
var resolveProps = __nccwpck_require__(4631);

function composeDoc(options, directives, { offset, start, value, end }, onError) {
    const opts = Object.assign({ _directives: directives }, options);
    const doc = new Document.Document(undefined, opts);
    const ctx = {
        atKey: false,
        atRoot: true,
        directives: doc.directives,
        options: doc.options,
        schema: doc.schema
    };
    const props = resolveProps.resolveProps(start, {
        indicator: 'doc-start',
        next: value ?? end?.[0],
        offset,
        onError,
        parentIndent: 0,
        startOnNewline: true
    });
    if (props.found) {
        doc.directives.docStart = true;
        if (value &&
            (value.type === 'block-map' || value.type === 'block-seq') &&
            !props.hasNewline)
            onError(props.end, 'MISSING_CHAR', 'Block collection cannot start on same line with directives-end marker');
    }
    // @ts-expect-error If Contents is set, let's trust the user
    doc.contents = value
        ? composeNode.composeNode(ctx, value, props, onError)
        : composeNode.composeEmptyNode(ctx, props.end, start, null, props, onError);
    const contentEnd = doc.contents.range[2];
    const re = resolveEnd.resolveEnd(end, contentEnd, false, onError);
    if (re.comment)
        doc.comment = re.comment;
    doc.range = [offset, contentEnd, re.offset];
    return doc;
}

exports.composeDoc = composeDoc;


/***/ }),

/***/ 5937:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Alias = __nccwpck_require__(4065);
var identity = __nccwpck_require__(1127);
var composeCollection = __nccwpck_require__(7349);
var composeScalar = __nccwpck_require__(5413);
var resolveEnd = __nccwpck_require__(7788);
var utilEmptyScalarPosition = __nccwpck_require__(2599);

const CN = { composeNode, composeEmptyNode };
function composeNode(ctx, token, props, onError) {
    const atKey = ctx.atKey;
    const { spaceBefore, comment, anchor, tag } = props;
    let node;
    let isSrcToken = true;
    switch (token.type) {
        case 'alias':
            node = composeAlias(ctx, token, onError);
            if (anchor || tag)
                onError(token, 'ALIAS_PROPS', 'An alias node must not specify any properties');
            break;
        case 'scalar':
        case 'single-quoted-scalar':
        case 'double-quoted-scalar':
        case 'block-scalar':
            node = composeScalar.composeScalar(ctx, token, tag, onError);
            if (anchor)
                node.anchor = anchor.source.substring(1);
            break;
        case 'block-map':
        case 'block-seq':
        case 'flow-collection':
            try {
                node = composeCollection.composeCollection(CN, ctx, token, props, onError);
                if (anchor)
                    node.anchor = anchor.source.substring(1);
            }
            catch (error) {
                // Almost certainly here due to a stack overflow
                const message = error instanceof Error ? error.message : String(error);
                onError(token, 'RESOURCE_EXHAUSTION', message);
            }
            break;
        default: {
            const message = token.type === 'error'
                ? token.message
                : `Unsupported token (type: ${token.type})`;
            onError(token, 'UNEXPECTED_TOKEN', message);
            isSrcToken = false;
        }
    }
    node ?? (node = composeEmptyNode(ctx, token.offset, undefined, null, props, onError));
    if (anchor && node.anchor === '')
        onError(anchor, 'BAD_ALIAS', 'Anchor cannot be an empty string');
    if (atKey &&
        ctx.options.stringKeys &&
        (!identity.isScalar(node) ||
            typeof node.value !== 'string' ||
            (node.tag && node.tag !== 'tag:yaml.org,2002:str'))) {
        const msg = 'With stringKeys, all keys must be strings';
        onError(tag ?? token, 'NON_STRING_KEY', msg);
    }
    if (spaceBefore)
        node.spaceBefore = true;
    if (comment) {
        if (token.type === 'scalar' && token.source === '')
            node.comment = comment;
        else
            node.commentBefore = comment;
    }
    // @ts-expect-error Type checking misses meaning of isSrcToken
    if (ctx.options.keepSourceTokens && isSrcToken)
        node.srcToken = token;
    return node;
}
function composeEmptyNode(ctx, offset, before, pos, { spaceBefore, comment, anchor, tag, end }, onError) {
    const token = {
        type: 'scalar',
        offset: utilEmptyScalarPosition.emptyScalarPosition(offset, before, pos),
        indent: -1,
        source: ''
    };
    const node = composeScalar.composeScalar(ctx, token, tag, onError);
    if (anchor) {
        node.anchor = anchor.source.substring(1);
        if (node.anchor === '')
            onError(anchor, 'BAD_ALIAS', 'Anchor cannot be an empty string');
    }
    if (spaceBefore)
        node.spaceBefore = true;
    if (comment) {
        node.comment = comment;
        node.range[2] = end;
    }
    return node;
}
function composeAlias({ options }, { offset, source, end }, onError) {
    const alias = new Alias.Alias(source.substring(1));
    if (alias.source === '')
        onError(offset, 'BAD_ALIAS', 'Alias cannot be an empty string');
    if (alias.source.endsWith(':'))
        onError(offset + source.length - 1, 'BAD_ALIAS', 'Alias ending in : is ambiguous', true);
    const valueEnd = offset + source.length;
    const re = resolveEnd.resolveEnd(end, valueEnd, options.strict, onError);
    alias.range = [offset, valueEnd, re.offset];
    if (re.comment)
        alias.comment = re.comment;
    return alias;
}

exports.composeEmptyNode = composeEmptyNode;
exports.composeNode = composeNode;


/***/ }),

/***/ 5413:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var Scalar = __nccwpck_require__(3301);
var resolveBlockScalar = __nccwpck_require__(8913);
var resolveFlowScalar = __nccwpck_require__(6842);

function composeScalar(ctx, token, tagToken, onError) {
    const { value, type, comment, range } = token.type === 'block-scalar'
        ? resolveBlockScalar.resolveBlockScalar(ctx, token, onError)
        : resolveFlowScalar.resolveFlowScalar(token, ctx.options.strict, onError);
    const tagName = tagToken
        ? ctx.directives.tagName(tagToken.source, msg => onError(tagToken, 'TAG_RESOLVE_FAILED', msg))
        : null;
    let tag;
    if (ctx.options.stringKeys && ctx.atKey) {
        tag = ctx.schema[identity.SCALAR];
    }
    else if (tagName)
        tag = findScalarTagByName(ctx.schema, value, tagName, tagToken, onError);
    else if (token.type === 'scalar')
        tag = findScalarTagByTest(ctx, value, token, onError);
    else
        tag = ctx.schema[identity.SCALAR];
    let scalar;
    try {
        const res = tag.resolve(value, msg => onError(tagToken ?? token, 'TAG_RESOLVE_FAILED', msg), ctx.options);
        scalar = identity.isScalar(res) ? res : new Scalar.Scalar(res);
    }
    catch (error) {
        const msg = error instanceof Error ? error.message : String(error);
        onError(tagToken ?? token, 'TAG_RESOLVE_FAILED', msg);
        scalar = new Scalar.Scalar(value);
    }
    scalar.range = range;
    scalar.source = value;
    if (type)
        scalar.type = type;
    if (tagName)
        scalar.tag = tagName;
    if (tag.format)
        scalar.format = tag.format;
    if (comment)
        scalar.comment = comment;
    return scalar;
}
function findScalarTagByName(schema, value, tagName, tagToken, onError) {
    if (tagName === '!')
        return schema[identity.SCALAR]; // non-specific tag
    const matchWithTest = [];
    for (const tag of schema.tags) {
        if (!tag.collection && tag.tag === tagName) {
            if (tag.default && tag.test)
                matchWithTest.push(tag);
            else
                return tag;
        }
    }
    for (const tag of matchWithTest)
        if (tag.test?.test(value))
            return tag;
    const kt = schema.knownTags[tagName];
    if (kt && !kt.collection) {
        // Ensure that the known tag is available for stringifying,
        // but does not get used by default.
        schema.tags.push(Object.assign({}, kt, { default: false, test: undefined }));
        return kt;
    }
    onError(tagToken, 'TAG_RESOLVE_FAILED', `Unresolved tag: ${tagName}`, tagName !== 'tag:yaml.org,2002:str');
    return schema[identity.SCALAR];
}
function findScalarTagByTest({ atKey, directives, schema }, value, token, onError) {
    const tag = schema.tags.find(tag => (tag.default === true || (atKey && tag.default === 'key')) &&
        tag.test?.test(value)) || schema[identity.SCALAR];
    if (schema.compat) {
        const compat = schema.compat.find(tag => tag.default && tag.test?.test(value)) ??
            schema[identity.SCALAR];
        if (tag.tag !== compat.tag) {
            const ts = directives.tagString(tag.tag);
            const cs = directives.tagString(compat.tag);
            const msg = `Value may be parsed as either ${ts} or ${cs}`;
            onError(token, 'TAG_RESOLVE_FAILED', msg, true);
        }
    }
    return tag;
}

exports.composeScalar = composeScalar;


/***/ }),

/***/ 9984:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var node_process = __nccwpck_require__(932);
var directives = __nccwpck_require__(1342);
var Document = __nccwpck_require__(3021);
var errors = __nccwpck_require__(1464);
var identity = __nccwpck_require__(1127);
var composeDoc = __nccwpck_require__(3683);
var resolveEnd = __nccwpck_require__(7788);

function getErrorPos(src) {
    if (typeof src === 'number')
        return [src, src + 1];
    if (Array.isArray(src))
        return src.length === 2 ? src : [src[0], src[1]];
    const { offset, source } = src;
    return [offset, offset + (typeof source === 'string' ? source.length : 1)];
}
function parsePrelude(prelude) {
    let comment = '';
    let atComment = false;
    let afterEmptyLine = false;
    for (let i = 0; i < prelude.length; ++i) {
        const source = prelude[i];
        switch (source[0]) {
            case '#':
                comment +=
                    (comment === '' ? '' : afterEmptyLine ? '\n\n' : '\n') +
                        (source.substring(1) || ' ');
                atComment = true;
                afterEmptyLine = false;
                break;
            case '%':
                if (prelude[i + 1]?.[0] !== '#')
                    i += 1;
                atComment = false;
                break;
            default:
                // This may be wrong after doc-end, but in that case it doesn't matter
                if (!atComment)
                    afterEmptyLine = true;
                atComment = false;
        }
    }
    return { comment, afterEmptyLine };
}
/**
 * Compose a stream of CST nodes into a stream of YAML Documents.
 *
 * ```ts
 * import { Composer, Parser } from 'yaml'
 *
 * const src: string = ...
 * const tokens = new Parser().parse(src)
 * const docs = new Composer().compose(tokens)
 * ```
 */
class Composer {
    constructor(options = {}) {
        this.doc = null;
        this.atDirectives = false;
        this.prelude = [];
        this.errors = [];
        this.warnings = [];
        this.onError = (source, code, message, warning) => {
            const pos = getErrorPos(source);
            if (warning)
                this.warnings.push(new errors.YAMLWarning(pos, code, message));
            else
                this.errors.push(new errors.YAMLParseError(pos, code, message));
        };
        // eslint-disable-next-line @typescript-eslint/prefer-nullish-coalescing
        this.directives = new directives.Directives({ version: options.version || '1.2' });
        this.options = options;
    }
    decorate(doc, afterDoc) {
        const { comment, afterEmptyLine } = parsePrelude(this.prelude);
        //console.log({ dc: doc.comment, prelude, comment })
        if (comment) {
            const dc = doc.contents;
            if (afterDoc) {
                doc.comment = doc.comment ? `${doc.comment}\n${comment}` : comment;
            }
            else if (afterEmptyLine || doc.directives.docStart || !dc) {
                doc.commentBefore = comment;
            }
            else if (identity.isCollection(dc) && !dc.flow && dc.items.length > 0) {
                let it = dc.items[0];
                if (identity.isPair(it))
                    it = it.key;
                const cb = it.commentBefore;
                it.commentBefore = cb ? `${comment}\n${cb}` : comment;
            }
            else {
                const cb = dc.commentBefore;
                dc.commentBefore = cb ? `${comment}\n${cb}` : comment;
            }
        }
        if (afterDoc) {
            for (let i = 0; i < this.errors.length; ++i)
                doc.errors.push(this.errors[i]);
            for (let i = 0; i < this.warnings.length; ++i)
                doc.warnings.push(this.warnings[i]);
        }
        else {
            doc.errors = this.errors;
            doc.warnings = this.warnings;
        }
        this.prelude = [];
        this.errors = [];
        this.warnings = [];
    }
    /**
     * Current stream status information.
     *
     * Mostly useful at the end of input for an empty stream.
     */
    streamInfo() {
        return {
            comment: parsePrelude(this.prelude).comment,
            directives: this.directives,
            errors: this.errors,
            warnings: this.warnings
        };
    }
    /**
     * Compose tokens into documents.
     *
     * @param forceDoc - If the stream contains no document, still emit a final document including any comments and directives that would be applied to a subsequent document.
     * @param endOffset - Should be set if `forceDoc` is also set, to set the document range end and to indicate errors correctly.
     */
    *compose(tokens, forceDoc = false, endOffset = -1) {
        for (const token of tokens)
            yield* this.next(token);
        yield* this.end(forceDoc, endOffset);
    }
    /** Advance the composer by one CST token. */
    *next(token) {
        if (node_process.env.LOG_STREAM)
            console.dir(token, { depth: null });
        switch (token.type) {
            case 'directive':
                this.directives.add(token.source, (offset, message, warning) => {
                    const pos = getErrorPos(token);
                    pos[0] += offset;
                    this.onError(pos, 'BAD_DIRECTIVE', message, warning);
                });
                this.prelude.push(token.source);
                this.atDirectives = true;
                break;
            case 'document': {
                const doc = composeDoc.composeDoc(this.options, this.directives, token, this.onError);
                if (this.atDirectives && !doc.directives.docStart)
                    this.onError(token, 'MISSING_CHAR', 'Missing directives-end/doc-start indicator line');
                this.decorate(doc, false);
                if (this.doc)
                    yield this.doc;
                this.doc = doc;
                this.atDirectives = false;
                break;
            }
            case 'byte-order-mark':
            case 'space':
                break;
            case 'comment':
            case 'newline':
                this.prelude.push(token.source);
                break;
            case 'error': {
                const msg = token.source
                    ? `${token.message}: ${JSON.stringify(token.source)}`
                    : token.message;
                const error = new errors.YAMLParseError(getErrorPos(token), 'UNEXPECTED_TOKEN', msg);
                if (this.atDirectives || !this.doc)
                    this.errors.push(error);
                else
                    this.doc.errors.push(error);
                break;
            }
            case 'doc-end': {
                if (!this.doc) {
                    const msg = 'Unexpected doc-end without preceding document';
                    this.errors.push(new errors.YAMLParseError(getErrorPos(token), 'UNEXPECTED_TOKEN', msg));
                    break;
                }
                this.doc.directives.docEnd = true;
                const end = resolveEnd.resolveEnd(token.end, token.offset + token.source.length, this.doc.options.strict, this.onError);
                this.decorate(this.doc, true);
                if (end.comment) {
                    const dc = this.doc.comment;
                    this.doc.comment = dc ? `${dc}\n${end.comment}` : end.comment;
                }
                this.doc.range[2] = end.offset;
                break;
            }
            default:
                this.errors.push(new errors.YAMLParseError(getErrorPos(token), 'UNEXPECTED_TOKEN', `Unsupported token ${token.type}`));
        }
    }
    /**
     * Call at end of input to yield any remaining document.
     *
     * @param forceDoc - If the stream contains no document, still emit a final document including any comments and directives that would be applied to a subsequent document.
     * @param endOffset - Should be set if `forceDoc` is also set, to set the document range end and to indicate errors correctly.
     */
    *end(forceDoc = false, endOffset = -1) {
        if (this.doc) {
            this.decorate(this.doc, true);
            yield this.doc;
            this.doc = null;
        }
        else if (forceDoc) {
            const opts = Object.assign({ _directives: this.directives }, this.options);
            const doc = new Document.Document(undefined, opts);
            if (this.atDirectives)
                this.onError(endOffset, 'MISSING_CHAR', 'Missing directives-end indicator line');
            doc.range = [0, endOffset, endOffset];
            this.decorate(doc, false);
            yield doc;
        }
    }
}

exports.Composer = Composer;


/***/ }),

/***/ 7103:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Pair = __nccwpck_require__(7165);
var YAMLMap = __nccwpck_require__(4454);
var resolveProps = __nccwpck_require__(4631);
var utilContainsNewline = __nccwpck_require__(9499);
var utilFlowIndentCheck = __nccwpck_require__(4051);
var utilMapIncludes = __nccwpck_require__(1187);

const startColMsg = 'All mapping items must start at the same column';
function resolveBlockMap({ composeNode, composeEmptyNode }, ctx, bm, onError, tag) {
    const NodeClass = tag?.nodeClass ?? YAMLMap.YAMLMap;
    const map = new NodeClass(ctx.schema);
    if (ctx.atRoot)
        ctx.atRoot = false;
    let offset = bm.offset;
    let commentEnd = null;
    for (const collItem of bm.items) {
        const { start, key, sep, value } = collItem;
        // key properties
        const keyProps = resolveProps.resolveProps(start, {
            indicator: 'explicit-key-ind',
            next: key ?? sep?.[0],
            offset,
            onError,
            parentIndent: bm.indent,
            startOnNewline: true
        });
        const implicitKey = !keyProps.found;
        if (implicitKey) {
            if (key) {
                if (key.type === 'block-seq')
                    onError(offset, 'BLOCK_AS_IMPLICIT_KEY', 'A block sequence may not be used as an implicit map key');
                else if ('indent' in key && key.indent !== bm.indent)
                    onError(offset, 'BAD_INDENT', startColMsg);
            }
            if (!keyProps.anchor && !keyProps.tag && !sep) {
                commentEnd = keyProps.end;
                if (keyProps.comment) {
                    if (map.comment)
                        map.comment += '\n' + keyProps.comment;
                    else
                        map.comment = keyProps.comment;
                }
                continue;
            }
            if (keyProps.newlineAfterProp || utilContainsNewline.containsNewline(key)) {
                onError(key ?? start[start.length - 1], 'MULTILINE_IMPLICIT_KEY', 'Implicit keys need to be on a single line');
            }
        }
        else if (keyProps.found?.indent !== bm.indent) {
            onError(offset, 'BAD_INDENT', startColMsg);
        }
        // key value
        ctx.atKey = true;
        const keyStart = keyProps.end;
        const keyNode = key
            ? composeNode(ctx, key, keyProps, onError)
            : composeEmptyNode(ctx, keyStart, start, null, keyProps, onError);
        if (ctx.schema.compat)
            utilFlowIndentCheck.flowIndentCheck(bm.indent, key, onError);
        ctx.atKey = false;
        if (utilMapIncludes.mapIncludes(ctx, map.items, keyNode))
            onError(keyStart, 'DUPLICATE_KEY', 'Map keys must be unique');
        // value properties
        const valueProps = resolveProps.resolveProps(sep ?? [], {
            indicator: 'map-value-ind',
            next: value,
            offset: keyNode.range[2],
            onError,
            parentIndent: bm.indent,
            startOnNewline: !key || key.type === 'block-scalar'
        });
        offset = valueProps.end;
        if (valueProps.found) {
            if (implicitKey) {
                if (value?.type === 'block-map' && !valueProps.hasNewline)
                    onError(offset, 'BLOCK_AS_IMPLICIT_KEY', 'Nested mappings are not allowed in compact mappings');
                if (ctx.options.strict &&
                    keyProps.start < valueProps.found.offset - 1024)
                    onError(keyNode.range, 'KEY_OVER_1024_CHARS', 'The : indicator must be at most 1024 chars after the start of an implicit block mapping key');
            }
            // value value
            const valueNode = value
                ? composeNode(ctx, value, valueProps, onError)
                : composeEmptyNode(ctx, offset, sep, null, valueProps, onError);
            if (ctx.schema.compat)
                utilFlowIndentCheck.flowIndentCheck(bm.indent, value, onError);
            offset = valueNode.range[2];
            const pair = new Pair.Pair(keyNode, valueNode);
            if (ctx.options.keepSourceTokens)
                pair.srcToken = collItem;
            map.items.push(pair);
        }
        else {
            // key with no value
            if (implicitKey)
                onError(keyNode.range, 'MISSING_CHAR', 'Implicit map keys need to be followed by map values');
            if (valueProps.comment) {
                if (keyNode.comment)
                    keyNode.comment += '\n' + valueProps.comment;
                else
                    keyNode.comment = valueProps.comment;
            }
            const pair = new Pair.Pair(keyNode);
            if (ctx.options.keepSourceTokens)
                pair.srcToken = collItem;
            map.items.push(pair);
        }
    }
    if (commentEnd && commentEnd < offset)
        onError(commentEnd, 'IMPOSSIBLE', 'Map comment with trailing content');
    map.range = [bm.offset, offset, commentEnd ?? offset];
    return map;
}

exports.resolveBlockMap = resolveBlockMap;


/***/ }),

/***/ 8913:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Scalar = __nccwpck_require__(3301);

function resolveBlockScalar(ctx, scalar, onError) {
    const start = scalar.offset;
    const header = parseBlockScalarHeader(scalar, ctx.options.strict, onError);
    if (!header)
        return { value: '', type: null, comment: '', range: [start, start, start] };
    const type = header.mode === '>' ? Scalar.Scalar.BLOCK_FOLDED : Scalar.Scalar.BLOCK_LITERAL;
    const lines = scalar.source ? splitLines(scalar.source) : [];
    // determine the end of content & start of chomping
    let chompStart = lines.length;
    for (let i = lines.length - 1; i >= 0; --i) {
        const content = lines[i][1];
        if (content === '' || content === '\r')
            chompStart = i;
        else
            break;
    }
    // shortcut for empty contents
    if (chompStart === 0) {
        const value = header.chomp === '+' && lines.length > 0
            ? '\n'.repeat(Math.max(1, lines.length - 1))
            : '';
        let end = start + header.length;
        if (scalar.source)
            end += scalar.source.length;
        return { value, type, comment: header.comment, range: [start, end, end] };
    }
    // find the indentation level to trim from start
    let trimIndent = scalar.indent + header.indent;
    let offset = scalar.offset + header.length;
    let contentStart = 0;
    for (let i = 0; i < chompStart; ++i) {
        const [indent, content] = lines[i];
        if (content === '' || content === '\r') {
            if (header.indent === 0 && indent.length > trimIndent)
                trimIndent = indent.length;
        }
        else {
            if (indent.length < trimIndent) {
                const message = 'Block scalars with more-indented leading empty lines must use an explicit indentation indicator';
                onError(offset + indent.length, 'MISSING_CHAR', message);
            }
            if (header.indent === 0)
                trimIndent = indent.length;
            contentStart = i;
            if (trimIndent === 0 && !ctx.atRoot) {
                const message = 'Block scalar values in collections must be indented';
                onError(offset, 'BAD_INDENT', message);
            }
            break;
        }
        offset += indent.length + content.length + 1;
    }
    // include trailing more-indented empty lines in content
    for (let i = lines.length - 1; i >= chompStart; --i) {
        if (lines[i][0].length > trimIndent)
            chompStart = i + 1;
    }
    let value = '';
    let sep = '';
    let prevMoreIndented = false;
    // leading whitespace is kept intact
    for (let i = 0; i < contentStart; ++i)
        value += lines[i][0].slice(trimIndent) + '\n';
    for (let i = contentStart; i < chompStart; ++i) {
        let [indent, content] = lines[i];
        offset += indent.length + content.length + 1;
        const crlf = content[content.length - 1] === '\r';
        if (crlf)
            content = content.slice(0, -1);
        /* istanbul ignore if already caught in lexer */
        if (content && indent.length < trimIndent) {
            const src = header.indent
                ? 'explicit indentation indicator'
                : 'first line';
            const message = `Block scalar lines must not be less indented than their ${src}`;
            onError(offset - content.length - (crlf ? 2 : 1), 'BAD_INDENT', message);
            indent = '';
        }
        if (type === Scalar.Scalar.BLOCK_LITERAL) {
            value += sep + indent.slice(trimIndent) + content;
            sep = '\n';
        }
        else if (indent.length > trimIndent || content[0] === '\t') {
            // more-indented content within a folded block
            if (sep === ' ')
                sep = '\n';
            else if (!prevMoreIndented && sep === '\n')
                sep = '\n\n';
            value += sep + indent.slice(trimIndent) + content;
            sep = '\n';
            prevMoreIndented = true;
        }
        else if (content === '') {
            // empty line
            if (sep === '\n')
                value += '\n';
            else
                sep = '\n';
        }
        else {
            value += sep + content;
            sep = ' ';
            prevMoreIndented = false;
        }
    }
    switch (header.chomp) {
        case '-':
            break;
        case '+':
            for (let i = chompStart; i < lines.length; ++i)
                value += '\n' + lines[i][0].slice(trimIndent);
            if (value[value.length - 1] !== '\n')
                value += '\n';
            break;
        default:
            value += '\n';
    }
    const end = start + header.length + scalar.source.length;
    return { value, type, comment: header.comment, range: [start, end, end] };
}
function parseBlockScalarHeader({ offset, props }, strict, onError) {
    /* istanbul ignore if should not happen */
    if (props[0].type !== 'block-scalar-header') {
        onError(props[0], 'IMPOSSIBLE', 'Block scalar header not found');
        return null;
    }
    const { source } = props[0];
    const mode = source[0];
    let indent = 0;
    let chomp = '';
    let error = -1;
    for (let i = 1; i < source.length; ++i) {
        const ch = source[i];
        if (!chomp && (ch === '-' || ch === '+'))
            chomp = ch;
        else {
            const n = Number(ch);
            if (!indent && n)
                indent = n;
            else if (error === -1)
                error = offset + i;
        }
    }
    if (error !== -1)
        onError(error, 'UNEXPECTED_TOKEN', `Block scalar header includes extra characters: ${source}`);
    let hasSpace = false;
    let comment = '';
    let length = source.length;
    for (let i = 1; i < props.length; ++i) {
        const token = props[i];
        switch (token.type) {
            case 'space':
                hasSpace = true;
            // fallthrough
            case 'newline':
                length += token.source.length;
                break;
            case 'comment':
                if (strict && !hasSpace) {
                    const message = 'Comments must be separated from other tokens by white space characters';
                    onError(token, 'MISSING_CHAR', message);
                }
                length += token.source.length;
                comment = token.source.substring(1);
                break;
            case 'error':
                onError(token, 'UNEXPECTED_TOKEN', token.message);
                length += token.source.length;
                break;
            /* istanbul ignore next should not happen */
            default: {
                const message = `Unexpected token in block scalar header: ${token.type}`;
                onError(token, 'UNEXPECTED_TOKEN', message);
                const ts = token.source;
                if (ts && typeof ts === 'string')
                    length += ts.length;
            }
        }
    }
    return { mode, indent, chomp, comment, length };
}
/** @returns Array of lines split up as `[indent, content]` */
function splitLines(source) {
    const split = source.split(/\n( *)/);
    const first = split[0];
    const m = first.match(/^( *)/);
    const line0 = m?.[1]
        ? [m[1], first.slice(m[1].length)]
        : ['', first];
    const lines = [line0];
    for (let i = 1; i < split.length; i += 2)
        lines.push([split[i], split[i + 1]]);
    return lines;
}

exports.resolveBlockScalar = resolveBlockScalar;


/***/ }),

/***/ 334:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var YAMLSeq = __nccwpck_require__(2223);
var resolveProps = __nccwpck_require__(4631);
var utilFlowIndentCheck = __nccwpck_require__(4051);

function resolveBlockSeq({ composeNode, composeEmptyNode }, ctx, bs, onError, tag) {
    const NodeClass = tag?.nodeClass ?? YAMLSeq.YAMLSeq;
    const seq = new NodeClass(ctx.schema);
    if (ctx.atRoot)
        ctx.atRoot = false;
    if (ctx.atKey)
        ctx.atKey = false;
    let offset = bs.offset;
    let commentEnd = null;
    for (const { start, value } of bs.items) {
        const props = resolveProps.resolveProps(start, {
            indicator: 'seq-item-ind',
            next: value,
            offset,
            onError,
            parentIndent: bs.indent,
            startOnNewline: true
        });
        if (!props.found) {
            if (props.anchor || props.tag || value) {
                if (value?.type === 'block-seq')
                    onError(props.end, 'BAD_INDENT', 'All sequence items must start at the same column');
                else
                    onError(offset, 'MISSING_CHAR', 'Sequence item without - indicator');
            }
            else {
                commentEnd = props.end;
                if (props.comment)
                    seq.comment = props.comment;
                continue;
            }
        }
        const node = value
            ? composeNode(ctx, value, props, onError)
            : composeEmptyNode(ctx, props.end, start, null, props, onError);
        if (ctx.schema.compat)
            utilFlowIndentCheck.flowIndentCheck(bs.indent, value, onError);
        offset = node.range[2];
        seq.items.push(node);
    }
    seq.range = [bs.offset, offset, commentEnd ?? offset];
    return seq;
}

exports.resolveBlockSeq = resolveBlockSeq;


/***/ }),

/***/ 7788:
/***/ ((__unused_webpack_module, exports) => {



function resolveEnd(end, offset, reqSpace, onError) {
    let comment = '';
    if (end) {
        let hasSpace = false;
        let sep = '';
        for (const token of end) {
            const { source, type } = token;
            switch (type) {
                case 'space':
                    hasSpace = true;
                    break;
                case 'comment': {
                    if (reqSpace && !hasSpace)
                        onError(token, 'MISSING_CHAR', 'Comments must be separated from other tokens by white space characters');
                    const cb = source.substring(1) || ' ';
                    if (!comment)
                        comment = cb;
                    else
                        comment += sep + cb;
                    sep = '';
                    break;
                }
                case 'newline':
                    if (comment)
                        sep += source;
                    hasSpace = true;
                    break;
                default:
                    onError(token, 'UNEXPECTED_TOKEN', `Unexpected ${type} at node end`);
            }
            offset += source.length;
        }
    }
    return { comment, offset };
}

exports.resolveEnd = resolveEnd;


/***/ }),

/***/ 3142:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var Pair = __nccwpck_require__(7165);
var YAMLMap = __nccwpck_require__(4454);
var YAMLSeq = __nccwpck_require__(2223);
var resolveEnd = __nccwpck_require__(7788);
var resolveProps = __nccwpck_require__(4631);
var utilContainsNewline = __nccwpck_require__(9499);
var utilMapIncludes = __nccwpck_require__(1187);

const blockMsg = 'Block collections are not allowed within flow collections';
const isBlock = (token) => token && (token.type === 'block-map' || token.type === 'block-seq');
function resolveFlowCollection({ composeNode, composeEmptyNode }, ctx, fc, onError, tag) {
    const isMap = fc.start.source === '{';
    const fcName = isMap ? 'flow map' : 'flow sequence';
    const NodeClass = (tag?.nodeClass ?? (isMap ? YAMLMap.YAMLMap : YAMLSeq.YAMLSeq));
    const coll = new NodeClass(ctx.schema);
    coll.flow = true;
    const atRoot = ctx.atRoot;
    if (atRoot)
        ctx.atRoot = false;
    if (ctx.atKey)
        ctx.atKey = false;
    let offset = fc.offset + fc.start.source.length;
    for (let i = 0; i < fc.items.length; ++i) {
        const collItem = fc.items[i];
        const { start, key, sep, value } = collItem;
        const props = resolveProps.resolveProps(start, {
            flow: fcName,
            indicator: 'explicit-key-ind',
            next: key ?? sep?.[0],
            offset,
            onError,
            parentIndent: fc.indent,
            startOnNewline: false
        });
        if (!props.found) {
            if (!props.anchor && !props.tag && !sep && !value) {
                if (i === 0 && props.comma)
                    onError(props.comma, 'UNEXPECTED_TOKEN', `Unexpected , in ${fcName}`);
                else if (i < fc.items.length - 1)
                    onError(props.start, 'UNEXPECTED_TOKEN', `Unexpected empty item in ${fcName}`);
                if (props.comment) {
                    if (coll.comment)
                        coll.comment += '\n' + props.comment;
                    else
                        coll.comment = props.comment;
                }
                offset = props.end;
                continue;
            }
            if (!isMap && ctx.options.strict && utilContainsNewline.containsNewline(key))
                onError(key, // checked by containsNewline()
                'MULTILINE_IMPLICIT_KEY', 'Implicit keys of flow sequence pairs need to be on a single line');
        }
        if (i === 0) {
            if (props.comma)
                onError(props.comma, 'UNEXPECTED_TOKEN', `Unexpected , in ${fcName}`);
        }
        else {
            if (!props.comma)
                onError(props.start, 'MISSING_CHAR', `Missing , between ${fcName} items`);
            if (props.comment) {
                let prevItemComment = '';
                loop: for (const st of start) {
                    switch (st.type) {
                        case 'comma':
                        case 'space':
                            break;
                        case 'comment':
                            prevItemComment = st.source.substring(1);
                            break loop;
                        default:
                            break loop;
                    }
                }
                if (prevItemComment) {
                    let prev = coll.items[coll.items.length - 1];
                    if (identity.isPair(prev))
                        prev = prev.value ?? prev.key;
                    if (prev.comment)
                        prev.comment += '\n' + prevItemComment;
                    else
                        prev.comment = prevItemComment;
                    props.comment = props.comment.substring(prevItemComment.length + 1);
                }
            }
        }
        if (!isMap && !sep && !props.found) {
            // item is a value in a seq
            // → key & sep are empty, start does not include ? or :
            const valueNode = value
                ? composeNode(ctx, value, props, onError)
                : composeEmptyNode(ctx, props.end, sep, null, props, onError);
            coll.items.push(valueNode);
            offset = valueNode.range[2];
            if (isBlock(value))
                onError(valueNode.range, 'BLOCK_IN_FLOW', blockMsg);
        }
        else {
            // item is a key+value pair
            // key value
            ctx.atKey = true;
            const keyStart = props.end;
            const keyNode = key
                ? composeNode(ctx, key, props, onError)
                : composeEmptyNode(ctx, keyStart, start, null, props, onError);
            if (isBlock(key))
                onError(keyNode.range, 'BLOCK_IN_FLOW', blockMsg);
            ctx.atKey = false;
            // value properties
            const valueProps = resolveProps.resolveProps(sep ?? [], {
                flow: fcName,
                indicator: 'map-value-ind',
                next: value,
                offset: keyNode.range[2],
                onError,
                parentIndent: fc.indent,
                startOnNewline: false
            });
            if (valueProps.found) {
                if (!isMap && !props.found && ctx.options.strict) {
                    if (sep)
                        for (const st of sep) {
                            if (st === valueProps.found)
                                break;
                            if (st.type === 'newline') {
                                onError(st, 'MULTILINE_IMPLICIT_KEY', 'Implicit keys of flow sequence pairs need to be on a single line');
                                break;
                            }
                        }
                    if (props.start < valueProps.found.offset - 1024)
                        onError(valueProps.found, 'KEY_OVER_1024_CHARS', 'The : indicator must be at most 1024 chars after the start of an implicit flow sequence key');
                }
            }
            else if (value) {
                if ('source' in value && value.source?.[0] === ':')
                    onError(value, 'MISSING_CHAR', `Missing space after : in ${fcName}`);
                else
                    onError(valueProps.start, 'MISSING_CHAR', `Missing , or : between ${fcName} items`);
            }
            // value value
            const valueNode = value
                ? composeNode(ctx, value, valueProps, onError)
                : valueProps.found
                    ? composeEmptyNode(ctx, valueProps.end, sep, null, valueProps, onError)
                    : null;
            if (valueNode) {
                if (isBlock(value))
                    onError(valueNode.range, 'BLOCK_IN_FLOW', blockMsg);
            }
            else if (valueProps.comment) {
                if (keyNode.comment)
                    keyNode.comment += '\n' + valueProps.comment;
                else
                    keyNode.comment = valueProps.comment;
            }
            const pair = new Pair.Pair(keyNode, valueNode);
            if (ctx.options.keepSourceTokens)
                pair.srcToken = collItem;
            if (isMap) {
                const map = coll;
                if (utilMapIncludes.mapIncludes(ctx, map.items, keyNode))
                    onError(keyStart, 'DUPLICATE_KEY', 'Map keys must be unique');
                map.items.push(pair);
            }
            else {
                const map = new YAMLMap.YAMLMap(ctx.schema);
                map.flow = true;
                map.items.push(pair);
                const endRange = (valueNode ?? keyNode).range;
                map.range = [keyNode.range[0], endRange[1], endRange[2]];
                coll.items.push(map);
            }
            offset = valueNode ? valueNode.range[2] : valueProps.end;
        }
    }
    const expectedEnd = isMap ? '}' : ']';
    const [ce, ...ee] = fc.end;
    let cePos = offset;
    if (ce?.source === expectedEnd)
        cePos = ce.offset + ce.source.length;
    else {
        const name = fcName[0].toUpperCase() + fcName.substring(1);
        const msg = atRoot
            ? `${name} must end with a ${expectedEnd}`
            : `${name} in block collection must be sufficiently indented and end with a ${expectedEnd}`;
        onError(offset, atRoot ? 'MISSING_CHAR' : 'BAD_INDENT', msg);
        if (ce && ce.source.length !== 1)
            ee.unshift(ce);
    }
    if (ee.length > 0) {
        const end = resolveEnd.resolveEnd(ee, cePos, ctx.options.strict, onError);
        if (end.comment) {
            if (coll.comment)
                coll.comment += '\n' + end.comment;
            else
                coll.comment = end.comment;
        }
        coll.range = [fc.offset, cePos, end.offset];
    }
    else {
        coll.range = [fc.offset, cePos, cePos];
    }
    return coll;
}

exports.resolveFlowCollection = resolveFlowCollection;


/***/ }),

/***/ 6842:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Scalar = __nccwpck_require__(3301);
var resolveEnd = __nccwpck_require__(7788);

function resolveFlowScalar(scalar, strict, onError) {
    const { offset, type, source, end } = scalar;
    let _type;
    let value;
    const _onError = (rel, code, msg) => onError(offset + rel, code, msg);
    switch (type) {
        case 'scalar':
            _type = Scalar.Scalar.PLAIN;
            value = plainValue(source, _onError);
            break;
        case 'single-quoted-scalar':
            _type = Scalar.Scalar.QUOTE_SINGLE;
            value = singleQuotedValue(source, _onError);
            break;
        case 'double-quoted-scalar':
            _type = Scalar.Scalar.QUOTE_DOUBLE;
            value = doubleQuotedValue(source, _onError);
            break;
        /* istanbul ignore next should not happen */
        default:
            onError(scalar, 'UNEXPECTED_TOKEN', `Expected a flow scalar value, but found: ${type}`);
            return {
                value: '',
                type: null,
                comment: '',
                range: [offset, offset + source.length, offset + source.length]
            };
    }
    const valueEnd = offset + source.length;
    const re = resolveEnd.resolveEnd(end, valueEnd, strict, onError);
    return {
        value,
        type: _type,
        comment: re.comment,
        range: [offset, valueEnd, re.offset]
    };
}
function plainValue(source, onError) {
    let badChar = '';
    switch (source[0]) {
        /* istanbul ignore next should not happen */
        case '\t':
            badChar = 'a tab character';
            break;
        case ',':
            badChar = 'flow indicator character ,';
            break;
        case '%':
            badChar = 'directive indicator character %';
            break;
        case '|':
        case '>': {
            badChar = `block scalar indicator ${source[0]}`;
            break;
        }
        case '@':
        case '`': {
            badChar = `reserved character ${source[0]}`;
            break;
        }
    }
    if (badChar)
        onError(0, 'BAD_SCALAR_START', `Plain value cannot start with ${badChar}`);
    return unfoldLines(source);
}
function singleQuotedValue(source, onError) {
    if (source[source.length - 1] !== "'" || source.length === 1)
        onError(source.length, 'MISSING_CHAR', "Missing closing 'quote");
    return unfoldLines(source.slice(1, -1)).replace(/''/g, "'");
}
function unfoldLines(source) {
    const line = /(.*?)\r?\n/sy;
    let match = line.exec(source);
    if (!match)
        return source;
    /**
     * The negative lookbehinds in these RegExps are to
     * prevent causing a polynomial search time in certain cases.
     *
     * The try-catch is for Safari < 16.4 and other old browsers:
     * https://caniuse.com/js-regexp-lookbehind
     */
    let trimEnd, trimBoth;
    try {
        trimEnd = new RegExp('(?<![ \t])[ \t]+$');
        trimBoth = new RegExp('^[ \t]+|(?<![ \t])[ \t]+$', 'g');
    }
    catch {
        trimEnd = /[ \t]+$/;
        trimBoth = /^[ \t]+|[ \t]+$/g;
    }
    let res = match[1].replace(trimEnd, '');
    let sep = ' ';
    let pos = line.lastIndex;
    while ((match = line.exec(source))) {
        const lm = match[1].replace(trimBoth, '');
        if (lm === '') {
            if (sep === '\n')
                res += sep;
            else
                sep = '\n';
        }
        else {
            res += sep + lm;
            sep = ' ';
        }
        pos = line.lastIndex;
    }
    const last = /[ \t]*(.*)/sy;
    last.lastIndex = pos;
    match = last.exec(source);
    return res + sep + (match?.[1] ?? '');
}
function doubleQuotedValue(source, onError) {
    let res = '';
    for (let i = 1; i < source.length - 1; ++i) {
        const ch = source[i];
        if (ch === '\r' && source[i + 1] === '\n')
            continue;
        if (ch === '\n') {
            const { fold, offset } = foldNewline(source, i);
            res += fold;
            i = offset;
        }
        else if (ch === '\\') {
            let next = source[++i];
            const cc = escapeCodes[next];
            if (cc)
                res += cc;
            else if (next === '\n') {
                // skip escaped newlines, but still trim the following line
                next = source[i + 1];
                while (next === ' ' || next === '\t')
                    next = source[++i + 1];
            }
            else if (next === '\r' && source[i + 1] === '\n') {
                // skip escaped CRLF newlines, but still trim the following line
                next = source[++i + 1];
                while (next === ' ' || next === '\t')
                    next = source[++i + 1];
            }
            else if (next === 'x' || next === 'u' || next === 'U') {
                const length = next === 'x' ? 2 : next === 'u' ? 4 : 8;
                res += parseCharCode(source, i + 1, length, onError);
                i += length;
            }
            else {
                const raw = source.substr(i - 1, 2);
                onError(i - 1, 'BAD_DQ_ESCAPE', `Invalid escape sequence ${raw}`);
                res += raw;
            }
        }
        else if (ch === ' ' || ch === '\t') {
            // trim trailing whitespace
            const wsStart = i;
            let next = source[i + 1];
            while (next === ' ' || next === '\t')
                next = source[++i + 1];
            if (next !== '\n' && !(next === '\r' && source[i + 2] === '\n'))
                res += i > wsStart ? source.slice(wsStart, i + 1) : ch;
        }
        else {
            res += ch;
        }
    }
    if (source[source.length - 1] !== '"' || source.length === 1)
        onError(source.length, 'MISSING_CHAR', 'Missing closing "quote');
    return res;
}
/**
 * Fold a single newline into a space, multiple newlines to N - 1 newlines.
 * Presumes `source[offset] === '\n'`
 */
function foldNewline(source, offset) {
    let fold = '';
    let ch = source[offset + 1];
    while (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') {
        if (ch === '\r' && source[offset + 2] !== '\n')
            break;
        if (ch === '\n')
            fold += '\n';
        offset += 1;
        ch = source[offset + 1];
    }
    if (!fold)
        fold = ' ';
    return { fold, offset };
}
const escapeCodes = {
    '0': '\0', // null character
    a: '\x07', // bell character
    b: '\b', // backspace
    e: '\x1b', // escape character
    f: '\f', // form feed
    n: '\n', // line feed
    r: '\r', // carriage return
    t: '\t', // horizontal tab
    v: '\v', // vertical tab
    N: '\u0085', // Unicode next line
    _: '\u00a0', // Unicode non-breaking space
    L: '\u2028', // Unicode line separator
    P: '\u2029', // Unicode paragraph separator
    ' ': ' ',
    '"': '"',
    '/': '/',
    '\\': '\\',
    '\t': '\t'
};
function parseCharCode(source, offset, length, onError) {
    const cc = source.substr(offset, length);
    const ok = cc.length === length && /^[0-9a-fA-F]+$/.test(cc);
    const code = ok ? parseInt(cc, 16) : NaN;
    try {
        return String.fromCodePoint(code);
    }
    catch {
        const raw = source.substr(offset - 2, length + 2);
        onError(offset - 2, 'BAD_DQ_ESCAPE', `Invalid escape sequence ${raw}`);
        return raw;
    }
}

exports.resolveFlowScalar = resolveFlowScalar;


/***/ }),

/***/ 4631:
/***/ ((__unused_webpack_module, exports) => {



function resolveProps(tokens, { flow, indicator, next, offset, onError, parentIndent, startOnNewline }) {
    let spaceBefore = false;
    let atNewline = startOnNewline;
    let hasSpace = startOnNewline;
    let comment = '';
    let commentSep = '';
    let hasNewline = false;
    let reqSpace = false;
    let tab = null;
    let anchor = null;
    let tag = null;
    let newlineAfterProp = null;
    let comma = null;
    let found = null;
    let start = null;
    for (const token of tokens) {
        if (reqSpace) {
            if (token.type !== 'space' &&
                token.type !== 'newline' &&
                token.type !== 'comma')
                onError(token.offset, 'MISSING_CHAR', 'Tags and anchors must be separated from the next token by white space');
            reqSpace = false;
        }
        if (tab) {
            if (atNewline && token.type !== 'comment' && token.type !== 'newline') {
                onError(tab, 'TAB_AS_INDENT', 'Tabs are not allowed as indentation');
            }
            tab = null;
        }
        switch (token.type) {
            case 'space':
                // At the doc level, tabs at line start may be parsed
                // as leading white space rather than indentation.
                // In a flow collection, only the parser handles indent.
                if (!flow &&
                    (indicator !== 'doc-start' || next?.type !== 'flow-collection') &&
                    token.source.includes('\t')) {
                    tab = token;
                }
                hasSpace = true;
                break;
            case 'comment': {
                if (!hasSpace)
                    onError(token, 'MISSING_CHAR', 'Comments must be separated from other tokens by white space characters');
                const cb = token.source.substring(1) || ' ';
                if (!comment)
                    comment = cb;
                else
                    comment += commentSep + cb;
                commentSep = '';
                atNewline = false;
                break;
            }
            case 'newline':
                if (atNewline) {
                    if (comment)
                        comment += token.source;
                    else if (!found || indicator !== 'seq-item-ind')
                        spaceBefore = true;
                }
                else
                    commentSep += token.source;
                atNewline = true;
                hasNewline = true;
                if (anchor || tag)
                    newlineAfterProp = token;
                hasSpace = true;
                break;
            case 'anchor':
                if (anchor)
                    onError(token, 'MULTIPLE_ANCHORS', 'A node can have at most one anchor');
                if (token.source.endsWith(':'))
                    onError(token.offset + token.source.length - 1, 'BAD_ALIAS', 'Anchor ending in : is ambiguous', true);
                anchor = token;
                start ?? (start = token.offset);
                atNewline = false;
                hasSpace = false;
                reqSpace = true;
                break;
            case 'tag': {
                if (tag)
                    onError(token, 'MULTIPLE_TAGS', 'A node can have at most one tag');
                tag = token;
                start ?? (start = token.offset);
                atNewline = false;
                hasSpace = false;
                reqSpace = true;
                break;
            }
            case indicator:
                // Could here handle preceding comments differently
                if (anchor || tag)
                    onError(token, 'BAD_PROP_ORDER', `Anchors and tags must be after the ${token.source} indicator`);
                if (found)
                    onError(token, 'UNEXPECTED_TOKEN', `Unexpected ${token.source} in ${flow ?? 'collection'}`);
                found = token;
                atNewline =
                    indicator === 'seq-item-ind' || indicator === 'explicit-key-ind';
                hasSpace = false;
                break;
            case 'comma':
                if (flow) {
                    if (comma)
                        onError(token, 'UNEXPECTED_TOKEN', `Unexpected , in ${flow}`);
                    comma = token;
                    atNewline = false;
                    hasSpace = false;
                    break;
                }
            // else fallthrough
            default:
                onError(token, 'UNEXPECTED_TOKEN', `Unexpected ${token.type} token`);
                atNewline = false;
                hasSpace = false;
        }
    }
    const last = tokens[tokens.length - 1];
    const end = last ? last.offset + last.source.length : offset;
    if (reqSpace &&
        next &&
        next.type !== 'space' &&
        next.type !== 'newline' &&
        next.type !== 'comma' &&
        (next.type !== 'scalar' || next.source !== '')) {
        onError(next.offset, 'MISSING_CHAR', 'Tags and anchors must be separated from the next token by white space');
    }
    if (tab &&
        ((atNewline && tab.indent <= parentIndent) ||
            next?.type === 'block-map' ||
            next?.type === 'block-seq'))
        onError(tab, 'TAB_AS_INDENT', 'Tabs are not allowed as indentation');
    return {
        comma,
        found,
        spaceBefore,
        comment,
        hasNewline,
        anchor,
        tag,
        newlineAfterProp,
        end,
        start: start ?? end
    };
}

exports.resolveProps = resolveProps;


/***/ }),

/***/ 9499:
/***/ ((__unused_webpack_module, exports) => {



function containsNewline(key) {
    if (!key)
        return null;
    switch (key.type) {
        case 'alias':
        case 'scalar':
        case 'double-quoted-scalar':
        case 'single-quoted-scalar':
            if (key.source.includes('\n'))
                return true;
            if (key.end)
                for (const st of key.end)
                    if (st.type === 'newline')
                        return true;
            return false;
        case 'flow-collection':
            for (const it of key.items) {
                for (const st of it.start)
                    if (st.type === 'newline')
                        return true;
                if (it.sep)
                    for (const st of it.sep)
                        if (st.type === 'newline')
                            return true;
                if (containsNewline(it.key) || containsNewline(it.value))
                    return true;
            }
            return false;
        default:
            return true;
    }
}

exports.containsNewline = containsNewline;


/***/ }),

/***/ 2599:
/***/ ((__unused_webpack_module, exports) => {



function emptyScalarPosition(offset, before, pos) {
    if (before) {
        pos ?? (pos = before.length);
        for (let i = pos - 1; i >= 0; --i) {
            let st = before[i];
            switch (st.type) {
                case 'space':
                case 'comment':
                case 'newline':
                    offset -= st.source.length;
                    continue;
            }
            // Technically, an empty scalar is immediately after the last non-empty
            // node, but it's more useful to place it after any whitespace.
            st = before[++i];
            while (st?.type === 'space') {
                offset += st.source.length;
                st = before[++i];
            }
            break;
        }
    }
    return offset;
}

exports.emptyScalarPosition = emptyScalarPosition;


/***/ }),

/***/ 4051:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var utilContainsNewline = __nccwpck_require__(9499);

function flowIndentCheck(indent, fc, onError) {
    if (fc?.type === 'flow-collection') {
        const end = fc.end[0];
        if (end.indent === indent &&
            (end.source === ']' || end.source === '}') &&
            utilContainsNewline.containsNewline(fc)) {
            const msg = 'Flow end indicator should be more indented than parent';
            onError(end, 'BAD_INDENT', msg, true);
        }
    }
}

exports.flowIndentCheck = flowIndentCheck;


/***/ }),

/***/ 1187:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);

function mapIncludes(ctx, items, search) {
    const { uniqueKeys } = ctx.options;
    if (uniqueKeys === false)
        return false;
    const isEqual = typeof uniqueKeys === 'function'
        ? uniqueKeys
        : (a, b) => a === b || (identity.isScalar(a) && identity.isScalar(b) && a.value === b.value);
    return items.some(pair => isEqual(pair.key, search));
}

exports.mapIncludes = mapIncludes;


/***/ }),

/***/ 3021:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Alias = __nccwpck_require__(4065);
var Collection = __nccwpck_require__(101);
var identity = __nccwpck_require__(1127);
var Pair = __nccwpck_require__(7165);
var toJS = __nccwpck_require__(4043);
var Schema = __nccwpck_require__(5840);
var stringifyDocument = __nccwpck_require__(6829);
var anchors = __nccwpck_require__(1596);
var applyReviver = __nccwpck_require__(3661);
var createNode = __nccwpck_require__(2404);
var directives = __nccwpck_require__(1342);

class Document {
    constructor(value, replacer, options) {
        /** A comment before this Document */
        this.commentBefore = null;
        /** A comment immediately after this Document */
        this.comment = null;
        /** Errors encountered during parsing. */
        this.errors = [];
        /** Warnings encountered during parsing. */
        this.warnings = [];
        Object.defineProperty(this, identity.NODE_TYPE, { value: identity.DOC });
        let _replacer = null;
        if (typeof replacer === 'function' || Array.isArray(replacer)) {
            _replacer = replacer;
        }
        else if (options === undefined && replacer) {
            options = replacer;
            replacer = undefined;
        }
        const opt = Object.assign({
            intAsBigInt: false,
            keepSourceTokens: false,
            logLevel: 'warn',
            prettyErrors: true,
            strict: true,
            stringKeys: false,
            uniqueKeys: true,
            version: '1.2'
        }, options);
        this.options = opt;
        let { version } = opt;
        if (options?._directives) {
            this.directives = options._directives.atDocument();
            if (this.directives.yaml.explicit)
                version = this.directives.yaml.version;
        }
        else
            this.directives = new directives.Directives({ version });
        this.setSchema(version, options);
        // @ts-expect-error We can't really know that this matches Contents.
        this.contents =
            value === undefined ? null : this.createNode(value, _replacer, options);
    }
    /**
     * Create a deep copy of this Document and its contents.
     *
     * Custom Node values that inherit from `Object` still refer to their original instances.
     */
    clone() {
        const copy = Object.create(Document.prototype, {
            [identity.NODE_TYPE]: { value: identity.DOC }
        });
        copy.commentBefore = this.commentBefore;
        copy.comment = this.comment;
        copy.errors = this.errors.slice();
        copy.warnings = this.warnings.slice();
        copy.options = Object.assign({}, this.options);
        if (this.directives)
            copy.directives = this.directives.clone();
        copy.schema = this.schema.clone();
        // @ts-expect-error We can't really know that this matches Contents.
        copy.contents = identity.isNode(this.contents)
            ? this.contents.clone(copy.schema)
            : this.contents;
        if (this.range)
            copy.range = this.range.slice();
        return copy;
    }
    /** Adds a value to the document. */
    add(value) {
        if (assertCollection(this.contents))
            this.contents.add(value);
    }
    /** Adds a value to the document. */
    addIn(path, value) {
        if (assertCollection(this.contents))
            this.contents.addIn(path, value);
    }
    /**
     * Create a new `Alias` node, ensuring that the target `node` has the required anchor.
     *
     * If `node` already has an anchor, `name` is ignored.
     * Otherwise, the `node.anchor` value will be set to `name`,
     * or if an anchor with that name is already present in the document,
     * `name` will be used as a prefix for a new unique anchor.
     * If `name` is undefined, the generated anchor will use 'a' as a prefix.
     */
    createAlias(node, name) {
        if (!node.anchor) {
            const prev = anchors.anchorNames(this);
            node.anchor =
                // eslint-disable-next-line @typescript-eslint/prefer-nullish-coalescing
                !name || prev.has(name) ? anchors.findNewAnchor(name || 'a', prev) : name;
        }
        return new Alias.Alias(node.anchor);
    }
    createNode(value, replacer, options) {
        let _replacer = undefined;
        if (typeof replacer === 'function') {
            value = replacer.call({ '': value }, '', value);
            _replacer = replacer;
        }
        else if (Array.isArray(replacer)) {
            const keyToStr = (v) => typeof v === 'number' || v instanceof String || v instanceof Number;
            const asStr = replacer.filter(keyToStr).map(String);
            if (asStr.length > 0)
                replacer = replacer.concat(asStr);
            _replacer = replacer;
        }
        else if (options === undefined && replacer) {
            options = replacer;
            replacer = undefined;
        }
        const { aliasDuplicateObjects, anchorPrefix, flow, keepUndefined, onTagObj, tag } = options ?? {};
        const { onAnchor, setAnchors, sourceObjects } = anchors.createNodeAnchors(this, 
        // eslint-disable-next-line @typescript-eslint/prefer-nullish-coalescing
        anchorPrefix || 'a');
        const ctx = {
            aliasDuplicateObjects: aliasDuplicateObjects ?? true,
            keepUndefined: keepUndefined ?? false,
            onAnchor,
            onTagObj,
            replacer: _replacer,
            schema: this.schema,
            sourceObjects
        };
        const node = createNode.createNode(value, tag, ctx);
        if (flow && identity.isCollection(node))
            node.flow = true;
        setAnchors();
        return node;
    }
    /**
     * Convert a key and a value into a `Pair` using the current schema,
     * recursively wrapping all values as `Scalar` or `Collection` nodes.
     */
    createPair(key, value, options = {}) {
        const k = this.createNode(key, null, options);
        const v = this.createNode(value, null, options);
        return new Pair.Pair(k, v);
    }
    /**
     * Removes a value from the document.
     * @returns `true` if the item was found and removed.
     */
    delete(key) {
        return assertCollection(this.contents) ? this.contents.delete(key) : false;
    }
    /**
     * Removes a value from the document.
     * @returns `true` if the item was found and removed.
     */
    deleteIn(path) {
        if (Collection.isEmptyPath(path)) {
            if (this.contents == null)
                return false;
            // @ts-expect-error Presumed impossible if Strict extends false
            this.contents = null;
            return true;
        }
        return assertCollection(this.contents)
            ? this.contents.deleteIn(path)
            : false;
    }
    /**
     * Returns item at `key`, or `undefined` if not found. By default unwraps
     * scalar values from their surrounding node; to disable set `keepScalar` to
     * `true` (collections are always returned intact).
     */
    get(key, keepScalar) {
        return identity.isCollection(this.contents)
            ? this.contents.get(key, keepScalar)
            : undefined;
    }
    /**
     * Returns item at `path`, or `undefined` if not found. By default unwraps
     * scalar values from their surrounding node; to disable set `keepScalar` to
     * `true` (collections are always returned intact).
     */
    getIn(path, keepScalar) {
        if (Collection.isEmptyPath(path))
            return !keepScalar && identity.isScalar(this.contents)
                ? this.contents.value
                : this.contents;
        return identity.isCollection(this.contents)
            ? this.contents.getIn(path, keepScalar)
            : undefined;
    }
    /**
     * Checks if the document includes a value with the key `key`.
     */
    has(key) {
        return identity.isCollection(this.contents) ? this.contents.has(key) : false;
    }
    /**
     * Checks if the document includes a value at `path`.
     */
    hasIn(path) {
        if (Collection.isEmptyPath(path))
            return this.contents !== undefined;
        return identity.isCollection(this.contents) ? this.contents.hasIn(path) : false;
    }
    /**
     * Sets a value in this document. For `!!set`, `value` needs to be a
     * boolean to add/remove the item from the set.
     */
    set(key, value) {
        if (this.contents == null) {
            // @ts-expect-error We can't really know that this matches Contents.
            this.contents = Collection.collectionFromPath(this.schema, [key], value);
        }
        else if (assertCollection(this.contents)) {
            this.contents.set(key, value);
        }
    }
    /**
     * Sets a value in this document. For `!!set`, `value` needs to be a
     * boolean to add/remove the item from the set.
     */
    setIn(path, value) {
        if (Collection.isEmptyPath(path)) {
            // @ts-expect-error We can't really know that this matches Contents.
            this.contents = value;
        }
        else if (this.contents == null) {
            // @ts-expect-error We can't really know that this matches Contents.
            this.contents = Collection.collectionFromPath(this.schema, Array.from(path), value);
        }
        else if (assertCollection(this.contents)) {
            this.contents.setIn(path, value);
        }
    }
    /**
     * Change the YAML version and schema used by the document.
     * A `null` version disables support for directives, explicit tags, anchors, and aliases.
     * It also requires the `schema` option to be given as a `Schema` instance value.
     *
     * Overrides all previously set schema options.
     */
    setSchema(version, options = {}) {
        if (typeof version === 'number')
            version = String(version);
        let opt;
        switch (version) {
            case '1.1':
                if (this.directives)
                    this.directives.yaml.version = '1.1';
                else
                    this.directives = new directives.Directives({ version: '1.1' });
                opt = { resolveKnownTags: false, schema: 'yaml-1.1' };
                break;
            case '1.2':
            case 'next':
                if (this.directives)
                    this.directives.yaml.version = version;
                else
                    this.directives = new directives.Directives({ version });
                opt = { resolveKnownTags: true, schema: 'core' };
                break;
            case null:
                if (this.directives)
                    delete this.directives;
                opt = null;
                break;
            default: {
                const sv = JSON.stringify(version);
                throw new Error(`Expected '1.1', '1.2' or null as first argument, but found: ${sv}`);
            }
        }
        // Not using `instanceof Schema` to allow for duck typing
        if (options.schema instanceof Object)
            this.schema = options.schema;
        else if (opt)
            this.schema = new Schema.Schema(Object.assign(opt, options));
        else
            throw new Error(`With a null YAML version, the { schema: Schema } option is required`);
    }
    // json & jsonArg are only used from toJSON()
    toJS({ json, jsonArg, mapAsMap, maxAliasCount, onAnchor, reviver } = {}) {
        const ctx = {
            anchors: new Map(),
            doc: this,
            keep: !json,
            mapAsMap: mapAsMap === true,
            mapKeyWarned: false,
            maxAliasCount: typeof maxAliasCount === 'number' ? maxAliasCount : 100
        };
        const res = toJS.toJS(this.contents, jsonArg ?? '', ctx);
        if (typeof onAnchor === 'function')
            for (const { count, res } of ctx.anchors.values())
                onAnchor(res, count);
        return typeof reviver === 'function'
            ? applyReviver.applyReviver(reviver, { '': res }, '', res)
            : res;
    }
    /**
     * A JSON representation of the document `contents`.
     *
     * @param jsonArg Used by `JSON.stringify` to indicate the array index or
     *   property name.
     */
    toJSON(jsonArg, onAnchor) {
        return this.toJS({ json: true, jsonArg, mapAsMap: false, onAnchor });
    }
    /** A YAML representation of the document. */
    toString(options = {}) {
        if (this.errors.length > 0)
            throw new Error('Document with errors cannot be stringified');
        if ('indent' in options &&
            (!Number.isInteger(options.indent) || Number(options.indent) <= 0)) {
            const s = JSON.stringify(options.indent);
            throw new Error(`"indent" option must be a positive integer, not ${s}`);
        }
        return stringifyDocument.stringifyDocument(this, options);
    }
}
function assertCollection(contents) {
    if (identity.isCollection(contents))
        return true;
    throw new Error('Expected a YAML collection as document contents');
}

exports.Document = Document;


/***/ }),

/***/ 1596:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var visit = __nccwpck_require__(204);

/**
 * Verify that the input string is a valid anchor.
 *
 * Will throw on errors.
 */
function anchorIsValid(anchor) {
    if (/[\x00-\x19\s,[\]{}]/.test(anchor)) {
        const sa = JSON.stringify(anchor);
        const msg = `Anchor must not contain whitespace or control characters: ${sa}`;
        throw new Error(msg);
    }
    return true;
}
function anchorNames(root) {
    const anchors = new Set();
    visit.visit(root, {
        Value(_key, node) {
            if (node.anchor)
                anchors.add(node.anchor);
        }
    });
    return anchors;
}
/** Find a new anchor name with the given `prefix` and a one-indexed suffix. */
function findNewAnchor(prefix, exclude) {
    for (let i = 1; true; ++i) {
        const name = `${prefix}${i}`;
        if (!exclude.has(name))
            return name;
    }
}
function createNodeAnchors(doc, prefix) {
    const aliasObjects = [];
    const sourceObjects = new Map();
    let prevAnchors = null;
    return {
        onAnchor: (source) => {
            aliasObjects.push(source);
            prevAnchors ?? (prevAnchors = anchorNames(doc));
            const anchor = findNewAnchor(prefix, prevAnchors);
            prevAnchors.add(anchor);
            return anchor;
        },
        /**
         * With circular references, the source node is only resolved after all
         * of its child nodes are. This is why anchors are set only after all of
         * the nodes have been created.
         */
        setAnchors: () => {
            for (const source of aliasObjects) {
                const ref = sourceObjects.get(source);
                if (typeof ref === 'object' &&
                    ref.anchor &&
                    (identity.isScalar(ref.node) || identity.isCollection(ref.node))) {
                    ref.node.anchor = ref.anchor;
                }
                else {
                    const error = new Error('Failed to resolve repeated object (this should not happen)');
                    error.source = source;
                    throw error;
                }
            }
        },
        sourceObjects
    };
}

exports.anchorIsValid = anchorIsValid;
exports.anchorNames = anchorNames;
exports.createNodeAnchors = createNodeAnchors;
exports.findNewAnchor = findNewAnchor;


/***/ }),

/***/ 3661:
/***/ ((__unused_webpack_module, exports) => {



/**
 * Applies the JSON.parse reviver algorithm as defined in the ECMA-262 spec,
 * in section 24.5.1.1 "Runtime Semantics: InternalizeJSONProperty" of the
 * 2021 edition: https://tc39.es/ecma262/#sec-json.parse
 *
 * Includes extensions for handling Map and Set objects.
 */
function applyReviver(reviver, obj, key, val) {
    if (val && typeof val === 'object') {
        if (Array.isArray(val)) {
            for (let i = 0, len = val.length; i < len; ++i) {
                const v0 = val[i];
                const v1 = applyReviver(reviver, val, String(i), v0);
                // eslint-disable-next-line @typescript-eslint/no-array-delete
                if (v1 === undefined)
                    delete val[i];
                else if (v1 !== v0)
                    val[i] = v1;
            }
        }
        else if (val instanceof Map) {
            for (const k of Array.from(val.keys())) {
                const v0 = val.get(k);
                const v1 = applyReviver(reviver, val, k, v0);
                if (v1 === undefined)
                    val.delete(k);
                else if (v1 !== v0)
                    val.set(k, v1);
            }
        }
        else if (val instanceof Set) {
            for (const v0 of Array.from(val)) {
                const v1 = applyReviver(reviver, val, v0, v0);
                if (v1 === undefined)
                    val.delete(v0);
                else if (v1 !== v0) {
                    val.delete(v0);
                    val.add(v1);
                }
            }
        }
        else {
            for (const [k, v0] of Object.entries(val)) {
                const v1 = applyReviver(reviver, val, k, v0);
                if (v1 === undefined)
                    delete val[k];
                else if (v1 !== v0)
                    val[k] = v1;
            }
        }
    }
    return reviver.call(obj, key, val);
}

exports.applyReviver = applyReviver;


/***/ }),

/***/ 2404:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Alias = __nccwpck_require__(4065);
var identity = __nccwpck_require__(1127);
var Scalar = __nccwpck_require__(3301);

const defaultTagPrefix = 'tag:yaml.org,2002:';
function findTagObject(value, tagName, tags) {
    if (tagName) {
        const match = tags.filter(t => t.tag === tagName);
        const tagObj = match.find(t => !t.format) ?? match[0];
        if (!tagObj)
            throw new Error(`Tag ${tagName} not found`);
        return tagObj;
    }
    return tags.find(t => t.identify?.(value) && !t.format);
}
function createNode(value, tagName, ctx) {
    if (identity.isDocument(value))
        value = value.contents;
    if (identity.isNode(value))
        return value;
    if (identity.isPair(value)) {
        const map = ctx.schema[identity.MAP].createNode?.(ctx.schema, null, ctx);
        map.items.push(value);
        return map;
    }
    if (value instanceof String ||
        value instanceof Number ||
        value instanceof Boolean ||
        (typeof BigInt !== 'undefined' && value instanceof BigInt) // not supported everywhere
    ) {
        // https://tc39.es/ecma262/#sec-serializejsonproperty
        value = value.valueOf();
    }
    const { aliasDuplicateObjects, onAnchor, onTagObj, schema, sourceObjects } = ctx;
    // Detect duplicate references to the same object & use Alias nodes for all
    // after first. The `ref` wrapper allows for circular references to resolve.
    let ref = undefined;
    if (aliasDuplicateObjects && value && typeof value === 'object') {
        ref = sourceObjects.get(value);
        if (ref) {
            ref.anchor ?? (ref.anchor = onAnchor(value));
            return new Alias.Alias(ref.anchor);
        }
        else {
            ref = { anchor: null, node: null };
            sourceObjects.set(value, ref);
        }
    }
    if (tagName?.startsWith('!!'))
        tagName = defaultTagPrefix + tagName.slice(2);
    let tagObj = findTagObject(value, tagName, schema.tags);
    if (!tagObj) {
        if (value && typeof value.toJSON === 'function') {
            // eslint-disable-next-line @typescript-eslint/no-unsafe-call
            value = value.toJSON();
        }
        if (!value || typeof value !== 'object') {
            const node = new Scalar.Scalar(value);
            if (ref)
                ref.node = node;
            return node;
        }
        tagObj =
            value instanceof Map
                ? schema[identity.MAP]
                : Symbol.iterator in Object(value)
                    ? schema[identity.SEQ]
                    : schema[identity.MAP];
    }
    if (onTagObj) {
        onTagObj(tagObj);
        delete ctx.onTagObj;
    }
    const node = tagObj?.createNode
        ? tagObj.createNode(ctx.schema, value, ctx)
        : typeof tagObj?.nodeClass?.from === 'function'
            ? tagObj.nodeClass.from(ctx.schema, value, ctx)
            : new Scalar.Scalar(value);
    if (tagName)
        node.tag = tagName;
    else if (!tagObj.default)
        node.tag = tagObj.tag;
    if (ref)
        ref.node = node;
    return node;
}

exports.createNode = createNode;


/***/ }),

/***/ 1342:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var visit = __nccwpck_require__(204);

const escapeChars = {
    '!': '%21',
    ',': '%2C',
    '[': '%5B',
    ']': '%5D',
    '{': '%7B',
    '}': '%7D'
};
const escapeTagName = (tn) => tn.replace(/[!,[\]{}]/g, ch => escapeChars[ch]);
class Directives {
    constructor(yaml, tags) {
        /**
         * The directives-end/doc-start marker `---`. If `null`, a marker may still be
         * included in the document's stringified representation.
         */
        this.docStart = null;
        /** The doc-end marker `...`.  */
        this.docEnd = false;
        this.yaml = Object.assign({}, Directives.defaultYaml, yaml);
        this.tags = Object.assign({}, Directives.defaultTags, tags);
    }
    clone() {
        const copy = new Directives(this.yaml, this.tags);
        copy.docStart = this.docStart;
        return copy;
    }
    /**
     * During parsing, get a Directives instance for the current document and
     * update the stream state according to the current version's spec.
     */
    atDocument() {
        const res = new Directives(this.yaml, this.tags);
        switch (this.yaml.version) {
            case '1.1':
                this.atNextDocument = true;
                break;
            case '1.2':
                this.atNextDocument = false;
                this.yaml = {
                    explicit: Directives.defaultYaml.explicit,
                    version: '1.2'
                };
                this.tags = Object.assign({}, Directives.defaultTags);
                break;
        }
        return res;
    }
    /**
     * @param onError - May be called even if the action was successful
     * @returns `true` on success
     */
    add(line, onError) {
        if (this.atNextDocument) {
            this.yaml = { explicit: Directives.defaultYaml.explicit, version: '1.1' };
            this.tags = Object.assign({}, Directives.defaultTags);
            this.atNextDocument = false;
        }
        const parts = line.trim().split(/[ \t]+/);
        const name = parts.shift();
        switch (name) {
            case '%TAG': {
                if (parts.length !== 2) {
                    onError(0, '%TAG directive should contain exactly two parts');
                    if (parts.length < 2)
                        return false;
                }
                const [handle, prefix] = parts;
                this.tags[handle] = prefix;
                return true;
            }
            case '%YAML': {
                this.yaml.explicit = true;
                if (parts.length !== 1) {
                    onError(0, '%YAML directive should contain exactly one part');
                    return false;
                }
                const [version] = parts;
                if (version === '1.1' || version === '1.2') {
                    this.yaml.version = version;
                    return true;
                }
                else {
                    const isValid = /^\d+\.\d+$/.test(version);
                    onError(6, `Unsupported YAML version ${version}`, isValid);
                    return false;
                }
            }
            default:
                onError(0, `Unknown directive ${name}`, true);
                return false;
        }
    }
    /**
     * Resolves a tag, matching handles to those defined in %TAG directives.
     *
     * @returns Resolved tag, which may also be the non-specific tag `'!'` or a
     *   `'!local'` tag, or `null` if unresolvable.
     */
    tagName(source, onError) {
        if (source === '!')
            return '!'; // non-specific tag
        if (source[0] !== '!') {
            onError(`Not a valid tag: ${source}`);
            return null;
        }
        if (source[1] === '<') {
            const verbatim = source.slice(2, -1);
            if (verbatim === '!' || verbatim === '!!') {
                onError(`Verbatim tags aren't resolved, so ${source} is invalid.`);
                return null;
            }
            if (source[source.length - 1] !== '>')
                onError('Verbatim tags must end with a >');
            return verbatim;
        }
        const [, handle, suffix] = source.match(/^(.*!)([^!]*)$/s);
        if (!suffix)
            onError(`The ${source} tag has no suffix`);
        const prefix = this.tags[handle];
        if (prefix) {
            try {
                return prefix + decodeURIComponent(suffix);
            }
            catch (error) {
                onError(String(error));
                return null;
            }
        }
        if (handle === '!')
            return source; // local tag
        onError(`Could not resolve tag: ${source}`);
        return null;
    }
    /**
     * Given a fully resolved tag, returns its printable string form,
     * taking into account current tag prefixes and defaults.
     */
    tagString(tag) {
        for (const [handle, prefix] of Object.entries(this.tags)) {
            if (tag.startsWith(prefix))
                return handle + escapeTagName(tag.substring(prefix.length));
        }
        return tag[0] === '!' ? tag : `!<${tag}>`;
    }
    toString(doc) {
        const lines = this.yaml.explicit
            ? [`%YAML ${this.yaml.version || '1.2'}`]
            : [];
        const tagEntries = Object.entries(this.tags);
        let tagNames;
        if (doc && tagEntries.length > 0 && identity.isNode(doc.contents)) {
            const tags = {};
            visit.visit(doc.contents, (_key, node) => {
                if (identity.isNode(node) && node.tag)
                    tags[node.tag] = true;
            });
            tagNames = Object.keys(tags);
        }
        else
            tagNames = [];
        for (const [handle, prefix] of tagEntries) {
            if (handle === '!!' && prefix === 'tag:yaml.org,2002:')
                continue;
            if (!doc || tagNames.some(tn => tn.startsWith(prefix)))
                lines.push(`%TAG ${handle} ${prefix}`);
        }
        return lines.join('\n');
    }
}
Directives.defaultYaml = { explicit: false, version: '1.2' };
Directives.defaultTags = { '!!': 'tag:yaml.org,2002:' };

exports.Directives = Directives;


/***/ }),

/***/ 1464:
/***/ ((__unused_webpack_module, exports) => {



class YAMLError extends Error {
    constructor(name, pos, code, message) {
        super();
        this.name = name;
        this.code = code;
        this.message = message;
        this.pos = pos;
    }
}
class YAMLParseError extends YAMLError {
    constructor(pos, code, message) {
        super('YAMLParseError', pos, code, message);
    }
}
class YAMLWarning extends YAMLError {
    constructor(pos, code, message) {
        super('YAMLWarning', pos, code, message);
    }
}
const prettifyError = (src, lc) => (error) => {
    if (error.pos[0] === -1)
        return;
    error.linePos = error.pos.map(pos => lc.linePos(pos));
    const { line, col } = error.linePos[0];
    error.message += ` at line ${line}, column ${col}`;
    let ci = col - 1;
    let lineStr = src
        .substring(lc.lineStarts[line - 1], lc.lineStarts[line])
        .replace(/[\n\r]+$/, '');
    // Trim to max 80 chars, keeping col position near the middle
    if (ci >= 60 && lineStr.length > 80) {
        const trimStart = Math.min(ci - 39, lineStr.length - 79);
        lineStr = '…' + lineStr.substring(trimStart);
        ci -= trimStart - 1;
    }
    if (lineStr.length > 80)
        lineStr = lineStr.substring(0, 79) + '…';
    // Include previous line in context if pointing at line start
    if (line > 1 && /^ *$/.test(lineStr.substring(0, ci))) {
        // Regexp won't match if start is trimmed
        let prev = src.substring(lc.lineStarts[line - 2], lc.lineStarts[line - 1]);
        if (prev.length > 80)
            prev = prev.substring(0, 79) + '…\n';
        lineStr = prev + lineStr;
    }
    if (/[^ ]/.test(lineStr)) {
        let count = 1;
        const end = error.linePos[1];
        if (end?.line === line && end.col > col) {
            count = Math.max(1, Math.min(end.col - col, 80 - ci));
        }
        const pointer = ' '.repeat(ci) + '^'.repeat(count);
        error.message += `:\n\n${lineStr}\n${pointer}\n`;
    }
};

exports.YAMLError = YAMLError;
exports.YAMLParseError = YAMLParseError;
exports.YAMLWarning = YAMLWarning;
exports.prettifyError = prettifyError;


/***/ }),

/***/ 8815:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {

var __webpack_unused_export__;


var composer = __nccwpck_require__(9984);
var Document = __nccwpck_require__(3021);
var Schema = __nccwpck_require__(5840);
var errors = __nccwpck_require__(1464);
var Alias = __nccwpck_require__(4065);
var identity = __nccwpck_require__(1127);
var Pair = __nccwpck_require__(7165);
var Scalar = __nccwpck_require__(3301);
var YAMLMap = __nccwpck_require__(4454);
var YAMLSeq = __nccwpck_require__(2223);
var cst = __nccwpck_require__(3461);
var lexer = __nccwpck_require__(361);
var lineCounter = __nccwpck_require__(6628);
var parser = __nccwpck_require__(3456);
var publicApi = __nccwpck_require__(4047);
var visit = __nccwpck_require__(204);



__webpack_unused_export__ = composer.Composer;
__webpack_unused_export__ = Document.Document;
__webpack_unused_export__ = Schema.Schema;
__webpack_unused_export__ = errors.YAMLError;
__webpack_unused_export__ = errors.YAMLParseError;
__webpack_unused_export__ = errors.YAMLWarning;
__webpack_unused_export__ = Alias.Alias;
__webpack_unused_export__ = identity.isAlias;
__webpack_unused_export__ = identity.isCollection;
__webpack_unused_export__ = identity.isDocument;
__webpack_unused_export__ = identity.isMap;
__webpack_unused_export__ = identity.isNode;
__webpack_unused_export__ = identity.isPair;
__webpack_unused_export__ = identity.isScalar;
__webpack_unused_export__ = identity.isSeq;
__webpack_unused_export__ = Pair.Pair;
__webpack_unused_export__ = Scalar.Scalar;
__webpack_unused_export__ = YAMLMap.YAMLMap;
__webpack_unused_export__ = YAMLSeq.YAMLSeq;
__webpack_unused_export__ = cst;
__webpack_unused_export__ = lexer.Lexer;
__webpack_unused_export__ = lineCounter.LineCounter;
__webpack_unused_export__ = parser.Parser;
exports.parse = publicApi.parse;
__webpack_unused_export__ = publicApi.parseAllDocuments;
__webpack_unused_export__ = publicApi.parseDocument;
__webpack_unused_export__ = publicApi.stringify;
__webpack_unused_export__ = visit.visit;
__webpack_unused_export__ = visit.visitAsync;


/***/ }),

/***/ 7249:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var node_process = __nccwpck_require__(932);

function debug(logLevel, ...messages) {
    if (logLevel === 'debug')
        console.log(...messages);
}
function warn(logLevel, warning) {
    if (logLevel === 'debug' || logLevel === 'warn') {
        if (typeof node_process.emitWarning === 'function')
            node_process.emitWarning(warning);
        else
            console.warn(warning);
    }
}

exports.debug = debug;
exports.warn = warn;


/***/ }),

/***/ 4065:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var anchors = __nccwpck_require__(1596);
var visit = __nccwpck_require__(204);
var identity = __nccwpck_require__(1127);
var Node = __nccwpck_require__(6673);
var toJS = __nccwpck_require__(4043);

class Alias extends Node.NodeBase {
    constructor(source) {
        super(identity.ALIAS);
        this.source = source;
        Object.defineProperty(this, 'tag', {
            set() {
                throw new Error('Alias nodes cannot have tags');
            }
        });
    }
    /**
     * Resolve the value of this alias within `doc`, finding the last
     * instance of the `source` anchor before this node.
     */
    resolve(doc, ctx) {
        if (ctx?.maxAliasCount === 0)
            throw new ReferenceError('Alias resolution is disabled');
        let nodes;
        if (ctx?.aliasResolveCache) {
            nodes = ctx.aliasResolveCache;
        }
        else {
            nodes = [];
            visit.visit(doc, {
                Node: (_key, node) => {
                    if (identity.isAlias(node) || identity.hasAnchor(node))
                        nodes.push(node);
                }
            });
            if (ctx)
                ctx.aliasResolveCache = nodes;
        }
        let found = undefined;
        for (const node of nodes) {
            if (node === this)
                break;
            if (node.anchor === this.source)
                found = node;
        }
        if (found && ctx) {
            const { anchors, doc, maxAliasCount } = ctx;
            let data = anchors.get(found);
            if (!data) {
                // Resolve anchors for Node.prototype.toJS()
                toJS.toJS(found, null, ctx);
                data = anchors.get(found);
            }
            /* istanbul ignore if */
            if (data?.res === undefined) {
                const msg = 'This should not happen: Alias anchor was not resolved?';
                throw new ReferenceError(msg);
            }
            if (maxAliasCount >= 0) {
                data.count += 1;
                if (data.aliasCount === 0)
                    data.aliasCount = getAliasCount(doc, found, anchors);
                if (data.count * data.aliasCount > maxAliasCount) {
                    const msg = 'Excessive alias count indicates a resource exhaustion attack';
                    throw new ReferenceError(msg);
                }
            }
        }
        return found;
    }
    toJSON(_arg, ctx) {
        if (!ctx)
            return { source: this.source };
        const source = this.resolve(ctx.doc, ctx);
        if (!source) {
            const msg = `Unresolved alias (the anchor must be set before the alias): ${this.source}`;
            throw new ReferenceError(msg);
        }
        return ctx.anchors.get(source).res;
    }
    toString(ctx, _onComment, _onChompKeep) {
        const src = `*${this.source}`;
        if (ctx) {
            anchors.anchorIsValid(this.source);
            if (ctx.options.verifyAliasOrder && !ctx.anchors.has(this.source)) {
                const msg = `Unresolved alias (the anchor must be set before the alias): ${this.source}`;
                throw new Error(msg);
            }
            if (ctx.implicitKey)
                return `${src} `;
        }
        return src;
    }
}
function getAliasCount(doc, node, anchors) {
    if (identity.isAlias(node)) {
        const source = node.resolve(doc);
        const anchor = anchors && source && anchors.get(source);
        return anchor ? anchor.count * anchor.aliasCount : 0;
    }
    else if (identity.isCollection(node)) {
        let count = 0;
        for (const item of node.items) {
            const c = getAliasCount(doc, item, anchors);
            if (c > count)
                count = c;
        }
        return count;
    }
    else if (identity.isPair(node)) {
        const kc = getAliasCount(doc, node.key, anchors);
        const vc = getAliasCount(doc, node.value, anchors);
        return Math.max(kc, vc);
    }
    return 1;
}

exports.Alias = Alias;


/***/ }),

/***/ 101:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var createNode = __nccwpck_require__(2404);
var identity = __nccwpck_require__(1127);
var Node = __nccwpck_require__(6673);

function collectionFromPath(schema, path, value) {
    let v = value;
    for (let i = path.length - 1; i >= 0; --i) {
        const k = path[i];
        if (typeof k === 'number' && Number.isInteger(k) && k >= 0) {
            const a = [];
            a[k] = v;
            v = a;
        }
        else {
            v = new Map([[k, v]]);
        }
    }
    return createNode.createNode(v, undefined, {
        aliasDuplicateObjects: false,
        keepUndefined: false,
        onAnchor: () => {
            throw new Error('This should not happen, please report a bug.');
        },
        schema,
        sourceObjects: new Map()
    });
}
// Type guard is intentionally a little wrong so as to be more useful,
// as it does not cover untypable empty non-string iterables (e.g. []).
const isEmptyPath = (path) => path == null ||
    (typeof path === 'object' && !!path[Symbol.iterator]().next().done);
class Collection extends Node.NodeBase {
    constructor(type, schema) {
        super(type);
        Object.defineProperty(this, 'schema', {
            value: schema,
            configurable: true,
            enumerable: false,
            writable: true
        });
    }
    /**
     * Create a copy of this collection.
     *
     * @param schema - If defined, overwrites the original's schema
     */
    clone(schema) {
        const copy = Object.create(Object.getPrototypeOf(this), Object.getOwnPropertyDescriptors(this));
        if (schema)
            copy.schema = schema;
        copy.items = copy.items.map(it => identity.isNode(it) || identity.isPair(it) ? it.clone(schema) : it);
        if (this.range)
            copy.range = this.range.slice();
        return copy;
    }
    /**
     * Adds a value to the collection. For `!!map` and `!!omap` the value must
     * be a Pair instance or a `{ key, value }` object, which may not have a key
     * that already exists in the map.
     */
    addIn(path, value) {
        if (isEmptyPath(path))
            this.add(value);
        else {
            const [key, ...rest] = path;
            const node = this.get(key, true);
            if (identity.isCollection(node))
                node.addIn(rest, value);
            else if (node === undefined && this.schema)
                this.set(key, collectionFromPath(this.schema, rest, value));
            else
                throw new Error(`Expected YAML collection at ${key}. Remaining path: ${rest}`);
        }
    }
    /**
     * Removes a value from the collection.
     * @returns `true` if the item was found and removed.
     */
    deleteIn(path) {
        const [key, ...rest] = path;
        if (rest.length === 0)
            return this.delete(key);
        const node = this.get(key, true);
        if (identity.isCollection(node))
            return node.deleteIn(rest);
        else
            throw new Error(`Expected YAML collection at ${key}. Remaining path: ${rest}`);
    }
    /**
     * Returns item at `key`, or `undefined` if not found. By default unwraps
     * scalar values from their surrounding node; to disable set `keepScalar` to
     * `true` (collections are always returned intact).
     */
    getIn(path, keepScalar) {
        const [key, ...rest] = path;
        const node = this.get(key, true);
        if (rest.length === 0)
            return !keepScalar && identity.isScalar(node) ? node.value : node;
        else
            return identity.isCollection(node) ? node.getIn(rest, keepScalar) : undefined;
    }
    hasAllNullValues(allowScalar) {
        return this.items.every(node => {
            if (!identity.isPair(node))
                return false;
            const n = node.value;
            return (n == null ||
                (allowScalar &&
                    identity.isScalar(n) &&
                    n.value == null &&
                    !n.commentBefore &&
                    !n.comment &&
                    !n.tag));
        });
    }
    /**
     * Checks if the collection includes a value with the key `key`.
     */
    hasIn(path) {
        const [key, ...rest] = path;
        if (rest.length === 0)
            return this.has(key);
        const node = this.get(key, true);
        return identity.isCollection(node) ? node.hasIn(rest) : false;
    }
    /**
     * Sets a value in this collection. For `!!set`, `value` needs to be a
     * boolean to add/remove the item from the set.
     */
    setIn(path, value) {
        const [key, ...rest] = path;
        if (rest.length === 0) {
            this.set(key, value);
        }
        else {
            const node = this.get(key, true);
            if (identity.isCollection(node))
                node.setIn(rest, value);
            else if (node === undefined && this.schema)
                this.set(key, collectionFromPath(this.schema, rest, value));
            else
                throw new Error(`Expected YAML collection at ${key}. Remaining path: ${rest}`);
        }
    }
}

exports.Collection = Collection;
exports.collectionFromPath = collectionFromPath;
exports.isEmptyPath = isEmptyPath;


/***/ }),

/***/ 6673:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var applyReviver = __nccwpck_require__(3661);
var identity = __nccwpck_require__(1127);
var toJS = __nccwpck_require__(4043);

class NodeBase {
    constructor(type) {
        Object.defineProperty(this, identity.NODE_TYPE, { value: type });
    }
    /** Create a copy of this node.  */
    clone() {
        const copy = Object.create(Object.getPrototypeOf(this), Object.getOwnPropertyDescriptors(this));
        if (this.range)
            copy.range = this.range.slice();
        return copy;
    }
    /** A plain JavaScript representation of this node. */
    toJS(doc, { mapAsMap, maxAliasCount, onAnchor, reviver } = {}) {
        if (!identity.isDocument(doc))
            throw new TypeError('A document argument is required');
        const ctx = {
            anchors: new Map(),
            doc,
            keep: true,
            mapAsMap: mapAsMap === true,
            mapKeyWarned: false,
            maxAliasCount: typeof maxAliasCount === 'number' ? maxAliasCount : 100
        };
        const res = toJS.toJS(this, '', ctx);
        if (typeof onAnchor === 'function')
            for (const { count, res } of ctx.anchors.values())
                onAnchor(res, count);
        return typeof reviver === 'function'
            ? applyReviver.applyReviver(reviver, { '': res }, '', res)
            : res;
    }
}

exports.NodeBase = NodeBase;


/***/ }),

/***/ 7165:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var createNode = __nccwpck_require__(2404);
var stringifyPair = __nccwpck_require__(9748);
var addPairToJSMap = __nccwpck_require__(7104);
var identity = __nccwpck_require__(1127);

function createPair(key, value, ctx) {
    const k = createNode.createNode(key, undefined, ctx);
    const v = createNode.createNode(value, undefined, ctx);
    return new Pair(k, v);
}
class Pair {
    constructor(key, value = null) {
        Object.defineProperty(this, identity.NODE_TYPE, { value: identity.PAIR });
        this.key = key;
        this.value = value;
    }
    clone(schema) {
        let { key, value } = this;
        if (identity.isNode(key))
            key = key.clone(schema);
        if (identity.isNode(value))
            value = value.clone(schema);
        return new Pair(key, value);
    }
    toJSON(_, ctx) {
        const pair = ctx?.mapAsMap ? new Map() : {};
        return addPairToJSMap.addPairToJSMap(ctx, pair, this);
    }
    toString(ctx, onComment, onChompKeep) {
        return ctx?.doc
            ? stringifyPair.stringifyPair(this, ctx, onComment, onChompKeep)
            : JSON.stringify(this);
    }
}

exports.Pair = Pair;
exports.createPair = createPair;


/***/ }),

/***/ 3301:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var Node = __nccwpck_require__(6673);
var toJS = __nccwpck_require__(4043);

const isScalarValue = (value) => !value || (typeof value !== 'function' && typeof value !== 'object');
class Scalar extends Node.NodeBase {
    constructor(value) {
        super(identity.SCALAR);
        this.value = value;
    }
    toJSON(arg, ctx) {
        return ctx?.keep ? this.value : toJS.toJS(this.value, arg, ctx);
    }
    toString() {
        return String(this.value);
    }
}
Scalar.BLOCK_FOLDED = 'BLOCK_FOLDED';
Scalar.BLOCK_LITERAL = 'BLOCK_LITERAL';
Scalar.PLAIN = 'PLAIN';
Scalar.QUOTE_DOUBLE = 'QUOTE_DOUBLE';
Scalar.QUOTE_SINGLE = 'QUOTE_SINGLE';

exports.Scalar = Scalar;
exports.isScalarValue = isScalarValue;


/***/ }),

/***/ 4454:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var stringifyCollection = __nccwpck_require__(1212);
var addPairToJSMap = __nccwpck_require__(7104);
var Collection = __nccwpck_require__(101);
var identity = __nccwpck_require__(1127);
var Pair = __nccwpck_require__(7165);
var Scalar = __nccwpck_require__(3301);

function findPair(items, key) {
    const k = identity.isScalar(key) ? key.value : key;
    for (const it of items) {
        if (identity.isPair(it)) {
            if (it.key === key || it.key === k)
                return it;
            if (identity.isScalar(it.key) && it.key.value === k)
                return it;
        }
    }
    return undefined;
}
class YAMLMap extends Collection.Collection {
    static get tagName() {
        return 'tag:yaml.org,2002:map';
    }
    constructor(schema) {
        super(identity.MAP, schema);
        this.items = [];
    }
    /**
     * A generic collection parsing method that can be extended
     * to other node classes that inherit from YAMLMap
     */
    static from(schema, obj, ctx) {
        const { keepUndefined, replacer } = ctx;
        const map = new this(schema);
        const add = (key, value) => {
            if (typeof replacer === 'function')
                value = replacer.call(obj, key, value);
            else if (Array.isArray(replacer) && !replacer.includes(key))
                return;
            if (value !== undefined || keepUndefined)
                map.items.push(Pair.createPair(key, value, ctx));
        };
        if (obj instanceof Map) {
            for (const [key, value] of obj)
                add(key, value);
        }
        else if (obj && typeof obj === 'object') {
            for (const key of Object.keys(obj))
                add(key, obj[key]);
        }
        if (typeof schema.sortMapEntries === 'function') {
            map.items.sort(schema.sortMapEntries);
        }
        return map;
    }
    /**
     * Adds a value to the collection.
     *
     * @param overwrite - If not set `true`, using a key that is already in the
     *   collection will throw. Otherwise, overwrites the previous value.
     */
    add(pair, overwrite) {
        let _pair;
        if (identity.isPair(pair))
            _pair = pair;
        else if (!pair || typeof pair !== 'object' || !('key' in pair)) {
            // In TypeScript, this never happens.
            _pair = new Pair.Pair(pair, pair?.value);
        }
        else
            _pair = new Pair.Pair(pair.key, pair.value);
        const prev = findPair(this.items, _pair.key);
        const sortEntries = this.schema?.sortMapEntries;
        if (prev) {
            if (!overwrite)
                throw new Error(`Key ${_pair.key} already set`);
            // For scalars, keep the old node & its comments and anchors
            if (identity.isScalar(prev.value) && Scalar.isScalarValue(_pair.value))
                prev.value.value = _pair.value;
            else
                prev.value = _pair.value;
        }
        else if (sortEntries) {
            const i = this.items.findIndex(item => sortEntries(_pair, item) < 0);
            if (i === -1)
                this.items.push(_pair);
            else
                this.items.splice(i, 0, _pair);
        }
        else {
            this.items.push(_pair);
        }
    }
    delete(key) {
        const it = findPair(this.items, key);
        if (!it)
            return false;
        const del = this.items.splice(this.items.indexOf(it), 1);
        return del.length > 0;
    }
    get(key, keepScalar) {
        const it = findPair(this.items, key);
        const node = it?.value;
        return (!keepScalar && identity.isScalar(node) ? node.value : node) ?? undefined;
    }
    has(key) {
        return !!findPair(this.items, key);
    }
    set(key, value) {
        this.add(new Pair.Pair(key, value), true);
    }
    /**
     * @param ctx - Conversion context, originally set in Document#toJS()
     * @param {Class} Type - If set, forces the returned collection type
     * @returns Instance of Type, Map, or Object
     */
    toJSON(_, ctx, Type) {
        const map = Type ? new Type() : ctx?.mapAsMap ? new Map() : {};
        if (ctx?.onCreate)
            ctx.onCreate(map);
        for (const item of this.items)
            addPairToJSMap.addPairToJSMap(ctx, map, item);
        return map;
    }
    toString(ctx, onComment, onChompKeep) {
        if (!ctx)
            return JSON.stringify(this);
        for (const item of this.items) {
            if (!identity.isPair(item))
                throw new Error(`Map items must all be pairs; found ${JSON.stringify(item)} instead`);
        }
        if (!ctx.allNullValues && this.hasAllNullValues(false))
            ctx = Object.assign({}, ctx, { allNullValues: true });
        return stringifyCollection.stringifyCollection(this, ctx, {
            blockItemPrefix: '',
            flowChars: { start: '{', end: '}' },
            itemIndent: ctx.indent || '',
            onChompKeep,
            onComment
        });
    }
}

exports.YAMLMap = YAMLMap;
exports.findPair = findPair;


/***/ }),

/***/ 2223:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var createNode = __nccwpck_require__(2404);
var stringifyCollection = __nccwpck_require__(1212);
var Collection = __nccwpck_require__(101);
var identity = __nccwpck_require__(1127);
var Scalar = __nccwpck_require__(3301);
var toJS = __nccwpck_require__(4043);

class YAMLSeq extends Collection.Collection {
    static get tagName() {
        return 'tag:yaml.org,2002:seq';
    }
    constructor(schema) {
        super(identity.SEQ, schema);
        this.items = [];
    }
    add(value) {
        this.items.push(value);
    }
    /**
     * Removes a value from the collection.
     *
     * `key` must contain a representation of an integer for this to succeed.
     * It may be wrapped in a `Scalar`.
     *
     * @returns `true` if the item was found and removed.
     */
    delete(key) {
        const idx = asItemIndex(key);
        if (typeof idx !== 'number')
            return false;
        const del = this.items.splice(idx, 1);
        return del.length > 0;
    }
    get(key, keepScalar) {
        const idx = asItemIndex(key);
        if (typeof idx !== 'number')
            return undefined;
        const it = this.items[idx];
        return !keepScalar && identity.isScalar(it) ? it.value : it;
    }
    /**
     * Checks if the collection includes a value with the key `key`.
     *
     * `key` must contain a representation of an integer for this to succeed.
     * It may be wrapped in a `Scalar`.
     */
    has(key) {
        const idx = asItemIndex(key);
        return typeof idx === 'number' && idx < this.items.length;
    }
    /**
     * Sets a value in this collection. For `!!set`, `value` needs to be a
     * boolean to add/remove the item from the set.
     *
     * If `key` does not contain a representation of an integer, this will throw.
     * It may be wrapped in a `Scalar`.
     */
    set(key, value) {
        const idx = asItemIndex(key);
        if (typeof idx !== 'number')
            throw new Error(`Expected a valid index, not ${key}.`);
        const prev = this.items[idx];
        if (identity.isScalar(prev) && Scalar.isScalarValue(value))
            prev.value = value;
        else
            this.items[idx] = value;
    }
    toJSON(_, ctx) {
        const seq = [];
        if (ctx?.onCreate)
            ctx.onCreate(seq);
        let i = 0;
        for (const item of this.items)
            seq.push(toJS.toJS(item, String(i++), ctx));
        return seq;
    }
    toString(ctx, onComment, onChompKeep) {
        if (!ctx)
            return JSON.stringify(this);
        return stringifyCollection.stringifyCollection(this, ctx, {
            blockItemPrefix: '- ',
            flowChars: { start: '[', end: ']' },
            itemIndent: (ctx.indent || '') + '  ',
            onChompKeep,
            onComment
        });
    }
    static from(schema, obj, ctx) {
        const { replacer } = ctx;
        const seq = new this(schema);
        if (obj && Symbol.iterator in Object(obj)) {
            let i = 0;
            for (let it of obj) {
                if (typeof replacer === 'function') {
                    const key = obj instanceof Set ? it : String(i++);
                    it = replacer.call(obj, key, it);
                }
                seq.items.push(createNode.createNode(it, undefined, ctx));
            }
        }
        return seq;
    }
}
function asItemIndex(key) {
    let idx = identity.isScalar(key) ? key.value : key;
    if (idx && typeof idx === 'string')
        idx = Number(idx);
    return typeof idx === 'number' && Number.isInteger(idx) && idx >= 0
        ? idx
        : null;
}

exports.YAMLSeq = YAMLSeq;


/***/ }),

/***/ 7104:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var log = __nccwpck_require__(7249);
var merge = __nccwpck_require__(452);
var stringify = __nccwpck_require__(2148);
var identity = __nccwpck_require__(1127);
var toJS = __nccwpck_require__(4043);

function addPairToJSMap(ctx, map, { key, value }) {
    if (identity.isNode(key) && key.addToJSMap)
        key.addToJSMap(ctx, map, value);
    // TODO: Should drop this special case for bare << handling
    else if (merge.isMergeKey(ctx, key))
        merge.addMergeToJSMap(ctx, map, value);
    else {
        const jsKey = toJS.toJS(key, '', ctx);
        if (map instanceof Map) {
            map.set(jsKey, toJS.toJS(value, jsKey, ctx));
        }
        else if (map instanceof Set) {
            map.add(jsKey);
        }
        else {
            const stringKey = stringifyKey(key, jsKey, ctx);
            const jsValue = toJS.toJS(value, stringKey, ctx);
            if (stringKey in map)
                Object.defineProperty(map, stringKey, {
                    value: jsValue,
                    writable: true,
                    enumerable: true,
                    configurable: true
                });
            else
                map[stringKey] = jsValue;
        }
    }
    return map;
}
function stringifyKey(key, jsKey, ctx) {
    if (jsKey === null)
        return '';
    // eslint-disable-next-line @typescript-eslint/no-base-to-string
    if (typeof jsKey !== 'object')
        return String(jsKey);
    if (identity.isNode(key) && ctx?.doc) {
        const strCtx = stringify.createStringifyContext(ctx.doc, {});
        strCtx.anchors = new Set();
        for (const node of ctx.anchors.keys())
            strCtx.anchors.add(node.anchor);
        strCtx.inFlow = true;
        strCtx.inStringifyKey = true;
        const strKey = key.toString(strCtx);
        if (!ctx.mapKeyWarned) {
            let jsonStr = JSON.stringify(strKey);
            if (jsonStr.length > 40)
                jsonStr = jsonStr.substring(0, 36) + '..."';
            log.warn(ctx.doc.options.logLevel, `Keys with collection values will be stringified due to JS Object restrictions: ${jsonStr}. Set mapAsMap: true to use object keys.`);
            ctx.mapKeyWarned = true;
        }
        return strKey;
    }
    return JSON.stringify(jsKey);
}

exports.addPairToJSMap = addPairToJSMap;


/***/ }),

/***/ 1127:
/***/ ((__unused_webpack_module, exports) => {



const ALIAS = Symbol.for('yaml.alias');
const DOC = Symbol.for('yaml.document');
const MAP = Symbol.for('yaml.map');
const PAIR = Symbol.for('yaml.pair');
const SCALAR = Symbol.for('yaml.scalar');
const SEQ = Symbol.for('yaml.seq');
const NODE_TYPE = Symbol.for('yaml.node.type');
const isAlias = (node) => !!node && typeof node === 'object' && node[NODE_TYPE] === ALIAS;
const isDocument = (node) => !!node && typeof node === 'object' && node[NODE_TYPE] === DOC;
const isMap = (node) => !!node && typeof node === 'object' && node[NODE_TYPE] === MAP;
const isPair = (node) => !!node && typeof node === 'object' && node[NODE_TYPE] === PAIR;
const isScalar = (node) => !!node && typeof node === 'object' && node[NODE_TYPE] === SCALAR;
const isSeq = (node) => !!node && typeof node === 'object' && node[NODE_TYPE] === SEQ;
function isCollection(node) {
    if (node && typeof node === 'object')
        switch (node[NODE_TYPE]) {
            case MAP:
            case SEQ:
                return true;
        }
    return false;
}
function isNode(node) {
    if (node && typeof node === 'object')
        switch (node[NODE_TYPE]) {
            case ALIAS:
            case MAP:
            case SCALAR:
            case SEQ:
                return true;
        }
    return false;
}
const hasAnchor = (node) => (isScalar(node) || isCollection(node)) && !!node.anchor;

exports.ALIAS = ALIAS;
exports.DOC = DOC;
exports.MAP = MAP;
exports.NODE_TYPE = NODE_TYPE;
exports.PAIR = PAIR;
exports.SCALAR = SCALAR;
exports.SEQ = SEQ;
exports.hasAnchor = hasAnchor;
exports.isAlias = isAlias;
exports.isCollection = isCollection;
exports.isDocument = isDocument;
exports.isMap = isMap;
exports.isNode = isNode;
exports.isPair = isPair;
exports.isScalar = isScalar;
exports.isSeq = isSeq;


/***/ }),

/***/ 4043:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);

/**
 * Recursively convert any node or its contents to native JavaScript
 *
 * @param value - The input value
 * @param arg - If `value` defines a `toJSON()` method, use this
 *   as its first argument
 * @param ctx - Conversion context, originally set in Document#toJS(). If
 *   `{ keep: true }` is not set, output should be suitable for JSON
 *   stringification.
 */
function toJS(value, arg, ctx) {
    // eslint-disable-next-line @typescript-eslint/no-unsafe-return
    if (Array.isArray(value))
        return value.map((v, i) => toJS(v, String(i), ctx));
    if (value && typeof value.toJSON === 'function') {
        // eslint-disable-next-line @typescript-eslint/no-unsafe-call
        if (!ctx || !identity.hasAnchor(value))
            return value.toJSON(arg, ctx);
        const data = { aliasCount: 0, count: 1, res: undefined };
        ctx.anchors.set(value, data);
        ctx.onCreate = res => {
            data.res = res;
            delete ctx.onCreate;
        };
        const res = value.toJSON(arg, ctx);
        if (ctx.onCreate)
            ctx.onCreate(res);
        return res;
    }
    if (typeof value === 'bigint' && !ctx?.keep)
        return Number(value);
    return value;
}

exports.toJS = toJS;


/***/ }),

/***/ 110:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var resolveBlockScalar = __nccwpck_require__(8913);
var resolveFlowScalar = __nccwpck_require__(6842);
var errors = __nccwpck_require__(1464);
var stringifyString = __nccwpck_require__(3069);

function resolveAsScalar(token, strict = true, onError) {
    if (token) {
        const _onError = (pos, code, message) => {
            const offset = typeof pos === 'number' ? pos : Array.isArray(pos) ? pos[0] : pos.offset;
            if (onError)
                onError(offset, code, message);
            else
                throw new errors.YAMLParseError([offset, offset + 1], code, message);
        };
        switch (token.type) {
            case 'scalar':
            case 'single-quoted-scalar':
            case 'double-quoted-scalar':
                return resolveFlowScalar.resolveFlowScalar(token, strict, _onError);
            case 'block-scalar':
                return resolveBlockScalar.resolveBlockScalar({ options: { strict } }, token, _onError);
        }
    }
    return null;
}
/**
 * Create a new scalar token with `value`
 *
 * Values that represent an actual string but may be parsed as a different type should use a `type` other than `'PLAIN'`,
 * as this function does not support any schema operations and won't check for such conflicts.
 *
 * @param value The string representation of the value, which will have its content properly indented.
 * @param context.end Comments and whitespace after the end of the value, or after the block scalar header. If undefined, a newline will be added.
 * @param context.implicitKey Being within an implicit key may affect the resolved type of the token's value.
 * @param context.indent The indent level of the token.
 * @param context.inFlow Is this scalar within a flow collection? This may affect the resolved type of the token's value.
 * @param context.offset The offset position of the token.
 * @param context.type The preferred type of the scalar token. If undefined, the previous type of the `token` will be used, defaulting to `'PLAIN'`.
 */
function createScalarToken(value, context) {
    const { implicitKey = false, indent, inFlow = false, offset = -1, type = 'PLAIN' } = context;
    const source = stringifyString.stringifyString({ type, value }, {
        implicitKey,
        indent: indent > 0 ? ' '.repeat(indent) : '',
        inFlow,
        options: { blockQuote: true, lineWidth: -1 }
    });
    const end = context.end ?? [
        { type: 'newline', offset: -1, indent, source: '\n' }
    ];
    switch (source[0]) {
        case '|':
        case '>': {
            const he = source.indexOf('\n');
            const head = source.substring(0, he);
            const body = source.substring(he + 1) + '\n';
            const props = [
                { type: 'block-scalar-header', offset, indent, source: head }
            ];
            if (!addEndtoBlockProps(props, end))
                props.push({ type: 'newline', offset: -1, indent, source: '\n' });
            return { type: 'block-scalar', offset, indent, props, source: body };
        }
        case '"':
            return { type: 'double-quoted-scalar', offset, indent, source, end };
        case "'":
            return { type: 'single-quoted-scalar', offset, indent, source, end };
        default:
            return { type: 'scalar', offset, indent, source, end };
    }
}
/**
 * Set the value of `token` to the given string `value`, overwriting any previous contents and type that it may have.
 *
 * Best efforts are made to retain any comments previously associated with the `token`,
 * though all contents within a collection's `items` will be overwritten.
 *
 * Values that represent an actual string but may be parsed as a different type should use a `type` other than `'PLAIN'`,
 * as this function does not support any schema operations and won't check for such conflicts.
 *
 * @param token Any token. If it does not include an `indent` value, the value will be stringified as if it were an implicit key.
 * @param value The string representation of the value, which will have its content properly indented.
 * @param context.afterKey In most cases, values after a key should have an additional level of indentation.
 * @param context.implicitKey Being within an implicit key may affect the resolved type of the token's value.
 * @param context.inFlow Being within a flow collection may affect the resolved type of the token's value.
 * @param context.type The preferred type of the scalar token. If undefined, the previous type of the `token` will be used, defaulting to `'PLAIN'`.
 */
function setScalarValue(token, value, context = {}) {
    let { afterKey = false, implicitKey = false, inFlow = false, type } = context;
    let indent = 'indent' in token ? token.indent : null;
    if (afterKey && typeof indent === 'number')
        indent += 2;
    if (!type)
        switch (token.type) {
            case 'single-quoted-scalar':
                type = 'QUOTE_SINGLE';
                break;
            case 'double-quoted-scalar':
                type = 'QUOTE_DOUBLE';
                break;
            case 'block-scalar': {
                const header = token.props[0];
                if (header.type !== 'block-scalar-header')
                    throw new Error('Invalid block scalar header');
                type = header.source[0] === '>' ? 'BLOCK_FOLDED' : 'BLOCK_LITERAL';
                break;
            }
            default:
                type = 'PLAIN';
        }
    const source = stringifyString.stringifyString({ type, value }, {
        implicitKey: implicitKey || indent === null,
        indent: indent !== null && indent > 0 ? ' '.repeat(indent) : '',
        inFlow,
        options: { blockQuote: true, lineWidth: -1 }
    });
    switch (source[0]) {
        case '|':
        case '>':
            setBlockScalarValue(token, source);
            break;
        case '"':
            setFlowScalarValue(token, source, 'double-quoted-scalar');
            break;
        case "'":
            setFlowScalarValue(token, source, 'single-quoted-scalar');
            break;
        default:
            setFlowScalarValue(token, source, 'scalar');
    }
}
function setBlockScalarValue(token, source) {
    const he = source.indexOf('\n');
    const head = source.substring(0, he);
    const body = source.substring(he + 1) + '\n';
    if (token.type === 'block-scalar') {
        const header = token.props[0];
        if (header.type !== 'block-scalar-header')
            throw new Error('Invalid block scalar header');
        header.source = head;
        token.source = body;
    }
    else {
        const { offset } = token;
        const indent = 'indent' in token ? token.indent : -1;
        const props = [
            { type: 'block-scalar-header', offset, indent, source: head }
        ];
        if (!addEndtoBlockProps(props, 'end' in token ? token.end : undefined))
            props.push({ type: 'newline', offset: -1, indent, source: '\n' });
        for (const key of Object.keys(token))
            if (key !== 'type' && key !== 'offset')
                delete token[key];
        Object.assign(token, { type: 'block-scalar', indent, props, source: body });
    }
}
/** @returns `true` if last token is a newline */
function addEndtoBlockProps(props, end) {
    if (end)
        for (const st of end)
            switch (st.type) {
                case 'space':
                case 'comment':
                    props.push(st);
                    break;
                case 'newline':
                    props.push(st);
                    return true;
            }
    return false;
}
function setFlowScalarValue(token, source, type) {
    switch (token.type) {
        case 'scalar':
        case 'double-quoted-scalar':
        case 'single-quoted-scalar':
            token.type = type;
            token.source = source;
            break;
        case 'block-scalar': {
            const end = token.props.slice(1);
            let oa = source.length;
            if (token.props[0].type === 'block-scalar-header')
                oa -= token.props[0].source.length;
            for (const tok of end)
                tok.offset += oa;
            delete token.props;
            Object.assign(token, { type, source, end });
            break;
        }
        case 'block-map':
        case 'block-seq': {
            const offset = token.offset + source.length;
            const nl = { type: 'newline', offset, indent: token.indent, source: '\n' };
            delete token.items;
            Object.assign(token, { type, source, end: [nl] });
            break;
        }
        default: {
            const indent = 'indent' in token ? token.indent : -1;
            const end = 'end' in token && Array.isArray(token.end)
                ? token.end.filter(st => st.type === 'space' ||
                    st.type === 'comment' ||
                    st.type === 'newline')
                : [];
            for (const key of Object.keys(token))
                if (key !== 'type' && key !== 'offset')
                    delete token[key];
            Object.assign(token, { type, indent, source, end });
        }
    }
}

exports.createScalarToken = createScalarToken;
exports.resolveAsScalar = resolveAsScalar;
exports.setScalarValue = setScalarValue;


/***/ }),

/***/ 1733:
/***/ ((__unused_webpack_module, exports) => {



/**
 * Stringify a CST document, token, or collection item
 *
 * Fair warning: This applies no validation whatsoever, and
 * simply concatenates the sources in their logical order.
 */
const stringify = (cst) => 'type' in cst ? stringifyToken(cst) : stringifyItem(cst);
function stringifyToken(token) {
    switch (token.type) {
        case 'block-scalar': {
            let res = '';
            for (const tok of token.props)
                res += stringifyToken(tok);
            return res + token.source;
        }
        case 'block-map':
        case 'block-seq': {
            let res = '';
            for (const item of token.items)
                res += stringifyItem(item);
            return res;
        }
        case 'flow-collection': {
            let res = token.start.source;
            for (const item of token.items)
                res += stringifyItem(item);
            for (const st of token.end)
                res += st.source;
            return res;
        }
        case 'document': {
            let res = stringifyItem(token);
            if (token.end)
                for (const st of token.end)
                    res += st.source;
            return res;
        }
        default: {
            let res = token.source;
            if ('end' in token && token.end)
                for (const st of token.end)
                    res += st.source;
            return res;
        }
    }
}
function stringifyItem({ start, key, sep, value }) {
    let res = '';
    for (const st of start)
        res += st.source;
    if (key)
        res += stringifyToken(key);
    if (sep)
        for (const st of sep)
            res += st.source;
    if (value)
        res += stringifyToken(value);
    return res;
}

exports.stringify = stringify;


/***/ }),

/***/ 7715:
/***/ ((__unused_webpack_module, exports) => {



const BREAK = Symbol('break visit');
const SKIP = Symbol('skip children');
const REMOVE = Symbol('remove item');
/**
 * Apply a visitor to a CST document or item.
 *
 * Walks through the tree (depth-first) starting from the root, calling a
 * `visitor` function with two arguments when entering each item:
 *   - `item`: The current item, which included the following members:
 *     - `start: SourceToken[]` – Source tokens before the key or value,
 *       possibly including its anchor or tag.
 *     - `key?: Token | null` – Set for pair values. May then be `null`, if
 *       the key before the `:` separator is empty.
 *     - `sep?: SourceToken[]` – Source tokens between the key and the value,
 *       which should include the `:` map value indicator if `value` is set.
 *     - `value?: Token` – The value of a sequence item, or of a map pair.
 *   - `path`: The steps from the root to the current node, as an array of
 *     `['key' | 'value', number]` tuples.
 *
 * The return value of the visitor may be used to control the traversal:
 *   - `undefined` (default): Do nothing and continue
 *   - `visit.SKIP`: Do not visit the children of this token, continue with
 *      next sibling
 *   - `visit.BREAK`: Terminate traversal completely
 *   - `visit.REMOVE`: Remove the current item, then continue with the next one
 *   - `number`: Set the index of the next step. This is useful especially if
 *     the index of the current token has changed.
 *   - `function`: Define the next visitor for this item. After the original
 *     visitor is called on item entry, next visitors are called after handling
 *     a non-empty `key` and when exiting the item.
 */
function visit(cst, visitor) {
    if ('type' in cst && cst.type === 'document')
        cst = { start: cst.start, value: cst.value };
    _visit(Object.freeze([]), cst, visitor);
}
// Without the `as symbol` casts, TS declares these in the `visit`
// namespace using `var`, but then complains about that because
// `unique symbol` must be `const`.
/** Terminate visit traversal completely */
visit.BREAK = BREAK;
/** Do not visit the children of the current item */
visit.SKIP = SKIP;
/** Remove the current item */
visit.REMOVE = REMOVE;
/** Find the item at `path` from `cst` as the root */
visit.itemAtPath = (cst, path) => {
    let item = cst;
    for (const [field, index] of path) {
        const tok = item?.[field];
        if (tok && 'items' in tok) {
            item = tok.items[index];
        }
        else
            return undefined;
    }
    return item;
};
/**
 * Get the immediate parent collection of the item at `path` from `cst` as the root.
 *
 * Throws an error if the collection is not found, which should never happen if the item itself exists.
 */
visit.parentCollection = (cst, path) => {
    const parent = visit.itemAtPath(cst, path.slice(0, -1));
    const field = path[path.length - 1][0];
    const coll = parent?.[field];
    if (coll && 'items' in coll)
        return coll;
    throw new Error('Parent collection not found');
};
function _visit(path, item, visitor) {
    let ctrl = visitor(item, path);
    if (typeof ctrl === 'symbol')
        return ctrl;
    for (const field of ['key', 'value']) {
        const token = item[field];
        if (token && 'items' in token) {
            for (let i = 0; i < token.items.length; ++i) {
                const ci = _visit(Object.freeze(path.concat([[field, i]])), token.items[i], visitor);
                if (typeof ci === 'number')
                    i = ci - 1;
                else if (ci === BREAK)
                    return BREAK;
                else if (ci === REMOVE) {
                    token.items.splice(i, 1);
                    i -= 1;
                }
            }
            if (typeof ctrl === 'function' && field === 'key')
                ctrl = ctrl(item, path);
        }
    }
    return typeof ctrl === 'function' ? ctrl(item, path) : ctrl;
}

exports.visit = visit;


/***/ }),

/***/ 3461:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var cstScalar = __nccwpck_require__(110);
var cstStringify = __nccwpck_require__(1733);
var cstVisit = __nccwpck_require__(7715);

/** The byte order mark */
const BOM = '\u{FEFF}';
/** Start of doc-mode */
const DOCUMENT = '\x02'; // C0: Start of Text
/** Unexpected end of flow-mode */
const FLOW_END = '\x18'; // C0: Cancel
/** Next token is a scalar value */
const SCALAR = '\x1f'; // C0: Unit Separator
/** @returns `true` if `token` is a flow or block collection */
const isCollection = (token) => !!token && 'items' in token;
/** @returns `true` if `token` is a flow or block scalar; not an alias */
const isScalar = (token) => !!token &&
    (token.type === 'scalar' ||
        token.type === 'single-quoted-scalar' ||
        token.type === 'double-quoted-scalar' ||
        token.type === 'block-scalar');
/* istanbul ignore next */
/** Get a printable representation of a lexer token */
function prettyToken(token) {
    switch (token) {
        case BOM:
            return '<BOM>';
        case DOCUMENT:
            return '<DOC>';
        case FLOW_END:
            return '<FLOW_END>';
        case SCALAR:
            return '<SCALAR>';
        default:
            return JSON.stringify(token);
    }
}
/** Identify the type of a lexer token. May return `null` for unknown tokens. */
function tokenType(source) {
    switch (source) {
        case BOM:
            return 'byte-order-mark';
        case DOCUMENT:
            return 'doc-mode';
        case FLOW_END:
            return 'flow-error-end';
        case SCALAR:
            return 'scalar';
        case '---':
            return 'doc-start';
        case '...':
            return 'doc-end';
        case '':
        case '\n':
        case '\r\n':
            return 'newline';
        case '-':
            return 'seq-item-ind';
        case '?':
            return 'explicit-key-ind';
        case ':':
            return 'map-value-ind';
        case '{':
            return 'flow-map-start';
        case '}':
            return 'flow-map-end';
        case '[':
            return 'flow-seq-start';
        case ']':
            return 'flow-seq-end';
        case ',':
            return 'comma';
    }
    switch (source[0]) {
        case ' ':
        case '\t':
            return 'space';
        case '#':
            return 'comment';
        case '%':
            return 'directive-line';
        case '*':
            return 'alias';
        case '&':
            return 'anchor';
        case '!':
            return 'tag';
        case "'":
            return 'single-quoted-scalar';
        case '"':
            return 'double-quoted-scalar';
        case '|':
        case '>':
            return 'block-scalar-header';
    }
    return null;
}

exports.createScalarToken = cstScalar.createScalarToken;
exports.resolveAsScalar = cstScalar.resolveAsScalar;
exports.setScalarValue = cstScalar.setScalarValue;
exports.stringify = cstStringify.stringify;
exports.visit = cstVisit.visit;
exports.BOM = BOM;
exports.DOCUMENT = DOCUMENT;
exports.FLOW_END = FLOW_END;
exports.SCALAR = SCALAR;
exports.isCollection = isCollection;
exports.isScalar = isScalar;
exports.prettyToken = prettyToken;
exports.tokenType = tokenType;


/***/ }),

/***/ 361:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var cst = __nccwpck_require__(3461);

/*
START -> stream

stream
  directive -> line-end -> stream
  indent + line-end -> stream
  [else] -> line-start

line-end
  comment -> line-end
  newline -> .
  input-end -> END

line-start
  doc-start -> doc
  doc-end -> stream
  [else] -> indent -> block-start

block-start
  seq-item-start -> block-start
  explicit-key-start -> block-start
  map-value-start -> block-start
  [else] -> doc

doc
  line-end -> line-start
  spaces -> doc
  anchor -> doc
  tag -> doc
  flow-start -> flow -> doc
  flow-end -> error -> doc
  seq-item-start -> error -> doc
  explicit-key-start -> error -> doc
  map-value-start -> doc
  alias -> doc
  quote-start -> quoted-scalar -> doc
  block-scalar-header -> line-end -> block-scalar(min) -> line-start
  [else] -> plain-scalar(false, min) -> doc

flow
  line-end -> flow
  spaces -> flow
  anchor -> flow
  tag -> flow
  flow-start -> flow -> flow
  flow-end -> .
  seq-item-start -> error -> flow
  explicit-key-start -> flow
  map-value-start -> flow
  alias -> flow
  quote-start -> quoted-scalar -> flow
  comma -> flow
  [else] -> plain-scalar(true, 0) -> flow

quoted-scalar
  quote-end -> .
  [else] -> quoted-scalar

block-scalar(min)
  newline + peek(indent < min) -> .
  [else] -> block-scalar(min)

plain-scalar(is-flow, min)
  scalar-end(is-flow) -> .
  peek(newline + (indent < min)) -> .
  [else] -> plain-scalar(min)
*/
function isEmpty(ch) {
    switch (ch) {
        case undefined:
        case ' ':
        case '\n':
        case '\r':
        case '\t':
            return true;
        default:
            return false;
    }
}
const hexDigits = new Set('0123456789ABCDEFabcdef');
const tagChars = new Set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-#;/?:@&=+$_.!~*'()");
const flowIndicatorChars = new Set(',[]{}');
const invalidAnchorChars = new Set(' ,[]{}\n\r\t');
const isNotAnchorChar = (ch) => !ch || invalidAnchorChars.has(ch);
/**
 * Splits an input string into lexical tokens, i.e. smaller strings that are
 * easily identifiable by `tokens.tokenType()`.
 *
 * Lexing starts always in a "stream" context. Incomplete input may be buffered
 * until a complete token can be emitted.
 *
 * In addition to slices of the original input, the following control characters
 * may also be emitted:
 *
 * - `\x02` (Start of Text): A document starts with the next token
 * - `\x18` (Cancel): Unexpected end of flow-mode (indicates an error)
 * - `\x1f` (Unit Separator): Next token is a scalar value
 * - `\u{FEFF}` (Byte order mark): Emitted separately outside documents
 */
class Lexer {
    constructor() {
        /**
         * Flag indicating whether the end of the current buffer marks the end of
         * all input
         */
        this.atEnd = false;
        /**
         * Explicit indent set in block scalar header, as an offset from the current
         * minimum indent, so e.g. set to 1 from a header `|2+`. Set to -1 if not
         * explicitly set.
         */
        this.blockScalarIndent = -1;
        /**
         * Block scalars that include a + (keep) chomping indicator in their header
         * include trailing empty lines, which are otherwise excluded from the
         * scalar's contents.
         */
        this.blockScalarKeep = false;
        /** Current input */
        this.buffer = '';
        /**
         * Flag noting whether the map value indicator : can immediately follow this
         * node within a flow context.
         */
        this.flowKey = false;
        /** Count of surrounding flow collection levels. */
        this.flowLevel = 0;
        /**
         * Minimum level of indentation required for next lines to be parsed as a
         * part of the current scalar value.
         */
        this.indentNext = 0;
        /** Indentation level of the current line. */
        this.indentValue = 0;
        /** Position of the next \n character. */
        this.lineEndPos = null;
        /** Stores the state of the lexer if reaching the end of incpomplete input */
        this.next = null;
        /** A pointer to `buffer`; the current position of the lexer. */
        this.pos = 0;
    }
    /**
     * Generate YAML tokens from the `source` string. If `incomplete`,
     * a part of the last line may be left as a buffer for the next call.
     *
     * @returns A generator of lexical tokens
     */
    *lex(source, incomplete = false) {
        if (source) {
            if (typeof source !== 'string')
                throw TypeError('source is not a string');
            this.buffer = this.buffer ? this.buffer + source : source;
            this.lineEndPos = null;
        }
        this.atEnd = !incomplete;
        let next = this.next ?? 'stream';
        while (next && (incomplete || this.hasChars(1)))
            next = yield* this.parseNext(next);
    }
    atLineEnd() {
        let i = this.pos;
        let ch = this.buffer[i];
        while (ch === ' ' || ch === '\t')
            ch = this.buffer[++i];
        if (!ch || ch === '#' || ch === '\n')
            return true;
        if (ch === '\r')
            return this.buffer[i + 1] === '\n';
        return false;
    }
    charAt(n) {
        return this.buffer[this.pos + n];
    }
    continueScalar(offset) {
        let ch = this.buffer[offset];
        if (this.indentNext > 0) {
            let indent = 0;
            while (ch === ' ')
                ch = this.buffer[++indent + offset];
            if (ch === '\r') {
                const next = this.buffer[indent + offset + 1];
                if (next === '\n' || (!next && !this.atEnd))
                    return offset + indent + 1;
            }
            return ch === '\n' || indent >= this.indentNext || (!ch && !this.atEnd)
                ? offset + indent
                : -1;
        }
        if (ch === '-' || ch === '.') {
            const dt = this.buffer.substr(offset, 3);
            if ((dt === '---' || dt === '...') && isEmpty(this.buffer[offset + 3]))
                return -1;
        }
        return offset;
    }
    getLine() {
        let end = this.lineEndPos;
        if (typeof end !== 'number' || (end !== -1 && end < this.pos)) {
            end = this.buffer.indexOf('\n', this.pos);
            this.lineEndPos = end;
        }
        if (end === -1)
            return this.atEnd ? this.buffer.substring(this.pos) : null;
        if (this.buffer[end - 1] === '\r')
            end -= 1;
        return this.buffer.substring(this.pos, end);
    }
    hasChars(n) {
        return this.pos + n <= this.buffer.length;
    }
    setNext(state) {
        this.buffer = this.buffer.substring(this.pos);
        this.pos = 0;
        this.lineEndPos = null;
        this.next = state;
        return null;
    }
    peek(n) {
        return this.buffer.substr(this.pos, n);
    }
    *parseNext(next) {
        switch (next) {
            case 'stream':
                return yield* this.parseStream();
            case 'line-start':
                return yield* this.parseLineStart();
            case 'block-start':
                return yield* this.parseBlockStart();
            case 'doc':
                return yield* this.parseDocument();
            case 'flow':
                return yield* this.parseFlowCollection();
            case 'quoted-scalar':
                return yield* this.parseQuotedScalar();
            case 'block-scalar':
                return yield* this.parseBlockScalar();
            case 'plain-scalar':
                return yield* this.parsePlainScalar();
        }
    }
    *parseStream() {
        let line = this.getLine();
        if (line === null)
            return this.setNext('stream');
        if (line[0] === cst.BOM) {
            yield* this.pushCount(1);
            line = line.substring(1);
        }
        if (line[0] === '%') {
            let dirEnd = line.length;
            let cs = line.indexOf('#');
            while (cs !== -1) {
                const ch = line[cs - 1];
                if (ch === ' ' || ch === '\t') {
                    dirEnd = cs - 1;
                    break;
                }
                else {
                    cs = line.indexOf('#', cs + 1);
                }
            }
            while (true) {
                const ch = line[dirEnd - 1];
                if (ch === ' ' || ch === '\t')
                    dirEnd -= 1;
                else
                    break;
            }
            const n = (yield* this.pushCount(dirEnd)) + (yield* this.pushSpaces(true));
            yield* this.pushCount(line.length - n); // possible comment
            this.pushNewline();
            return 'stream';
        }
        if (this.atLineEnd()) {
            const sp = yield* this.pushSpaces(true);
            yield* this.pushCount(line.length - sp);
            yield* this.pushNewline();
            return 'stream';
        }
        yield cst.DOCUMENT;
        return yield* this.parseLineStart();
    }
    *parseLineStart() {
        const ch = this.charAt(0);
        if (!ch && !this.atEnd)
            return this.setNext('line-start');
        if (ch === '-' || ch === '.') {
            if (!this.atEnd && !this.hasChars(4))
                return this.setNext('line-start');
            const s = this.peek(3);
            if ((s === '---' || s === '...') && isEmpty(this.charAt(3))) {
                yield* this.pushCount(3);
                this.indentValue = 0;
                this.indentNext = 0;
                return s === '---' ? 'doc' : 'stream';
            }
        }
        this.indentValue = yield* this.pushSpaces(false);
        if (this.indentNext > this.indentValue && !isEmpty(this.charAt(1)))
            this.indentNext = this.indentValue;
        return yield* this.parseBlockStart();
    }
    *parseBlockStart() {
        const [ch0, ch1] = this.peek(2);
        if (!ch1 && !this.atEnd)
            return this.setNext('block-start');
        if ((ch0 === '-' || ch0 === '?' || ch0 === ':') && isEmpty(ch1)) {
            const n = (yield* this.pushCount(1)) + (yield* this.pushSpaces(true));
            this.indentNext = this.indentValue + 1;
            this.indentValue += n;
            return 'block-start';
        }
        return 'doc';
    }
    *parseDocument() {
        yield* this.pushSpaces(true);
        const line = this.getLine();
        if (line === null)
            return this.setNext('doc');
        let n = yield* this.pushIndicators();
        switch (line[n]) {
            case '#':
                yield* this.pushCount(line.length - n);
            // fallthrough
            case undefined:
                yield* this.pushNewline();
                return yield* this.parseLineStart();
            case '{':
            case '[':
                yield* this.pushCount(1);
                this.flowKey = false;
                this.flowLevel = 1;
                return 'flow';
            case '}':
            case ']':
                // this is an error
                yield* this.pushCount(1);
                return 'doc';
            case '*':
                yield* this.pushUntil(isNotAnchorChar);
                return 'doc';
            case '"':
            case "'":
                return yield* this.parseQuotedScalar();
            case '|':
            case '>':
                n += yield* this.parseBlockScalarHeader();
                n += yield* this.pushSpaces(true);
                yield* this.pushCount(line.length - n);
                yield* this.pushNewline();
                return yield* this.parseBlockScalar();
            default:
                return yield* this.parsePlainScalar();
        }
    }
    *parseFlowCollection() {
        let nl, sp;
        let indent = -1;
        do {
            nl = yield* this.pushNewline();
            if (nl > 0) {
                sp = yield* this.pushSpaces(false);
                this.indentValue = indent = sp;
            }
            else {
                sp = 0;
            }
            sp += yield* this.pushSpaces(true);
        } while (nl + sp > 0);
        const line = this.getLine();
        if (line === null)
            return this.setNext('flow');
        if ((indent !== -1 && indent < this.indentNext && line[0] !== '#') ||
            (indent === 0 &&
                (line.startsWith('---') || line.startsWith('...')) &&
                isEmpty(line[3]))) {
            // Allowing for the terminal ] or } at the same (rather than greater)
            // indent level as the initial [ or { is technically invalid, but
            // failing here would be surprising to users.
            const atFlowEndMarker = indent === this.indentNext - 1 &&
                this.flowLevel === 1 &&
                (line[0] === ']' || line[0] === '}');
            if (!atFlowEndMarker) {
                // this is an error
                this.flowLevel = 0;
                yield cst.FLOW_END;
                return yield* this.parseLineStart();
            }
        }
        let n = 0;
        while (line[n] === ',') {
            n += yield* this.pushCount(1);
            n += yield* this.pushSpaces(true);
            this.flowKey = false;
        }
        n += yield* this.pushIndicators();
        switch (line[n]) {
            case undefined:
                return 'flow';
            case '#':
                yield* this.pushCount(line.length - n);
                return 'flow';
            case '{':
            case '[':
                yield* this.pushCount(1);
                this.flowKey = false;
                this.flowLevel += 1;
                return 'flow';
            case '}':
            case ']':
                yield* this.pushCount(1);
                this.flowKey = true;
                this.flowLevel -= 1;
                return this.flowLevel ? 'flow' : 'doc';
            case '*':
                yield* this.pushUntil(isNotAnchorChar);
                return 'flow';
            case '"':
            case "'":
                this.flowKey = true;
                return yield* this.parseQuotedScalar();
            case ':': {
                const next = this.charAt(1);
                if (this.flowKey || isEmpty(next) || next === ',') {
                    this.flowKey = false;
                    yield* this.pushCount(1);
                    yield* this.pushSpaces(true);
                    return 'flow';
                }
            }
            // fallthrough
            default:
                this.flowKey = false;
                return yield* this.parsePlainScalar();
        }
    }
    *parseQuotedScalar() {
        const quote = this.charAt(0);
        let end = this.buffer.indexOf(quote, this.pos + 1);
        if (quote === "'") {
            while (end !== -1 && this.buffer[end + 1] === "'")
                end = this.buffer.indexOf("'", end + 2);
        }
        else {
            // double-quote
            while (end !== -1) {
                let n = 0;
                while (this.buffer[end - 1 - n] === '\\')
                    n += 1;
                if (n % 2 === 0)
                    break;
                end = this.buffer.indexOf('"', end + 1);
            }
        }
        // Only looking for newlines within the quotes
        const qb = this.buffer.substring(0, end);
        let nl = qb.indexOf('\n', this.pos);
        if (nl !== -1) {
            while (nl !== -1) {
                const cs = this.continueScalar(nl + 1);
                if (cs === -1)
                    break;
                nl = qb.indexOf('\n', cs);
            }
            if (nl !== -1) {
                // this is an error caused by an unexpected unindent
                end = nl - (qb[nl - 1] === '\r' ? 2 : 1);
            }
        }
        if (end === -1) {
            if (!this.atEnd)
                return this.setNext('quoted-scalar');
            end = this.buffer.length;
        }
        yield* this.pushToIndex(end + 1, false);
        return this.flowLevel ? 'flow' : 'doc';
    }
    *parseBlockScalarHeader() {
        this.blockScalarIndent = -1;
        this.blockScalarKeep = false;
        let i = this.pos;
        while (true) {
            const ch = this.buffer[++i];
            if (ch === '+')
                this.blockScalarKeep = true;
            else if (ch > '0' && ch <= '9')
                this.blockScalarIndent = Number(ch) - 1;
            else if (ch !== '-')
                break;
        }
        return yield* this.pushUntil(ch => isEmpty(ch) || ch === '#');
    }
    *parseBlockScalar() {
        let nl = this.pos - 1; // may be -1 if this.pos === 0
        let indent = 0;
        let ch;
        loop: for (let i = this.pos; (ch = this.buffer[i]); ++i) {
            switch (ch) {
                case ' ':
                    indent += 1;
                    break;
                case '\n':
                    nl = i;
                    indent = 0;
                    break;
                case '\r': {
                    const next = this.buffer[i + 1];
                    if (!next && !this.atEnd)
                        return this.setNext('block-scalar');
                    if (next === '\n')
                        break;
                } // fallthrough
                default:
                    break loop;
            }
        }
        if (!ch && !this.atEnd)
            return this.setNext('block-scalar');
        if (indent >= this.indentNext) {
            if (this.blockScalarIndent === -1)
                this.indentNext = indent;
            else {
                this.indentNext =
                    this.blockScalarIndent + (this.indentNext === 0 ? 1 : this.indentNext);
            }
            do {
                const cs = this.continueScalar(nl + 1);
                if (cs === -1)
                    break;
                nl = this.buffer.indexOf('\n', cs);
            } while (nl !== -1);
            if (nl === -1) {
                if (!this.atEnd)
                    return this.setNext('block-scalar');
                nl = this.buffer.length;
            }
        }
        // Trailing insufficiently indented tabs are invalid.
        // To catch that during parsing, we include them in the block scalar value.
        let i = nl + 1;
        ch = this.buffer[i];
        while (ch === ' ')
            ch = this.buffer[++i];
        if (ch === '\t') {
            while (ch === '\t' || ch === ' ' || ch === '\r' || ch === '\n')
                ch = this.buffer[++i];
            nl = i - 1;
        }
        else if (!this.blockScalarKeep) {
            do {
                let i = nl - 1;
                let ch = this.buffer[i];
                if (ch === '\r')
                    ch = this.buffer[--i];
                const lastChar = i; // Drop the line if last char not more indented
                while (ch === ' ')
                    ch = this.buffer[--i];
                if (ch === '\n' && i >= this.pos && i + 1 + indent > lastChar)
                    nl = i;
                else
                    break;
            } while (true);
        }
        yield cst.SCALAR;
        yield* this.pushToIndex(nl + 1, true);
        return yield* this.parseLineStart();
    }
    *parsePlainScalar() {
        const inFlow = this.flowLevel > 0;
        let end = this.pos - 1;
        let i = this.pos - 1;
        let ch;
        while ((ch = this.buffer[++i])) {
            if (ch === ':') {
                const next = this.buffer[i + 1];
                if (isEmpty(next) || (inFlow && flowIndicatorChars.has(next)))
                    break;
                end = i;
            }
            else if (isEmpty(ch)) {
                let next = this.buffer[i + 1];
                if (ch === '\r') {
                    if (next === '\n') {
                        i += 1;
                        ch = '\n';
                        next = this.buffer[i + 1];
                    }
                    else
                        end = i;
                }
                if (next === '#' || (inFlow && flowIndicatorChars.has(next)))
                    break;
                if (ch === '\n') {
                    const cs = this.continueScalar(i + 1);
                    if (cs === -1)
                        break;
                    i = Math.max(i, cs - 2); // to advance, but still account for ' #'
                }
            }
            else {
                if (inFlow && flowIndicatorChars.has(ch))
                    break;
                end = i;
            }
        }
        if (!ch && !this.atEnd)
            return this.setNext('plain-scalar');
        yield cst.SCALAR;
        yield* this.pushToIndex(end + 1, true);
        return inFlow ? 'flow' : 'doc';
    }
    *pushCount(n) {
        if (n > 0) {
            yield this.buffer.substr(this.pos, n);
            this.pos += n;
            return n;
        }
        return 0;
    }
    *pushToIndex(i, allowEmpty) {
        const s = this.buffer.slice(this.pos, i);
        if (s) {
            yield s;
            this.pos += s.length;
            return s.length;
        }
        else if (allowEmpty)
            yield '';
        return 0;
    }
    *pushIndicators() {
        let n = 0;
        loop: while (true) {
            switch (this.charAt(0)) {
                case '!':
                    n += yield* this.pushTag();
                    n += yield* this.pushSpaces(true);
                    continue loop;
                case '&':
                    n += yield* this.pushUntil(isNotAnchorChar);
                    n += yield* this.pushSpaces(true);
                    continue loop;
                case '-': // this is an error
                case '?': // this is an error outside flow collections
                case ':': {
                    const inFlow = this.flowLevel > 0;
                    const ch1 = this.charAt(1);
                    if (isEmpty(ch1) || (inFlow && flowIndicatorChars.has(ch1))) {
                        if (!inFlow)
                            this.indentNext = this.indentValue + 1;
                        else if (this.flowKey)
                            this.flowKey = false;
                        n += yield* this.pushCount(1);
                        n += yield* this.pushSpaces(true);
                        continue loop;
                    }
                }
            }
            break loop;
        }
        return n;
    }
    *pushTag() {
        if (this.charAt(1) === '<') {
            let i = this.pos + 2;
            let ch = this.buffer[i];
            while (!isEmpty(ch) && ch !== '>')
                ch = this.buffer[++i];
            return yield* this.pushToIndex(ch === '>' ? i + 1 : i, false);
        }
        else {
            let i = this.pos + 1;
            let ch = this.buffer[i];
            while (ch) {
                if (tagChars.has(ch))
                    ch = this.buffer[++i];
                else if (ch === '%' &&
                    hexDigits.has(this.buffer[i + 1]) &&
                    hexDigits.has(this.buffer[i + 2])) {
                    ch = this.buffer[(i += 3)];
                }
                else
                    break;
            }
            return yield* this.pushToIndex(i, false);
        }
    }
    *pushNewline() {
        const ch = this.buffer[this.pos];
        if (ch === '\n')
            return yield* this.pushCount(1);
        else if (ch === '\r' && this.charAt(1) === '\n')
            return yield* this.pushCount(2);
        else
            return 0;
    }
    *pushSpaces(allowTabs) {
        let i = this.pos - 1;
        let ch;
        do {
            ch = this.buffer[++i];
        } while (ch === ' ' || (allowTabs && ch === '\t'));
        const n = i - this.pos;
        if (n > 0) {
            yield this.buffer.substr(this.pos, n);
            this.pos = i;
        }
        return n;
    }
    *pushUntil(test) {
        let i = this.pos;
        let ch = this.buffer[i];
        while (!test(ch))
            ch = this.buffer[++i];
        return yield* this.pushToIndex(i, false);
    }
}

exports.Lexer = Lexer;


/***/ }),

/***/ 6628:
/***/ ((__unused_webpack_module, exports) => {



/**
 * Tracks newlines during parsing in order to provide an efficient API for
 * determining the one-indexed `{ line, col }` position for any offset
 * within the input.
 */
class LineCounter {
    constructor() {
        this.lineStarts = [];
        /**
         * Should be called in ascending order. Otherwise, call
         * `lineCounter.lineStarts.sort()` before calling `linePos()`.
         */
        this.addNewLine = (offset) => this.lineStarts.push(offset);
        /**
         * Performs a binary search and returns the 1-indexed { line, col }
         * position of `offset`. If `line === 0`, `addNewLine` has never been
         * called or `offset` is before the first known newline.
         */
        this.linePos = (offset) => {
            let low = 0;
            let high = this.lineStarts.length;
            while (low < high) {
                const mid = (low + high) >> 1; // Math.floor((low + high) / 2)
                if (this.lineStarts[mid] < offset)
                    low = mid + 1;
                else
                    high = mid;
            }
            if (this.lineStarts[low] === offset)
                return { line: low + 1, col: 1 };
            if (low === 0)
                return { line: 0, col: offset };
            const start = this.lineStarts[low - 1];
            return { line: low, col: offset - start + 1 };
        };
    }
}

exports.LineCounter = LineCounter;


/***/ }),

/***/ 3456:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var node_process = __nccwpck_require__(932);
var cst = __nccwpck_require__(3461);
var lexer = __nccwpck_require__(361);

function includesToken(list, type) {
    for (let i = 0; i < list.length; ++i)
        if (list[i].type === type)
            return true;
    return false;
}
function findNonEmptyIndex(list) {
    for (let i = 0; i < list.length; ++i) {
        switch (list[i].type) {
            case 'space':
            case 'comment':
            case 'newline':
                break;
            default:
                return i;
        }
    }
    return -1;
}
function isFlowToken(token) {
    switch (token?.type) {
        case 'alias':
        case 'scalar':
        case 'single-quoted-scalar':
        case 'double-quoted-scalar':
        case 'flow-collection':
            return true;
        default:
            return false;
    }
}
function getPrevProps(parent) {
    switch (parent.type) {
        case 'document':
            return parent.start;
        case 'block-map': {
            const it = parent.items[parent.items.length - 1];
            return it.sep ?? it.start;
        }
        case 'block-seq':
            return parent.items[parent.items.length - 1].start;
        /* istanbul ignore next should not happen */
        default:
            return [];
    }
}
/** Note: May modify input array */
function getFirstKeyStartProps(prev) {
    if (prev.length === 0)
        return [];
    let i = prev.length;
    loop: while (--i >= 0) {
        switch (prev[i].type) {
            case 'doc-start':
            case 'explicit-key-ind':
            case 'map-value-ind':
            case 'seq-item-ind':
            case 'newline':
                break loop;
        }
    }
    while (prev[++i]?.type === 'space') {
        /* loop */
    }
    return prev.splice(i, prev.length);
}
function arrayPushArray(target, source) {
    // May exhaust call stack with large `source` array
    if (source.length < 1e5)
        Array.prototype.push.apply(target, source);
    else
        for (let i = 0; i < source.length; ++i)
            target.push(source[i]);
}
function fixFlowSeqItems(fc) {
    if (fc.start.type === 'flow-seq-start') {
        for (const it of fc.items) {
            if (it.sep &&
                !it.value &&
                !includesToken(it.start, 'explicit-key-ind') &&
                !includesToken(it.sep, 'map-value-ind')) {
                if (it.key)
                    it.value = it.key;
                delete it.key;
                if (isFlowToken(it.value)) {
                    if (it.value.end)
                        arrayPushArray(it.value.end, it.sep);
                    else
                        it.value.end = it.sep;
                }
                else
                    arrayPushArray(it.start, it.sep);
                delete it.sep;
            }
        }
    }
}
/**
 * A YAML concrete syntax tree (CST) parser
 *
 * ```ts
 * const src: string = ...
 * for (const token of new Parser().parse(src)) {
 *   // token: Token
 * }
 * ```
 *
 * To use the parser with a user-provided lexer:
 *
 * ```ts
 * function* parse(source: string, lexer: Lexer) {
 *   const parser = new Parser()
 *   for (const lexeme of lexer.lex(source))
 *     yield* parser.next(lexeme)
 *   yield* parser.end()
 * }
 *
 * const src: string = ...
 * const lexer = new Lexer()
 * for (const token of parse(src, lexer)) {
 *   // token: Token
 * }
 * ```
 */
class Parser {
    /**
     * @param onNewLine - If defined, called separately with the start position of
     *   each new line (in `parse()`, including the start of input).
     */
    constructor(onNewLine) {
        /** If true, space and sequence indicators count as indentation */
        this.atNewLine = true;
        /** If true, next token is a scalar value */
        this.atScalar = false;
        /** Current indentation level */
        this.indent = 0;
        /** Current offset since the start of parsing */
        this.offset = 0;
        /** On the same line with a block map key */
        this.onKeyLine = false;
        /** Top indicates the node that's currently being built */
        this.stack = [];
        /** The source of the current token, set in parse() */
        this.source = '';
        /** The type of the current token, set in parse() */
        this.type = '';
        // Must be defined after `next()`
        this.lexer = new lexer.Lexer();
        this.onNewLine = onNewLine;
    }
    /**
     * Parse `source` as a YAML stream.
     * If `incomplete`, a part of the last line may be left as a buffer for the next call.
     *
     * Errors are not thrown, but yielded as `{ type: 'error', message }` tokens.
     *
     * @returns A generator of tokens representing each directive, document, and other structure.
     */
    *parse(source, incomplete = false) {
        if (this.onNewLine && this.offset === 0)
            this.onNewLine(0);
        for (const lexeme of this.lexer.lex(source, incomplete))
            yield* this.next(lexeme);
        if (!incomplete)
            yield* this.end();
    }
    /**
     * Advance the parser by the `source` of one lexical token.
     */
    *next(source) {
        this.source = source;
        if (node_process.env.LOG_TOKENS)
            console.log('|', cst.prettyToken(source));
        if (this.atScalar) {
            this.atScalar = false;
            yield* this.step();
            this.offset += source.length;
            return;
        }
        const type = cst.tokenType(source);
        if (!type) {
            const message = `Not a YAML token: ${source}`;
            yield* this.pop({ type: 'error', offset: this.offset, message, source });
            this.offset += source.length;
        }
        else if (type === 'scalar') {
            this.atNewLine = false;
            this.atScalar = true;
            this.type = 'scalar';
        }
        else {
            this.type = type;
            yield* this.step();
            switch (type) {
                case 'newline':
                    this.atNewLine = true;
                    this.indent = 0;
                    if (this.onNewLine)
                        this.onNewLine(this.offset + source.length);
                    break;
                case 'space':
                    if (this.atNewLine && source[0] === ' ')
                        this.indent += source.length;
                    break;
                case 'explicit-key-ind':
                case 'map-value-ind':
                case 'seq-item-ind':
                    if (this.atNewLine)
                        this.indent += source.length;
                    break;
                case 'doc-mode':
                case 'flow-error-end':
                    return;
                default:
                    this.atNewLine = false;
            }
            this.offset += source.length;
        }
    }
    /** Call at end of input to push out any remaining constructions */
    *end() {
        while (this.stack.length > 0)
            yield* this.pop();
    }
    get sourceToken() {
        const st = {
            type: this.type,
            offset: this.offset,
            indent: this.indent,
            source: this.source
        };
        return st;
    }
    *step() {
        const top = this.peek(1);
        if (this.type === 'doc-end' && top?.type !== 'doc-end') {
            while (this.stack.length > 0)
                yield* this.pop();
            this.stack.push({
                type: 'doc-end',
                offset: this.offset,
                source: this.source
            });
            return;
        }
        if (!top)
            return yield* this.stream();
        switch (top.type) {
            case 'document':
                return yield* this.document(top);
            case 'alias':
            case 'scalar':
            case 'single-quoted-scalar':
            case 'double-quoted-scalar':
                return yield* this.scalar(top);
            case 'block-scalar':
                return yield* this.blockScalar(top);
            case 'block-map':
                return yield* this.blockMap(top);
            case 'block-seq':
                return yield* this.blockSequence(top);
            case 'flow-collection':
                return yield* this.flowCollection(top);
            case 'doc-end':
                return yield* this.documentEnd(top);
        }
        /* istanbul ignore next should not happen */
        yield* this.pop();
    }
    peek(n) {
        return this.stack[this.stack.length - n];
    }
    *pop(error) {
        const token = error ?? this.stack.pop();
        /* istanbul ignore if should not happen */
        if (!token) {
            const message = 'Tried to pop an empty stack';
            yield { type: 'error', offset: this.offset, source: '', message };
        }
        else if (this.stack.length === 0) {
            yield token;
        }
        else {
            const top = this.peek(1);
            if (token.type === 'block-scalar') {
                // Block scalars use their parent rather than header indent
                token.indent = 'indent' in top ? top.indent : 0;
            }
            else if (token.type === 'flow-collection' && top.type === 'document') {
                // Ignore all indent for top-level flow collections
                token.indent = 0;
            }
            if (token.type === 'flow-collection')
                fixFlowSeqItems(token);
            switch (top.type) {
                case 'document':
                    top.value = token;
                    break;
                case 'block-scalar':
                    top.props.push(token); // error
                    break;
                case 'block-map': {
                    const it = top.items[top.items.length - 1];
                    if (it.value) {
                        top.items.push({ start: [], key: token, sep: [] });
                        this.onKeyLine = true;
                        return;
                    }
                    else if (it.sep) {
                        it.value = token;
                    }
                    else {
                        Object.assign(it, { key: token, sep: [] });
                        this.onKeyLine = !it.explicitKey;
                        return;
                    }
                    break;
                }
                case 'block-seq': {
                    const it = top.items[top.items.length - 1];
                    if (it.value)
                        top.items.push({ start: [], value: token });
                    else
                        it.value = token;
                    break;
                }
                case 'flow-collection': {
                    const it = top.items[top.items.length - 1];
                    if (!it || it.value)
                        top.items.push({ start: [], key: token, sep: [] });
                    else if (it.sep)
                        it.value = token;
                    else
                        Object.assign(it, { key: token, sep: [] });
                    return;
                }
                /* istanbul ignore next should not happen */
                default:
                    yield* this.pop();
                    yield* this.pop(token);
            }
            if ((top.type === 'document' ||
                top.type === 'block-map' ||
                top.type === 'block-seq') &&
                (token.type === 'block-map' || token.type === 'block-seq')) {
                const last = token.items[token.items.length - 1];
                if (last &&
                    !last.sep &&
                    !last.value &&
                    last.start.length > 0 &&
                    findNonEmptyIndex(last.start) === -1 &&
                    (token.indent === 0 ||
                        last.start.every(st => st.type !== 'comment' || st.indent < token.indent))) {
                    if (top.type === 'document')
                        top.end = last.start;
                    else
                        top.items.push({ start: last.start });
                    token.items.splice(-1, 1);
                }
            }
        }
    }
    *stream() {
        switch (this.type) {
            case 'directive-line':
                yield { type: 'directive', offset: this.offset, source: this.source };
                return;
            case 'byte-order-mark':
            case 'space':
            case 'comment':
            case 'newline':
                yield this.sourceToken;
                return;
            case 'doc-mode':
            case 'doc-start': {
                const doc = {
                    type: 'document',
                    offset: this.offset,
                    start: []
                };
                if (this.type === 'doc-start')
                    doc.start.push(this.sourceToken);
                this.stack.push(doc);
                return;
            }
        }
        yield {
            type: 'error',
            offset: this.offset,
            message: `Unexpected ${this.type} token in YAML stream`,
            source: this.source
        };
    }
    *document(doc) {
        if (doc.value)
            return yield* this.lineEnd(doc);
        switch (this.type) {
            case 'doc-start': {
                if (findNonEmptyIndex(doc.start) !== -1) {
                    yield* this.pop();
                    yield* this.step();
                }
                else
                    doc.start.push(this.sourceToken);
                return;
            }
            case 'anchor':
            case 'tag':
            case 'space':
            case 'comment':
            case 'newline':
                doc.start.push(this.sourceToken);
                return;
        }
        const bv = this.startBlockValue(doc);
        if (bv)
            this.stack.push(bv);
        else {
            yield {
                type: 'error',
                offset: this.offset,
                message: `Unexpected ${this.type} token in YAML document`,
                source: this.source
            };
        }
    }
    *scalar(scalar) {
        if (this.type === 'map-value-ind') {
            const prev = getPrevProps(this.peek(2));
            const start = getFirstKeyStartProps(prev);
            let sep;
            if (scalar.end) {
                sep = scalar.end;
                sep.push(this.sourceToken);
                delete scalar.end;
            }
            else
                sep = [this.sourceToken];
            const map = {
                type: 'block-map',
                offset: scalar.offset,
                indent: scalar.indent,
                items: [{ start, key: scalar, sep }]
            };
            this.onKeyLine = true;
            this.stack[this.stack.length - 1] = map;
        }
        else
            yield* this.lineEnd(scalar);
    }
    *blockScalar(scalar) {
        switch (this.type) {
            case 'space':
            case 'comment':
            case 'newline':
                scalar.props.push(this.sourceToken);
                return;
            case 'scalar':
                scalar.source = this.source;
                // block-scalar source includes trailing newline
                this.atNewLine = true;
                this.indent = 0;
                if (this.onNewLine) {
                    let nl = this.source.indexOf('\n') + 1;
                    while (nl !== 0) {
                        this.onNewLine(this.offset + nl);
                        nl = this.source.indexOf('\n', nl) + 1;
                    }
                }
                yield* this.pop();
                break;
            /* istanbul ignore next should not happen */
            default:
                yield* this.pop();
                yield* this.step();
        }
    }
    *blockMap(map) {
        const it = map.items[map.items.length - 1];
        // it.sep is true-ish if pair already has key or : separator
        switch (this.type) {
            case 'newline':
                this.onKeyLine = false;
                if (it.value) {
                    const end = 'end' in it.value ? it.value.end : undefined;
                    const last = Array.isArray(end) ? end[end.length - 1] : undefined;
                    if (last?.type === 'comment')
                        end?.push(this.sourceToken);
                    else
                        map.items.push({ start: [this.sourceToken] });
                }
                else if (it.sep) {
                    it.sep.push(this.sourceToken);
                }
                else {
                    it.start.push(this.sourceToken);
                }
                return;
            case 'space':
            case 'comment':
                if (it.value) {
                    map.items.push({ start: [this.sourceToken] });
                }
                else if (it.sep) {
                    it.sep.push(this.sourceToken);
                }
                else {
                    if (this.atIndentedComment(it.start, map.indent)) {
                        const prev = map.items[map.items.length - 2];
                        const end = prev?.value?.end;
                        if (Array.isArray(end)) {
                            arrayPushArray(end, it.start);
                            end.push(this.sourceToken);
                            map.items.pop();
                            return;
                        }
                    }
                    it.start.push(this.sourceToken);
                }
                return;
        }
        if (this.indent >= map.indent) {
            const atMapIndent = !this.onKeyLine && this.indent === map.indent;
            const atNextItem = atMapIndent &&
                (it.sep || it.explicitKey) &&
                this.type !== 'seq-item-ind';
            // For empty nodes, assign newline-separated not indented empty tokens to following node
            let start = [];
            if (atNextItem && it.sep && !it.value) {
                const nl = [];
                for (let i = 0; i < it.sep.length; ++i) {
                    const st = it.sep[i];
                    switch (st.type) {
                        case 'newline':
                            nl.push(i);
                            break;
                        case 'space':
                            break;
                        case 'comment':
                            if (st.indent > map.indent)
                                nl.length = 0;
                            break;
                        default:
                            nl.length = 0;
                    }
                }
                if (nl.length >= 2)
                    start = it.sep.splice(nl[1]);
            }
            switch (this.type) {
                case 'anchor':
                case 'tag':
                    if (atNextItem || it.value) {
                        start.push(this.sourceToken);
                        map.items.push({ start });
                        this.onKeyLine = true;
                    }
                    else if (it.sep) {
                        it.sep.push(this.sourceToken);
                    }
                    else {
                        it.start.push(this.sourceToken);
                    }
                    return;
                case 'explicit-key-ind':
                    if (!it.sep && !it.explicitKey) {
                        it.start.push(this.sourceToken);
                        it.explicitKey = true;
                    }
                    else if (atNextItem || it.value) {
                        start.push(this.sourceToken);
                        map.items.push({ start, explicitKey: true });
                    }
                    else {
                        this.stack.push({
                            type: 'block-map',
                            offset: this.offset,
                            indent: this.indent,
                            items: [{ start: [this.sourceToken], explicitKey: true }]
                        });
                    }
                    this.onKeyLine = true;
                    return;
                case 'map-value-ind':
                    if (it.explicitKey) {
                        if (!it.sep) {
                            if (includesToken(it.start, 'newline')) {
                                Object.assign(it, { key: null, sep: [this.sourceToken] });
                            }
                            else {
                                const start = getFirstKeyStartProps(it.start);
                                this.stack.push({
                                    type: 'block-map',
                                    offset: this.offset,
                                    indent: this.indent,
                                    items: [{ start, key: null, sep: [this.sourceToken] }]
                                });
                            }
                        }
                        else if (it.value) {
                            map.items.push({ start: [], key: null, sep: [this.sourceToken] });
                        }
                        else if (includesToken(it.sep, 'map-value-ind')) {
                            this.stack.push({
                                type: 'block-map',
                                offset: this.offset,
                                indent: this.indent,
                                items: [{ start, key: null, sep: [this.sourceToken] }]
                            });
                        }
                        else if (isFlowToken(it.key) &&
                            !includesToken(it.sep, 'newline')) {
                            const start = getFirstKeyStartProps(it.start);
                            const key = it.key;
                            const sep = it.sep;
                            sep.push(this.sourceToken);
                            // @ts-expect-error type guard is wrong here
                            delete it.key;
                            // @ts-expect-error type guard is wrong here
                            delete it.sep;
                            this.stack.push({
                                type: 'block-map',
                                offset: this.offset,
                                indent: this.indent,
                                items: [{ start, key, sep }]
                            });
                        }
                        else if (start.length > 0) {
                            // Not actually at next item
                            it.sep = it.sep.concat(start, this.sourceToken);
                        }
                        else {
                            it.sep.push(this.sourceToken);
                        }
                    }
                    else {
                        if (!it.sep) {
                            Object.assign(it, { key: null, sep: [this.sourceToken] });
                        }
                        else if (it.value || atNextItem) {
                            map.items.push({ start, key: null, sep: [this.sourceToken] });
                        }
                        else if (includesToken(it.sep, 'map-value-ind')) {
                            this.stack.push({
                                type: 'block-map',
                                offset: this.offset,
                                indent: this.indent,
                                items: [{ start: [], key: null, sep: [this.sourceToken] }]
                            });
                        }
                        else {
                            it.sep.push(this.sourceToken);
                        }
                    }
                    this.onKeyLine = true;
                    return;
                case 'alias':
                case 'scalar':
                case 'single-quoted-scalar':
                case 'double-quoted-scalar': {
                    const fs = this.flowScalar(this.type);
                    if (atNextItem || it.value) {
                        map.items.push({ start, key: fs, sep: [] });
                        this.onKeyLine = true;
                    }
                    else if (it.sep) {
                        this.stack.push(fs);
                    }
                    else {
                        Object.assign(it, { key: fs, sep: [] });
                        this.onKeyLine = true;
                    }
                    return;
                }
                default: {
                    const bv = this.startBlockValue(map);
                    if (bv) {
                        if (bv.type === 'block-seq') {
                            if (!it.explicitKey &&
                                it.sep &&
                                !includesToken(it.sep, 'newline')) {
                                yield* this.pop({
                                    type: 'error',
                                    offset: this.offset,
                                    message: 'Unexpected block-seq-ind on same line with key',
                                    source: this.source
                                });
                                return;
                            }
                        }
                        else if (atMapIndent) {
                            map.items.push({ start });
                        }
                        this.stack.push(bv);
                        return;
                    }
                }
            }
        }
        yield* this.pop();
        yield* this.step();
    }
    *blockSequence(seq) {
        const it = seq.items[seq.items.length - 1];
        switch (this.type) {
            case 'newline':
                if (it.value) {
                    const end = 'end' in it.value ? it.value.end : undefined;
                    const last = Array.isArray(end) ? end[end.length - 1] : undefined;
                    if (last?.type === 'comment')
                        end?.push(this.sourceToken);
                    else
                        seq.items.push({ start: [this.sourceToken] });
                }
                else
                    it.start.push(this.sourceToken);
                return;
            case 'space':
            case 'comment':
                if (it.value)
                    seq.items.push({ start: [this.sourceToken] });
                else {
                    if (this.atIndentedComment(it.start, seq.indent)) {
                        const prev = seq.items[seq.items.length - 2];
                        const end = prev?.value?.end;
                        if (Array.isArray(end)) {
                            arrayPushArray(end, it.start);
                            end.push(this.sourceToken);
                            seq.items.pop();
                            return;
                        }
                    }
                    it.start.push(this.sourceToken);
                }
                return;
            case 'anchor':
            case 'tag':
                if (it.value || this.indent <= seq.indent)
                    break;
                it.start.push(this.sourceToken);
                return;
            case 'seq-item-ind':
                if (this.indent !== seq.indent)
                    break;
                if (it.value || includesToken(it.start, 'seq-item-ind'))
                    seq.items.push({ start: [this.sourceToken] });
                else
                    it.start.push(this.sourceToken);
                return;
        }
        if (this.indent > seq.indent) {
            const bv = this.startBlockValue(seq);
            if (bv) {
                this.stack.push(bv);
                return;
            }
        }
        yield* this.pop();
        yield* this.step();
    }
    *flowCollection(fc) {
        const it = fc.items[fc.items.length - 1];
        if (this.type === 'flow-error-end') {
            let top;
            do {
                yield* this.pop();
                top = this.peek(1);
            } while (top?.type === 'flow-collection');
        }
        else if (fc.end.length === 0) {
            switch (this.type) {
                case 'comma':
                case 'explicit-key-ind':
                    if (!it || it.sep)
                        fc.items.push({ start: [this.sourceToken] });
                    else
                        it.start.push(this.sourceToken);
                    return;
                case 'map-value-ind':
                    if (!it || it.value)
                        fc.items.push({ start: [], key: null, sep: [this.sourceToken] });
                    else if (it.sep)
                        it.sep.push(this.sourceToken);
                    else
                        Object.assign(it, { key: null, sep: [this.sourceToken] });
                    return;
                case 'space':
                case 'comment':
                case 'newline':
                case 'anchor':
                case 'tag':
                    if (!it || it.value)
                        fc.items.push({ start: [this.sourceToken] });
                    else if (it.sep)
                        it.sep.push(this.sourceToken);
                    else
                        it.start.push(this.sourceToken);
                    return;
                case 'alias':
                case 'scalar':
                case 'single-quoted-scalar':
                case 'double-quoted-scalar': {
                    const fs = this.flowScalar(this.type);
                    if (!it || it.value)
                        fc.items.push({ start: [], key: fs, sep: [] });
                    else if (it.sep)
                        this.stack.push(fs);
                    else
                        Object.assign(it, { key: fs, sep: [] });
                    return;
                }
                case 'flow-map-end':
                case 'flow-seq-end':
                    fc.end.push(this.sourceToken);
                    return;
            }
            const bv = this.startBlockValue(fc);
            /* istanbul ignore else should not happen */
            if (bv)
                this.stack.push(bv);
            else {
                yield* this.pop();
                yield* this.step();
            }
        }
        else {
            const parent = this.peek(2);
            if (parent.type === 'block-map' &&
                ((this.type === 'map-value-ind' && parent.indent === fc.indent) ||
                    (this.type === 'newline' &&
                        !parent.items[parent.items.length - 1].sep))) {
                yield* this.pop();
                yield* this.step();
            }
            else if (this.type === 'map-value-ind' &&
                parent.type !== 'flow-collection') {
                const prev = getPrevProps(parent);
                const start = getFirstKeyStartProps(prev);
                fixFlowSeqItems(fc);
                const sep = fc.end.splice(1, fc.end.length);
                sep.push(this.sourceToken);
                const map = {
                    type: 'block-map',
                    offset: fc.offset,
                    indent: fc.indent,
                    items: [{ start, key: fc, sep }]
                };
                this.onKeyLine = true;
                this.stack[this.stack.length - 1] = map;
            }
            else {
                yield* this.lineEnd(fc);
            }
        }
    }
    flowScalar(type) {
        if (this.onNewLine) {
            let nl = this.source.indexOf('\n') + 1;
            while (nl !== 0) {
                this.onNewLine(this.offset + nl);
                nl = this.source.indexOf('\n', nl) + 1;
            }
        }
        return {
            type,
            offset: this.offset,
            indent: this.indent,
            source: this.source
        };
    }
    startBlockValue(parent) {
        switch (this.type) {
            case 'alias':
            case 'scalar':
            case 'single-quoted-scalar':
            case 'double-quoted-scalar':
                return this.flowScalar(this.type);
            case 'block-scalar-header':
                return {
                    type: 'block-scalar',
                    offset: this.offset,
                    indent: this.indent,
                    props: [this.sourceToken],
                    source: ''
                };
            case 'flow-map-start':
            case 'flow-seq-start':
                return {
                    type: 'flow-collection',
                    offset: this.offset,
                    indent: this.indent,
                    start: this.sourceToken,
                    items: [],
                    end: []
                };
            case 'seq-item-ind':
                return {
                    type: 'block-seq',
                    offset: this.offset,
                    indent: this.indent,
                    items: [{ start: [this.sourceToken] }]
                };
            case 'explicit-key-ind': {
                this.onKeyLine = true;
                const prev = getPrevProps(parent);
                const start = getFirstKeyStartProps(prev);
                start.push(this.sourceToken);
                return {
                    type: 'block-map',
                    offset: this.offset,
                    indent: this.indent,
                    items: [{ start, explicitKey: true }]
                };
            }
            case 'map-value-ind': {
                this.onKeyLine = true;
                const prev = getPrevProps(parent);
                const start = getFirstKeyStartProps(prev);
                return {
                    type: 'block-map',
                    offset: this.offset,
                    indent: this.indent,
                    items: [{ start, key: null, sep: [this.sourceToken] }]
                };
            }
        }
        return null;
    }
    atIndentedComment(start, indent) {
        if (this.type !== 'comment')
            return false;
        if (this.indent <= indent)
            return false;
        return start.every(st => st.type === 'newline' || st.type === 'space');
    }
    *documentEnd(docEnd) {
        if (this.type !== 'doc-mode') {
            if (docEnd.end)
                docEnd.end.push(this.sourceToken);
            else
                docEnd.end = [this.sourceToken];
            if (this.type === 'newline')
                yield* this.pop();
        }
    }
    *lineEnd(token) {
        switch (this.type) {
            case 'comma':
            case 'doc-start':
            case 'doc-end':
            case 'flow-seq-end':
            case 'flow-map-end':
            case 'map-value-ind':
                yield* this.pop();
                yield* this.step();
                break;
            case 'newline':
                this.onKeyLine = false;
            // fallthrough
            case 'space':
            case 'comment':
            default:
                // all other values are errors
                if (token.end)
                    token.end.push(this.sourceToken);
                else
                    token.end = [this.sourceToken];
                if (this.type === 'newline')
                    yield* this.pop();
        }
    }
}

exports.Parser = Parser;


/***/ }),

/***/ 4047:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var composer = __nccwpck_require__(9984);
var Document = __nccwpck_require__(3021);
var errors = __nccwpck_require__(1464);
var log = __nccwpck_require__(7249);
var identity = __nccwpck_require__(1127);
var lineCounter = __nccwpck_require__(6628);
var parser = __nccwpck_require__(3456);

function parseOptions(options) {
    const prettyErrors = options.prettyErrors !== false;
    const lineCounter$1 = options.lineCounter || (prettyErrors && new lineCounter.LineCounter()) || null;
    return { lineCounter: lineCounter$1, prettyErrors };
}
/**
 * Parse the input as a stream of YAML documents.
 *
 * Documents should be separated from each other by `...` or `---` marker lines.
 *
 * @returns If an empty `docs` array is returned, it will be of type
 *   EmptyStream and contain additional stream information. In
 *   TypeScript, you should use `'empty' in docs` as a type guard for it.
 */
function parseAllDocuments(source, options = {}) {
    const { lineCounter, prettyErrors } = parseOptions(options);
    const parser$1 = new parser.Parser(lineCounter?.addNewLine);
    const composer$1 = new composer.Composer(options);
    const docs = Array.from(composer$1.compose(parser$1.parse(source)));
    if (prettyErrors && lineCounter)
        for (const doc of docs) {
            doc.errors.forEach(errors.prettifyError(source, lineCounter));
            doc.warnings.forEach(errors.prettifyError(source, lineCounter));
        }
    if (docs.length > 0)
        return docs;
    return Object.assign([], { empty: true }, composer$1.streamInfo());
}
/** Parse an input string into a single YAML.Document */
function parseDocument(source, options = {}) {
    const { lineCounter, prettyErrors } = parseOptions(options);
    const parser$1 = new parser.Parser(lineCounter?.addNewLine);
    const composer$1 = new composer.Composer(options);
    // `doc` is always set by compose.end(true) at the very latest
    let doc = null;
    for (const _doc of composer$1.compose(parser$1.parse(source), true, source.length)) {
        if (!doc)
            doc = _doc;
        else if (doc.options.logLevel !== 'silent') {
            doc.errors.push(new errors.YAMLParseError(_doc.range.slice(0, 2), 'MULTIPLE_DOCS', 'Source contains multiple documents; please use YAML.parseAllDocuments()'));
            break;
        }
    }
    if (prettyErrors && lineCounter) {
        doc.errors.forEach(errors.prettifyError(source, lineCounter));
        doc.warnings.forEach(errors.prettifyError(source, lineCounter));
    }
    return doc;
}
function parse(src, reviver, options) {
    let _reviver = undefined;
    if (typeof reviver === 'function') {
        _reviver = reviver;
    }
    else if (options === undefined && reviver && typeof reviver === 'object') {
        options = reviver;
    }
    const doc = parseDocument(src, options);
    if (!doc)
        return null;
    doc.warnings.forEach(warning => log.warn(doc.options.logLevel, warning));
    if (doc.errors.length > 0) {
        if (doc.options.logLevel !== 'silent')
            throw doc.errors[0];
        else
            doc.errors = [];
    }
    return doc.toJS(Object.assign({ reviver: _reviver }, options));
}
function stringify(value, replacer, options) {
    let _replacer = null;
    if (typeof replacer === 'function' || Array.isArray(replacer)) {
        _replacer = replacer;
    }
    else if (options === undefined && replacer) {
        options = replacer;
    }
    if (typeof options === 'string')
        options = options.length;
    if (typeof options === 'number') {
        const indent = Math.round(options);
        options = indent < 1 ? undefined : indent > 8 ? { indent: 8 } : { indent };
    }
    if (value === undefined) {
        const { keepUndefined } = options ?? replacer ?? {};
        if (!keepUndefined)
            return undefined;
    }
    if (identity.isDocument(value) && !_replacer)
        return value.toString(options);
    return new Document.Document(value, _replacer, options).toString(options);
}

exports.parse = parse;
exports.parseAllDocuments = parseAllDocuments;
exports.parseDocument = parseDocument;
exports.stringify = stringify;


/***/ }),

/***/ 5840:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var map = __nccwpck_require__(7451);
var seq = __nccwpck_require__(1706);
var string = __nccwpck_require__(6464);
var tags = __nccwpck_require__(18);

const sortMapEntriesByKey = (a, b) => a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
class Schema {
    constructor({ compat, customTags, merge, resolveKnownTags, schema, sortMapEntries, toStringDefaults }) {
        this.compat = Array.isArray(compat)
            ? tags.getTags(compat, 'compat')
            : compat
                ? tags.getTags(null, compat)
                : null;
        this.name = (typeof schema === 'string' && schema) || 'core';
        this.knownTags = resolveKnownTags ? tags.coreKnownTags : {};
        this.tags = tags.getTags(customTags, this.name, merge);
        this.toStringOptions = toStringDefaults ?? null;
        Object.defineProperty(this, identity.MAP, { value: map.map });
        Object.defineProperty(this, identity.SCALAR, { value: string.string });
        Object.defineProperty(this, identity.SEQ, { value: seq.seq });
        // Used by createMap()
        this.sortMapEntries =
            typeof sortMapEntries === 'function'
                ? sortMapEntries
                : sortMapEntries === true
                    ? sortMapEntriesByKey
                    : null;
    }
    clone() {
        const copy = Object.create(Schema.prototype, Object.getOwnPropertyDescriptors(this));
        copy.tags = this.tags.slice();
        return copy;
    }
}

exports.Schema = Schema;


/***/ }),

/***/ 7451:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var YAMLMap = __nccwpck_require__(4454);

const map = {
    collection: 'map',
    default: true,
    nodeClass: YAMLMap.YAMLMap,
    tag: 'tag:yaml.org,2002:map',
    resolve(map, onError) {
        if (!identity.isMap(map))
            onError('Expected a mapping for this tag');
        return map;
    },
    createNode: (schema, obj, ctx) => YAMLMap.YAMLMap.from(schema, obj, ctx)
};

exports.map = map;


/***/ }),

/***/ 3632:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Scalar = __nccwpck_require__(3301);

const nullTag = {
    identify: value => value == null,
    createNode: () => new Scalar.Scalar(null),
    default: true,
    tag: 'tag:yaml.org,2002:null',
    test: /^(?:~|[Nn]ull|NULL)?$/,
    resolve: () => new Scalar.Scalar(null),
    stringify: ({ source }, ctx) => typeof source === 'string' && nullTag.test.test(source)
        ? source
        : ctx.options.nullStr
};

exports.nullTag = nullTag;


/***/ }),

/***/ 1706:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var YAMLSeq = __nccwpck_require__(2223);

const seq = {
    collection: 'seq',
    default: true,
    nodeClass: YAMLSeq.YAMLSeq,
    tag: 'tag:yaml.org,2002:seq',
    resolve(seq, onError) {
        if (!identity.isSeq(seq))
            onError('Expected a sequence for this tag');
        return seq;
    },
    createNode: (schema, obj, ctx) => YAMLSeq.YAMLSeq.from(schema, obj, ctx)
};

exports.seq = seq;


/***/ }),

/***/ 6464:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var stringifyString = __nccwpck_require__(3069);

const string = {
    identify: value => typeof value === 'string',
    default: true,
    tag: 'tag:yaml.org,2002:str',
    resolve: str => str,
    stringify(item, ctx, onComment, onChompKeep) {
        ctx = Object.assign({ actualString: true }, ctx);
        return stringifyString.stringifyString(item, ctx, onComment, onChompKeep);
    }
};

exports.string = string;


/***/ }),

/***/ 3959:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Scalar = __nccwpck_require__(3301);

const boolTag = {
    identify: value => typeof value === 'boolean',
    default: true,
    tag: 'tag:yaml.org,2002:bool',
    test: /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/,
    resolve: str => new Scalar.Scalar(str[0] === 't' || str[0] === 'T'),
    stringify({ source, value }, ctx) {
        if (source && boolTag.test.test(source)) {
            const sv = source[0] === 't' || source[0] === 'T';
            if (value === sv)
                return source;
        }
        return value ? ctx.options.trueStr : ctx.options.falseStr;
    }
};

exports.boolTag = boolTag;


/***/ }),

/***/ 8405:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Scalar = __nccwpck_require__(3301);
var stringifyNumber = __nccwpck_require__(8689);

const floatNaN = {
    identify: value => typeof value === 'number',
    default: true,
    tag: 'tag:yaml.org,2002:float',
    test: /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
    resolve: str => str.slice(-3).toLowerCase() === 'nan'
        ? NaN
        : str[0] === '-'
            ? Number.NEGATIVE_INFINITY
            : Number.POSITIVE_INFINITY,
    stringify: stringifyNumber.stringifyNumber
};
const floatExp = {
    identify: value => typeof value === 'number',
    default: true,
    tag: 'tag:yaml.org,2002:float',
    format: 'EXP',
    test: /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/,
    resolve: str => parseFloat(str),
    stringify(node) {
        const num = Number(node.value);
        return isFinite(num) ? num.toExponential() : stringifyNumber.stringifyNumber(node);
    }
};
const float = {
    identify: value => typeof value === 'number',
    default: true,
    tag: 'tag:yaml.org,2002:float',
    test: /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/,
    resolve(str) {
        const node = new Scalar.Scalar(parseFloat(str));
        const dot = str.indexOf('.');
        if (dot !== -1 && str[str.length - 1] === '0')
            node.minFractionDigits = str.length - dot - 1;
        return node;
    },
    stringify: stringifyNumber.stringifyNumber
};

exports.float = float;
exports.floatExp = floatExp;
exports.floatNaN = floatNaN;


/***/ }),

/***/ 9874:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var stringifyNumber = __nccwpck_require__(8689);

const intIdentify = (value) => typeof value === 'bigint' || Number.isInteger(value);
const intResolve = (str, offset, radix, { intAsBigInt }) => (intAsBigInt ? BigInt(str) : parseInt(str.substring(offset), radix));
function intStringify(node, radix, prefix) {
    const { value } = node;
    if (intIdentify(value) && value >= 0)
        return prefix + value.toString(radix);
    return stringifyNumber.stringifyNumber(node);
}
const intOct = {
    identify: value => intIdentify(value) && value >= 0,
    default: true,
    tag: 'tag:yaml.org,2002:int',
    format: 'OCT',
    test: /^0o[0-7]+$/,
    resolve: (str, _onError, opt) => intResolve(str, 2, 8, opt),
    stringify: node => intStringify(node, 8, '0o')
};
const int = {
    identify: intIdentify,
    default: true,
    tag: 'tag:yaml.org,2002:int',
    test: /^[-+]?[0-9]+$/,
    resolve: (str, _onError, opt) => intResolve(str, 0, 10, opt),
    stringify: stringifyNumber.stringifyNumber
};
const intHex = {
    identify: value => intIdentify(value) && value >= 0,
    default: true,
    tag: 'tag:yaml.org,2002:int',
    format: 'HEX',
    test: /^0x[0-9a-fA-F]+$/,
    resolve: (str, _onError, opt) => intResolve(str, 2, 16, opt),
    stringify: node => intStringify(node, 16, '0x')
};

exports.int = int;
exports.intHex = intHex;
exports.intOct = intOct;


/***/ }),

/***/ 896:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var map = __nccwpck_require__(7451);
var _null = __nccwpck_require__(3632);
var seq = __nccwpck_require__(1706);
var string = __nccwpck_require__(6464);
var bool = __nccwpck_require__(3959);
var float = __nccwpck_require__(8405);
var int = __nccwpck_require__(9874);

const schema = [
    map.map,
    seq.seq,
    string.string,
    _null.nullTag,
    bool.boolTag,
    int.intOct,
    int.int,
    int.intHex,
    float.floatNaN,
    float.floatExp,
    float.float
];

exports.schema = schema;


/***/ }),

/***/ 3559:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Scalar = __nccwpck_require__(3301);
var map = __nccwpck_require__(7451);
var seq = __nccwpck_require__(1706);

function intIdentify(value) {
    return typeof value === 'bigint' || Number.isInteger(value);
}
const stringifyJSON = ({ value }) => JSON.stringify(value);
const jsonScalars = [
    {
        identify: value => typeof value === 'string',
        default: true,
        tag: 'tag:yaml.org,2002:str',
        resolve: str => str,
        stringify: stringifyJSON
    },
    {
        identify: value => value == null,
        createNode: () => new Scalar.Scalar(null),
        default: true,
        tag: 'tag:yaml.org,2002:null',
        test: /^null$/,
        resolve: () => null,
        stringify: stringifyJSON
    },
    {
        identify: value => typeof value === 'boolean',
        default: true,
        tag: 'tag:yaml.org,2002:bool',
        test: /^true$|^false$/,
        resolve: str => str === 'true',
        stringify: stringifyJSON
    },
    {
        identify: intIdentify,
        default: true,
        tag: 'tag:yaml.org,2002:int',
        test: /^-?(?:0|[1-9][0-9]*)$/,
        resolve: (str, _onError, { intAsBigInt }) => intAsBigInt ? BigInt(str) : parseInt(str, 10),
        stringify: ({ value }) => intIdentify(value) ? value.toString() : JSON.stringify(value)
    },
    {
        identify: value => typeof value === 'number',
        default: true,
        tag: 'tag:yaml.org,2002:float',
        test: /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?$/,
        resolve: str => parseFloat(str),
        stringify: stringifyJSON
    }
];
const jsonError = {
    default: true,
    tag: '',
    test: /^/,
    resolve(str, onError) {
        onError(`Unresolved plain scalar ${JSON.stringify(str)}`);
        return str;
    }
};
const schema = [map.map, seq.seq].concat(jsonScalars, jsonError);

exports.schema = schema;


/***/ }),

/***/ 18:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var map = __nccwpck_require__(7451);
var _null = __nccwpck_require__(3632);
var seq = __nccwpck_require__(1706);
var string = __nccwpck_require__(6464);
var bool = __nccwpck_require__(3959);
var float = __nccwpck_require__(8405);
var int = __nccwpck_require__(9874);
var schema = __nccwpck_require__(896);
var schema$1 = __nccwpck_require__(3559);
var binary = __nccwpck_require__(6083);
var merge = __nccwpck_require__(452);
var omap = __nccwpck_require__(303);
var pairs = __nccwpck_require__(8385);
var schema$2 = __nccwpck_require__(5913);
var set = __nccwpck_require__(1528);
var timestamp = __nccwpck_require__(6752);

const schemas = new Map([
    ['core', schema.schema],
    ['failsafe', [map.map, seq.seq, string.string]],
    ['json', schema$1.schema],
    ['yaml11', schema$2.schema],
    ['yaml-1.1', schema$2.schema]
]);
const tagsByName = {
    binary: binary.binary,
    bool: bool.boolTag,
    float: float.float,
    floatExp: float.floatExp,
    floatNaN: float.floatNaN,
    floatTime: timestamp.floatTime,
    int: int.int,
    intHex: int.intHex,
    intOct: int.intOct,
    intTime: timestamp.intTime,
    map: map.map,
    merge: merge.merge,
    null: _null.nullTag,
    omap: omap.omap,
    pairs: pairs.pairs,
    seq: seq.seq,
    set: set.set,
    timestamp: timestamp.timestamp
};
const coreKnownTags = {
    'tag:yaml.org,2002:binary': binary.binary,
    'tag:yaml.org,2002:merge': merge.merge,
    'tag:yaml.org,2002:omap': omap.omap,
    'tag:yaml.org,2002:pairs': pairs.pairs,
    'tag:yaml.org,2002:set': set.set,
    'tag:yaml.org,2002:timestamp': timestamp.timestamp
};
function getTags(customTags, schemaName, addMergeTag) {
    const schemaTags = schemas.get(schemaName);
    if (schemaTags && !customTags) {
        return addMergeTag && !schemaTags.includes(merge.merge)
            ? schemaTags.concat(merge.merge)
            : schemaTags.slice();
    }
    let tags = schemaTags;
    if (!tags) {
        if (Array.isArray(customTags))
            tags = [];
        else {
            const keys = Array.from(schemas.keys())
                .filter(key => key !== 'yaml11')
                .map(key => JSON.stringify(key))
                .join(', ');
            throw new Error(`Unknown schema "${schemaName}"; use one of ${keys} or define customTags array`);
        }
    }
    if (Array.isArray(customTags)) {
        for (const tag of customTags)
            tags = tags.concat(tag);
    }
    else if (typeof customTags === 'function') {
        tags = customTags(tags.slice());
    }
    if (addMergeTag)
        tags = tags.concat(merge.merge);
    return tags.reduce((tags, tag) => {
        const tagObj = typeof tag === 'string' ? tagsByName[tag] : tag;
        if (!tagObj) {
            const tagName = JSON.stringify(tag);
            const keys = Object.keys(tagsByName)
                .map(key => JSON.stringify(key))
                .join(', ');
            throw new Error(`Unknown custom tag ${tagName}; use one of ${keys}`);
        }
        if (!tags.includes(tagObj))
            tags.push(tagObj);
        return tags;
    }, []);
}

exports.coreKnownTags = coreKnownTags;
exports.getTags = getTags;


/***/ }),

/***/ 6083:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var node_buffer = __nccwpck_require__(181);
var Scalar = __nccwpck_require__(3301);
var stringifyString = __nccwpck_require__(3069);

const binary = {
    identify: value => value instanceof Uint8Array, // Buffer inherits from Uint8Array
    default: false,
    tag: 'tag:yaml.org,2002:binary',
    /**
     * Returns a Buffer in node and an Uint8Array in browsers
     *
     * To use the resulting buffer as an image, you'll want to do something like:
     *
     *   const blob = new Blob([buffer], { type: 'image/jpeg' })
     *   document.querySelector('#photo').src = URL.createObjectURL(blob)
     */
    resolve(src, onError) {
        if (typeof node_buffer.Buffer === 'function') {
            return node_buffer.Buffer.from(src, 'base64');
        }
        else if (typeof atob === 'function') {
            // On IE 11, atob() can't handle newlines
            const str = atob(src.replace(/[\n\r]/g, ''));
            const buffer = new Uint8Array(str.length);
            for (let i = 0; i < str.length; ++i)
                buffer[i] = str.charCodeAt(i);
            return buffer;
        }
        else {
            onError('This environment does not support reading binary tags; either Buffer or atob is required');
            return src;
        }
    },
    stringify({ comment, type, value }, ctx, onComment, onChompKeep) {
        if (!value)
            return '';
        const buf = value; // checked earlier by binary.identify()
        let str;
        if (typeof node_buffer.Buffer === 'function') {
            str =
                buf instanceof node_buffer.Buffer
                    ? buf.toString('base64')
                    : node_buffer.Buffer.from(buf.buffer).toString('base64');
        }
        else if (typeof btoa === 'function') {
            let s = '';
            for (let i = 0; i < buf.length; ++i)
                s += String.fromCharCode(buf[i]);
            str = btoa(s);
        }
        else {
            throw new Error('This environment does not support writing binary tags; either Buffer or btoa is required');
        }
        type ?? (type = Scalar.Scalar.BLOCK_LITERAL);
        if (type !== Scalar.Scalar.QUOTE_DOUBLE) {
            const lineWidth = Math.max(ctx.options.lineWidth - ctx.indent.length, ctx.options.minContentWidth);
            const n = Math.ceil(str.length / lineWidth);
            const lines = new Array(n);
            for (let i = 0, o = 0; i < n; ++i, o += lineWidth) {
                lines[i] = str.substr(o, lineWidth);
            }
            str = lines.join(type === Scalar.Scalar.BLOCK_LITERAL ? '\n' : ' ');
        }
        return stringifyString.stringifyString({ comment, type, value: str }, ctx, onComment, onChompKeep);
    }
};

exports.binary = binary;


/***/ }),

/***/ 8398:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Scalar = __nccwpck_require__(3301);

function boolStringify({ value, source }, ctx) {
    const boolObj = value ? trueTag : falseTag;
    if (source && boolObj.test.test(source))
        return source;
    return value ? ctx.options.trueStr : ctx.options.falseStr;
}
const trueTag = {
    identify: value => value === true,
    default: true,
    tag: 'tag:yaml.org,2002:bool',
    test: /^(?:Y|y|[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$/,
    resolve: () => new Scalar.Scalar(true),
    stringify: boolStringify
};
const falseTag = {
    identify: value => value === false,
    default: true,
    tag: 'tag:yaml.org,2002:bool',
    test: /^(?:N|n|[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/,
    resolve: () => new Scalar.Scalar(false),
    stringify: boolStringify
};

exports.falseTag = falseTag;
exports.trueTag = trueTag;


/***/ }),

/***/ 5782:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Scalar = __nccwpck_require__(3301);
var stringifyNumber = __nccwpck_require__(8689);

const floatNaN = {
    identify: value => typeof value === 'number',
    default: true,
    tag: 'tag:yaml.org,2002:float',
    test: /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
    resolve: (str) => str.slice(-3).toLowerCase() === 'nan'
        ? NaN
        : str[0] === '-'
            ? Number.NEGATIVE_INFINITY
            : Number.POSITIVE_INFINITY,
    stringify: stringifyNumber.stringifyNumber
};
const floatExp = {
    identify: value => typeof value === 'number',
    default: true,
    tag: 'tag:yaml.org,2002:float',
    format: 'EXP',
    test: /^[-+]?(?:[0-9][0-9_]*)?(?:\.[0-9_]*)?[eE][-+]?[0-9]+$/,
    resolve: (str) => parseFloat(str.replace(/_/g, '')),
    stringify(node) {
        const num = Number(node.value);
        return isFinite(num) ? num.toExponential() : stringifyNumber.stringifyNumber(node);
    }
};
const float = {
    identify: value => typeof value === 'number',
    default: true,
    tag: 'tag:yaml.org,2002:float',
    test: /^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*$/,
    resolve(str) {
        const node = new Scalar.Scalar(parseFloat(str.replace(/_/g, '')));
        const dot = str.indexOf('.');
        if (dot !== -1) {
            const f = str.substring(dot + 1).replace(/_/g, '');
            if (f[f.length - 1] === '0')
                node.minFractionDigits = f.length;
        }
        return node;
    },
    stringify: stringifyNumber.stringifyNumber
};

exports.float = float;
exports.floatExp = floatExp;
exports.floatNaN = floatNaN;


/***/ }),

/***/ 873:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var stringifyNumber = __nccwpck_require__(8689);

const intIdentify = (value) => typeof value === 'bigint' || Number.isInteger(value);
function intResolve(str, offset, radix, { intAsBigInt }) {
    const sign = str[0];
    if (sign === '-' || sign === '+')
        offset += 1;
    str = str.substring(offset).replace(/_/g, '');
    if (intAsBigInt) {
        switch (radix) {
            case 2:
                str = `0b${str}`;
                break;
            case 8:
                str = `0o${str}`;
                break;
            case 16:
                str = `0x${str}`;
                break;
        }
        const n = BigInt(str);
        return sign === '-' ? BigInt(-1) * n : n;
    }
    const n = parseInt(str, radix);
    return sign === '-' ? -1 * n : n;
}
function intStringify(node, radix, prefix) {
    const { value } = node;
    if (intIdentify(value)) {
        const str = value.toString(radix);
        return value < 0 ? '-' + prefix + str.substr(1) : prefix + str;
    }
    return stringifyNumber.stringifyNumber(node);
}
const intBin = {
    identify: intIdentify,
    default: true,
    tag: 'tag:yaml.org,2002:int',
    format: 'BIN',
    test: /^[-+]?0b[0-1_]+$/,
    resolve: (str, _onError, opt) => intResolve(str, 2, 2, opt),
    stringify: node => intStringify(node, 2, '0b')
};
const intOct = {
    identify: intIdentify,
    default: true,
    tag: 'tag:yaml.org,2002:int',
    format: 'OCT',
    test: /^[-+]?0[0-7_]+$/,
    resolve: (str, _onError, opt) => intResolve(str, 1, 8, opt),
    stringify: node => intStringify(node, 8, '0')
};
const int = {
    identify: intIdentify,
    default: true,
    tag: 'tag:yaml.org,2002:int',
    test: /^[-+]?[0-9][0-9_]*$/,
    resolve: (str, _onError, opt) => intResolve(str, 0, 10, opt),
    stringify: stringifyNumber.stringifyNumber
};
const intHex = {
    identify: intIdentify,
    default: true,
    tag: 'tag:yaml.org,2002:int',
    format: 'HEX',
    test: /^[-+]?0x[0-9a-fA-F_]+$/,
    resolve: (str, _onError, opt) => intResolve(str, 2, 16, opt),
    stringify: node => intStringify(node, 16, '0x')
};

exports.int = int;
exports.intBin = intBin;
exports.intHex = intHex;
exports.intOct = intOct;


/***/ }),

/***/ 452:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var Scalar = __nccwpck_require__(3301);

// If the value associated with a merge key is a single mapping node, each of
// its key/value pairs is inserted into the current mapping, unless the key
// already exists in it. If the value associated with the merge key is a
// sequence, then this sequence is expected to contain mapping nodes and each
// of these nodes is merged in turn according to its order in the sequence.
// Keys in mapping nodes earlier in the sequence override keys specified in
// later mapping nodes. -- http://yaml.org/type/merge.html
const MERGE_KEY = '<<';
const merge = {
    identify: value => value === MERGE_KEY ||
        (typeof value === 'symbol' && value.description === MERGE_KEY),
    default: 'key',
    tag: 'tag:yaml.org,2002:merge',
    test: /^<<$/,
    resolve: () => Object.assign(new Scalar.Scalar(Symbol(MERGE_KEY)), {
        addToJSMap: addMergeToJSMap
    }),
    stringify: () => MERGE_KEY
};
const isMergeKey = (ctx, key) => (merge.identify(key) ||
    (identity.isScalar(key) &&
        (!key.type || key.type === Scalar.Scalar.PLAIN) &&
        merge.identify(key.value))) &&
    ctx?.doc.schema.tags.some(tag => tag.tag === merge.tag && tag.default);
function addMergeToJSMap(ctx, map, value) {
    const source = resolveAliasValue(ctx, value);
    if (identity.isSeq(source))
        for (const it of source.items)
            mergeValue(ctx, map, it);
    else if (Array.isArray(source))
        for (const it of source)
            mergeValue(ctx, map, it);
    else
        mergeValue(ctx, map, source);
}
function mergeValue(ctx, map, value) {
    const source = resolveAliasValue(ctx, value);
    if (!identity.isMap(source))
        throw new Error('Merge sources must be maps or map aliases');
    const srcMap = source.toJSON(null, ctx, Map);
    for (const [key, value] of srcMap) {
        if (map instanceof Map) {
            if (!map.has(key))
                map.set(key, value);
        }
        else if (map instanceof Set) {
            map.add(key);
        }
        else if (!Object.prototype.hasOwnProperty.call(map, key)) {
            Object.defineProperty(map, key, {
                value,
                writable: true,
                enumerable: true,
                configurable: true
            });
        }
    }
    return map;
}
function resolveAliasValue(ctx, value) {
    return ctx && identity.isAlias(value) ? value.resolve(ctx.doc, ctx) : value;
}

exports.addMergeToJSMap = addMergeToJSMap;
exports.isMergeKey = isMergeKey;
exports.merge = merge;


/***/ }),

/***/ 303:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var toJS = __nccwpck_require__(4043);
var YAMLMap = __nccwpck_require__(4454);
var YAMLSeq = __nccwpck_require__(2223);
var pairs = __nccwpck_require__(8385);

class YAMLOMap extends YAMLSeq.YAMLSeq {
    constructor() {
        super();
        this.add = YAMLMap.YAMLMap.prototype.add.bind(this);
        this.delete = YAMLMap.YAMLMap.prototype.delete.bind(this);
        this.get = YAMLMap.YAMLMap.prototype.get.bind(this);
        this.has = YAMLMap.YAMLMap.prototype.has.bind(this);
        this.set = YAMLMap.YAMLMap.prototype.set.bind(this);
        this.tag = YAMLOMap.tag;
    }
    /**
     * If `ctx` is given, the return type is actually `Map<unknown, unknown>`,
     * but TypeScript won't allow widening the signature of a child method.
     */
    toJSON(_, ctx) {
        if (!ctx)
            return super.toJSON(_);
        const map = new Map();
        if (ctx?.onCreate)
            ctx.onCreate(map);
        for (const pair of this.items) {
            let key, value;
            if (identity.isPair(pair)) {
                key = toJS.toJS(pair.key, '', ctx);
                value = toJS.toJS(pair.value, key, ctx);
            }
            else {
                key = toJS.toJS(pair, '', ctx);
            }
            if (map.has(key))
                throw new Error('Ordered maps must not include duplicate keys');
            map.set(key, value);
        }
        return map;
    }
    static from(schema, iterable, ctx) {
        const pairs$1 = pairs.createPairs(schema, iterable, ctx);
        const omap = new this();
        omap.items = pairs$1.items;
        return omap;
    }
}
YAMLOMap.tag = 'tag:yaml.org,2002:omap';
const omap = {
    collection: 'seq',
    identify: value => value instanceof Map,
    nodeClass: YAMLOMap,
    default: false,
    tag: 'tag:yaml.org,2002:omap',
    resolve(seq, onError) {
        const pairs$1 = pairs.resolvePairs(seq, onError);
        const seenKeys = [];
        for (const { key } of pairs$1.items) {
            if (identity.isScalar(key)) {
                if (seenKeys.includes(key.value)) {
                    onError(`Ordered maps must not include duplicate keys: ${key.value}`);
                }
                else {
                    seenKeys.push(key.value);
                }
            }
        }
        return Object.assign(new YAMLOMap(), pairs$1);
    },
    createNode: (schema, iterable, ctx) => YAMLOMap.from(schema, iterable, ctx)
};

exports.YAMLOMap = YAMLOMap;
exports.omap = omap;


/***/ }),

/***/ 8385:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var Pair = __nccwpck_require__(7165);
var Scalar = __nccwpck_require__(3301);
var YAMLSeq = __nccwpck_require__(2223);

function resolvePairs(seq, onError) {
    if (identity.isSeq(seq)) {
        for (let i = 0; i < seq.items.length; ++i) {
            let item = seq.items[i];
            if (identity.isPair(item))
                continue;
            else if (identity.isMap(item)) {
                if (item.items.length > 1)
                    onError('Each pair must have its own sequence indicator');
                const pair = item.items[0] || new Pair.Pair(new Scalar.Scalar(null));
                if (item.commentBefore)
                    pair.key.commentBefore = pair.key.commentBefore
                        ? `${item.commentBefore}\n${pair.key.commentBefore}`
                        : item.commentBefore;
                if (item.comment) {
                    const cn = pair.value ?? pair.key;
                    cn.comment = cn.comment
                        ? `${item.comment}\n${cn.comment}`
                        : item.comment;
                }
                item = pair;
            }
            seq.items[i] = identity.isPair(item) ? item : new Pair.Pair(item);
        }
    }
    else
        onError('Expected a sequence for this tag');
    return seq;
}
function createPairs(schema, iterable, ctx) {
    const { replacer } = ctx;
    const pairs = new YAMLSeq.YAMLSeq(schema);
    pairs.tag = 'tag:yaml.org,2002:pairs';
    let i = 0;
    if (iterable && Symbol.iterator in Object(iterable))
        for (let it of iterable) {
            if (typeof replacer === 'function')
                it = replacer.call(iterable, String(i++), it);
            let key, value;
            if (Array.isArray(it)) {
                if (it.length === 2) {
                    key = it[0];
                    value = it[1];
                }
                else
                    throw new TypeError(`Expected [key, value] tuple: ${it}`);
            }
            else if (it && it instanceof Object) {
                const keys = Object.keys(it);
                if (keys.length === 1) {
                    key = keys[0];
                    value = it[key];
                }
                else {
                    throw new TypeError(`Expected tuple with one key, not ${keys.length} keys`);
                }
            }
            else {
                key = it;
            }
            pairs.items.push(Pair.createPair(key, value, ctx));
        }
    return pairs;
}
const pairs = {
    collection: 'seq',
    default: false,
    tag: 'tag:yaml.org,2002:pairs',
    resolve: resolvePairs,
    createNode: createPairs
};

exports.createPairs = createPairs;
exports.pairs = pairs;
exports.resolvePairs = resolvePairs;


/***/ }),

/***/ 5913:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var map = __nccwpck_require__(7451);
var _null = __nccwpck_require__(3632);
var seq = __nccwpck_require__(1706);
var string = __nccwpck_require__(6464);
var binary = __nccwpck_require__(6083);
var bool = __nccwpck_require__(8398);
var float = __nccwpck_require__(5782);
var int = __nccwpck_require__(873);
var merge = __nccwpck_require__(452);
var omap = __nccwpck_require__(303);
var pairs = __nccwpck_require__(8385);
var set = __nccwpck_require__(1528);
var timestamp = __nccwpck_require__(6752);

const schema = [
    map.map,
    seq.seq,
    string.string,
    _null.nullTag,
    bool.trueTag,
    bool.falseTag,
    int.intBin,
    int.intOct,
    int.int,
    int.intHex,
    float.floatNaN,
    float.floatExp,
    float.float,
    binary.binary,
    merge.merge,
    omap.omap,
    pairs.pairs,
    set.set,
    timestamp.intTime,
    timestamp.floatTime,
    timestamp.timestamp
];

exports.schema = schema;


/***/ }),

/***/ 1528:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var Pair = __nccwpck_require__(7165);
var YAMLMap = __nccwpck_require__(4454);

class YAMLSet extends YAMLMap.YAMLMap {
    constructor(schema) {
        super(schema);
        this.tag = YAMLSet.tag;
    }
    add(key) {
        let pair;
        if (identity.isPair(key))
            pair = key;
        else if (key &&
            typeof key === 'object' &&
            'key' in key &&
            'value' in key &&
            key.value === null)
            pair = new Pair.Pair(key.key, null);
        else
            pair = new Pair.Pair(key, null);
        const prev = YAMLMap.findPair(this.items, pair.key);
        if (!prev)
            this.items.push(pair);
    }
    /**
     * If `keepPair` is `true`, returns the Pair matching `key`.
     * Otherwise, returns the value of that Pair's key.
     */
    get(key, keepPair) {
        const pair = YAMLMap.findPair(this.items, key);
        return !keepPair && identity.isPair(pair)
            ? identity.isScalar(pair.key)
                ? pair.key.value
                : pair.key
            : pair;
    }
    set(key, value) {
        if (typeof value !== 'boolean')
            throw new Error(`Expected boolean value for set(key, value) in a YAML set, not ${typeof value}`);
        const prev = YAMLMap.findPair(this.items, key);
        if (prev && !value) {
            this.items.splice(this.items.indexOf(prev), 1);
        }
        else if (!prev && value) {
            this.items.push(new Pair.Pair(key));
        }
    }
    toJSON(_, ctx) {
        return super.toJSON(_, ctx, Set);
    }
    toString(ctx, onComment, onChompKeep) {
        if (!ctx)
            return JSON.stringify(this);
        if (this.hasAllNullValues(true))
            return super.toString(Object.assign({}, ctx, { allNullValues: true }), onComment, onChompKeep);
        else
            throw new Error('Set items must all have null values');
    }
    static from(schema, iterable, ctx) {
        const { replacer } = ctx;
        const set = new this(schema);
        if (iterable && Symbol.iterator in Object(iterable))
            for (let value of iterable) {
                if (typeof replacer === 'function')
                    value = replacer.call(iterable, value, value);
                set.items.push(Pair.createPair(value, null, ctx));
            }
        return set;
    }
}
YAMLSet.tag = 'tag:yaml.org,2002:set';
const set = {
    collection: 'map',
    identify: value => value instanceof Set,
    nodeClass: YAMLSet,
    default: false,
    tag: 'tag:yaml.org,2002:set',
    createNode: (schema, iterable, ctx) => YAMLSet.from(schema, iterable, ctx),
    resolve(map, onError) {
        if (identity.isMap(map)) {
            if (map.hasAllNullValues(true))
                return Object.assign(new YAMLSet(), map);
            else
                onError('Set items must all have null values');
        }
        else
            onError('Expected a mapping for this tag');
        return map;
    }
};

exports.YAMLSet = YAMLSet;
exports.set = set;


/***/ }),

/***/ 6752:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var stringifyNumber = __nccwpck_require__(8689);

/** Internal types handle bigint as number, because TS can't figure it out. */
function parseSexagesimal(str, asBigInt) {
    const sign = str[0];
    const parts = sign === '-' || sign === '+' ? str.substring(1) : str;
    const num = (n) => asBigInt ? BigInt(n) : Number(n);
    const res = parts
        .replace(/_/g, '')
        .split(':')
        .reduce((res, p) => res * num(60) + num(p), num(0));
    return (sign === '-' ? num(-1) * res : res);
}
/**
 * hhhh:mm:ss.sss
 *
 * Internal types handle bigint as number, because TS can't figure it out.
 */
function stringifySexagesimal(node) {
    let { value } = node;
    let num = (n) => n;
    if (typeof value === 'bigint')
        num = n => BigInt(n);
    else if (isNaN(value) || !isFinite(value))
        return stringifyNumber.stringifyNumber(node);
    let sign = '';
    if (value < 0) {
        sign = '-';
        value *= num(-1);
    }
    const _60 = num(60);
    const parts = [value % _60]; // seconds, including ms
    if (value < 60) {
        parts.unshift(0); // at least one : is required
    }
    else {
        value = (value - parts[0]) / _60;
        parts.unshift(value % _60); // minutes
        if (value >= 60) {
            value = (value - parts[0]) / _60;
            parts.unshift(value); // hours
        }
    }
    return (sign +
        parts
            .map(n => String(n).padStart(2, '0'))
            .join(':')
            .replace(/000000\d*$/, '') // % 60 may introduce error
    );
}
const intTime = {
    identify: value => typeof value === 'bigint' || Number.isInteger(value),
    default: true,
    tag: 'tag:yaml.org,2002:int',
    format: 'TIME',
    test: /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+$/,
    resolve: (str, _onError, { intAsBigInt }) => parseSexagesimal(str, intAsBigInt),
    stringify: stringifySexagesimal
};
const floatTime = {
    identify: value => typeof value === 'number',
    default: true,
    tag: 'tag:yaml.org,2002:float',
    format: 'TIME',
    test: /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*$/,
    resolve: str => parseSexagesimal(str, false),
    stringify: stringifySexagesimal
};
const timestamp = {
    identify: value => value instanceof Date,
    default: true,
    tag: 'tag:yaml.org,2002:timestamp',
    // If the time zone is omitted, the timestamp is assumed to be specified in UTC. The time part
    // may be omitted altogether, resulting in a date format. In such a case, the time part is
    // assumed to be 00:00:00Z (start of day, UTC).
    test: RegExp('^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})' + // YYYY-Mm-Dd
        '(?:' + // time is optional
        '(?:t|T|[ \\t]+)' + // t | T | whitespace
        '([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2}(\\.[0-9]+)?)' + // Hh:Mm:Ss(.ss)?
        '(?:[ \\t]*(Z|[-+][012]?[0-9](?::[0-9]{2})?))?' + // Z | +5 | -03:30
        ')?$'),
    resolve(str) {
        const match = str.match(timestamp.test);
        if (!match)
            throw new Error('!!timestamp expects a date, starting with yyyy-mm-dd');
        const [, year, month, day, hour, minute, second] = match.map(Number);
        const millisec = match[7] ? Number((match[7] + '00').substr(1, 3)) : 0;
        let date = Date.UTC(year, month - 1, day, hour || 0, minute || 0, second || 0, millisec);
        const tz = match[8];
        if (tz && tz !== 'Z') {
            let d = parseSexagesimal(tz, false);
            if (Math.abs(d) < 30)
                d *= 60;
            date -= 60000 * d;
        }
        return new Date(date);
    },
    stringify: ({ value }) => value?.toISOString().replace(/(T00:00:00)?\.000Z$/, '') ?? ''
};

exports.floatTime = floatTime;
exports.intTime = intTime;
exports.timestamp = timestamp;


/***/ }),

/***/ 4475:
/***/ ((__unused_webpack_module, exports) => {



const FOLD_FLOW = 'flow';
const FOLD_BLOCK = 'block';
const FOLD_QUOTED = 'quoted';
/**
 * Tries to keep input at up to `lineWidth` characters, splitting only on spaces
 * not followed by newlines or spaces unless `mode` is `'quoted'`. Lines are
 * terminated with `\n` and started with `indent`.
 */
function foldFlowLines(text, indent, mode = 'flow', { indentAtStart, lineWidth = 80, minContentWidth = 20, onFold, onOverflow } = {}) {
    if (!lineWidth || lineWidth < 0)
        return text;
    if (lineWidth < minContentWidth)
        minContentWidth = 0;
    const endStep = Math.max(1 + minContentWidth, 1 + lineWidth - indent.length);
    if (text.length <= endStep)
        return text;
    const folds = [];
    const escapedFolds = {};
    let end = lineWidth - indent.length;
    if (typeof indentAtStart === 'number') {
        if (indentAtStart > lineWidth - Math.max(2, minContentWidth))
            folds.push(0);
        else
            end = lineWidth - indentAtStart;
    }
    let split = undefined;
    let prev = undefined;
    let overflow = false;
    let i = -1;
    let escStart = -1;
    let escEnd = -1;
    if (mode === FOLD_BLOCK) {
        i = consumeMoreIndentedLines(text, i, indent.length);
        if (i !== -1)
            end = i + endStep;
    }
    for (let ch; (ch = text[(i += 1)]);) {
        if (mode === FOLD_QUOTED && ch === '\\') {
            escStart = i;
            switch (text[i + 1]) {
                case 'x':
                    i += 3;
                    break;
                case 'u':
                    i += 5;
                    break;
                case 'U':
                    i += 9;
                    break;
                default:
                    i += 1;
            }
            escEnd = i;
        }
        if (ch === '\n') {
            if (mode === FOLD_BLOCK)
                i = consumeMoreIndentedLines(text, i, indent.length);
            end = i + indent.length + endStep;
            split = undefined;
        }
        else {
            if (ch === ' ' &&
                prev &&
                prev !== ' ' &&
                prev !== '\n' &&
                prev !== '\t') {
                // space surrounded by non-space can be replaced with newline + indent
                const next = text[i + 1];
                if (next && next !== ' ' && next !== '\n' && next !== '\t')
                    split = i;
            }
            if (i >= end) {
                if (split) {
                    folds.push(split);
                    end = split + endStep;
                    split = undefined;
                }
                else if (mode === FOLD_QUOTED) {
                    // white-space collected at end may stretch past lineWidth
                    while (prev === ' ' || prev === '\t') {
                        prev = ch;
                        ch = text[(i += 1)];
                        overflow = true;
                    }
                    // Account for newline escape, but don't break preceding escape
                    const j = i > escEnd + 1 ? i - 2 : escStart - 1;
                    // Bail out if lineWidth & minContentWidth are shorter than an escape string
                    if (escapedFolds[j])
                        return text;
                    folds.push(j);
                    escapedFolds[j] = true;
                    end = j + endStep;
                    split = undefined;
                }
                else {
                    overflow = true;
                }
            }
        }
        prev = ch;
    }
    if (overflow && onOverflow)
        onOverflow();
    if (folds.length === 0)
        return text;
    if (onFold)
        onFold();
    let res = text.slice(0, folds[0]);
    for (let i = 0; i < folds.length; ++i) {
        const fold = folds[i];
        const end = folds[i + 1] || text.length;
        if (fold === 0)
            res = `\n${indent}${text.slice(0, end)}`;
        else {
            if (mode === FOLD_QUOTED && escapedFolds[fold])
                res += `${text[fold]}\\`;
            res += `\n${indent}${text.slice(fold + 1, end)}`;
        }
    }
    return res;
}
/**
 * Presumes `i + 1` is at the start of a line
 * @returns index of last newline in more-indented block
 */
function consumeMoreIndentedLines(text, i, indent) {
    let end = i;
    let start = i + 1;
    let ch = text[start];
    while (ch === ' ' || ch === '\t') {
        if (i < start + indent) {
            ch = text[++i];
        }
        else {
            do {
                ch = text[++i];
            } while (ch && ch !== '\n');
            end = i;
            start = i + 1;
            ch = text[start];
        }
    }
    return end;
}

exports.FOLD_BLOCK = FOLD_BLOCK;
exports.FOLD_FLOW = FOLD_FLOW;
exports.FOLD_QUOTED = FOLD_QUOTED;
exports.foldFlowLines = foldFlowLines;


/***/ }),

/***/ 2148:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var anchors = __nccwpck_require__(1596);
var identity = __nccwpck_require__(1127);
var stringifyComment = __nccwpck_require__(9799);
var stringifyString = __nccwpck_require__(3069);

function createStringifyContext(doc, options) {
    const opt = Object.assign({
        blockQuote: true,
        commentString: stringifyComment.stringifyComment,
        defaultKeyType: null,
        defaultStringType: 'PLAIN',
        directives: null,
        doubleQuotedAsJSON: false,
        doubleQuotedMinMultiLineLength: 40,
        falseStr: 'false',
        flowCollectionPadding: true,
        indentSeq: true,
        lineWidth: 80,
        minContentWidth: 20,
        nullStr: 'null',
        simpleKeys: false,
        singleQuote: null,
        trailingComma: false,
        trueStr: 'true',
        verifyAliasOrder: true
    }, doc.schema.toStringOptions, options);
    let inFlow;
    switch (opt.collectionStyle) {
        case 'block':
            inFlow = false;
            break;
        case 'flow':
            inFlow = true;
            break;
        default:
            inFlow = null;
    }
    return {
        anchors: new Set(),
        doc,
        flowCollectionPadding: opt.flowCollectionPadding ? ' ' : '',
        indent: '',
        indentStep: typeof opt.indent === 'number' ? ' '.repeat(opt.indent) : '  ',
        inFlow,
        options: opt
    };
}
function getTagObject(tags, item) {
    if (item.tag) {
        const match = tags.filter(t => t.tag === item.tag);
        if (match.length > 0)
            return match.find(t => t.format === item.format) ?? match[0];
    }
    let tagObj = undefined;
    let obj;
    if (identity.isScalar(item)) {
        obj = item.value;
        let match = tags.filter(t => t.identify?.(obj));
        if (match.length > 1) {
            const testMatch = match.filter(t => t.test);
            if (testMatch.length > 0)
                match = testMatch;
        }
        tagObj =
            match.find(t => t.format === item.format) ?? match.find(t => !t.format);
    }
    else {
        obj = item;
        tagObj = tags.find(t => t.nodeClass && obj instanceof t.nodeClass);
    }
    if (!tagObj) {
        const name = obj?.constructor?.name ?? (obj === null ? 'null' : typeof obj);
        throw new Error(`Tag not resolved for ${name} value`);
    }
    return tagObj;
}
// needs to be called before value stringifier to allow for circular anchor refs
function stringifyProps(node, tagObj, { anchors: anchors$1, doc }) {
    if (!doc.directives)
        return '';
    const props = [];
    const anchor = (identity.isScalar(node) || identity.isCollection(node)) && node.anchor;
    if (anchor && anchors.anchorIsValid(anchor)) {
        anchors$1.add(anchor);
        props.push(`&${anchor}`);
    }
    const tag = node.tag ?? (tagObj.default ? null : tagObj.tag);
    if (tag)
        props.push(doc.directives.tagString(tag));
    return props.join(' ');
}
function stringify(item, ctx, onComment, onChompKeep) {
    if (identity.isPair(item))
        return item.toString(ctx, onComment, onChompKeep);
    if (identity.isAlias(item)) {
        if (ctx.doc.directives)
            return item.toString(ctx);
        if (ctx.resolvedAliases?.has(item)) {
            throw new TypeError(`Cannot stringify circular structure without alias nodes`);
        }
        else {
            if (ctx.resolvedAliases)
                ctx.resolvedAliases.add(item);
            else
                ctx.resolvedAliases = new Set([item]);
            item = item.resolve(ctx.doc);
        }
    }
    let tagObj = undefined;
    const node = identity.isNode(item)
        ? item
        : ctx.doc.createNode(item, { onTagObj: o => (tagObj = o) });
    tagObj ?? (tagObj = getTagObject(ctx.doc.schema.tags, node));
    const props = stringifyProps(node, tagObj, ctx);
    if (props.length > 0)
        ctx.indentAtStart = (ctx.indentAtStart ?? 0) + props.length + 1;
    const str = typeof tagObj.stringify === 'function'
        ? tagObj.stringify(node, ctx, onComment, onChompKeep)
        : identity.isScalar(node)
            ? stringifyString.stringifyString(node, ctx, onComment, onChompKeep)
            : node.toString(ctx, onComment, onChompKeep);
    if (!props)
        return str;
    return identity.isScalar(node) || str[0] === '{' || str[0] === '['
        ? `${props} ${str}`
        : `${props}\n${ctx.indent}${str}`;
}

exports.createStringifyContext = createStringifyContext;
exports.stringify = stringify;


/***/ }),

/***/ 1212:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var stringify = __nccwpck_require__(2148);
var stringifyComment = __nccwpck_require__(9799);

function stringifyCollection(collection, ctx, options) {
    const flow = ctx.inFlow ?? collection.flow;
    const stringify = flow ? stringifyFlowCollection : stringifyBlockCollection;
    return stringify(collection, ctx, options);
}
function stringifyBlockCollection({ comment, items }, ctx, { blockItemPrefix, flowChars, itemIndent, onChompKeep, onComment }) {
    const { indent, options: { commentString } } = ctx;
    const itemCtx = Object.assign({}, ctx, { indent: itemIndent, type: null });
    let chompKeep = false; // flag for the preceding node's status
    const lines = [];
    for (let i = 0; i < items.length; ++i) {
        const item = items[i];
        let comment = null;
        if (identity.isNode(item)) {
            if (!chompKeep && item.spaceBefore)
                lines.push('');
            addCommentBefore(ctx, lines, item.commentBefore, chompKeep);
            if (item.comment)
                comment = item.comment;
        }
        else if (identity.isPair(item)) {
            const ik = identity.isNode(item.key) ? item.key : null;
            if (ik) {
                if (!chompKeep && ik.spaceBefore)
                    lines.push('');
                addCommentBefore(ctx, lines, ik.commentBefore, chompKeep);
            }
        }
        chompKeep = false;
        let str = stringify.stringify(item, itemCtx, () => (comment = null), () => (chompKeep = true));
        if (comment)
            str += stringifyComment.lineComment(str, itemIndent, commentString(comment));
        if (chompKeep && comment)
            chompKeep = false;
        lines.push(blockItemPrefix + str);
    }
    let str;
    if (lines.length === 0) {
        str = flowChars.start + flowChars.end;
    }
    else {
        str = lines[0];
        for (let i = 1; i < lines.length; ++i) {
            const line = lines[i];
            str += line ? `\n${indent}${line}` : '\n';
        }
    }
    if (comment) {
        str += '\n' + stringifyComment.indentComment(commentString(comment), indent);
        if (onComment)
            onComment();
    }
    else if (chompKeep && onChompKeep)
        onChompKeep();
    return str;
}
function stringifyFlowCollection({ items }, ctx, { flowChars, itemIndent }) {
    const { indent, indentStep, flowCollectionPadding: fcPadding, options: { commentString } } = ctx;
    itemIndent += indentStep;
    const itemCtx = Object.assign({}, ctx, {
        indent: itemIndent,
        inFlow: true,
        type: null
    });
    let reqNewline = false;
    let linesAtValue = 0;
    const lines = [];
    for (let i = 0; i < items.length; ++i) {
        const item = items[i];
        let comment = null;
        if (identity.isNode(item)) {
            if (item.spaceBefore)
                lines.push('');
            addCommentBefore(ctx, lines, item.commentBefore, false);
            if (item.comment)
                comment = item.comment;
        }
        else if (identity.isPair(item)) {
            const ik = identity.isNode(item.key) ? item.key : null;
            if (ik) {
                if (ik.spaceBefore)
                    lines.push('');
                addCommentBefore(ctx, lines, ik.commentBefore, false);
                if (ik.comment)
                    reqNewline = true;
            }
            const iv = identity.isNode(item.value) ? item.value : null;
            if (iv) {
                if (iv.comment)
                    comment = iv.comment;
                if (iv.commentBefore)
                    reqNewline = true;
            }
            else if (item.value == null && ik?.comment) {
                comment = ik.comment;
            }
        }
        if (comment)
            reqNewline = true;
        let str = stringify.stringify(item, itemCtx, () => (comment = null));
        reqNewline || (reqNewline = lines.length > linesAtValue || str.includes('\n'));
        if (i < items.length - 1) {
            str += ',';
        }
        else if (ctx.options.trailingComma) {
            if (ctx.options.lineWidth > 0) {
                reqNewline || (reqNewline = lines.reduce((sum, line) => sum + line.length + 2, 2) +
                    (str.length + 2) >
                    ctx.options.lineWidth);
            }
            if (reqNewline) {
                str += ',';
            }
        }
        if (comment)
            str += stringifyComment.lineComment(str, itemIndent, commentString(comment));
        lines.push(str);
        linesAtValue = lines.length;
    }
    const { start, end } = flowChars;
    if (lines.length === 0) {
        return start + end;
    }
    else {
        if (!reqNewline) {
            const len = lines.reduce((sum, line) => sum + line.length + 2, 2);
            reqNewline = ctx.options.lineWidth > 0 && len > ctx.options.lineWidth;
        }
        if (reqNewline) {
            let str = start;
            for (const line of lines)
                str += line ? `\n${indentStep}${indent}${line}` : '\n';
            return `${str}\n${indent}${end}`;
        }
        else {
            return `${start}${fcPadding}${lines.join(' ')}${fcPadding}${end}`;
        }
    }
}
function addCommentBefore({ indent, options: { commentString } }, lines, comment, chompKeep) {
    if (comment && chompKeep)
        comment = comment.replace(/^\n+/, '');
    if (comment) {
        const ic = stringifyComment.indentComment(commentString(comment), indent);
        lines.push(ic.trimStart()); // Avoid double indent on first line
    }
}

exports.stringifyCollection = stringifyCollection;


/***/ }),

/***/ 9799:
/***/ ((__unused_webpack_module, exports) => {



/**
 * Stringifies a comment.
 *
 * Empty comment lines are left empty,
 * lines consisting of a single space are replaced by `#`,
 * and all other lines are prefixed with a `#`.
 */
const stringifyComment = (str) => str.replace(/^(?!$)(?: $)?/gm, '#');
function indentComment(comment, indent) {
    if (/^\n+$/.test(comment))
        return comment.substring(1);
    return indent ? comment.replace(/^(?! *$)/gm, indent) : comment;
}
const lineComment = (str, indent, comment) => str.endsWith('\n')
    ? indentComment(comment, indent)
    : comment.includes('\n')
        ? '\n' + indentComment(comment, indent)
        : (str.endsWith(' ') ? '' : ' ') + comment;

exports.indentComment = indentComment;
exports.lineComment = lineComment;
exports.stringifyComment = stringifyComment;


/***/ }),

/***/ 6829:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var stringify = __nccwpck_require__(2148);
var stringifyComment = __nccwpck_require__(9799);

function stringifyDocument(doc, options) {
    const lines = [];
    let hasDirectives = options.directives === true;
    if (options.directives !== false && doc.directives) {
        const dir = doc.directives.toString(doc);
        if (dir) {
            lines.push(dir);
            hasDirectives = true;
        }
        else if (doc.directives.docStart)
            hasDirectives = true;
    }
    if (hasDirectives)
        lines.push('---');
    const ctx = stringify.createStringifyContext(doc, options);
    const { commentString } = ctx.options;
    if (doc.commentBefore) {
        if (lines.length !== 1)
            lines.unshift('');
        const cs = commentString(doc.commentBefore);
        lines.unshift(stringifyComment.indentComment(cs, ''));
    }
    let chompKeep = false;
    let contentComment = null;
    if (doc.contents) {
        if (identity.isNode(doc.contents)) {
            if (doc.contents.spaceBefore && hasDirectives)
                lines.push('');
            if (doc.contents.commentBefore) {
                const cs = commentString(doc.contents.commentBefore);
                lines.push(stringifyComment.indentComment(cs, ''));
            }
            // top-level block scalars need to be indented if followed by a comment
            ctx.forceBlockIndent = !!doc.comment;
            contentComment = doc.contents.comment;
        }
        const onChompKeep = contentComment ? undefined : () => (chompKeep = true);
        let body = stringify.stringify(doc.contents, ctx, () => (contentComment = null), onChompKeep);
        if (contentComment)
            body += stringifyComment.lineComment(body, '', commentString(contentComment));
        if ((body[0] === '|' || body[0] === '>') &&
            lines[lines.length - 1] === '---') {
            // Top-level block scalars with a preceding doc marker ought to use the
            // same line for their header.
            lines[lines.length - 1] = `--- ${body}`;
        }
        else
            lines.push(body);
    }
    else {
        lines.push(stringify.stringify(doc.contents, ctx));
    }
    if (doc.directives?.docEnd) {
        if (doc.comment) {
            const cs = commentString(doc.comment);
            if (cs.includes('\n')) {
                lines.push('...');
                lines.push(stringifyComment.indentComment(cs, ''));
            }
            else {
                lines.push(`... ${cs}`);
            }
        }
        else {
            lines.push('...');
        }
    }
    else {
        let dc = doc.comment;
        if (dc && chompKeep)
            dc = dc.replace(/^\n+/, '');
        if (dc) {
            if ((!chompKeep || contentComment) && lines[lines.length - 1] !== '')
                lines.push('');
            lines.push(stringifyComment.indentComment(commentString(dc), ''));
        }
    }
    return lines.join('\n') + '\n';
}

exports.stringifyDocument = stringifyDocument;


/***/ }),

/***/ 8689:
/***/ ((__unused_webpack_module, exports) => {



function stringifyNumber({ format, minFractionDigits, tag, value }) {
    if (typeof value === 'bigint')
        return String(value);
    const num = typeof value === 'number' ? value : Number(value);
    if (!isFinite(num))
        return isNaN(num) ? '.nan' : num < 0 ? '-.inf' : '.inf';
    let n = Object.is(value, -0) ? '-0' : JSON.stringify(value);
    if (!format &&
        minFractionDigits &&
        (!tag || tag === 'tag:yaml.org,2002:float') &&
        /^-?\d/.test(n) &&
        !n.includes('e')) {
        let i = n.indexOf('.');
        if (i < 0) {
            i = n.length;
            n += '.';
        }
        let d = minFractionDigits - (n.length - i - 1);
        while (d-- > 0)
            n += '0';
    }
    return n;
}

exports.stringifyNumber = stringifyNumber;


/***/ }),

/***/ 9748:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var Scalar = __nccwpck_require__(3301);
var stringify = __nccwpck_require__(2148);
var stringifyComment = __nccwpck_require__(9799);

function stringifyPair({ key, value }, ctx, onComment, onChompKeep) {
    const { allNullValues, doc, indent, indentStep, options: { commentString, indentSeq, simpleKeys } } = ctx;
    let keyComment = (identity.isNode(key) && key.comment) || null;
    if (simpleKeys) {
        if (keyComment) {
            throw new Error('With simple keys, key nodes cannot have comments');
        }
        if (identity.isCollection(key) || (!identity.isNode(key) && typeof key === 'object')) {
            const msg = 'With simple keys, collection cannot be used as a key value';
            throw new Error(msg);
        }
    }
    let explicitKey = !simpleKeys &&
        (!key ||
            (keyComment && value == null && !ctx.inFlow) ||
            identity.isCollection(key) ||
            (identity.isScalar(key)
                ? key.type === Scalar.Scalar.BLOCK_FOLDED || key.type === Scalar.Scalar.BLOCK_LITERAL
                : typeof key === 'object'));
    ctx = Object.assign({}, ctx, {
        allNullValues: false,
        implicitKey: !explicitKey && (simpleKeys || !allNullValues),
        indent: indent + indentStep
    });
    let keyCommentDone = false;
    let chompKeep = false;
    let str = stringify.stringify(key, ctx, () => (keyCommentDone = true), () => (chompKeep = true));
    if (!explicitKey && !ctx.inFlow && str.length > 1024) {
        if (simpleKeys)
            throw new Error('With simple keys, single line scalar must not span more than 1024 characters');
        explicitKey = true;
    }
    if (ctx.inFlow) {
        if (allNullValues || value == null) {
            if (keyCommentDone && onComment)
                onComment();
            return str === '' ? '?' : explicitKey ? `? ${str}` : str;
        }
    }
    else if ((allNullValues && !simpleKeys) || (value == null && explicitKey)) {
        str = `? ${str}`;
        if (keyComment && !keyCommentDone) {
            str += stringifyComment.lineComment(str, ctx.indent, commentString(keyComment));
        }
        else if (chompKeep && onChompKeep)
            onChompKeep();
        return str;
    }
    if (keyCommentDone)
        keyComment = null;
    if (explicitKey) {
        if (keyComment)
            str += stringifyComment.lineComment(str, ctx.indent, commentString(keyComment));
        str = `? ${str}\n${indent}:`;
    }
    else {
        str = `${str}:`;
        if (keyComment)
            str += stringifyComment.lineComment(str, ctx.indent, commentString(keyComment));
    }
    let vsb, vcb, valueComment;
    if (identity.isNode(value)) {
        vsb = !!value.spaceBefore;
        vcb = value.commentBefore;
        valueComment = value.comment;
    }
    else {
        vsb = false;
        vcb = null;
        valueComment = null;
        if (value && typeof value === 'object')
            value = doc.createNode(value);
    }
    ctx.implicitKey = false;
    if (!explicitKey && !keyComment && identity.isScalar(value))
        ctx.indentAtStart = str.length + 1;
    chompKeep = false;
    if (!indentSeq &&
        indentStep.length >= 2 &&
        !ctx.inFlow &&
        !explicitKey &&
        identity.isSeq(value) &&
        !value.flow &&
        !value.tag &&
        !value.anchor) {
        // If indentSeq === false, consider '- ' as part of indentation where possible
        ctx.indent = ctx.indent.substring(2);
    }
    let valueCommentDone = false;
    const valueStr = stringify.stringify(value, ctx, () => (valueCommentDone = true), () => (chompKeep = true));
    let ws = ' ';
    if (keyComment || vsb || vcb) {
        ws = vsb ? '\n' : '';
        if (vcb) {
            const cs = commentString(vcb);
            ws += `\n${stringifyComment.indentComment(cs, ctx.indent)}`;
        }
        if (valueStr === '' && !ctx.inFlow) {
            if (ws === '\n' && valueComment)
                ws = '\n\n';
        }
        else {
            ws += `\n${ctx.indent}`;
        }
    }
    else if (!explicitKey && identity.isCollection(value)) {
        const vs0 = valueStr[0];
        const nl0 = valueStr.indexOf('\n');
        const hasNewline = nl0 !== -1;
        const flow = ctx.inFlow ?? value.flow ?? value.items.length === 0;
        if (hasNewline || !flow) {
            let hasPropsLine = false;
            if (hasNewline && (vs0 === '&' || vs0 === '!')) {
                let sp0 = valueStr.indexOf(' ');
                if (vs0 === '&' &&
                    sp0 !== -1 &&
                    sp0 < nl0 &&
                    valueStr[sp0 + 1] === '!') {
                    sp0 = valueStr.indexOf(' ', sp0 + 1);
                }
                if (sp0 === -1 || nl0 < sp0)
                    hasPropsLine = true;
            }
            if (!hasPropsLine)
                ws = `\n${ctx.indent}`;
        }
    }
    else if (valueStr === '' || valueStr[0] === '\n') {
        ws = '';
    }
    str += ws + valueStr;
    if (ctx.inFlow) {
        if (valueCommentDone && onComment)
            onComment();
    }
    else if (valueComment && !valueCommentDone) {
        str += stringifyComment.lineComment(str, ctx.indent, commentString(valueComment));
    }
    else if (chompKeep && onChompKeep) {
        onChompKeep();
    }
    return str;
}

exports.stringifyPair = stringifyPair;


/***/ }),

/***/ 3069:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Scalar = __nccwpck_require__(3301);
var foldFlowLines = __nccwpck_require__(4475);

const getFoldOptions = (ctx, isBlock) => ({
    indentAtStart: isBlock ? ctx.indent.length : ctx.indentAtStart,
    lineWidth: ctx.options.lineWidth,
    minContentWidth: ctx.options.minContentWidth
});
// Also checks for lines starting with %, as parsing the output as YAML 1.1 will
// presume that's starting a new document.
const containsDocumentMarker = (str) => /^(%|---|\.\.\.)/m.test(str);
function lineLengthOverLimit(str, lineWidth, indentLength) {
    if (!lineWidth || lineWidth < 0)
        return false;
    const limit = lineWidth - indentLength;
    const strLen = str.length;
    if (strLen <= limit)
        return false;
    for (let i = 0, start = 0; i < strLen; ++i) {
        if (str[i] === '\n') {
            if (i - start > limit)
                return true;
            start = i + 1;
            if (strLen - start <= limit)
                return false;
        }
    }
    return true;
}
function doubleQuotedString(value, ctx) {
    const json = JSON.stringify(value);
    if (ctx.options.doubleQuotedAsJSON)
        return json;
    const { implicitKey } = ctx;
    const minMultiLineLength = ctx.options.doubleQuotedMinMultiLineLength;
    const indent = ctx.indent || (containsDocumentMarker(value) ? '  ' : '');
    let str = '';
    let start = 0;
    for (let i = 0, ch = json[i]; ch; ch = json[++i]) {
        if (ch === ' ' && json[i + 1] === '\\' && json[i + 2] === 'n') {
            // space before newline needs to be escaped to not be folded
            str += json.slice(start, i) + '\\ ';
            i += 1;
            start = i;
            ch = '\\';
        }
        if (ch === '\\')
            switch (json[i + 1]) {
                case 'u':
                    {
                        str += json.slice(start, i);
                        const code = json.substr(i + 2, 4);
                        switch (code) {
                            case '0000':
                                str += '\\0';
                                break;
                            case '0007':
                                str += '\\a';
                                break;
                            case '000b':
                                str += '\\v';
                                break;
                            case '001b':
                                str += '\\e';
                                break;
                            case '0085':
                                str += '\\N';
                                break;
                            case '00a0':
                                str += '\\_';
                                break;
                            case '2028':
                                str += '\\L';
                                break;
                            case '2029':
                                str += '\\P';
                                break;
                            default:
                                if (code.substr(0, 2) === '00')
                                    str += '\\x' + code.substr(2);
                                else
                                    str += json.substr(i, 6);
                        }
                        i += 5;
                        start = i + 1;
                    }
                    break;
                case 'n':
                    if (implicitKey ||
                        json[i + 2] === '"' ||
                        json.length < minMultiLineLength) {
                        i += 1;
                    }
                    else {
                        // folding will eat first newline
                        str += json.slice(start, i) + '\n\n';
                        while (json[i + 2] === '\\' &&
                            json[i + 3] === 'n' &&
                            json[i + 4] !== '"') {
                            str += '\n';
                            i += 2;
                        }
                        str += indent;
                        // space after newline needs to be escaped to not be folded
                        if (json[i + 2] === ' ')
                            str += '\\';
                        i += 1;
                        start = i + 1;
                    }
                    break;
                default:
                    i += 1;
            }
    }
    str = start ? str + json.slice(start) : json;
    return implicitKey
        ? str
        : foldFlowLines.foldFlowLines(str, indent, foldFlowLines.FOLD_QUOTED, getFoldOptions(ctx, false));
}
function singleQuotedString(value, ctx) {
    if (ctx.options.singleQuote === false ||
        (ctx.implicitKey && value.includes('\n')) ||
        /[ \t]\n|\n[ \t]/.test(value) // single quoted string can't have leading or trailing whitespace around newline
    )
        return doubleQuotedString(value, ctx);
    const indent = ctx.indent || (containsDocumentMarker(value) ? '  ' : '');
    const res = "'" + value.replace(/'/g, "''").replace(/\n+/g, `$&\n${indent}`) + "'";
    return ctx.implicitKey
        ? res
        : foldFlowLines.foldFlowLines(res, indent, foldFlowLines.FOLD_FLOW, getFoldOptions(ctx, false));
}
function quotedString(value, ctx) {
    const { singleQuote } = ctx.options;
    let qs;
    if (singleQuote === false)
        qs = doubleQuotedString;
    else {
        const hasDouble = value.includes('"');
        const hasSingle = value.includes("'");
        if (hasDouble && !hasSingle)
            qs = singleQuotedString;
        else if (hasSingle && !hasDouble)
            qs = doubleQuotedString;
        else
            qs = singleQuote ? singleQuotedString : doubleQuotedString;
    }
    return qs(value, ctx);
}
// The negative lookbehind avoids a polynomial search,
// but isn't supported yet on Safari: https://caniuse.com/js-regexp-lookbehind
let blockEndNewlines;
try {
    blockEndNewlines = new RegExp('(^|(?<!\n))\n+(?!\n|$)', 'g');
}
catch {
    blockEndNewlines = /\n+(?!\n|$)/g;
}
function blockString({ comment, type, value }, ctx, onComment, onChompKeep) {
    const { blockQuote, commentString, lineWidth } = ctx.options;
    // 1. Block can't end in whitespace unless the last line is non-empty.
    // 2. Strings consisting of only whitespace are best rendered explicitly.
    if (!blockQuote || /\n[\t ]+$/.test(value)) {
        return quotedString(value, ctx);
    }
    const indent = ctx.indent ||
        (ctx.forceBlockIndent || containsDocumentMarker(value) ? '  ' : '');
    const literal = blockQuote === 'literal'
        ? true
        : blockQuote === 'folded' || type === Scalar.Scalar.BLOCK_FOLDED
            ? false
            : type === Scalar.Scalar.BLOCK_LITERAL
                ? true
                : !lineLengthOverLimit(value, lineWidth, indent.length);
    if (!value)
        return literal ? '|\n' : '>\n';
    // determine chomping from whitespace at value end
    let chomp;
    let endStart;
    for (endStart = value.length; endStart > 0; --endStart) {
        const ch = value[endStart - 1];
        if (ch !== '\n' && ch !== '\t' && ch !== ' ')
            break;
    }
    let end = value.substring(endStart);
    const endNlPos = end.indexOf('\n');
    if (endNlPos === -1) {
        chomp = '-'; // strip
    }
    else if (value === end || endNlPos !== end.length - 1) {
        chomp = '+'; // keep
        if (onChompKeep)
            onChompKeep();
    }
    else {
        chomp = ''; // clip
    }
    if (end) {
        value = value.slice(0, -end.length);
        if (end[end.length - 1] === '\n')
            end = end.slice(0, -1);
        end = end.replace(blockEndNewlines, `$&${indent}`);
    }
    // determine indent indicator from whitespace at value start
    let startWithSpace = false;
    let startEnd;
    let startNlPos = -1;
    for (startEnd = 0; startEnd < value.length; ++startEnd) {
        const ch = value[startEnd];
        if (ch === ' ')
            startWithSpace = true;
        else if (ch === '\n')
            startNlPos = startEnd;
        else
            break;
    }
    let start = value.substring(0, startNlPos < startEnd ? startNlPos + 1 : startEnd);
    if (start) {
        value = value.substring(start.length);
        start = start.replace(/\n+/g, `$&${indent}`);
    }
    const indentSize = indent ? '2' : '1'; // root is at -1
    // Leading | or > is added later
    let header = (startWithSpace ? indentSize : '') + chomp;
    if (comment) {
        header += ' ' + commentString(comment.replace(/ ?[\r\n]+/g, ' '));
        if (onComment)
            onComment();
    }
    if (!literal) {
        const foldedValue = value
            .replace(/\n+/g, '\n$&')
            .replace(/(?:^|\n)([\t ].*)(?:([\n\t ]*)\n(?![\n\t ]))?/g, '$1$2') // more-indented lines aren't folded
            //                ^ more-ind. ^ empty     ^ capture next empty lines only at end of indent
            .replace(/\n+/g, `$&${indent}`);
        let literalFallback = false;
        const foldOptions = getFoldOptions(ctx, true);
        if (blockQuote !== 'folded' && type !== Scalar.Scalar.BLOCK_FOLDED) {
            foldOptions.onOverflow = () => {
                literalFallback = true;
            };
        }
        const body = foldFlowLines.foldFlowLines(`${start}${foldedValue}${end}`, indent, foldFlowLines.FOLD_BLOCK, foldOptions);
        if (!literalFallback)
            return `>${header}\n${indent}${body}`;
    }
    value = value.replace(/\n+/g, `$&${indent}`);
    return `|${header}\n${indent}${start}${value}${end}`;
}
function plainString(item, ctx, onComment, onChompKeep) {
    const { type, value } = item;
    const { actualString, implicitKey, indent, indentStep, inFlow } = ctx;
    if ((implicitKey && value.includes('\n')) ||
        (inFlow && /[[\]{},]/.test(value))) {
        return quotedString(value, ctx);
    }
    if (/^[\n\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|[\n:][ \t]|[ \t]\n|[\n\t ]#|[\n\t :]$/.test(value)) {
        // not allowed:
        // - '-' or '?'
        // - start with an indicator character (except [?:-]) or /[?-] /
        // - '\n ', ': ' or ' \n' anywhere
        // - '#' not preceded by a non-space char
        // - end with ' ' or ':'
        return implicitKey || inFlow || !value.includes('\n')
            ? quotedString(value, ctx)
            : blockString(item, ctx, onComment, onChompKeep);
    }
    if (!implicitKey &&
        !inFlow &&
        type !== Scalar.Scalar.PLAIN &&
        value.includes('\n')) {
        // Where allowed & type not set explicitly, prefer block style for multiline strings
        return blockString(item, ctx, onComment, onChompKeep);
    }
    if (containsDocumentMarker(value)) {
        if (indent === '') {
            ctx.forceBlockIndent = true;
            return blockString(item, ctx, onComment, onChompKeep);
        }
        else if (implicitKey && indent === indentStep) {
            return quotedString(value, ctx);
        }
    }
    const str = value.replace(/\n+/g, `$&\n${indent}`);
    // Verify that output will be parsed as a string, as e.g. plain numbers and
    // booleans get parsed with those types in v1.2 (e.g. '42', 'true' & '0.9e-3'),
    // and others in v1.1.
    if (actualString) {
        const test = (tag) => tag.default && tag.tag !== 'tag:yaml.org,2002:str' && tag.test?.test(str);
        const { compat, tags } = ctx.doc.schema;
        if (tags.some(test) || compat?.some(test))
            return quotedString(value, ctx);
    }
    return implicitKey
        ? str
        : foldFlowLines.foldFlowLines(str, indent, foldFlowLines.FOLD_FLOW, getFoldOptions(ctx, false));
}
function stringifyString(item, ctx, onComment, onChompKeep) {
    const { implicitKey, inFlow } = ctx;
    const ss = typeof item.value === 'string'
        ? item
        : Object.assign({}, item, { value: String(item.value) });
    let { type } = item;
    if (type !== Scalar.Scalar.QUOTE_DOUBLE) {
        // force double quotes on control characters & unpaired surrogates
        if (/[\x00-\x08\x0b-\x1f\x7f-\x9f\u{D800}-\u{DFFF}]/u.test(ss.value))
            type = Scalar.Scalar.QUOTE_DOUBLE;
    }
    const _stringify = (_type) => {
        switch (_type) {
            case Scalar.Scalar.BLOCK_FOLDED:
            case Scalar.Scalar.BLOCK_LITERAL:
                return implicitKey || inFlow
                    ? quotedString(ss.value, ctx) // blocks are not valid inside flow containers
                    : blockString(ss, ctx, onComment, onChompKeep);
            case Scalar.Scalar.QUOTE_DOUBLE:
                return doubleQuotedString(ss.value, ctx);
            case Scalar.Scalar.QUOTE_SINGLE:
                return singleQuotedString(ss.value, ctx);
            case Scalar.Scalar.PLAIN:
                return plainString(ss, ctx, onComment, onChompKeep);
            default:
                return null;
        }
    };
    let res = _stringify(type);
    if (res === null) {
        const { defaultKeyType, defaultStringType } = ctx.options;
        const t = (implicitKey && defaultKeyType) || defaultStringType;
        res = _stringify(t);
        if (res === null)
            throw new Error(`Unsupported default string type ${t}`);
    }
    return res;
}

exports.stringifyString = stringifyString;


/***/ }),

/***/ 204:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);

const BREAK = Symbol('break visit');
const SKIP = Symbol('skip children');
const REMOVE = Symbol('remove node');
/**
 * Apply a visitor to an AST node or document.
 *
 * Walks through the tree (depth-first) starting from `node`, calling a
 * `visitor` function with three arguments:
 *   - `key`: For sequence values and map `Pair`, the node's index in the
 *     collection. Within a `Pair`, `'key'` or `'value'`, correspondingly.
 *     `null` for the root node.
 *   - `node`: The current node.
 *   - `path`: The ancestry of the current node.
 *
 * The return value of the visitor may be used to control the traversal:
 *   - `undefined` (default): Do nothing and continue
 *   - `visit.SKIP`: Do not visit the children of this node, continue with next
 *     sibling
 *   - `visit.BREAK`: Terminate traversal completely
 *   - `visit.REMOVE`: Remove the current node, then continue with the next one
 *   - `Node`: Replace the current node, then continue by visiting it
 *   - `number`: While iterating the items of a sequence or map, set the index
 *     of the next step. This is useful especially if the index of the current
 *     node has changed.
 *
 * If `visitor` is a single function, it will be called with all values
 * encountered in the tree, including e.g. `null` values. Alternatively,
 * separate visitor functions may be defined for each `Map`, `Pair`, `Seq`,
 * `Alias` and `Scalar` node. To define the same visitor function for more than
 * one node type, use the `Collection` (map and seq), `Value` (map, seq & scalar)
 * and `Node` (alias, map, seq & scalar) targets. Of all these, only the most
 * specific defined one will be used for each node.
 */
function visit(node, visitor) {
    const visitor_ = initVisitor(visitor);
    if (identity.isDocument(node)) {
        const cd = visit_(null, node.contents, visitor_, Object.freeze([node]));
        if (cd === REMOVE)
            node.contents = null;
    }
    else
        visit_(null, node, visitor_, Object.freeze([]));
}
// Without the `as symbol` casts, TS declares these in the `visit`
// namespace using `var`, but then complains about that because
// `unique symbol` must be `const`.
/** Terminate visit traversal completely */
visit.BREAK = BREAK;
/** Do not visit the children of the current node */
visit.SKIP = SKIP;
/** Remove the current node */
visit.REMOVE = REMOVE;
function visit_(key, node, visitor, path) {
    const ctrl = callVisitor(key, node, visitor, path);
    if (identity.isNode(ctrl) || identity.isPair(ctrl)) {
        replaceNode(key, path, ctrl);
        return visit_(key, ctrl, visitor, path);
    }
    if (typeof ctrl !== 'symbol') {
        if (identity.isCollection(node)) {
            path = Object.freeze(path.concat(node));
            for (let i = 0; i < node.items.length; ++i) {
                const ci = visit_(i, node.items[i], visitor, path);
                if (typeof ci === 'number')
                    i = ci - 1;
                else if (ci === BREAK)
                    return BREAK;
                else if (ci === REMOVE) {
                    node.items.splice(i, 1);
                    i -= 1;
                }
            }
        }
        else if (identity.isPair(node)) {
            path = Object.freeze(path.concat(node));
            const ck = visit_('key', node.key, visitor, path);
            if (ck === BREAK)
                return BREAK;
            else if (ck === REMOVE)
                node.key = null;
            const cv = visit_('value', node.value, visitor, path);
            if (cv === BREAK)
                return BREAK;
            else if (cv === REMOVE)
                node.value = null;
        }
    }
    return ctrl;
}
/**
 * Apply an async visitor to an AST node or document.
 *
 * Walks through the tree (depth-first) starting from `node`, calling a
 * `visitor` function with three arguments:
 *   - `key`: For sequence values and map `Pair`, the node's index in the
 *     collection. Within a `Pair`, `'key'` or `'value'`, correspondingly.
 *     `null` for the root node.
 *   - `node`: The current node.
 *   - `path`: The ancestry of the current node.
 *
 * The return value of the visitor may be used to control the traversal:
 *   - `Promise`: Must resolve to one of the following values
 *   - `undefined` (default): Do nothing and continue
 *   - `visit.SKIP`: Do not visit the children of this node, continue with next
 *     sibling
 *   - `visit.BREAK`: Terminate traversal completely
 *   - `visit.REMOVE`: Remove the current node, then continue with the next one
 *   - `Node`: Replace the current node, then continue by visiting it
 *   - `number`: While iterating the items of a sequence or map, set the index
 *     of the next step. This is useful especially if the index of the current
 *     node has changed.
 *
 * If `visitor` is a single function, it will be called with all values
 * encountered in the tree, including e.g. `null` values. Alternatively,
 * separate visitor functions may be defined for each `Map`, `Pair`, `Seq`,
 * `Alias` and `Scalar` node. To define the same visitor function for more than
 * one node type, use the `Collection` (map and seq), `Value` (map, seq & scalar)
 * and `Node` (alias, map, seq & scalar) targets. Of all these, only the most
 * specific defined one will be used for each node.
 */
async function visitAsync(node, visitor) {
    const visitor_ = initVisitor(visitor);
    if (identity.isDocument(node)) {
        const cd = await visitAsync_(null, node.contents, visitor_, Object.freeze([node]));
        if (cd === REMOVE)
            node.contents = null;
    }
    else
        await visitAsync_(null, node, visitor_, Object.freeze([]));
}
// Without the `as symbol` casts, TS declares these in the `visit`
// namespace using `var`, but then complains about that because
// `unique symbol` must be `const`.
/** Terminate visit traversal completely */
visitAsync.BREAK = BREAK;
/** Do not visit the children of the current node */
visitAsync.SKIP = SKIP;
/** Remove the current node */
visitAsync.REMOVE = REMOVE;
async function visitAsync_(key, node, visitor, path) {
    const ctrl = await callVisitor(key, node, visitor, path);
    if (identity.isNode(ctrl) || identity.isPair(ctrl)) {
        replaceNode(key, path, ctrl);
        return visitAsync_(key, ctrl, visitor, path);
    }
    if (typeof ctrl !== 'symbol') {
        if (identity.isCollection(node)) {
            path = Object.freeze(path.concat(node));
            for (let i = 0; i < node.items.length; ++i) {
                const ci = await visitAsync_(i, node.items[i], visitor, path);
                if (typeof ci === 'number')
                    i = ci - 1;
                else if (ci === BREAK)
                    return BREAK;
                else if (ci === REMOVE) {
                    node.items.splice(i, 1);
                    i -= 1;
                }
            }
        }
        else if (identity.isPair(node)) {
            path = Object.freeze(path.concat(node));
            const ck = await visitAsync_('key', node.key, visitor, path);
            if (ck === BREAK)
                return BREAK;
            else if (ck === REMOVE)
                node.key = null;
            const cv = await visitAsync_('value', node.value, visitor, path);
            if (cv === BREAK)
                return BREAK;
            else if (cv === REMOVE)
                node.value = null;
        }
    }
    return ctrl;
}
function initVisitor(visitor) {
    if (typeof visitor === 'object' &&
        (visitor.Collection || visitor.Node || visitor.Value)) {
        return Object.assign({
            Alias: visitor.Node,
            Map: visitor.Node,
            Scalar: visitor.Node,
            Seq: visitor.Node
        }, visitor.Value && {
            Map: visitor.Value,
            Scalar: visitor.Value,
            Seq: visitor.Value
        }, visitor.Collection && {
            Map: visitor.Collection,
            Seq: visitor.Collection
        }, visitor);
    }
    return visitor;
}
function callVisitor(key, node, visitor, path) {
    if (typeof visitor === 'function')
        return visitor(key, node, path);
    if (identity.isMap(node))
        return visitor.Map?.(key, node, path);
    if (identity.isSeq(node))
        return visitor.Seq?.(key, node, path);
    if (identity.isPair(node))
        return visitor.Pair?.(key, node, path);
    if (identity.isScalar(node))
        return visitor.Scalar?.(key, node, path);
    if (identity.isAlias(node))
        return visitor.Alias?.(key, node, path);
    return undefined;
}
function replaceNode(key, path, node) {
    const parent = path[path.length - 1];
    if (identity.isCollection(parent)) {
        parent.items[key] = node;
    }
    else if (identity.isPair(parent)) {
        if (key === 'key')
            parent.key = node;
        else
            parent.value = node;
    }
    else if (identity.isDocument(parent)) {
        parent.contents = node;
    }
    else {
        const pt = identity.isAlias(parent) ? 'alias' : 'scalar';
        throw new Error(`Cannot replace node with ${pt} parent`);
    }
}

exports.visit = visit;
exports.visitAsync = visitAsync;


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

// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  x: () => (/* binding */ cli)
});

// NAMESPACE OBJECT: ./src/nerdctl/index.ts
var nerdctl_namespaceObject = {};
__nccwpck_require__.r(nerdctl_namespaceObject);
__nccwpck_require__.d(nerdctl_namespaceObject, {
  COMPOSE_NETWORK_LABEL: () => (COMPOSE_NETWORK_LABEL),
  COMPOSE_PROJECT_LABEL: () => (COMPOSE_PROJECT_LABEL),
  COMPOSE_SERVICE_LABEL: () => (COMPOSE_SERVICE_LABEL),
  COMPOSE_VOLUME_LABEL: () => (COMPOSE_VOLUME_LABEL),
  Compose: () => (Compose),
  Container: () => (Container),
  DEFAULT_RETRIES: () => (DEFAULT_RETRIES),
  DEFAULT_RETRY_DELAY_MS: () => (DEFAULT_RETRY_DELAY_MS),
  DEFAULT_TIMEOUT_MS: () => (DEFAULT_TIMEOUT_MS),
  EXEC_OUTPUT_BYTES: () => (EXEC_OUTPUT_BYTES),
  Environment: () => (Environment),
  FEATURES: () => (FEATURES),
  MAX_DURATION_MS: () => (MAX_DURATION_MS),
  MAX_RETRY_DELAY_MS: () => (MAX_RETRY_DELAY_MS),
  MINIMUM_VERSIONS: () => (MINIMUM_VERSIONS),
  Nerdctl: () => (Nerdctl),
  NerdctlError: () => (NerdctlError),
  VerificationError: () => (VerificationError),
  backoffDelay: () => (backoffDelay),
  biggest: () => (biggest),
  budgetBytes: () => (budgetBytes),
  buildArgs: () => (buildArgs),
  buildMetadata: () => (buildMetadata),
  buildSteps: () => (buildSteps),
  cachedToolVersions: () => (cachedToolVersions),
  checkComposeHostPorts: () => (checkComposeHostPorts),
  checkComposeProfile: () => (checkComposeProfile),
  checkComposeProject: () => (checkComposeProject),
  checkContainerName: () => (checkContainerName),
  checkImageReference: () => (checkImageReference),
  checkMinimumVersions: () => (checkMinimumVersions),
  checkNetworkName: () => (checkNetworkName),
  checkRegistryHost: () => (checkRegistryHost),
  checkServiceKey: () => (checkServiceKey),
  checkVolumeName: () => (checkVolumeName),
  classifyRegistryFailure: () => (classifyRegistryFailure),
  composeBuilds: () => (composeBuilds),
  composeConfig: () => (composeConfig),
  composeImage: () => (composeImage),
  composeModel: () => (composeModel),
  composePlan: () => (composePlan),
  configure: () => (configure),
  copy: () => (copy),
  cosignProgram: () => (cosignProgram),
  create: () => (create),
  digestsFileName: () => (digestsFileName),
  diskUsage: () => (diskUsage),
  errorMessage: () => (errorMessage),
  exec: () => (exec),
  execNerdctl: () => (execNerdctl),
  explainFailure: () => (explainFailure),
  exportContainer: () => (exportContainer),
  exporterOf: () => (exporterOf),
  findProgram: () => (findProgram),
  formatArgv: () => (formatArgv),
  formatBytes: () => (formatBytes),
  formatDigestsFile: () => (formatDigestsFile),
  formatDuration: () => (formatDuration),
  healthcheck: () => (healthcheck),
  hintFor: () => (hintFor),
  imageBuild: () => (imageBuild),
  imageCommit: () => (imageCommit),
  imageExists: () => (imageExists),
  imageInspect: () => (imageInspect),
  imageLoad: () => (imageLoad),
  imagePull: () => (imagePull),
  imagePush: () => (imagePush),
  imageRemove: () => (imageRemove),
  imageSave: () => (imageSave),
  imageSign: () => (imageSign),
  imageTag: () => (imageTag),
  imageVerify: () => (imageVerify),
  images: () => (images_images),
  indexAnnotations: () => (indexAnnotations),
  inspect: () => (inspect),
  isContainerSide: () => (isContainerSide),
  isImageReference: () => (isImageReference),
  isNerdctlError: () => (isNerdctlError),
  isNoSuchContainer: () => (isNoSuchContainer),
  isNoSuchNetwork: () => (isNoSuchNetwork),
  keptBecause: () => (keptBecause),
  limitsOf: () => (limitsOf),
  list: () => (list),
  localBuildkit: () => (localBuildkit),
  login: () => (login),
  logout: () => (logout),
  logs: () => (logs),
  machineLock: () => (machineLock),
  manifestAnnotate: () => (manifestAnnotate),
  manifestCreate: () => (manifestCreate),
  manifestInspect: () => (manifestInspect),
  manifestInspectVerbose: () => (manifestInspectVerbose),
  manifestPush: () => (manifestPush),
  manifestRemove: () => (manifestRemove),
  mergeDigests: () => (mergeDigests),
  namedVolumeOf: () => (namedVolumeOf),
  networkCreate: () => (networkCreate),
  networkList: () => (networkList),
  networkRemove: () => (networkRemove),
  overBudgetBy: () => (overBudgetBy),
  parseBudget: () => (parseBudget),
  parseContainerInspect: () => (parseContainerInspect),
  parseDigestsFile: () => (parseDigestsFile),
  parseDuration: () => (parseDuration),
  parsePublish: () => (parsePublish),
  parseRetryAfter: () => (parseRetryAfter),
  parseSize: () => (parseSize),
  parseVersionOutput: () => (parseVersionOutput),
  pinnedReference: () => (pinnedReference),
  prune: () => (prune),
  prunePlan: () => (prunePlan),
  publishedHostPorts: () => (publishedHostPorts),
  pushByDigestOutput: () => (pushByDigestOutput),
  randomHex: () => (randomHex),
  readToolVersions: () => (readToolVersions),
  registryOf: () => (registryOf),
  remove: () => (remove),
  removeRecordedPartials: () => (removeRecordedPartials),
  removeTree: () => (removeTree),
  repositoryOf: () => (repositoryOf),
  requireFeatures: () => (requireFeatures),
  resolveHostPath: () => (resolveHostPath),
  rootHolding: () => (rootHolding),
  rootlessCgroupManager: () => (rootlessCgroupManager),
  rootlessHostFacts: () => (rootlessHostFacts),
  rootlessLimitsApply: () => (rootlessLimitsApply),
  rootlessProblems: () => (rootlessProblems),
  rootlessStateDir: () => (rootlessStateDir),
  rootlessStatsProblem: () => (rootlessStatsProblem),
  run: () => (run),
  runArgs: () => (runArgs),
  runSpec: () => (runSpec),
  showValue: () => (showValue),
  signatureReference: () => (signatureReference),
  silentLogger: () => (silentLogger),
  splitAttributeList: () => (splitAttributeList),
  splitContainerPath: () => (splitContainerPath),
  splitDigestReference: () => (splitDigestReference),
  startServices: () => (startServices),
  startWaves: () => (startWaves),
  stats: () => (stats),
  stop: () => (stop),
  storeFilesystem: () => (storeFilesystem),
  systemProgram: () => (systemProgram),
  toolVersions: () => (toolVersions),
  validateEnvironment: () => (validateEnvironment),
  validateHealthCheck: () => (validateHealthCheck),
  validateReadiness: () => (validateReadiness),
  validateSpec: () => (validateSpec),
  versionAtLeast: () => (versionAtLeast),
  versionProblems: () => (versionProblems),
  volumeCreate: () => (volumeCreate),
  volumeInspect: () => (volumeInspect),
  volumeList: () => (volumeList),
  volumeRemove: () => (volumeRemove),
  waitExit: () => (waitExit),
  waitFor: () => (waitFor),
  waitForHealthy: () => (waitForHealthy),
  withRetry: () => (withRetry)
});

;// CONCATENATED MODULE: external "node:fs"
const external_node_fs_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs");
;// CONCATENATED MODULE: external "node:fs/promises"
const promises_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs/promises");
;// CONCATENATED MODULE: external "node:os"
const external_node_os_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:os");
;// CONCATENATED MODULE: ./src/action/workflow.ts
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
    process.stdout.write(`::${name}${keys.length > 0 ? ` ${props}` : ''}::${escapeData(message)}${EOL}`);
}
/**
 * Bytes from the kernel's generator. Read here rather than through
 * node:crypto, whose load costs about 12 ms of every start.
 */
function randomBytes(size) {
    const b = Buffer.alloc(size);
    const fd = (0,external_node_fs_namespaceObject.openSync)('/dev/urandom', 'r');
    try {
        for (let n = 0; n < size;)
            n += (0,external_node_fs_namespaceObject.readSync)(fd, b, n, size - n, null);
    }
    finally {
        (0,external_node_fs_namespaceObject.closeSync)(fd);
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
    if (!existsSync(file))
        throw new Error(`Missing file at path: ${file}`);
    const delimiter = `ghadelimiter_${delimiterUuid()}`;
    if (name.includes(delimiter))
        throw new Error(`Unexpected input: name should not contain the delimiter "${delimiter}"`);
    if (value.includes(delimiter))
        throw new Error(`Unexpected input: value should not contain the delimiter "${delimiter}"`);
    appendFileSync(file, `${name}<<${delimiter}${EOL}${value}${EOL}${delimiter}${EOL}`, {
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
    process.stdout.write(EOL);
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
    process.stdout.write(message + EOL);
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
    stream.write(`::stop-commands::${token}${external_node_os_namespaceObject.EOL}${body}${external_node_os_namespaceObject.EOL}::${token}::${external_node_os_namespaceObject.EOL}`);
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
        await access(file, constants.R_OK | constants.W_OK);
    }
    catch {
        throw new Error(`Unable to access summary file: '${file}'. Check if the file has correct read/write permissions.`);
    }
    await appendFile(file, text, { encoding: 'utf8' });
}

;// CONCATENATED MODULE: ./src/cli/commands.ts
// Workflow commands in a step's output, read as the GitHub runner reads them
// (ActionCommandManager): `::name k=v,k2=v2::data` anywhere after leading
// spaces, the older `##[name k=v;]data`, and `::stop-commands::TOKEN`, after
// which no command is obeyed until a line `::TOKEN::`. The local step runner
// and the CLI's progress view both read through this, so a test that reads a
// step's outputs through them sees what a real runner would have done. It also
// masks as the runner masks: every `add-mask` value is hidden in each later
// line, one line at a time (see Masker).
function unescapeData(s) {
    return s.replace(/%0D/gi, '\r').replace(/%0A/gi, '\n').replace(/%25/g, '%');
}
function unescapeProperty(s) {
    return s
        .replace(/%0D/gi, '\r')
        .replace(/%0A/gi, '\n')
        .replace(/%3A/gi, ':')
        .replace(/%2C/gi, ',')
        .replace(/%25/g, '%');
}
function unescapeV1(s) {
    return s
        .replace(/%3B/gi, ';')
        .replace(/%0D/gi, '\r')
        .replace(/%0A/gi, '\n')
        .replace(/%5D/gi, ']')
        .replace(/%25/g, '%');
}
/** `::name props::data` after leading whitespace (the runner's TryParseV2). */
function parseV2(line) {
    const t = line.trimStart();
    if (!t.startsWith('::'))
        return undefined;
    const end = t.indexOf('::', 2);
    if (end < 0)
        return undefined;
    const info = t.slice(2, end);
    const space = info.indexOf(' ');
    const name = space < 0 ? info : info.slice(0, space);
    if (!name)
        return undefined;
    const properties = {};
    if (space >= 0) {
        for (const p of info.slice(space + 1).split(',')) {
            const eq = p.indexOf('=');
            if (eq > 0)
                properties[p.slice(0, eq)] = unescapeProperty(p.slice(eq + 1));
        }
    }
    return { name, properties, data: unescapeData(t.slice(end + 2)) };
}
/** `##[name k=v;]data` anywhere in the line (the runner's older TryParse). */
function parseV1(line) {
    const start = line.indexOf('##[');
    if (start < 0)
        return undefined;
    const end = line.indexOf(']', start);
    if (end < 0)
        return undefined;
    const info = line.slice(start + 3, end);
    const space = info.indexOf(' ');
    const name = space < 0 ? info : info.slice(0, space);
    if (!name)
        return undefined;
    const properties = {};
    if (space >= 0) {
        for (const p of info.slice(space + 1).split(';')) {
            const eq = p.indexOf('=');
            if (eq > 0)
                properties[p.slice(0, eq).trim()] = unescapeV1(p.slice(eq + 1));
        }
    }
    return { name, properties, data: unescapeV1(line.slice(end + 1)) };
}
/** The commands the runner knows; a line naming any other is text. */
const RUNNER_COMMANDS = new Set([
    'add-mask',
    'add-path',
    'set-env',
    'set-output',
    'save-state',
    'add-matcher',
    'remove-matcher',
    'debug',
    'notice',
    'warning',
    'error',
    'group',
    'endgroup',
    'echo',
    'stop-commands'
]);
/** The command a line holds, in either form, or undefined. */
function parseCommand(line) {
    return parseV2(line) ?? parseV1(line);
}
/**
 * The values `add-mask` registered, hidden in each line as `***`. The runner
 * masks one line at a time, so a value with line breaks would never match a
 * line and would print in full: each of its lines is registered as well, and
 * none of it shows. A blank value masks nothing (the runner warns and ignores
 * it). Where matches overlap, the whole stretch becomes one `***`.
 */
class Masker {
    values = new Set();
    add(value) {
        for (const v of [value, ...value.split(/\r?\n/)])
            if (v.trim())
                this.values.add(v);
    }
    mask(line) {
        if (this.values.size === 0)
            return line;
        const ranges = [];
        for (const v of this.values)
            for (let i = line.indexOf(v); i >= 0; i = line.indexOf(v, i + 1))
                ranges.push([i, i + v.length]);
        if (ranges.length === 0)
            return line;
        ranges.sort((a, b) => a[0] - b[0]);
        let out = '';
        let at = 0;
        let end = -1;
        for (const [from, to] of ranges) {
            if (from > end) {
                if (end >= 0)
                    out += '***';
                out += line.slice(at, from);
            }
            end = Math.max(end, to);
            at = end;
        }
        return `${out}***${line.slice(at)}`;
    }
}
/**
 * Reads a step's output line by line with the runner's stop-commands state and
 * masks: one reader per step, shared by its stdout and stderr as the runner
 * shares it. Text lines and the data of commands come back masked.
 */
class CommandReader {
    stopToken;
    masker = new Masker();
    /** Whether commands are stopped now (inside a `::stop-commands::` region). */
    get stopped() {
        return this.stopToken !== undefined;
    }
    read(line) {
        const text = { kind: 'text', line: this.masker.mask(line) };
        const command = parseCommand(line);
        if (!command)
            return text;
        if (this.stopToken !== undefined) {
            // Only the resume line counts, in either form; everything else is text.
            if (command.name.toLowerCase() === this.stopToken.toLowerCase()) {
                this.stopToken = undefined;
                return { kind: 'control' };
            }
            return text;
        }
        if (!RUNNER_COMMANDS.has(command.name))
            return text;
        if (command.name === 'stop-commands') {
            if (!command.data)
                return text;
            this.stopToken = command.data;
            return { kind: 'control' };
        }
        if (command.name === 'add-mask') {
            this.masker.add(command.data);
            return { kind: 'command', command };
        }
        return { kind: 'command', command: { ...command, data: this.masker.mask(command.data) } };
    }
}
/** Splits a stream's chunks into lines; `end` gives the last one without a newline. */
function lineSplitter(onLine) {
    let pending = '';
    return {
        write: chunk => {
            const lines = (pending + chunk).split('\n');
            pending = lines.pop() ?? '';
            for (const l of lines)
                onLine(l.endsWith('\r') ? l.slice(0, -1) : l);
        },
        end: () => {
            if (pending)
                onLine(pending);
            pending = '';
        }
    };
}

// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __nccwpck_require__(6760);
// EXTERNAL MODULE: external "node:url"
var external_node_url_ = __nccwpck_require__(3136);
// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __nccwpck_require__(8815);
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

;// CONCATENATED MODULE: external "node:child_process"
const external_node_child_process_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:child_process");
;// CONCATENATED MODULE: external "node:string_decoder"
const external_node_string_decoder_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:string_decoder");
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
            outFd = (0,external_node_fs_namespaceObject.openSync)(spec.stdoutFile, 'w');
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
        child = (0,external_node_child_process_namespaceObject.spawn)(spec.file, [...spec.args], {
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
            (0,external_node_fs_namespaceObject.closeSync)(outFd);
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
    const outDecoder = new external_node_string_decoder_namespaceObject.StringDecoder('utf8');
    const errDecoder = new external_node_string_decoder_namespaceObject.StringDecoder('utf8');
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
    return external_node_os_namespaceObject.constants.signals[signal] ?? 0;
}

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
        (0,external_node_fs_namespaceObject.accessSync)(path, external_node_fs_namespaceObject.constants.X_OK);
        return (0,external_node_fs_namespaceObject.statSync)(path).isFile();
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
            const existing = (0,external_node_fs_namespaceObject.realpathSync)(cur);
            const real = rest.length > 0 ? (0,external_node_path_.join)(existing, ...rest) : existing;
            return { path: abs, real, exists: rest.length === 0, existing };
        }
        catch (e) {
            const code = errnoOf(e);
            if (code !== 'ENOENT' && code !== 'ENOTDIR')
                throw new NerdctlError('Other', `path ${abs} cannot be resolved (${code ?? String(e)})`);
            let isLink = false;
            try {
                isLink = (0,external_node_fs_namespaceObject.lstatSync)(cur).isSymbolicLink();
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
        fd = (0,external_node_fs_namespaceObject.openSync)('/dev/urandom', 'r');
    }
    catch {
        globalThis.crypto.getRandomValues(buf);
        return buf.toString('hex');
    }
    try {
        for (let n = 0; n < bytes;)
            n += (0,external_node_fs_namespaceObject.readSync)(fd, buf, n, bytes - n, null);
    }
    finally {
        (0,external_node_fs_namespaceObject.closeSync)(fd);
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
        await (0,promises_namespaceObject.mkdir)((0,external_node_path_.dirname)(final), { recursive: true });
        return final;
    }
    const before = resolveHostPath((0,external_node_path_.dirname)(final), '/').real;
    if (!rootHolding(before, roots))
        throw outsideRoots(final, before, roots);
    await (0,promises_namespaceObject.mkdir)((0,external_node_path_.dirname)(final), { recursive: true });
    const parent = await (0,promises_namespaceObject.realpath)((0,external_node_path_.dirname)(final));
    if (!rootHolding(parent, roots))
        throw outsideRoots(final, parent, roots);
    const placed = (0,external_node_path_.join)(parent, (0,external_node_path_.basename)(final));
    const there = await (0,promises_namespaceObject.realpath)(placed).catch(() => undefined);
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
    const flags = external_node_fs_namespaceObject.constants.O_WRONLY | external_node_fs_namespaceObject.constants.O_CREAT | external_node_fs_namespaceObject.constants.O_EXCL | external_node_fs_namespaceObject.constants.O_NOFOLLOW;
    await (await (0,promises_namespaceObject.open)(tmp, flags, 0o666)).close();
}
async function kind(path) {
    try {
        return (await (0,promises_namespaceObject.stat)(path)).isDirectory() ? 'directory' : 'file';
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
        await (0,promises_namespaceObject.rename)(tmp, final);
    }
    catch (e) {
        await (0,promises_namespaceObject.rm)(tmp, { recursive: true, force: true });
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
    const parent = await (0,promises_namespaceObject.realpath)((0,external_node_path_.dirname)(final));
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
    await (0,promises_namespaceObject.mkdir)(staging);
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
            await (0,promises_namespaceObject.rename)(tree, final);
        else if ((await (0,promises_namespaceObject.lstat)(tree)).isDirectory())
            await mergeTree(tree, final);
        else
            await (0,promises_namespaceObject.rename)(tree, (0,external_node_path_.join)(final, (0,external_node_path_.basename)(tree)));
    }
    finally {
        await (0,promises_namespaceObject.rm)(staging, { recursive: true, force: true });
    }
    return final;
}
function absolute(path) {
    return (0,external_node_path_.isAbsolute)(path) ? path : (0,external_node_path_.resolve)(path);
}
/** The one file or directory an archive of one path holds at its top. */
async function onlyEntry(dir, archive) {
    const names = await (0,promises_namespaceObject.readdir)(dir);
    if (names.length !== 1)
        throw new NerdctlError('Other', `the archive ${archive} holds ${names.length} entries at its top where one was expected`);
    return (0,external_node_path_.join)(dir, names[0]);
}
/** Moves every entry of `from` into `to`, descending where both have a directory. */
async function mergeTree(from, to) {
    for (const name of await (0,promises_namespaceObject.readdir)(from)) {
        const src = (0,external_node_path_.join)(from, name);
        const dest = (0,external_node_path_.join)(to, name);
        const there = await (0,promises_namespaceObject.lstat)(dest).catch(() => undefined);
        const isDir = (await (0,promises_namespaceObject.lstat)(src)).isDirectory();
        if (there?.isDirectory() && isDir)
            await mergeTree(src, dest);
        else {
            // A directory cannot be renamed over a file or a link: that one goes
            // first (a link is removed, never followed out of the tree).
            if (there && !there.isDirectory() && isDir)
                await (0,promises_namespaceObject.rm)(dest);
            await (0,promises_namespaceObject.rename)(src, dest);
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
        const st = await (0,promises_namespaceObject.lstat)(p).catch(() => undefined);
        if (!st || st.isSymbolicLink() || (uid !== undefined && st.uid !== uid))
            continue;
        await (0,promises_namespaceObject.rm)(p, { recursive: true, force: true });
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
        await (0,promises_namespaceObject.rm)(path, { recursive: true, force: true });
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
    const file = await (0,promises_namespaceObject.open)(path, 'r');
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
        const dir = await (0,promises_namespaceObject.mkdtemp)((0,external_node_path_.join)((0,external_node_os_namespaceObject.tmpdir)(), 'cosign-root-'));
        process.once('exit', () => (0,external_node_fs_namespaceObject.rmSync)(dir, { recursive: true, force: true }));
        const file = (0,external_node_path_.join)(dir, 'trusted-root.json');
        await (0,promises_namespaceObject.writeFile)(file, EMPTY_TRUSTED_ROOT, { mode: 0o644 });
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
    const dir = await (0,promises_namespaceObject.mkdtemp)((0,external_node_path_.join)((0,external_node_os_namespaceObject.tmpdir)(), 'nerdctl-env-'));
    const remove = () => (0,promises_namespaceObject.rm)(dir, { recursive: true, force: true });
    const envFile = (0,external_node_path_.join)(dir, 'env');
    try {
        await (0,promises_namespaceObject.writeFile)(envFile, made.file, { mode: 0o600, flag: 'wx' });
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
    const scratch = await (0,promises_namespaceObject.mkdtemp)((0,external_node_path_.join)((0,external_node_os_namespaceObject.tmpdir)(), 'nerdctl-cp-'));
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
        await (0,promises_namespaceObject.rm)(scratch, { recursive: true, force: true });
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

;// CONCATENATED MODULE: external "node:dgram"
const external_node_dgram_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:dgram");
// EXTERNAL MODULE: external "node:net"
var external_node_net_ = __nccwpck_require__(7030);
;// CONCATENATED MODULE: ./src/nerdctl/ops/rootless.ts
// The host facts rootless rules need (pure/rootless.ts), read from files, and
// where a user's rootless containerd is: no nerdctl call, so knowing costs a
// few stat calls and nothing on steps that never ask.






/** Linux's default when the sysctl cannot be read. */
const DEFAULT_UNPRIVILEGED_PORT_START = 1024;
function isDirectory(path) {
    try {
        return (0,external_node_fs_namespaceObject.statSync)(path).isDirectory();
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
        (0,external_node_path_.join)(process.env.XDG_CONFIG_HOME || (0,external_node_path_.join)(process.env.HOME || (0,external_node_os_namespaceObject.homedir)(), '.config'), 'nerdctl/nerdctl.toml');
    try {
        return (0,external_node_fs_namespaceObject.readFileSync)(path, 'utf8');
    }
    catch {
        return '';
    }
}
/** The facts of this host for rootless containers of `client`. */
function rootlessHostFacts(client) {
    let start = DEFAULT_UNPRIVILEGED_PORT_START;
    try {
        const n = Number.parseInt((0,external_node_fs_namespaceObject.readFileSync)('/proc/sys/net/ipv4/ip_unprivileged_port_start', 'utf8'), 10);
        if (Number.isInteger(n))
            start = n;
    }
    catch {
        // not Linux, or /proc hidden: the kernel's default
    }
    return {
        cgroupV2: (0,external_node_fs_namespaceObject.existsSync)('/sys/fs/cgroup/cgroup.controllers'),
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
    return dir && (0,external_node_fs_namespaceObject.existsSync)((0,external_node_path_.join)(dir, 'child_pid')) ? dir : undefined;
}
/** A port free on `host` ('' for every address) right now, for TCP or UDP. */
function freePort(host, protocol) {
    const address = host || (protocol === 'udp' ? '0.0.0.0' : '0.0.0.0');
    return new Promise((resolve, reject) => {
        if (protocol === 'udp') {
            const socket = (0,external_node_dgram_namespaceObject.createSocket)(address.includes(':') ? 'udp6' : 'udp4');
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
    const dir = await (0,promises_namespaceObject.mkdtemp)((0,external_node_path_.join)((0,external_node_os_namespaceObject.tmpdir)(), 'nerdctl-run-'));
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
        await (0,promises_namespaceObject.rm)(dir, { recursive: true, force: true });
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
        text = await (0,promises_namespaceObject.readFile)(cidfile, 'utf8');
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
    const dir = await (0,promises_namespaceObject.mkdtemp)((0,external_node_path_.join)((0,external_node_os_namespaceObject.tmpdir)(), 'nerdctl-build-'));
    try {
        const iid = exporter.hasImageId ? (0,external_node_path_.join)(dir, 'iid') : undefined;
        for (const [i, s] of (options.secrets ?? []).entries()) {
            if ('value' in s)
                await (0,promises_namespaceObject.writeFile)(secretFile(dir, i), s.value, { mode: 0o600, flag: 'wx' });
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
        await (0,promises_namespaceObject.rm)(dir, { recursive: true, force: true });
    }
}
/**
 * The image ID nerdctl wrote, or '' when it wrote none. Through sudo the file
 * is root's, with nerdctl's 0644 less the caller's umask: under a umask such
 * as 027 the caller may not read it, and reads it through sudo instead.
 */
async function readIidFile(path, options) {
    try {
        return await (0,promises_namespaceObject.readFile)(path, 'utf8');
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
        (rootless ? (0,external_node_path_.join)((0,external_node_os_namespaceObject.homedir)(), '.config/nerdctl/nerdctl.toml') : '/etc/nerdctl/nerdctl.toml');
    return probesOnNerdctlTimer({
        systemdIsInit: await (0,promises_namespaceObject.stat)('/run/systemd/system').then(s => s.isDirectory(), () => false),
        rootless,
        config: await (0,promises_namespaceObject.readFile)(config, 'utf8').catch(() => '')
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
    const { request } = await Promise.resolve(/* import() */).then(__nccwpck_require__.t.bind(__nccwpck_require__, 7067, 23));
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
    return Object.values((0,external_node_os_namespaceObject.networkInterfaces)()).some(list => (list ?? []).some(i => i.family === 'IPv4' && onSubnet(ip, i.address, i.netmask)));
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
function strategies_lineSplitter(onLine) {
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
                    onStdout: strategies_lineSplitter(onLine),
                    onStderr: strategies_lineSplitter(onLine),
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
        const s = await (0,promises_namespaceObject.stat)(path);
        return `${path}\0${s.size}\0${s.mtimeMs}\0${s.ino}`;
    }
    catch {
        return undefined;
    }
}
async function readCache(dir) {
    try {
        const doc = JSON.parse(await (0,promises_namespaceObject.readFile)((0,external_node_path_.join)(dir, CACHE_FILE), 'utf8'));
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
        await (0,promises_namespaceObject.mkdir)(dir, { recursive: true });
        // Only this binary's entry and the others' as they are: a file of many keys stays small.
        const all = { ...(await readCache(dir)), [key]: versions };
        const tmp = (0,external_node_path_.join)(dir, `.${CACHE_FILE}.${randomHex(6)}`);
        await (0,promises_namespaceObject.writeFile)(tmp, JSON.stringify(all), { mode: 0o644 });
        // Renamed into place: a concurrent step reads the old file or the new, never half.
        await (0,promises_namespaceObject.rename)(tmp, (0,external_node_path_.join)(dir, CACHE_FILE));
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
var external_node_crypto_ = __nccwpck_require__(7598);
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
        (0,external_node_fs_namespaceObject.mkdirSync)(dir, { recursive: true, mode: 0o755 });
    }
    catch (e) {
        why(`cannot make ${dir}: ${e.message}`);
        return undefined;
    }
    const seconds = Math.max(0, waitMs / 1000).toFixed(1);
    const child = (0,external_node_child_process_namespaceObject.spawn)(systemProgram('flock'), ['--wait', seconds, '--conflict-exit-code', '75', dir, systemProgram('cat')], { stdio: ['pipe', 'pipe', 'pipe'] });
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
    return filesystemUsage(path, (0,external_node_fs_namespaceObject.statfsSync)(path));
}
/**
 * The address of a BuildKit on this machine that the store's cache may be
 * pruned on: the given one when it is a unix socket (a tcp:// or other host
 * may be another machine's, whose cache is not ours to judge); unset, where
 * nerdctl itself looks (`/run/buildkit-NAMESPACE/`, then `/run/buildkit/`),
 * when that socket exists.
 */
function localBuildkit(address, namespace = 'default', exists = external_node_fs_namespaceObject.existsSync) {
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
    const { parse } = await Promise.resolve(/* import() */).then(__nccwpck_require__.t.bind(__nccwpck_require__, 8815, 19));
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
            raw = parse(await (0,promises_namespaceObject.readFile)(f, 'utf8'), { logLevel: 'error' });
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








// EXTERNAL MODULE: external "node:util"
var external_node_util_ = __nccwpck_require__(7975);
;// CONCATENATED MODULE: external "node:vm"
const external_node_vm_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:vm");
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
        return (0,external_node_vm_namespaceObject.compileFunction)(wrapped, [...PARAMS], { filename, lineOffset: -1 });
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
    const full = (0,external_node_path_.resolve)(path);
    let source;
    try {
        source = await (0,promises_namespaceObject.readFile)(full, 'utf8');
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
    if (e instanceof NerdctlError) {
        what =
            `${e.message}\n  command: nerdctl ${formatArgv(e.args)}` +
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

;// CONCATENATED MODULE: ./src/cli/step.ts
// Runs the action's bundle the way the GitHub runner does, outside GitHub:
// INPUT_* from action.yml's defaults under the given inputs, GITHUB_OUTPUT /
// GITHUB_STATE / GITHUB_STEP_SUMMARY files in a scratch directory, the main
// step, then (unless kept) the post step with the saved state as STATE_*.








function readActionYaml(path) {
    return (0,dist.parse)((0,external_node_fs_namespaceObject.readFileSync)(path, 'utf8'));
}
/** INPUT_* variables as the runner sets them: defaults, then the given inputs. */
function inputEnv(action, inputs) {
    const unknown = Object.keys(inputs).filter(k => !(k in action.inputs));
    if (unknown.length > 0) {
        throw new Error(`unknown input(s): ${unknown.join(', ')}; see action.yml for the inputs there are`);
    }
    const env = {};
    for (const [name, spec] of Object.entries(action.inputs)) {
        env[inputVariable(name)] = inputs[name] ?? spec.default ?? '';
    }
    return env;
}
/** Reads a file the runner's file commands wrote (`name<<delimiter` blocks or `name=value`). */
function readFileCommands(path) {
    const out = {};
    let text;
    try {
        text = (0,external_node_fs_namespaceObject.readFileSync)(path, 'utf8');
    }
    catch {
        return out;
    }
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
        const line = lines[i];
        const m = /^([^=<]+)<<(.+)$/.exec(line);
        if (m) {
            const delim = m[2];
            const value = [];
            while (++i < lines.length && lines[i] !== delim)
                value.push(lines[i]);
            out[m[1]] = value.join('\n');
        }
        else if (line.includes('=')) {
            out[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
        }
    }
    return out;
}
/**
 * The variable naming the node binary that runs the bundle. The runner runs
 * it with the Node that action.yml declares (node24), which may differ from
 * the one running this code; tests set it to that Node (scripts/node24.sh).
 */
const STEP_NODE_ENV = 'NERDCTL_ACTION_NODE';
/** The node binary a step runs with: $NERDCTL_ACTION_NODE, else this process's own. */
function stepNode(env = process.env) {
    return env[STEP_NODE_ENV] || process.execPath;
}
/** The numeric user and group IDs of a user name. */
function idsOf(name) {
    const id = (flag) => Number((0,external_node_child_process_namespaceObject.execFileSync)('id', [flag, '--', name], { encoding: 'utf8' }).trim());
    return [id('-u'), id('-g')];
}
/** One main-then-post run of the action; `post()` may be skipped to keep its containers. */
class LocalStep {
    options;
    dir = (0,external_node_fs_namespaceObject.mkdtempSync)((0,external_node_path_.join)((0,external_node_os_namespaceObject.tmpdir)(), 'nerdctl-action-step-'));
    constructor(options) {
        this.options = options;
    }
    files(phase) {
        const f = {
            output: (0,external_node_path_.join)(this.dir, `${phase}-output`),
            state: (0,external_node_path_.join)(this.dir, `${phase}-state`),
            summary: (0,external_node_path_.join)(this.dir, `${phase}-summary`)
        };
        for (const p of Object.values(f))
            (0,external_node_fs_namespaceObject.writeFileSync)(p, '', { flag: 'a' });
        const user = this.options.asUser;
        if (user) {
            // The runner's own files are its user's: hand over the directory and
            // these (not -R: what the step wrote there must show who wrote it).
            const [uid, gid] = idsOf(user.name);
            for (const p of [this.dir, ...Object.values(f)])
                (0,external_node_fs_namespaceObject.lchownSync)(p, uid, gid);
        }
        return f;
    }
    /** The program and arguments that start the bundle: node, or node as the step's user. */
    command() {
        const node = this.options.node ?? stepNode();
        const user = this.options.asUser;
        if (!user)
            return [node, [this.options.bundle]];
        // runuser keeps the environment as it is (INPUT_* names with "-" in them
        // included, which a shell would drop) and the umask it was started with.
        return ['runuser', ['-u', user.name, '--', node, this.options.bundle]];
    }
    /** Starts the step's process; with `asUser.umask`, under that umask (children inherit it). */
    start(env, cwd) {
        const [file, args] = this.command();
        const umask = this.options.asUser?.umask;
        if (umask !== undefined && !/^[0-7]{3,4}$/.test(umask))
            throw new Error(`umask ${umask} is not octal`);
        const saved = umask === undefined ? undefined : process.umask(parseInt(umask, 8));
        try {
            return (0,external_node_child_process_namespaceObject.spawn)(file, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
        }
        finally {
            if (saved !== undefined)
                process.umask(saved);
        }
    }
    run(phase, stateEnv, signal) {
        const f = this.files(phase);
        const t0 = Date.now();
        const cwd = this.options.cwd ?? this.dir;
        return new Promise((resolve, reject) => {
            const child = this.start({
                ...process.env,
                GITHUB_WORKSPACE: cwd,
                RUNNER_TEMP: this.dir,
                ...this.options.env,
                ...this.options.inputEnv,
                ...stateEnv,
                GITHUB_OUTPUT: f.output,
                GITHUB_STATE: f.state,
                GITHUB_STEP_SUMMARY: f.summary
            }, cwd);
            let log = '';
            // The runner reads commands in both streams, with one stop-commands state.
            const reader = new CommandReader();
            const commands = [];
            const onLine = (line) => {
                const r = reader.read(line);
                if (r.kind === 'command')
                    commands.push(r.command);
            };
            const streams = [child.stdout, child.stderr].map(stream => {
                const decoder = new external_node_string_decoder_namespaceObject.StringDecoder('utf8');
                const lines = lineSplitter(onLine);
                stream.on('data', (c) => {
                    const s = decoder.write(c);
                    log += s;
                    lines.write(s);
                    this.options.onOutput?.(s);
                });
                return { decoder, lines };
            });
            const drain = () => {
                for (const { decoder, lines } of streams) {
                    const rest = decoder.end();
                    log += rest;
                    lines.write(rest);
                    lines.end();
                }
            };
            // Cancelling is what the runner does to a cancelled job: SIGINT to the step.
            const cancel = () => void child.kill('SIGINT');
            signal?.addEventListener('abort', cancel, { once: true });
            child.on('close', () => signal?.removeEventListener('abort', cancel));
            child.on('error', reject);
            child.on('close', code => {
                drain();
                const named = (name) => Object.fromEntries(commands
                    .filter(c => c.name === name && c.properties.name !== undefined)
                    .map(c => [c.properties.name, c.data]));
                resolve({
                    exitCode: code ?? 1,
                    log,
                    outputs: { ...named('set-output'), ...readFileCommands(f.output) },
                    state: { ...named('save-state'), ...readFileCommands(f.state) },
                    summary: (0,external_node_fs_namespaceObject.readFileSync)(f.summary, 'utf8'),
                    ms: Date.now() - t0,
                    commands,
                    masks: commands.filter(c => c.name === 'add-mask').map(c => c.data)
                });
            });
        });
    }
    /** The main step; aborting `signal` sends it SIGINT, as a cancelled job does. */
    main(signal) {
        return this.run('main', {}, signal);
    }
    /** The post step with the state the main step saved, minus `drop`. */
    post(drop = []) {
        const state = readFileCommands((0,external_node_path_.join)(this.dir, 'main-state'));
        const env = {};
        for (const [k, v] of Object.entries(state))
            if (!drop.includes(k))
                env[`STATE_${k}`] = v;
        return this.run('post', env);
    }
    remove() {
        (0,external_node_fs_namespaceObject.rmSync)(this.dir, { recursive: true, force: true });
    }
}

;// CONCATENATED MODULE: ./src/cli/index.ts
// The `nerdctl-action` command line: run a user script with the library in
// scope (`script`), or try the action's step locally, main then post (`step`).
// Exit codes: 0 success, 1 the script or step failed, 2 bad usage.










const USAGE = `nerdctl-action: drive nerdctl from scripts, or try the action's step locally

Usage:
  nerdctl-action script FILE [--input NAME=VALUE]... [--json] [--verbose]
  nerdctl-action step [--input NAME=VALUE]... [--with FILE.yml] [--keep] [--json] [--verbose]
  nerdctl-action --help | --version

Run "nerdctl-action script --help" or "nerdctl-action step --help" for details.
Exit codes: 0 success, 1 the script or step failed, 2 bad usage.`;
const SCRIPT_USAGE = `nerdctl-action script FILE [--input NAME=VALUE]... [--json] [--verbose]

Runs FILE as the body of an async function with these in scope:
  nerdctl   every export of the library (Container, imageBuild, run, waitForHealthy, ...)
  core, exec, glob, io, require
            the real @actions/core, @actions/exec, @actions/glob and @actions/io,
            as actions/github-script gives them
  inputs    the --input values, as an object
"await" works at the top level; the value the script returns is printed
(strings as they are, anything else as JSON; --json prints it as JSON always).
A thrown error is shown with the script's own line and column.

Options:
  --input NAME=VALUE   a value for inputs.NAME (repeatable)
  --json               print the result as JSON
  --verbose            show every nerdctl command line`;
const STEP_USAGE = `nerdctl-action step [--input NAME=VALUE]... [--with FILE.yml] [--keep] [--json] [--verbose]

Runs the action's main step with these inputs (the rest take their defaults
from action.yml), prints its outputs, then runs its post step (cleanup), as a
GitHub runner would. Try a step here before putting it in a workflow.

Options:
  --input NAME=VALUE   an input, as under "with:" in a workflow (repeatable)
  --with FILE.yml      inputs from a YAML file: a mapping of inputs, or a step with "with:"
  --keep               skip the post step: containers stay for you to inspect
  --json               print the outputs as one JSON object
  --verbose            show debug lines (every nerdctl command line)

The step runs with this command's own node, or the one NERDCTL_ACTION_NODE
names: set it to a Node 24 to run the step on the Node a runner uses.`;
class UsageError extends Error {
}
function parseArgs(argv, known) {
    const p = { positional: [], inputs: {}, flags: new Set(), withFile: undefined };
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        const next = () => {
            const v = argv[++i];
            if (v === undefined)
                throw new UsageError(`${a} needs a value`);
            return v;
        };
        if (a === '--input' || a === '-i') {
            const kv = next();
            const eq = kv.indexOf('=');
            if (eq <= 0)
                throw new UsageError(`--input takes NAME=VALUE, not "${kv}"`);
            p.inputs[kv.slice(0, eq)] = kv.slice(eq + 1);
        }
        else if (a.startsWith('--input=')) {
            const kv = a.slice('--input='.length);
            const eq = kv.indexOf('=');
            if (eq <= 0)
                throw new UsageError(`--input takes NAME=VALUE, not "${kv}"`);
            p.inputs[kv.slice(0, eq)] = kv.slice(eq + 1);
        }
        else if (a === '--with') {
            p.withFile = next();
        }
        else if (a.startsWith('--')) {
            if (!known.includes(a))
                throw new UsageError(`unknown option ${a}`);
            p.flags.add(a);
        }
        else {
            p.positional.push(a);
        }
    }
    return p;
}
/** The project root: where action.yml and dist/ are, above this module. */
function projectRoot() {
    let dir = (0,external_node_path_.dirname)((0,external_node_url_.fileURLToPath)(import.meta.url));
    for (let i = 0; i < 5; i++) {
        if ((0,external_node_fs_namespaceObject.existsSync)((0,external_node_path_.join)(dir, 'action.yml')))
            return dir;
        dir = (0,external_node_path_.dirname)(dir);
    }
    throw new Error('cannot find action.yml above the nerdctl-action command; is the package complete?');
}
const tty = process.stdout.isTTY === true;
const paint = (code, s) => (tty ? `\x1b[${code}m${s}\x1b[0m` : s);
/**
 * Turns workflow commands into lines for people; hides masked values. Lines
 * inside a `::stop-commands::` region are text, as the runner shows them.
 */
function progressPrinter(verbose) {
    // The reader masks text lines and command data, one line at a time.
    const reader = new CommandReader();
    const lines = lineSplitter(line => {
        const r = reader.read(line);
        if (r.kind === 'text')
            process.stdout.write(`${r.line}\n`);
        if (r.kind !== 'command')
            return;
        const { name: cmd, data } = r.command;
        if (cmd === 'group')
            process.stdout.write(`${paint('1', tty ? `▶ ${data}` : `== ${data}`)}\n`);
        else if (cmd === 'error')
            process.stdout.write(`${paint('31', `error: ${data}`)}\n`);
        else if (cmd === 'warning')
            process.stdout.write(`${paint('33', `warning: ${data}`)}\n`);
        else if (cmd === 'debug' && verbose)
            process.stdout.write(`${paint('2', data)}\n`);
    });
    return lines.write;
}
function inputsFromYaml(path) {
    let doc;
    try {
        doc = (0,dist.parse)((0,external_node_fs_namespaceObject.readFileSync)(path, 'utf8'));
    }
    catch (e) {
        throw new UsageError(`cannot read ${path}: ${errorMessage(e)}`);
    }
    const obj = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
    if (!obj(doc))
        throw new UsageError(`${path} must be a YAML mapping of inputs, or a step with "with:"`);
    const map = obj(doc.with) ? doc.with : doc;
    const out = {};
    for (const [k, v] of Object.entries(map))
        out[k] = typeof v === 'string' ? v : v === null ? '' : String(v);
    return out;
}
async function stepCommand(args) {
    if (args.positional.length > 0)
        throw new UsageError(`step takes no arguments, only options (got "${args.positional[0]}")`);
    const root = projectRoot();
    const action = readActionYaml((0,external_node_path_.join)(root, 'action.yml'));
    const inputs = { ...(args.withFile ? inputsFromYaml(args.withFile) : {}), ...args.inputs };
    let env;
    try {
        env = inputEnv(action, inputs);
    }
    catch (e) {
        throw new UsageError(errorMessage(e));
    }
    const verbose = args.flags.has('--verbose');
    const json = args.flags.has('--json');
    const step = new LocalStep({
        bundle: (0,external_node_path_.join)(root, 'dist', 'index.js'),
        cwd: process.cwd(),
        inputEnv: env,
        env: verbose ? { RUNNER_DEBUG: '1' } : {},
        onOutput: json ? undefined : progressPrinter(verbose)
    });
    // Ctrl-C cancels the main step as a runner cancels a job; the post step still runs.
    const abort = new AbortController();
    const onInt = () => abort.abort();
    process.once('SIGINT', onInt);
    try {
        const main = await step.main(abort.signal);
        process.removeListener('SIGINT', onInt);
        if (json) {
            process.stdout.write(`${JSON.stringify({ exitCode: main.exitCode, outputs: main.outputs })}\n`);
        }
        else {
            process.stdout.write(`${paint('1', tty ? '▶ outputs' : '== outputs')}\n`);
            for (const [k, v] of Object.entries(main.outputs)) {
                if (k !== 'metadata')
                    process.stdout.write(`${k}: ${v.includes('\n') ? v.split('\n').join(', ') : v}\n`);
            }
            process.stdout.write(main.exitCode === 0
                ? `${paint('32', 'step succeeded')}\n`
                : `${paint('31', 'step failed')}\n`);
        }
        if (args.flags.has('--keep')) {
            if (!json)
                process.stdout.write('--keep: the post step did not run; containers of this step are still there\n');
        }
        else {
            const post = await step.post();
            if (post.exitCode !== 0 && !json)
                process.stdout.write(`${paint('33', 'post step failed')}\n`);
        }
        return main.exitCode === 0 ? 0 : 1;
    }
    finally {
        step.remove();
    }
}
async function scriptCommand(args) {
    const [file, ...rest] = args.positional;
    if (!file)
        throw new UsageError('script needs a FILE to run');
    if (rest.length > 0)
        throw new UsageError(`script takes one FILE (got also "${rest[0]}")`);
    if (!(0,external_node_fs_namespaceObject.existsSync)(file))
        throw new UsageError(`no such script file: ${file}`);
    const verbose = args.flags.has('--verbose');
    configure({
        logger: {
            debug: m => (verbose ? process.stderr.write(`${m}\n`) : undefined),
            info: m => process.stderr.write(`${m}\n`),
            warning: m => process.stderr.write(`warning: ${m}\n`),
            // Run inside a workflow, a container's lines must not become commands.
            output: t => output(t, process.stderr)
        }
    });
    try {
        // The toolkit (@actions/core and its HTTP stack) loads only for this command.
        const { toolkit } = await Promise.all(/* import() */[__nccwpck_require__.e(324), __nccwpck_require__.e(569)]).then(__nccwpck_require__.bind(__nccwpck_require__, 3569));
        const result = await runScriptFile(file, {
            nerdctl: { ...nerdctl_namespaceObject },
            ...toolkit(),
            inputs: args.inputs
        });
        const text = args.flags.has('--json') ? JSON.stringify(result ?? null) : formatResult(result);
        if (text)
            process.stdout.write(`${text}\n`);
        return 0;
    }
    catch (e) {
        process.stderr.write(`${paint('31', e instanceof ScriptError ? e.message : String(e))}\n`);
        return 1;
    }
}
async function cli(argv) {
    const [command, ...rest] = argv;
    try {
        if (!command || command === '--help' || command === '-h' || command === 'help') {
            process.stdout.write(`${USAGE}\n`);
            return command ? 0 : 2;
        }
        if (command === '--version') {
            const pkg = JSON.parse((0,external_node_fs_namespaceObject.readFileSync)((0,external_node_path_.join)(projectRoot(), 'package.json'), 'utf8'));
            process.stdout.write(`${pkg.version}\n`);
            return 0;
        }
        if (command === 'script' || command === 'step') {
            if (rest.includes('--help') || rest.includes('-h')) {
                process.stdout.write(`${command === 'script' ? SCRIPT_USAGE : STEP_USAGE}\n`);
                return 0;
            }
            const known = command === 'script' ? ['--json', '--verbose'] : ['--json', '--verbose', '--keep'];
            const args = parseArgs(rest, known);
            return command === 'script' ? await scriptCommand(args) : await stepCommand(args);
        }
        throw new UsageError(`unknown command "${command}"`);
    }
    catch (e) {
        if (e instanceof UsageError) {
            process.stderr.write(`nerdctl-action: ${e.message}\n\n${USAGE}\n`);
            return 2;
        }
        process.stderr.write(`nerdctl-action: ${errorMessage(e)}\n`);
        return 1;
    }
}
// Run when executed, not when imported by tests.
// (argv[1] may be the symlink a global install puts on PATH.)
if (process.argv[1] &&
    (0,external_node_fs_namespaceObject.realpathSync)((0,external_node_path_.resolve)(process.argv[1])) === (0,external_node_fs_namespaceObject.realpathSync)((0,external_node_url_.fileURLToPath)(import.meta.url))) {
    cli(process.argv.slice(2)).then(code => {
        process.exitCode = code;
    });
}

var __webpack_exports__cli = __webpack_exports__.x;
export { __webpack_exports__cli as cli };

//# sourceMappingURL=index.js.map