// Node's console formatting for the engine's console: util.inspect, util.formatWithOptions and
// the Console methods (group indentation, counters, timers, table, trace, assert), written to
// the behaviour of Node 20's lib/internal/util/inspect.js, lib/internal/console/constructor.js and
// lib/internal/cli_table.js with their defaults (depth 2, breakLength 80, compact 3,
// maxArrayLength 100, maxStringLength 10000, colours off), so that a handler's console output
// reads exactly as Node prints it wherever QuickJS lets that be known.
//
// Evaluated once per context, after the compat layer and before runtime.js, which takes the
// factory from a temporary global property and deletes it before any handler code exists.
//
// What it formats is the handler's, and hostile. Hence:
//  - every built-in it calls is captured here, at load: in open mode a handler may patch
//    prototypes, and runs before its logs are formatted;
//  - its own lists and records have null prototypes (no inherited setter or getter sees them),
//    and no regular-expression method runs on the handler's strings except frozen, non-global
//    expressions through the captured exec;
//  - handler code runs only where Node runs it: the getters and methods Node reads with an
//    ordinary property access (an error's name, message, stack and cause, a constructor's name,
//    `Symbol.hasInstance`, a `[util.inspect.custom]` method, toString for %s, Number() for %d,
//    toJSON for %j, getters when asked for with `getters: true`); never a getter of a property
//    it lists, never a Proxy trap (Proxy is wrapped so that a proxy's target is known, and
//    Node too shows the target);
//  - it never throws: whatever a getter, trap or conversion throws gives a fallback text;
//  - it stays bounded: formatting stops once the text is past the caller's cap (the first
//    `cap` characters are still exactly Node's), and a structure deep enough to make indentation
//    alone huge is cut as well.
//
// Left as QuickJS allows: a Promise's state cannot be read (always `<pending>`); the entries of a
// Map or Set iterator cannot be previewed without consuming them, nor those of a WeakMap or
// WeakSet with showHidden (`<items unknown>`); stack frames are the engine's (see runtime.js),
// with V8's first line (`Name: message`) put before them; `colors: true` gives no colours.
(function () {
  "use strict";
  const G = globalThis;
  const {
    getOwnPropertyDescriptor, getOwnPropertyNames, getOwnPropertySymbols, getPrototypeOf, setPrototypeOf,
    keys: objectKeys, defineProperty, freeze, is: sameValue,
  } = Object;
  const { apply, construct } = Reflect;
  const isArray = Array.isArray;
  const ObjectProto = Object.prototype;
  const FunctionProto = Function.prototype;
  const callBind = FunctionProto.bind;
  const callCall = FunctionProto.call;
  // f(self, ...args) for a captured method: a bound `call`, so nothing is looked up when it runs.
  const uncurry = (f) => apply(callBind, callCall, [f]);

  const hasOwn = uncurry(ObjectProto.hasOwnProperty);
  const isEnumerable = uncurry(ObjectProto.propertyIsEnumerable);
  const objectToString = uncurry(ObjectProto.toString);
  const functionToString = uncurry(FunctionProto.toString);
  const errorToString = uncurry(Error.prototype.toString);
  const StringCtor = String;
  const NumberCtor = Number;
  const parseIntNumber = Number.parseInt;
  const parseFloatNumber = Number.parseFloat;
  const isNaNNumber = Number.isNaN;
  const numberToString = uncurry(Number.prototype.toString);
  const numberToFixed = uncurry(Number.prototype.toFixed);
  const { min: mathMin, max: mathMax, round: mathRound, floor: mathFloor, sqrt: mathSqrt, ceil: mathCeil } = Math;
  const jsonStringify = JSON.stringify;
  const strSlice = uncurry(String.prototype.slice);
  const charCodeAt = uncurry(String.prototype.charCodeAt);
  const codePointAt = uncurry(String.prototype.codePointAt);
  const strIndexOf = uncurry(String.prototype.indexOf);
  const strIncludes = uncurry(String.prototype.includes);
  const strStartsWith = uncurry(String.prototype.startsWith);
  const strEndsWith = uncurry(String.prototype.endsWith);
  const strRepeat = uncurry(String.prototype.repeat);
  const strPadStart = uncurry(String.prototype.padStart);
  const strPadEnd = uncurry(String.prototype.padEnd);
  const strNormalize = uncurry(String.prototype.normalize);
  const stringValueOf = uncurry(String.prototype.valueOf);
  const numberValueOf = uncurry(Number.prototype.valueOf);
  const booleanValueOf = uncurry(Boolean.prototype.valueOf);
  const bigintValueOf = uncurry(BigInt.prototype.valueOf);
  const symbolValueOf = uncurry(Symbol.prototype.valueOf);
  const symbolToString = uncurry(Symbol.prototype.toString);
  const dateGetTime = uncurry(Date.prototype.getTime);
  const dateToISOString = uncurry(Date.prototype.toISOString);
  const regexpExec = uncurry(RegExp.prototype.exec);
  const regexpSource = uncurry(getOwnPropertyDescriptor(RegExp.prototype, "source").get);
  const regexpFlags = uncurry(getOwnPropertyDescriptor(RegExp.prototype, "flags").get);
  const RegExpProto = RegExp.prototype;
  const MapCtor = Map;
  const mapSize = uncurry(getOwnPropertyDescriptor(Map.prototype, "size").get);
  const mapGet = uncurry(Map.prototype.get);
  const mapSet = uncurry(Map.prototype.set);
  const mapHas = uncurry(Map.prototype.has);
  const mapDelete = uncurry(Map.prototype.delete);
  const mapEntries = uncurry(Map.prototype.entries);
  const mapIteratorProto = getPrototypeOf(new Map().entries());
  const mapIteratorNext = uncurry(mapIteratorProto.next);
  const setSize = uncurry(getOwnPropertyDescriptor(Set.prototype, "size").get);
  const setValues = uncurry(Set.prototype.values);
  const setIteratorProto = getPrototypeOf(new Set().values());
  const setIteratorNext = uncurry(setIteratorProto.next);
  const WeakMapCtor = WeakMap;
  const weakMapGet = uncurry(WeakMap.prototype.get);
  const weakMapSet = uncurry(WeakMap.prototype.set);
  const weakMapHas = uncurry(WeakMap.prototype.has);
  const weakSetHas = uncurry(WeakSet.prototype.has);
  const TypedArrayProto = getPrototypeOf(Uint8Array.prototype);
  const typedArrayTag = uncurry(getOwnPropertyDescriptor(TypedArrayProto, Symbol.toStringTag).get);
  const typedArrayLength = uncurry(getOwnPropertyDescriptor(TypedArrayProto, "length").get);
  const Uint8ArrayCtor = Uint8Array;
  const arrayBufferByteLength = uncurry(getOwnPropertyDescriptor(ArrayBuffer.prototype, "byteLength").get);
  const sharedByteLength = typeof SharedArrayBuffer === "function"
    ? uncurry(getOwnPropertyDescriptor(SharedArrayBuffer.prototype, "byteLength").get) : null;
  const dataViewByteLength = uncurry(getOwnPropertyDescriptor(DataView.prototype, "byteLength").get);
  const PromiseProto = Promise.prototype;
  const ErrorProto = Error.prototype;
  const SymbolIterator = Symbol.iterator;
  const SymbolToStringTag = Symbol.toStringTag;
  const SymbolToPrimitive = Symbol.toPrimitive;
  const customInspectSymbol = Symbol.for("nodejs.util.inspect.custom");
  const perf = G.performance;
  const perfNow = perf && typeof perf.now === "function" ? uncurry(perf.now) : null;
  const dateNow = Date.now;
  const generatorFunctionProto = getPrototypeOf(function* () {});
  const asyncFunctionProto = getPrototypeOf(async function () {});
  const asyncGeneratorFunctionProto = getPrototypeOf(async function* () {});
  // Node 20's %IteratorPrototype% holds only [Symbol.iterator]; QuickJS-ng's has iterator helpers.
  const IteratorProto = getPrototypeOf(getPrototypeOf([][Symbol.iterator]()));
  const callerGetter = (function () {
    const d = getOwnPropertyDescriptor(FunctionProto, "caller");
    return d !== undefined && typeof d.get === "function" ? uncurry(d.get) : null;
  })();
  // Frozen, not global, not sticky: the captured exec neither reads nor writes anything of theirs
  // a handler could reach.
  const WIDE = freeze(/\p{Emoji_Presentation}/u);
  const ZERO_WIDTH = freeze(/[\p{Mn}\p{Me}\p{Cf}\p{Cc}\p{Emoji_Modifier}]/u);

  function list() { const a = []; setPrototypeOf(a, null); return a; }
  function push(a, v) { a[a.length] = v; }
  function join(a, sep) {
    let s = "";
    const n = a.length;
    for (let i = 0; i < n; i++) { if (i !== 0) s += sep; s += a[i]; }
    return s;
  }
  function contains(a, v) {
    for (let i = 0; i < a.length; i++) if (a[i] === v) return true;
    return false;
  }
  function indexIn(a, v) {
    for (let i = 0; i < a.length; i++) if (a[i] === v) return i;
    return -1;
  }
  // An array the engine made (Object.keys, ...) taken as a list: its prototype dropped, in place.
  function asList(a) { setPrototypeOf(a, null); return a; }
  // A property descriptor as a null-prototype record: its fields read as its own only.
  function descriptor(obj, key) {
    const d = getOwnPropertyDescriptor(obj, key);
    if (d === undefined) return undefined;
    return { __proto__: null, value: hasOwn(d, "value") ? d.value : undefined, get: hasOwn(d, "get") ? d.get : undefined,
      set: hasOwn(d, "set") ? d.set : undefined, enumerable: hasOwn(d, "enumerable") ? d.enumerable : false, data: hasOwn(d, "value") };
  }
  function replaceAllNewlines(s, by) {
    let out = "";
    let last = 0;
    for (let i = strIndexOf(s, "\n"); i !== -1; i = strIndexOf(s, "\n", i + 1)) {
      out += strSlice(s, last, i) + by;
      last = i + 1;
    }
    return last === 0 ? s : out + strSlice(s, last);
  }

  // ---- Proxies: their targets, known without running a trap -----------------------------------
  // Node asks V8 for a proxy's target and formats that. QuickJS has no such query, so the Proxy
  // constructor (and Proxy.revocable) is wrapped, itself in a Proxy: same name, length, source
  // text and behaviour, and each proxy made is remembered with its target in a WeakMap.
  const RealProxy = G.Proxy;
  const proxies = new WeakMapCtor();
  function proxyRecord(target, handler) { return { __proto__: null, target, handler, revoked: false }; }
  const ProxyWrapper = new RealProxy(RealProxy, freeze({
    __proto__: null,
    construct(target, args, newTarget) {
      const p = construct(target, args, newTarget);
      weakMapSet(proxies, p, proxyRecord(args[0], args[1]));
      return p;
    },
  }));
  (function wrapRevocable() {
    const d = getOwnPropertyDescriptor(RealProxy, "revocable");
    const realRevocable = d.value;
    const revokeTrap = function (record) {
      return freeze({
        __proto__: null,
        apply(target, thisArg, args) {
          record.revoked = true;
          record.target = null;
          record.handler = null;
          return apply(target, thisArg, args);
        },
      });
    };
    const revocable = new RealProxy(realRevocable, freeze({
      __proto__: null,
      apply(target, thisArg, args) {
        const r = apply(target, thisArg, args);
        const record = proxyRecord(args[0], args[1]);
        weakMapSet(proxies, r.proxy, record);
        defineProperty(r, "revoke", { __proto__: null, value: new RealProxy(r.revoke, revokeTrap(record)), writable: true, enumerable: true, configurable: true });
        return r;
      },
    }));
    defineProperty(RealProxy, "revocable", { __proto__: null, value: revocable, writable: d.writable, enumerable: d.enumerable, configurable: d.configurable });
    const g = getOwnPropertyDescriptor(G, "Proxy");
    defineProperty(G, "Proxy", { __proto__: null, value: ProxyWrapper, writable: g.writable, enumerable: g.enumerable, configurable: g.configurable });
  })();
  function proxyOf(value) { return weakMapGet(proxies, value); }

  // ---- built-ins by prototype ----------------------------------------------------------------
  // Node names an object by the first `constructor` up its prototype chain whose instance it is.
  // The engine's lockdown turns built-in prototypes' `constructor` into accessors (and a handler
  // in open mode may tamper with them), so built-in prototypes are named from this table, made
  // before either. `Iterator` is left out: Node 20 has no such global, and names iterators Object.
  const intrinsicNames = new WeakMapCtor();
  const builtInNames = { __proto__: null };
  (function learnIntrinsics() {
    const names = getOwnPropertyNames(G);
    for (let i = 0; i < names.length; i++) {
      const name = names[i];
      const d = getOwnPropertyDescriptor(G, name);
      const v = d && hasOwn(d, "value") ? d.value : undefined;
      if (typeof v !== "function" || name === "Iterator" || name === "Proxy") continue;
      let first = charCodeAt(name, 0);
      if (first >= 65 && first <= 90 && name.length > 1) {
        let plain = true;
        for (let j = 1; j < name.length && plain; j++) {
          const c = charCodeAt(name, j);
          plain = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
        }
        if (plain) builtInNames[name] = true;
      }
      const pd = getOwnPropertyDescriptor(v, "prototype");
      const proto = pd && hasOwn(pd, "value") ? pd.value : undefined;
      if (proto === null || (typeof proto !== "object" && typeof proto !== "function")) continue;
      const cd = getOwnPropertyDescriptor(proto, "constructor");
      if (cd && hasOwn(cd, "value") && cd.value === v) weakMapSet(intrinsicNames, proto, StringCtor(v.name));
    }
    weakMapSet(intrinsicNames, generatorFunctionProto, "GeneratorFunction");
    weakMapSet(intrinsicNames, asyncFunctionProto, "AsyncFunction");
    weakMapSet(intrinsicNames, asyncGeneratorFunctionProto, "AsyncGeneratorFunction");
    weakMapSet(intrinsicNames, TypedArrayProto, "TypedArray");
  })();
  function intrinsicName(proto) { return weakMapGet(intrinsicNames, proto); }
  // The non-method properties of the prototypes no global leads to (iterators', generators'), as
  // they are before the lockdown turns methods into accessors: what showHidden lists of them.
  const hiddenProtoKeys = new WeakMapCtor();
  (function learnHiddenPrototypes() {
    const protos = [getPrototypeOf([][Symbol.iterator]()), getPrototypeOf(""[Symbol.iterator]()), mapIteratorProto,
      setIteratorProto, getPrototypeOf(function* () {}.prototype), getPrototypeOf(async function* () {}.prototype)];
    try { protos[protos.length] = getPrototypeOf("a".matchAll(/a/g)); } catch (e) { /* none */ }
    for (let i = 0; i < protos.length; i++) {
      const own = getOwnPropertyNames(protos[i]);
      const syms = getOwnPropertySymbols(protos[i]);
      const keys = list();
      for (let j = 0; j < own.length + syms.length; j++) {
        const k = j < own.length ? own[j] : syms[j - own.length];
        const d = getOwnPropertyDescriptor(protos[i], k);
        if (!hasOwn(d, "value") || typeof d.value !== "function") push(keys, k);
      }
      weakMapSet(hiddenProtoKeys, protos[i], keys);
    }
  })();

  // ---- type checks: brand checks that run no handler code -------------------------------------
  function brand(check, value) { try { check(value); return true; } catch (e) { return false; } }
  const isMap = (v) => brand(mapSize, v);
  const isSet = (v) => brand(setSize, v);
  const isWeakMap = (v) => brand((x) => weakMapHas(x, ObjectProto), v);
  const isWeakSet = (v) => brand((x) => weakSetHas(x, ObjectProto), v);
  const isDate = (v) => brand(dateGetTime, v);
  const isRegExp = (v) => v !== RegExpProto && brand(regexpSource, v);
  const isArrayBuffer = (v) => brand(arrayBufferByteLength, v);
  const isSharedArrayBuffer = (v) => sharedByteLength !== null && brand(sharedByteLength, v);
  const isDataView = (v) => brand(dataViewByteLength, v);
  function typedArrayName(v) { try { return typedArrayTag(v); } catch (e) { return undefined; } }
  function protoChainHas(v, proto) {
    let o = v;
    for (let n = 0; n < 10000; n++) {
      if (proxyOf(o) !== undefined) return false;
      o = getPrototypeOf(o);
      if (o === null) return false;
      if (o === proto) return true;
    }
    return false;
  }
  const isPromise = (v) => protoChainHas(v, PromiseProto);
  const isMapIterator = (v) => protoChainHas(v, mapIteratorProto);
  const isSetIterator = (v) => protoChainHas(v, setIteratorProto);
  function isError(v) {
    if (protoChainHas(v, ErrorProto)) return true;
    try { return objectToString(v) === "[object Error]"; } catch (e) { return false; }
  }
  function isArgumentsObject(v) { try { return objectToString(v) === "[object Arguments]"; } catch (e) { return false; } }
  function boxedType(v) {
    if (brand(numberValueOf, v)) return "Number";
    if (brand(stringValueOf, v)) return "String";
    if (brand(booleanValueOf, v)) return "Boolean";
    if (brand(bigintValueOf, v)) return "BigInt";
    if (brand(symbolValueOf, v)) return "Symbol";
    return null;
  }
  function functionKind(v) {
    if (protoChainHas(v, asyncGeneratorFunctionProto)) return "AsyncGeneratorFunction";
    if (protoChainHas(v, generatorFunctionProto)) return "GeneratorFunction";
    if (protoChainHas(v, asyncFunctionProto)) return "AsyncFunction";
    return "Function";
  }

  // ---- options ----------------------------------------------------------------------------------
  const OPTION_NAMES = ["showHidden", "depth", "colors", "customInspect", "showProxy", "maxArrayLength",
    "maxStringLength", "breakLength", "compact", "sorted", "getters", "numericSeparator"];
  const kObjectType = 0;
  const kArrayType = 1;
  const kArrayExtrasType = 2;
  const kMinLineLength = 16;
  // Past this many characters (a lower bound on the text's length so far) formatting stops; the
  // cap itself is the caller's, this margin keeps every line-breaking decision that shapes the
  // first `cap` characters the one Node makes (see `emit`).
  const STOP_MARGIN = 8192;
  const KEYS_SCAN_MAX = 20000;
  // An upper bound on the text (indentation counted): deep nesting can make indentation alone
  // quadratic in the number of levels.
  const WORK_LIMIT = 1 << 20;

  function newContext(cap) {
    return {
      __proto__: null,
      indentationLvl: 0, seen: list(), currentDepth: 0, circular: undefined,
      showHidden: false, depth: 2, colors: false, customInspect: true, showProxy: false, maxArrayLength: 100,
      maxStringLength: 10000, breakLength: 80, compact: 3, sorted: false, getters: false, numericSeparator: false,
      userOptions: undefined,
      emitted: 0, work: 0, stopAt: cap + STOP_MARGIN, stopped: false,
    };
  }
  // `emitted` counts leaves and keys: each is in the final text once, at or after the position the
  // count has reached, so whatever is left out once it passes `stopAt` lies beyond `stopAt` too.
  function emit(ctx, text) {
    ctx.emitted += text.length;
    ctx.work += text.length + ctx.indentationLvl + 4;
    if (ctx.emitted > ctx.stopAt || ctx.work > WORK_LIMIT) ctx.stopped = true;
    return text;
  }
  // The user's options, as Node reads them (own enumerable keys it knows; a plain Get each).
  function applyOptions(ctx, opts) {
    if (opts === null || opts === undefined || (typeof opts !== "object" && typeof opts !== "function")) return;
    const ks = objectKeys(opts);
    for (let i = 0; i < ks.length; i++) {
      const k = ks[i];
      if (indexIn(OPTION_NAMES, k) !== -1) ctx[k] = opts[k];
      else if (ctx.userOptions === undefined) ctx.userOptions = opts;
    }
    if (ctx.maxArrayLength === null) ctx.maxArrayLength = Infinity;
    if (ctx.maxStringLength === null) ctx.maxStringLength = Infinity;
  }
  function depthExceeded(ctx, recurseTimes) { return ctx.depth !== null && recurseTimes > ctx.depth; }

  // ---- strings --------------------------------------------------------------------------------
  const META = [
    "\\x00", "\\x01", "\\x02", "\\x03", "\\x04", "\\x05", "\\x06", "\\x07", "\\b", "\\t", "\\n", "\\x0B", "\\f", "\\r",
    "\\x0E", "\\x0F", "\\x10", "\\x11", "\\x12", "\\x13", "\\x14", "\\x15", "\\x16", "\\x17", "\\x18", "\\x19", "\\x1A",
    "\\x1B", "\\x1C", "\\x1D", "\\x1E", "\\x1F",
  ];
  function metaOf(code) {
    if (code < 32) return META[code];
    if (code === 39) return "\\'";
    if (code === 92) return "\\\\";
    if (code >= 127 && code < 160) return "\\x" + strPadStart(numberToString(code, 16), 2, "0").toUpperCase();
    return "\\u" + numberToString(code, 16);
  }
  // Node's strEscape: single quotes unless the text has some and no double quotes (then double),
  // or backticks when it has both and neither a backtick nor `${`; control characters, the
  // backslash, C1 controls and lone surrogates escaped.
  function strEscape(str) {
    let quote = 39;
    if (strIncludes(str, "'")) {
      if (!strIncludes(str, '"')) quote = -1;
      else if (!strIncludes(str, "`") && !strIncludes(str, "${")) quote = -2;
    }
    let result = "";
    let last = 0;
    const n = str.length;
    for (let i = 0; i < n; i++) {
      const point = charCodeAt(str, i);
      if (point === quote || point === 92 || point < 32 || (point > 126 && point < 160)) {
        result += strSlice(str, last, i) + metaOf(point);
        last = i + 1;
      } else if (point >= 0xd800 && point <= 0xdfff) {
        if (point <= 0xdbff && i + 1 < n) {
          const next = charCodeAt(str, i + 1);
          if (next >= 0xdc00 && next <= 0xdfff) { i++; continue; }
        }
        result += strSlice(str, last, i) + "\\u" + numberToString(point, 16);
        last = i + 1;
      }
    }
    if (last !== n) result += last === 0 ? str : strSlice(str, last);
    if (quote === -1) return '"' + result + '"';
    if (quote === -2) return "`" + result + "`";
    return "'" + result + "'";
  }
  // Node's escapeFn over strEscapeSequencesReplacer (symbol descriptions, hidden keys).
  function escapeAll(str) {
    let result = "";
    let last = 0;
    const n = str.length;
    for (let i = 0; i < n; i++) {
      const point = charCodeAt(str, i);
      if (point === 39 || point === 92 || point < 32 || (point > 126 && point < 160)) {
        result += strSlice(str, last, i) + metaOf(point);
        last = i + 1;
      } else if (point >= 0xd800 && point <= 0xdfff) {
        if (point <= 0xdbff && i + 1 < n) {
          const next = charCodeAt(str, i + 1);
          if (next >= 0xdc00 && next <= 0xdfff) { i++; continue; }
        }
        result += strSlice(str, last, i) + "\\u" + numberToString(point, 16);
        last = i + 1;
      }
    }
    return last === 0 ? str : result + strSlice(str, last);
  }
  function isIdentifierKey(key) {
    const n = key.length;
    if (n === 0) return false;
    for (let i = 0; i < n; i++) {
      const c = charCodeAt(key, i);
      const ok = c === 95 || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (i > 0 && c >= 48 && c <= 57);
      if (!ok) return false;
    }
    return true;
  }
  function isIndexKey(key) {  // /^(0|[1-9][0-9]*)$/
    const n = key.length;
    if (n === 0) return false;
    const c0 = charCodeAt(key, 0);
    if (c0 === 48) return n === 1;
    for (let i = 0; i < n; i++) {
      const c = charCodeAt(key, i);
      if (c < 48 || c > 57) return false;
    }
    return true;
  }
  // Wide characters as Node counts them with ICU: East Asian wide and full-width, and emoji
  // presentation, take two columns; combining marks, format and control characters none.
  function isFullWidth(code) {
    return code >= 0x1100 && (code <= 0x115f || code === 0x2329 || code === 0x232a ||
      (code >= 0x2e80 && code <= 0x3247 && code !== 0x303f) || (code >= 0x3250 && code <= 0x4dbf) ||
      (code >= 0x4e00 && code <= 0xa4c6) || (code >= 0xa960 && code <= 0xa97c) || (code >= 0xac00 && code <= 0xd7a3) ||
      (code >= 0xf900 && code <= 0xfaff) || (code >= 0xfe10 && code <= 0xfe19) || (code >= 0xfe30 && code <= 0xfe6b) ||
      (code >= 0xff01 && code <= 0xff60) || (code >= 0xffe0 && code <= 0xffe6) || (code >= 0x1b000 && code <= 0x1b001) ||
      (code >= 0x1f200 && code <= 0x1f251) || (code >= 0x1f300 && code <= 0x1f64f) || (code >= 0x20000 && code <= 0x3fffd));
  }
  function getStringWidth(str) {
    let width = 0;
    const n = str.length;
    let i = 0;
    for (; i < n; i++) {
      const code = charCodeAt(str, i);
      if (code >= 127) break;
      if (code >= 32) width++;
    }
    if (i === n) return width;
    let rest = strSlice(str, i);
    try { rest = strNormalize(rest, "NFC"); } catch (e) { /* as it is */ }
    const m = rest.length;
    for (let j = 0; j < m; j++) {
      const cp = codePointAt(rest, j);
      const ch = cp > 0xffff ? strSlice(rest, j, j + 2) : strSlice(rest, j, j + 1);
      if (cp > 0xffff) j++;
      if (isFullWidth(cp) || regexpExec(WIDE, ch) !== null) width += 2;
      else if (cp !== 0xad && regexpExec(ZERO_WIDTH, ch) !== null) width += 0;
      else width += 1;
    }
    return width;
  }

  // ---- primitives ---------------------------------------------------------------------------
  function addNumericSeparator(s) {
    let result = "";
    let i = s.length;
    const start = charCodeAt(s, 0) === 45 ? 1 : 0;
    for (; i >= start + 4; i -= 3) result = "_" + strSlice(s, i - 3, i) + result;
    return i === s.length ? s : strSlice(s, 0, i) + result;
  }
  function addNumericSeparatorEnd(s) {
    let result = "";
    let i = 0;
    for (; i < s.length - 3; i += 3) result += strSlice(s, i, i + 3) + "_";
    return i === 0 ? s : result + strSlice(s, i);
  }
  function formatNumber(number, numericSeparator) {
    if (!numericSeparator) return sameValue(number, -0) ? "-0" : "" + number;
    const s = "" + number;
    if (number === (number < 0 ? -mathFloor(-number) : mathFloor(number))) {
      if (number !== number || number === Infinity || number === -Infinity || strIncludes(s, "e")) return s;
      return addNumericSeparator(s);
    }
    if (isNaNNumber(number)) return s;
    const dot = strIndexOf(s, ".");
    if (dot === -1) return s;
    return addNumericSeparator(strSlice(s, 0, dot)) + "." + addNumericSeparatorEnd(strSlice(s, dot + 1));
  }
  function formatBigInt(bigint, numericSeparator) {
    const s = "" + bigint;
    return (numericSeparator ? addNumericSeparator(s) : s) + "n";
  }
  function formatPrimitive(value, ctx) {
    if (typeof value === "string") {
      let trailer = "";
      let text = value;
      if (text.length > ctx.maxStringLength) {
        const remaining = text.length - ctx.maxStringLength;
        text = strSlice(text, 0, ctx.maxStringLength);
        trailer = "... " + remaining + " more character" + (remaining > 1 ? "s" : "");
      }
      // Only what can still be shown is escaped: past the cap the rest is not looked at.
      const room = ctx.stopAt - ctx.emitted + 16;
      if (text.length > room) { text = strSlice(text, 0, room > 0 ? room : 0); trailer = ""; }
      if (ctx.compact !== true && text.length > kMinLineLength && text.length > ctx.breakLength - ctx.indentationLvl - 4) {
        const pieces = list();
        let last = 0;
        for (let i = strIndexOf(text, "\n"); i !== -1 && i + 1 < text.length; i = strIndexOf(text, "\n", i + 1)) {
          push(pieces, strEscape(strSlice(text, last, i + 1)));
          last = i + 1;
        }
        push(pieces, strEscape(last === 0 ? text : strSlice(text, last)));
        return emit(ctx, join(pieces, " +\n" + strRepeat(" ", ctx.indentationLvl + 2)) + trailer);
      }
      return emit(ctx, strEscape(text) + trailer);
    }
    if (typeof value === "number") return emit(ctx, formatNumber(value, ctx.numericSeparator));
    if (typeof value === "bigint") return emit(ctx, formatBigInt(value, ctx.numericSeparator));
    if (typeof value === "boolean") return value ? "true" : "false";
    if (typeof value === "undefined") return "undefined";
    return emit(ctx, symbolToString(value));
  }

  // ---- values ---------------------------------------------------------------------------------
  function formatValue(ctx, value, recurseTimes, typedArray) {
    if (typeof value !== "object" && typeof value !== "function") return formatPrimitive(value, ctx);
    if (value === null) return "null";
    if (ctx.stopped) return "…";
    const seen = ctx.seen.length;
    const indentation = ctx.indentationLvl;
    try {
      return formatObject(ctx, value, recurseTimes, typedArray);
    } catch (e) {
      // Where Node would throw (a getter, a trap or a conversion it calls threw), this one value
      // is shown as such and the rest as Node shows it.
      ctx.seen.length = seen;
      ctx.indentationLvl = indentation;
      return "[uninspectable]";
    }
  }
  function formatObject(ctx, value, recurseTimes, typedArray) {
    const context = value;
    let proxy = proxyOf(value);
    if (proxy !== undefined) {
      if (proxy.revoked) return "<Revoked Proxy>";
      if (ctx.showProxy) return formatProxy(ctx, proxy, recurseTimes);
      // Node shows the target; a target that is itself a proxy is unwrapped too (no trap runs).
      while (proxy !== undefined) {
        if (proxy.revoked) return "<Revoked Proxy>";
        value = proxy.target;
        proxy = typeof value === "object" || typeof value === "function" ? proxyOf(value) : undefined;
      }
      if (typeof value !== "object" && typeof value !== "function") return formatPrimitive(value, ctx);
      if (value === null) return "null";
    }
    if (ctx.customInspect) {
      const maybeCustom = value[customInspectSymbol];
      if (typeof maybeCustom === "function" && maybeCustom !== publicInspect &&
        !(value.constructor && value.constructor.prototype === value)) {
        const depth = ctx.depth === null ? null : ctx.depth - recurseTimes;
        const ret = apply(maybeCustom, context, [depth, userOptions(ctx), publicInspect]);
        if (ret !== context) {
          if (typeof ret !== "string") return formatValue(ctx, ret, recurseTimes);
          return emit(ctx, replaceAllNewlines(ret, "\n" + strRepeat(" ", ctx.indentationLvl)));
        }
      }
    }
    if (ctx.customInspect) {
      const web = webInspector(value);
      if (web !== undefined) {
        const depth = ctx.depth === null ? null : ctx.depth - recurseTimes;
        let ret;
        try { ret = web(value, depth, ctx, constructorOfWeb(value)); } catch (e) { ret = undefined; }
        if (ret !== undefined) return emit(ctx, replaceAllNewlines(ret, "\n" + strRepeat(" ", ctx.indentationLvl)));
      }
    }
    if (contains(ctx.seen, value)) {
      let index = 1;
      if (ctx.circular === undefined) {
        ctx.circular = new MapCtor();
        mapSet(ctx.circular, value, index);
      } else {
        index = mapGet(ctx.circular, value);
        if (index === undefined) {
          index = mapSize(ctx.circular) + 1;
          mapSet(ctx.circular, value, index);
        }
      }
      return emit(ctx, "[Circular *" + index + "]");
    }
    return formatRaw(ctx, value, recurseTimes, typedArray);
  }

  function formatProxy(ctx, proxy, recurseTimes) {
    if (depthExceeded(ctx, recurseTimes)) return "Proxy [Array]";
    recurseTimes += 1;
    ctx.indentationLvl += 2;
    const res = list();
    push(res, formatValue(ctx, proxy.target, recurseTimes));
    push(res, formatValue(ctx, proxy.handler, recurseTimes));
    ctx.indentationLvl -= 2;
    return reduceToSingleString(ctx, res, "", ["Proxy [", "]"], kArrayExtrasType, recurseTimes);
  }

  function userOptions(ctx) {
    const ret = {
      stylize: function stylize(v) { return v; },
      showHidden: ctx.showHidden, depth: ctx.depth, colors: ctx.colors, customInspect: ctx.customInspect,
      showProxy: ctx.showProxy, maxArrayLength: ctx.maxArrayLength, maxStringLength: ctx.maxStringLength,
      breakLength: ctx.breakLength, compact: ctx.compact, sorted: ctx.sorted, getters: ctx.getters,
      numericSeparator: ctx.numericSeparator,
    };
    const extra = ctx.userOptions;
    if (extra !== undefined) {
      const ks = objectKeys(extra);
      for (let i = 0; i < ks.length; i++) ret[ks[i]] = extra[ks[i]];
    }
    return ret;
  }

  // getConstructorOf in Node's internal/util: the first own `constructor` up the chain.
  function constructorOfWeb(value) {
    let o = value;
    for (let n = 0; n < 100 && o !== null; n++) {
      const known = intrinsicName(o);
      if (known !== undefined) return known;
      const d = descriptor(o, "constructor");
      if (d !== undefined && typeof d.value === "function") return StringCtor(d.value.name);
      o = getPrototypeOf(o);
    }
    return null;
  }

  function isInstanceof(object, ctor) {
    try { return object instanceof ctor; } catch (e) { return false; }
  }

  function getConstructorName(obj, ctx, recurseTimes, protoProps) {
    let firstProto;
    const tmp = obj;
    let guard = 0;
    while (obj) {
      if (++guard > 10000) return null;
      const known = intrinsicName(obj);
      if (known !== undefined) {
        const wellKnown = obj === ObjectProto || obj === FunctionProto;
        if (protoProps !== undefined && (firstProto !== obj || (!wellKnown && !builtInNames[known]))) {
          addPrototypeProperties(ctx, tmp, firstProto || tmp, recurseTimes, protoProps);
        }
        return known;
      }
      const d = descriptor(obj, "constructor");
      if (d !== undefined && typeof d.value === "function" && d.value.name !== "" && isInstanceof(tmp, d.value)) {
        const name = StringCtor(d.value.name);
        if (protoProps !== undefined && (firstProto !== obj || !builtInNames[name])) {
          addPrototypeProperties(ctx, tmp, firstProto || tmp, recurseTimes, protoProps);
        }
        return name;
      }
      obj = getPrototypeOf(obj);
      if (firstProto === undefined) firstProto = obj;
    }
    if (firstProto === null) return null;
    const res = internalConstructorName(tmp);
    if (depthExceeded(ctx, recurseTimes)) return res + " <Complex prototype>";
    const protoConstr = getConstructorName(firstProto, ctx, recurseTimes + 1, protoProps);
    if (protoConstr === null) {
      const inner = newContext(ctx.stopAt);
      inner.customInspect = false;
      inner.depth = -1;
      inner.showHidden = ctx.showHidden;
      return res + " <" + formatValue(inner, firstProto, 0) + ">";
    }
    return res + " <" + protoConstr + ">";
  }
  // V8's class name of an object, as far as JavaScript can tell it.
  function internalConstructorName(v) {
    if (typeof v === "function") return "Function";
    if (isArray(v)) return "Array";
    let tag;
    try { tag = objectToString(v); } catch (e) { return "Object"; }
    return strSlice(tag, 8, -1);
  }

  function addPrototypeProperties(ctx, main, obj, recurseTimes, output) {
    let depth = 0;
    let keys;
    let keySet;
    do {
      if (depth !== 0 || main === obj) {
        obj = getPrototypeOf(obj);
        if (obj === null || obj === IteratorProto) return;
        const known = intrinsicName(obj);
        if (known !== undefined && builtInNames[known]) return;
        const d = known === undefined ? descriptor(obj, "constructor") : undefined;
        if (d !== undefined && typeof d.value === "function" && builtInNames[d.value.name]) return;
      }
      if (depth === 0) keySet = list();
      else for (let i = 0; i < keys.length; i++) push(keySet, keys[i]);
      const fixed = weakMapGet(hiddenProtoKeys, obj);
      keys = fixed !== undefined ? fixed : ownKeysOf(obj);
      push(ctx.seen, main);
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i];
        if (key === "constructor" || hasOwn(main, key) || (depth !== 0 && contains(keySet, key))) continue;
        const desc = descriptor(obj, key);
        if (typeof desc.value === "function") continue;
        push(output, formatProperty(ctx, obj, recurseTimes, key, kObjectType, desc, main));
      }
      ctx.seen.length -= 1;
    } while (++depth !== 3);
  }
  function ownKeysOf(obj) {
    const out = asList(getOwnPropertyNames(obj));
    const syms = getOwnPropertySymbols(obj);
    for (let i = 0; i < syms.length; i++) push(out, syms[i]);
    return out;
  }

  function getPrefix(constructor, tag, fallback, size) {
    if (size === undefined) size = "";
    if (constructor === null) {
      if (tag !== "" && fallback !== tag) return "[" + fallback + size + ": null prototype] [" + tag + "] ";
      return "[" + fallback + size + ": null prototype] ";
    }
    if (tag !== "" && constructor !== tag) return constructor + size + " [" + tag + "] ";
    return constructor + size + " ";
  }

  function getKeys(value, showHidden) {
    const symbols = getOwnPropertySymbols(value);
    let keys;
    if (showHidden) {
      keys = asList(getOwnPropertyNames(value));
      for (let i = 0; i < symbols.length; i++) push(keys, symbols[i]);
    } else {
      keys = asList(objectKeys(value));
      for (let i = 0; i < symbols.length; i++) if (isEnumerable(value, symbols[i])) push(keys, symbols[i]);
    }
    return keys;
  }
  // Own keys that are not array indices (enumerable ones unless showHidden), for arrays and
  // typed arrays.
  function getNonIndexKeys(value, showHidden, length) {
    // Listing a long array's keys lists every index (a million strings for a million entries):
    // past KEYS_SCAN_MAX entries its other keys are not looked for (Node would show them).
    if (length > KEYS_SCAN_MAX) return list();
    const names = showHidden ? getOwnPropertyNames(value) : objectKeys(value);
    const keys = list();
    for (let i = 0; i < names.length; i++) {
      const k = names[i];
      if (isIndexKey(k) && +k < 4294967295) continue;
      push(keys, k);
    }
    const symbols = getOwnPropertySymbols(value);
    for (let i = 0; i < symbols.length; i++) if (showHidden || isEnumerable(value, symbols[i])) push(keys, symbols[i]);
    return keys;
  }

  function longStringObject(value) {
    try { return stringValueOf(value).length > KEYS_SCAN_MAX; } catch (e) { return false; }
  }

  function getCtxStyle(value, constructor, tag) {
    let fallback = "";
    if (constructor === null) {
      fallback = internalConstructorName(value);
      if (fallback === tag) fallback = "Object";
    }
    return getPrefix(constructor, tag, fallback);
  }

  function formatRaw(ctx, value, recurseTimes, typedArray) {
    let keys;
    let protoProps;
    if (ctx.showHidden && (recurseTimes <= ctx.depth || ctx.depth === null)) protoProps = list();
    const constructor = getConstructorName(value, ctx, recurseTimes, protoProps);
    if (protoProps !== undefined && protoProps.length === 0) protoProps = undefined;

    let tag;
    try { tag = value[SymbolToStringTag]; } catch (e) { tag = ""; }
    if (typeof tag !== "string" || (tag !== "" && (ctx.showHidden ? hasOwn : isEnumerable)(value, SymbolToStringTag))) tag = "";
    let base = "";
    let formatter = formatNothing;
    let braces;
    let noIterator = true;
    let extrasType = kObjectType;
    let iterable = constructor === null;
    if (!iterable) iterable = SymbolIterator in value;

    if (iterable) {
      noIterator = false;
      let taName;
      if (isArray(value)) {
        const prefix = (constructor !== "Array" || tag !== "") ? getPrefix(constructor, tag, "Array", "(" + value.length + ")") : "";
        keys = getNonIndexKeys(value, ctx.showHidden, value.length);
        braces = [prefix + "[", "]"];
        if (value.length === 0 && keys.length === 0 && protoProps === undefined) return braces[0] + "]";
        extrasType = kArrayExtrasType;
        formatter = formatArray;
      } else if (isSet(value)) {
        const size = setSize(value);
        const prefix = getPrefix(constructor, tag, "Set", "(" + size + ")");
        keys = getKeys(value, ctx.showHidden);
        formatter = formatSet;
        if (size === 0 && keys.length === 0 && protoProps === undefined) return prefix + "{}";
        braces = [prefix + "{", "}"];
      } else if (isMap(value)) {
        const size = mapSize(value);
        const prefix = getPrefix(constructor, tag, "Map", "(" + size + ")");
        keys = getKeys(value, ctx.showHidden);
        formatter = formatMap;
        if (size === 0 && keys.length === 0 && protoProps === undefined) return prefix + "{}";
        braces = [prefix + "{", "}"];
      } else if ((taName = typedArrayName(value)) !== undefined) {
        const size = typedArrayLength(value);
        keys = getNonIndexKeys(value, ctx.showHidden, size);
        const fallback = constructor === null ? taName : "";
        const prefix = getPrefix(constructor, tag, fallback, "(" + size + ")");
        braces = [prefix + "[", "]"];
        if (size === 0 && keys.length === 0 && !ctx.showHidden) return braces[0] + "]";
        formatter = (c, v, r) => formatTypedArray(v, size, c, r);
        extrasType = kArrayExtrasType;
      } else if (isMapIterator(value)) {
        keys = getKeys(value, ctx.showHidden);
        braces = getIteratorBraces("Map", tag);
        formatter = formatIterator;
      } else if (isSetIterator(value)) {
        keys = getKeys(value, ctx.showHidden);
        braces = getIteratorBraces("Set", tag);
        formatter = formatIterator;
      } else {
        noIterator = true;
      }
    }
    if (noIterator) {
      keys = longStringObject(value) ? list() : getKeys(value, ctx.showHidden);
      braces = ["{", "}"];
      let boxed;
      if (typeof value === "function") {
        base = getFunctionBase(value, constructor, tag);
        if (keys.length === 0 && protoProps === undefined) return emit(ctx, base);
      } else if (constructor === "Object") {
        if (isArgumentsObject(value)) braces[0] = "[Arguments] {";
        else if (tag !== "") braces[0] = getPrefix(constructor, tag, "Object") + "{";
        if (keys.length === 0 && protoProps === undefined) return braces[0] + "}";
      } else if (isRegExp(value)) {
        base = "/" + regexpSource(value) + "/" + regexpFlags(value);
        const prefix = getPrefix(constructor, tag, "RegExp");
        if (prefix !== "RegExp ") base = prefix + base;
        if ((keys.length === 0 && protoProps === undefined) || depthExceeded(ctx, recurseTimes)) return emit(ctx, base);
      } else if (isDate(value)) {
        const t = dateGetTime(value);
        base = isNaNNumber(t) ? "Invalid Date" : dateToISOString(value);
        const prefix = getPrefix(constructor, tag, "Date");
        if (prefix !== "Date ") base = prefix + base;
        if (keys.length === 0 && protoProps === undefined) return emit(ctx, base);
      } else if (isError(value)) {
        base = formatError(value, constructor, tag, ctx, keys);
        if (keys.length === 0 && protoProps === undefined) return emit(ctx, base);
      } else if (isArrayBuffer(value) || isSharedArrayBuffer(value)) {
        const arrayType = isArrayBuffer(value) ? "ArrayBuffer" : "SharedArrayBuffer";
        const prefix = getPrefix(constructor, tag, arrayType);
        if (typedArray === undefined) {
          formatter = formatArrayBuffer;
        } else if (keys.length === 0 && protoProps === undefined) {
          const byteLength = arrayType === "ArrayBuffer" ? arrayBufferByteLength(value) : sharedByteLength(value);
          return prefix + "{ byteLength: " + formatNumber(byteLength, false) + " }";
        }
        braces[0] = prefix + "{";
        keys = prepend(keys, ["byteLength"]);
      } else if (isDataView(value)) {
        braces[0] = getPrefix(constructor, tag, "DataView") + "{";
        keys = prepend(keys, ["byteLength", "byteOffset", "buffer"]);
      } else if (isPromise(value)) {
        braces[0] = getPrefix(constructor, tag, "Promise") + "{";
        formatter = formatPromise;
      } else if (isWeakSet(value)) {
        braces[0] = getPrefix(constructor, tag, "WeakSet") + "{";
        formatter = formatWeakCollection;
      } else if (isWeakMap(value)) {
        braces[0] = getPrefix(constructor, tag, "WeakMap") + "{";
        formatter = formatWeakCollection;
      } else if ((boxed = boxedType(value)) !== null) {
        base = getBoxedBase(value, ctx, keys, constructor, tag, boxed);
        if (keys.length === 0 && protoProps === undefined) return emit(ctx, base);
      } else if (URLProto !== null && getPrototypeOf(value) === URLProto && !depthExceeded(ctx, recurseTimes)) {
        try { base = StringCtor(getterOf(value, "href")); } catch (e) { base = ""; }
        if (keys.length === 0 && protoProps === undefined) return emit(ctx, base);
      } else {
        if (keys.length === 0 && protoProps === undefined) return getCtxStyle(value, constructor, tag) + "{}";
        braces[0] = getCtxStyle(value, constructor, tag) + "{";
      }
    }

    // With showHidden, the own properties V8 has and QuickJS has not: a sloppy function's
    // `arguments` and `caller`, an error's `stack` (first, and not enumerable).
    let hidden = null;
    if (ctx.showHidden && keys.length !== 0) {
      if (typeof value === "function" && isSloppyFunction(value)) {
        const at = indexIn(keys, "name");
        if (at !== -1 && !contains(keys, "arguments")) {
          keys = insertAt(keys, at + 1, ["arguments", "caller"]);
          hidden = { __proto__: null, arguments: NULL_HIDDEN, caller: NULL_HIDDEN };
        }
      } else if (isError(value) && errorHasStack(value)) {
        const at = indexIn(keys, "stack");
        if (at !== -1) { for (let i = at + 1; i < keys.length; i++) keys[i - 1] = keys[i]; keys.length -= 1; }
        keys = insertAt(keys, 0, ["stack"]);
        hidden = { __proto__: null, stack: { __proto__: null, value: getStackString(value), get: undefined, set: undefined, enumerable: false, data: true } };
      }
    }

    if (depthExceeded(ctx, recurseTimes)) {
      let constructorName = strSlice(getCtxStyle(value, constructor, tag), 0, -1);
      if (constructor !== null) constructorName = "[" + constructorName + "]";
      return emit(ctx, constructorName);
    }
    recurseTimes += 1;
    push(ctx.seen, value);
    ctx.currentDepth = recurseTimes;
    let output;
    const indentationLvl = ctx.indentationLvl;
    try {
      output = formatter(ctx, value, recurseTimes);
      for (let i = 0; i < keys.length; i++) {
        if (ctx.stopped) break;
        push(output, formatProperty(ctx, value, recurseTimes, keys[i], extrasType, hidden === null ? undefined : hidden[keys[i]]));
      }
      if (protoProps !== undefined) for (let i = 0; i < protoProps.length; i++) push(output, protoProps[i]);
    } catch (err) {
      if (!isStackOverflow(err)) throw err;
      const constructorName = strSlice(getCtxStyle(value, constructor, tag), 0, -1);
      ctx.seen.length -= 1;
      ctx.indentationLvl = indentationLvl;
      return "[" + constructorName + ": Inspection interrupted prematurely. Maximum call stack size exceeded.]";
    }
    if (ctx.circular !== undefined) {
      const index = mapGet(ctx.circular, value);
      if (index !== undefined) {
        const reference = "<ref *" + index + ">";
        if (ctx.compact !== true) base = base === "" ? reference : reference + " " + base;
        else braces[0] = reference + " " + braces[0];
      }
    }
    ctx.seen.length -= 1;
    if (ctx.sorted) sortOutput(ctx, output, keys, extrasType);
    return reduceToSingleString(ctx, output, base, braces, extrasType, recurseTimes, value);
  }
  function formatNothing() { return list(); }
  const NULL_HIDDEN = freeze({ __proto__: null, value: null, get: undefined, set: undefined, enumerable: false, data: true });
  function insertAt(keys, at, items) {
    const out = list();
    for (let i = 0; i < at; i++) push(out, keys[i]);
    for (let i = 0; i < items.length; i++) push(out, items[i]);
    for (let i = at; i < keys.length; i++) push(out, keys[i]);
    return out;
  }
  // A sloppy-mode `function` (not an arrow, method, class, generator or async function): V8 gives
  // it own `arguments` and `caller` (null); QuickJS answers its `caller` where a strict one throws.
  function isSloppyFunction(f) {
    if (callerGetter === null || functionKind(f) !== "Function" || !hasOwn(f, "prototype")) return false;
    try { callerGetter(f); } catch (e) { return false; }
    let text = "";
    try { text = functionToString(f); } catch (e) { return false; }
    return !strStartsWith(text, "class");
  }
  function errorHasStack(err) {
    try { const s = err.stack; return s !== undefined; } catch (e) { return false; }
  }
  function prepend(keys, first) {
    const out = list();
    for (let i = 0; i < first.length; i++) push(out, first[i]);
    for (let i = 0; i < keys.length; i++) push(out, keys[i]);
    return out;
  }
  function isStackOverflow(err) {
    try {
      return err !== null && typeof err === "object" && getPrototypeOf(err) === RangeError.prototype &&
        err.message === "Maximum call stack size exceeded";
    } catch (e) { return false; }
  }
  function compareStrings(a, b) { return a < b ? -1 : a > b ? 1 : 0; }
  function sortList(a, comparator) {
    // Insertion sort: stable, as V8's, and no Array.prototype.sort the handler may have replaced.
    const cmp = typeof comparator === "function" ? comparator : compareStrings;
    for (let i = 1; i < a.length; i++) {
      const v = a[i];
      let j = i - 1;
      while (j >= 0 && cmp(a[j], v) > 0) { a[j + 1] = a[j]; j--; }
      a[j + 1] = v;
    }
  }
  function sortOutput(ctx, output, keys, extrasType) {
    const comparator = ctx.sorted === true ? undefined : ctx.sorted;
    if (extrasType === kObjectType) {
      sortList(output, comparator);
    } else if (keys.length > 1) {
      const start = output.length - keys.length;
      const tail = list();
      for (let i = start; i < output.length; i++) push(tail, output[i]);
      sortList(tail, comparator);
      for (let i = 0; i < tail.length; i++) output[start + i] = tail[i];
    }
  }

  function getIteratorBraces(type, tag) {
    if (tag !== type + " Iterator") {
      if (tag !== "") tag += "] [";
      tag += type + " Iterator";
    }
    return ["[" + tag + "] {", "}"];
  }

  function getBoxedBase(value, ctx, keys, constructor, tag, type) {
    let primitive;
    if (type === "Number") primitive = numberValueOf(value);
    else if (type === "String") {
      primitive = stringValueOf(value);
      // Its index keys repeat the string.
      const n = primitive.length;
      let drop = 0;
      while (drop < keys.length && drop < n && keys[drop] === "" + drop) drop++;
      for (let i = drop; i < keys.length; i++) keys[i - drop] = keys[i];
      keys.length -= drop;
    } else if (type === "Boolean") primitive = booleanValueOf(value);
    else if (type === "BigInt") primitive = bigintValueOf(value);
    else primitive = symbolValueOf(value);
    let base = "[" + type;
    if (type !== constructor) base += constructor === null ? " (null prototype)" : " (" + constructor + ")";
    const inner = newContext(ctx.stopAt);
    inner.compact = ctx.compact;
    inner.breakLength = ctx.breakLength;
    inner.maxStringLength = ctx.maxStringLength;
    inner.indentationLvl = ctx.indentationLvl;
    base += ": " + formatPrimitive(primitive, inner) + "]";
    if (tag !== "" && tag !== constructor) base += " [" + tag + "]";
    return base;
  }

  function getClassBase(value, constructor, tag) {
    const hasName = hasOwn(value, "name");
    const name = (hasName && value.name) || "(anonymous)";
    let base = "class " + name;
    if (constructor !== "Function" && constructor !== null) base += " [" + constructor + "]";
    if (tag !== "" && constructor !== tag) base += " [" + tag + "]";
    if (constructor !== null) {
      const superName = getPrototypeOf(value).name;
      if (superName) base += " extends " + superName;
    } else {
      base += " extends [null prototype]";
    }
    return "[" + base + "]";
  }
  function stripComments(s) {  // Node's /(\/\/.*?\n)|(\/\*(.|\n)*?\*\/)/g replaced by ""
    let out = "";
    let i = 0;
    const n = s.length;
    while (i < n) {
      if (charCodeAt(s, i) === 47 && i + 1 < n && charCodeAt(s, i + 1) === 47) {
        const end = strIndexOf(s, "\n", i + 2);
        if (end !== -1) { i = end + 1; continue; }
      } else if (charCodeAt(s, i) === 47 && i + 1 < n && charCodeAt(s, i + 1) === 42) {
        const end = strIndexOf(s, "*/", i + 2);
        if (end !== -1) { i = end + 2; continue; }
      }
      out += s[i];
      i++;
    }
    return out;
  }
  function looksLikeClass(slice) {  // /^(\s+[^(]*?)\s*{/ on the text after "class"
    const n = slice.length;
    let i = 0;
    const ws = (c) => c === 32 || c === 9 || c === 10 || c === 13 || c === 11 || c === 12 || c === 0xa0 || c === 0xfeff;
    if (n === 0 || !ws(charCodeAt(slice, 0))) return false;
    for (; i < n; i++) {
      const c = charCodeAt(slice, i);
      if (c === 123) return true;
      if (c === 40) return false;
    }
    return false;
  }
  function getFunctionBase(value, constructor, tag) {
    let stringified = "";
    try { stringified = functionToString(value); } catch (e) { /* not a function Node would know */ }
    if (strStartsWith(stringified, "class") && strEndsWith(stringified, "}")) {
      const slice = strSlice(stringified, 5, -1);
      const bracketIndex = strIndexOf(slice, "{");
      if (bracketIndex !== -1 && (!strIncludes(strSlice(slice, 0, bracketIndex), "(") || looksLikeClass(stripComments(slice)))) {
        return getClassBase(value, constructor, tag);
      }
    }
    const type = functionKind(value);
    let base = "[" + type;
    if (constructor === null) base += " (null prototype)";
    const name = value.name;
    if (name === "") base += " (anonymous)";
    else base += ": " + (typeof name === "string" ? name : safeString(name));
    base += "]";
    if (constructor !== type && constructor !== null) base += " " + constructor;
    if (tag !== "" && constructor !== tag) base += " [" + tag + "]";
    return base;
  }
  function safeString(v) { try { return StringCtor(v); } catch (e) { return "[unprintable]"; } }

  // ---- errors -------------------------------------------------------------------------------
  // QuickJS's `stack` holds the frames only ("    at f (file:1:2)\n" each); V8's starts with
  // the error's own line, made (with name and message as they are then) when the stack is first
  // read. The first read here is taken as that moment, and remembered.
  const stacks = new WeakMapCtor();
  function framesOnly(s) {
    if (s === "") return false;
    let i = 0;
    const n = s.length;
    while (i < n) {
      if (!strStartsWith(s, "    at ", i)) return false;
      const end = strIndexOf(s, "\n", i);
      if (end === -1) return true;
      i = end + 1;
    }
    return true;
  }
  function errorHeader(err) {
    try { return errorToString(err); } catch (e) { return "Error"; }
  }
  function getStackString(err) {
    const own = descriptor(err, "stack");
    if (own === undefined) {
      const remembered = weakMapGet(stacks, err);
      if (remembered !== undefined) return remembered;
    }
    const stack = err.stack;
    if (!stack) return errorHeader(err);
    let text = StringCtor(stack);
    if (framesOnly(text) && (own === undefined || !own.enumerable)) {
      if (charCodeAt(text, text.length - 1) === 10) text = strSlice(text, 0, -1);
      text = errorHeader(err) + "\n" + text;
      if (own === undefined) weakMapSet(stacks, err, text);
    }
    return text;
  }
  function identicalSequenceRange(a, b) {
    for (let i = 0; i < a.length - 3; i++) {
      const pos = indexIn(b, a[i]);
      if (pos !== -1) {
        const rest = b.length - pos;
        if (rest > 3) {
          let len = 1;
          const maxLen = mathMin(a.length - i, rest);
          while (maxLen > len && a[i + len] === b[pos + len]) len++;
          if (len > 3) return { __proto__: null, len, offset: i };
        }
      }
    }
    return { __proto__: null, len: 0, offset: 0 };
  }
  function splitLines(s) {
    const out = list();
    let last = 0;
    for (let i = strIndexOf(s, "\n"); i !== -1; i = strIndexOf(s, "\n", i + 1)) {
      push(out, strSlice(s, last, i));
      last = i + 1;
    }
    push(out, strSlice(s, last));
    return out;
  }
  function getStackFrames(ctx, err, stack) {
    const frames = splitLines(stack);
    let cause;
    try { cause = err.cause; } catch (e) { /* a getter that throws is ignored */ }
    if (cause !== null && cause !== undefined && (typeof cause === "object" || typeof cause === "function") && isError(cause)) {
      const causeStack = getStackString(cause);
      const causeStackStart = strIndexOf(causeStack, "\n    at");
      if (causeStackStart !== -1) {
        const causeFrames = splitLines(strSlice(causeStack, causeStackStart + 1));
        const { len, offset } = identicalSequenceRange(frames, causeFrames);
        if (len > 0) {
          const skipped = len - 2;
          const msg = "    ... " + skipped + " lines matching cause stack trace ...";
          const out = list();
          for (let i = 0; i <= offset; i++) push(out, frames[i]);
          push(out, msg);
          for (let i = offset + 1 + skipped; i < frames.length; i++) push(out, frames[i]);
          return out;
        }
      }
    }
    return frames;
  }
  const NULL_ERROR_START = freeze(/^([A-Z][a-z_ A-Z0-9[\]()-]+)(?::|\n {4}at)/);
  const NULL_ERROR_WHOLE = freeze(/^([a-z_A-Z0-9-]*Error)$/);
  function improveStack(stack, constructor, name, tag) {
    let len = name.length;
    if (constructor === null ||
      (strEndsWith(name, "Error") && strStartsWith(stack, name) &&
        (stack.length === len || stack[len] === ":" || stack[len] === "\n"))) {
      let fallback = "Error";
      if (constructor === null) {
        const start = regexpExec(NULL_ERROR_START, stack) || regexpExec(NULL_ERROR_WHOLE, stack);
        fallback = (start && start[1]) || "";
        len = fallback.length;
        fallback = fallback || "Error";
      }
      const prefix = strSlice(getPrefix(constructor, tag, fallback), 0, -1);
      if (name !== prefix) {
        if (strIncludes(prefix, name)) {
          if (len === 0) stack = prefix + ": " + stack;
          else stack = prefix + strSlice(stack, len);
        } else {
          stack = prefix + " [" + name + "]" + strSlice(stack, len);
        }
      }
    }
    return stack;
  }
  function removeDuplicateErrorKeys(ctx, keys, err, stack) {
    if (!ctx.showHidden && keys.length !== 0) {
      const names = ["name", "message", "stack"];
      for (let n = 0; n < 3; n++) {
        const index = indexIn(keys, names[n]);
        if (index !== -1) {
          let v;
          try { v = StringCtor(err[names[n]]); } catch (e) { continue; }
          if (strIncludes(stack, v)) {
            for (let i = index + 1; i < keys.length; i++) keys[i - 1] = keys[i];
            keys.length -= 1;
          }
        }
      }
    }
  }
  function formatError(err, constructor, tag, ctx, keys) {
    let name;
    try { name = err.name != null ? StringCtor(err.name) : "Error"; } catch (e) { name = "Error"; }
    let stack = getStackString(err);
    removeDuplicateErrorKeys(ctx, keys, err, stack);
    if ("cause" in err && (keys.length === 0 || !contains(keys, "cause"))) push(keys, "cause");
    let errors;
    try { errors = err.errors; } catch (e) { errors = undefined; }
    if (isArray(errors) && (keys.length === 0 || !contains(keys, "errors"))) push(keys, "errors");
    stack = improveStack(stack, constructor, name, tag);
    let message;
    try { message = err.message; } catch (e) { message = undefined; }
    let pos = (message && strIndexOf(stack, message)) || -1;
    if (pos !== -1) pos += message.length;
    const stackStart = strIndexOf(stack, "\n    at", pos);
    if (stackStart === -1) {
      stack = "[" + stack + "]";
    } else {
      const head = strSlice(stack, 0, stackStart);
      const lines = getStackFrames(ctx, err, strSlice(stack, stackStart + 1));
      stack = head + "\n" + join(lines, "\n");
    }
    if (ctx.indentationLvl !== 0) stack = replaceAllNewlines(stack, "\n" + strRepeat(" ", ctx.indentationLvl));
    return stack;
  }

  // ---- the compat layer's web classes, as Node's own print them ------------------------------
  // URL, URLSearchParams, TextEncoder and TextDecoder have custom inspection in Node (the code
  // below does what theirs does); here they are the compat layer's classes, whose getters are
  // trusted code. Each answers a string, or undefined where Node's method returns `this`.
  const webProtos = (function () {
    const m = new WeakMapCtor();
    const add = (ctor, f) => { if (typeof ctor === "function" && ctor.prototype) weakMapSet(m, ctor.prototype, f); };
    add(G.URL, inspectURL);
    add(G.URLSearchParams, inspectSearchParams);
    add(G.TextEncoder, inspectTextEncoder);
    add(G.TextDecoder, inspectTextDecoder);
    return m;
  })();
  const URLProto = typeof G.URL === "function" ? G.URL.prototype : null;
  function webInspector(value) {
    const proto = getPrototypeOf(value);
    return proto === null ? undefined : weakMapGet(webProtos, proto);
  }
  function getterOf(value, name) {
    const d = descriptor(getPrototypeOf(value), name);
    return d !== undefined && d.get !== undefined ? apply(d.get, value, []) : undefined;
  }
  // An object for Node's `{ __proto__: { constructor } }` records: named Object, fields defined
  // (not assigned: no inherited setter runs).
  function record(names, values) {
    const obj = {};
    for (let i = 0; i < names.length; i++) {
      defineProperty(obj, names[i], { __proto__: null, value: values[i], writable: true, enumerable: true, configurable: true });
    }
    return obj;
  }
  function optionsOf(ctx) {
    const o = { __proto__: null };
    for (let i = 0; i < OPTION_NAMES.length; i++) o[OPTION_NAMES[i]] = ctx[OPTION_NAMES[i]];
    return o;
  }
  const URL_FIELDS = ["href", "origin", "protocol", "username", "password", "host", "hostname", "port", "pathname",
    "search", "searchParams", "hash"];
  function inspectURL(value, depth, ctx, constructor) {
    if (typeof depth === "number" && depth < 0) return undefined;
    const values = list();
    for (let i = 0; i < URL_FIELDS.length; i++) push(values, getterOf(value, URL_FIELDS[i]));
    return (constructor || "URL") + " " + inspectWith(record(URL_FIELDS, values), optionsOf(ctx), ctx.stopAt - ctx.emitted);
  }
  function inspectSearchParams(value, depth, ctx, constructor) {
    if (typeof depth === "number" && depth < 0) return "[Object]";
    const opts = optionsOf(ctx);
    if (depth !== null) opts.depth = depth - 1;
    const output = list();
    const entries = value.entries();
    for (let n = 0; n < 100000 && !ctx.stopped; n++) {
      const step = entries.next();
      if (step.done) break;
      const pair = step.value;
      push(output, inspectWith(pair[0], opts, ctx.stopAt - ctx.emitted) + " => " + inspectWith(pair[1], opts, ctx.stopAt - ctx.emitted));
    }
    let length = -2;
    for (let i = 0; i < output.length; i++) length += output[i].length + 2;
    const name = constructor || "URLSearchParams";
    if (length > ctx.breakLength) return name + " {\n  " + join(output, ",\n  ") + " }";
    if (output.length) return name + " { " + join(output, ", ") + " }";
    return name + " {}";
  }
  function inspectTextEncoder(value, depth, ctx) {
    if (typeof depth === "number" && depth < 0) return undefined;
    return inspectWith(record(["encoding"], [getterOf(value, "encoding")]), optionsOf(ctx), ctx.stopAt - ctx.emitted);
  }
  function inspectTextDecoder(value, depth, ctx, constructor) {
    if (typeof depth === "number" && depth < 0) return undefined;
    const names = ["encoding", "fatal", "ignoreBOM"];
    const values = list();
    for (let i = 0; i < names.length; i++) push(values, getterOf(value, names[i]));
    return (constructor || "TextDecoder") + " " + inspectWith(record(names, values), undefined, ctx.stopAt - ctx.emitted);
  }

  // ---- collections --------------------------------------------------------------------------
  function formatArrayBuffer(ctx, value) {
    let buffer;
    try { buffer = new Uint8ArrayCtor(value); } catch (e) { return [ "(detached)" ]; }
    const n = mathMin(ctx.maxArrayLength, typedArrayLength(buffer));
    let str = "";
    for (let i = 0; i < n; i++) {
      if (i !== 0) str += " ";
      str += strPadStart(numberToString(buffer[i], 16), 2, "0");
    }
    const remaining = typedArrayLength(buffer) - ctx.maxArrayLength;
    if (remaining > 0) str += " ... " + remaining + " more byte" + (remaining > 1 ? "s" : "");
    const out = list();
    push(out, emit(ctx, "[Uint8Contents]: <" + str + ">"));
    return out;
  }
  function remainingText(remaining) { return "... " + remaining + " more item" + (remaining > 1 ? "s" : ""); }
  function formatArray(ctx, value, recurseTimes) {
    const valLen = value.length;
    const len = mathMin(mathMax(0, ctx.maxArrayLength), valLen);
    const remaining = valLen - len;
    const output = list();
    for (let i = 0; i < len; i++) {
      if (ctx.stopped) return output;
      if (!hasOwn(value, i)) return formatSpecialArray(ctx, value, recurseTimes, len, output, i);
      push(output, formatProperty(ctx, value, recurseTimes, i, kArrayType));
    }
    if (remaining > 0) push(output, remainingText(remaining));
    return output;
  }
  function formatSpecialArray(ctx, value, recurseTimes, maxLength, output, i) {
    const keys = objectKeys(value);
    let index = i;
    for (; i < keys.length && output.length < maxLength; i++) {
      if (ctx.stopped) return output;
      const key = keys[i];
      const tmp = +key;
      if (tmp > 2 ** 32 - 2) break;
      if ("" + index !== key) {
        if (!isIndexKey(key)) break;
        const emptyItems = tmp - index;
        push(output, "<" + emptyItems + " empty item" + (emptyItems > 1 ? "s" : "") + ">");
        index = tmp;
        if (output.length === maxLength) break;
      }
      push(output, formatProperty(ctx, value, recurseTimes, key, kArrayType));
      index++;
    }
    const remaining = value.length - index;
    if (output.length !== maxLength) {
      if (remaining > 0) push(output, "<" + remaining + " empty item" + (remaining > 1 ? "s" : "") + ">");
    } else if (remaining > 0) {
      push(output, remainingText(remaining));
    }
    return output;
  }
  function formatTypedArray(value, length, ctx, recurseTimes) {
    const maxLength = mathMin(mathMax(0, ctx.maxArrayLength), length);
    const remaining = length - maxLength;
    const output = list();
    const numbers = length > 0 && typeof value[0] === "number";
    for (let i = 0; i < maxLength; ++i) {
      push(output, emit(ctx, numbers ? formatNumber(value[i], ctx.numericSeparator) : formatBigInt(value[i], ctx.numericSeparator)));
    }
    if (remaining > 0) push(output, remainingText(remaining));
    if (ctx.showHidden) {
      ctx.indentationLvl += 2;
      const names = ["BYTES_PER_ELEMENT", "length", "byteLength", "byteOffset", "buffer"];
      for (let i = 0; i < names.length; i++) {
        push(output, "[" + names[i] + "]: " + formatValue(ctx, value[names[i]], recurseTimes, true));
      }
      ctx.indentationLvl -= 2;
    }
    return output;
  }
  function formatSet(ctx, value, recurseTimes) {
    const length = setSize(value);
    const maxLength = mathMin(mathMax(0, ctx.maxArrayLength), length);
    const remaining = length - maxLength;
    const output = list();
    ctx.indentationLvl += 2;
    const it = setValues(value);
    for (let i = 0; i < maxLength && !ctx.stopped; i++) {
      const step = setIteratorNext(it);
      if (step.done) break;
      push(output, formatValue(ctx, step.value, recurseTimes));
    }
    if (remaining > 0) push(output, remainingText(remaining));
    ctx.indentationLvl -= 2;
    return output;
  }
  function formatMap(ctx, value, recurseTimes) {
    const length = mapSize(value);
    const maxLength = mathMin(mathMax(0, ctx.maxArrayLength), length);
    const remaining = length - maxLength;
    const output = list();
    ctx.indentationLvl += 2;
    const it = mapEntries(value);
    for (let i = 0; i < maxLength && !ctx.stopped; i++) {
      const step = mapIteratorNext(it);
      if (step.done) break;
      const entry = step.value;
      push(output, formatValue(ctx, entry[0], recurseTimes) + " => " + formatValue(ctx, entry[1], recurseTimes));
    }
    if (remaining > 0) push(output, remainingText(remaining));
    ctx.indentationLvl -= 2;
    return output;
  }
  // A Map or Set iterator's entries cannot be read in QuickJS without consuming them.
  function formatIterator() { const out = list(); push(out, "<items unknown>"); return out; }
  function formatWeakCollection() { const out = list(); push(out, "<items unknown>"); return out; }
  // QuickJS does not tell a promise's state.
  function formatPromise() { const out = list(); push(out, "<pending>"); return out; }

  function formatProperty(ctx, value, recurseTimes, key, type, desc, original) {
    if (original === undefined) original = value;
    let name;
    let str;
    let extra = " ";
    if (desc === undefined) desc = descriptor(value, key);
    if (desc === undefined) desc = { __proto__: null, value: value[key], get: undefined, set: undefined, enumerable: true, data: true };
    if (!desc.data && desc.get !== undefined && trustedGetter(desc.get, desc.set, key)) {
      desc = { __proto__: null, value: apply(desc.get, original, []), get: undefined, set: undefined, enumerable: desc.enumerable, data: true };
    }
    if (desc.value !== undefined) {
      const diff = (ctx.compact !== true || type !== kObjectType) ? 2 : 3;
      ctx.indentationLvl += diff;
      str = formatValue(ctx, desc.value, recurseTimes);
      if (diff === 3 && ctx.breakLength < getStringWidth(str)) extra = "\n" + strRepeat(" ", ctx.indentationLvl);
      ctx.indentationLvl -= diff;
    } else if (desc.get !== undefined) {
      const label = desc.set !== undefined ? "Getter/Setter" : "Getter";
      const g = ctx.getters;
      if (g && (g === true || (g === "get" && desc.set === undefined) || (g === "set" && desc.set !== undefined))) {
        try {
          const tmp = apply(desc.get, original, []);
          ctx.indentationLvl += 2;
          if (tmp === null) str = "[" + label + ": null]";
          else if (typeof tmp === "object") str = "[" + label + "] " + formatValue(ctx, tmp, recurseTimes);
          else str = "[" + label + ": " + formatPrimitive(tmp, ctx) + "]";
          ctx.indentationLvl -= 2;
        } catch (err) {
          let message;
          try { message = err.message; } catch (e) { message = undefined; }
          str = "[" + label + ": <Inspection threw (" + safeString(message) + ")>]";
        }
      } else {
        str = "[" + label + "]";
      }
    } else if (desc.set !== undefined) {
      str = "[Setter]";
    } else {
      str = "undefined";
    }
    if (type === kArrayType) return str;
    if (typeof key === "symbol") name = "[" + escapeAll(symbolToString(key)) + "]";
    else if (key === "__proto__") name = "['__proto__']";
    else if (desc.enumerable === false) name = "[" + escapeAll(key) + "]";
    else if (isIdentifierKey(key)) name = key;
    else name = strEscape(key);
    emit(ctx, name);
    return name + ":" + extra + str;
  }

  // ---- line breaking ------------------------------------------------------------------------
  function groupArrayElements(ctx, output, value) {
    let totalLength = 0;
    let maxLength = 0;
    let i = 0;
    let outputLength = output.length;
    if (ctx.maxArrayLength < output.length) outputLength--;
    const separatorSpace = 2;
    const dataLen = list();
    for (; i < outputLength; i++) {
      const len = getStringWidth(output[i]);
      dataLen[i] = len;
      totalLength += len + separatorSpace;
      if (maxLength < len) maxLength = len;
    }
    const actualMax = maxLength + separatorSpace;
    if (actualMax * 3 + ctx.indentationLvl < ctx.breakLength &&
      (totalLength / actualMax > 5 || maxLength <= 6)) {
      const approxCharHeights = 2.5;
      const averageBias = mathSqrt(actualMax - totalLength / output.length);
      const biasedMax = mathMax(actualMax - 3 - averageBias, 1);
      const columns = mathMin(
        mathRound(mathSqrt(approxCharHeights * biasedMax * outputLength) / biasedMax),
        mathFloor((ctx.breakLength - ctx.indentationLvl) / actualMax),
        ctx.compact * 4,
        15,
      );
      if (columns <= 1) return output;
      const tmp = list();
      const maxLineLength = list();
      for (let c = 0; c < columns; c++) {
        let lineMaxLength = 0;
        for (let j = c; j < output.length; j += columns) if (dataLen[j] > lineMaxLength) lineMaxLength = dataLen[j];
        maxLineLength[c] = lineMaxLength + separatorSpace;
      }
      let padStart = true;
      if (value !== undefined) {
        for (let k = 0; k < output.length; k++) {
          const t = typeof value[k];
          if (t !== "number" && t !== "bigint") { padStart = false; break; }
        }
      }
      for (let r = 0; r < outputLength; r += columns) {
        const max = mathMin(r + columns, outputLength);
        let str = "";
        let j = r;
        for (; j < max - 1; j++) {
          const padding = maxLineLength[j - r] + output[j].length - dataLen[j];
          str += padStart ? strPadStart(output[j] + ", ", padding, " ") : strPadEnd(output[j] + ", ", padding, " ");
        }
        if (padStart) {
          const padding = maxLineLength[j - r] + output[j].length - dataLen[j] - separatorSpace;
          str += strPadStart(output[j], padding, " ");
        } else {
          str += output[j];
        }
        push(tmp, str);
      }
      if (ctx.maxArrayLength < output.length) push(tmp, output[outputLength]);
      return tmp;
    }
    return output;
  }
  function isBelowBreakLength(ctx, output, start, base) {
    let totalLength = output.length + start;
    if (totalLength + output.length > ctx.breakLength) return false;
    for (let i = 0; i < output.length; i++) {
      totalLength += output[i].length;
      if (totalLength > ctx.breakLength) return false;
    }
    return base === "" || !strIncludes(base, "\n");
  }
  function reduceToSingleString(ctx, output, base, braces, extrasType, recurseTimes, value) {
    let res;
    if (ctx.compact !== true) {
      if (typeof ctx.compact === "number" && ctx.compact >= 1) {
        const entries = output.length;
        if (extrasType === kArrayExtrasType && entries > 6) output = groupArrayElements(ctx, output, value);
        if (ctx.currentDepth - recurseTimes < ctx.compact && entries === output.length) {
          const start = output.length + ctx.indentationLvl + braces[0].length + base.length + 10;
          if (isBelowBreakLength(ctx, output, start, base)) {
            const joined = join(output, ", ");
            if (!strIncludes(joined, "\n")) {
              return (base ? base + " " : "") + braces[0] + " " + joined + " " + braces[1];
            }
          }
        }
      }
      const indentation = "\n" + strRepeat(" ", ctx.indentationLvl);
      res = (base ? base + " " : "") + braces[0] + indentation + "  " + join(output, "," + indentation + "  ") + indentation + braces[1];
    } else if (isBelowBreakLength(ctx, output, 0, base)) {
      return braces[0] + (base ? " " + base : "") + " " + join(output, ", ") + " " + braces[1];
    } else {
      const indentation = strRepeat(" ", ctx.indentationLvl);
      const ln = base === "" && braces[0].length === 1 ? " " : (base ? " " + base : "") + "\n" + indentation + "  ";
      res = braces[0] + ln + join(output, ",\n" + indentation + "  ") + " " + braces[1];
    }
    ctx.work += (ctx.indentationLvl + 4) * (output.length + 1);
    if (ctx.work > WORK_LIMIT) ctx.stopped = true;
    return res;
  }

  // ---- entry points -------------------------------------------------------------------------
  // util.inspect(value, opts): `pre` sets what the options may override, `post` what overrides
  // them (as `{ ...defaults, ...opts }` and `{ ...opts, ...forced }` do in Node).
  function inspectWith(value, opts, cap, pre, post) {
    const ctx = newContext(cap);
    if (pre !== undefined) pre(ctx);
    applyOptions(ctx, opts);
    if (post !== undefined) post(ctx);
    return formatValue(ctx, value, 0);
  }
  function safely(f, fallback) {
    try {
      const s = f();
      return typeof s === "string" ? s : fallback;
    } catch (e) {
      if (isStackOverflow(e)) return "[Inspection interrupted prematurely. Maximum call stack size exceeded.]";
      return fallback;
    }
  }
  // util.inspect, as handed to a custom inspect method: frozen, holding nothing.
  const publicInspect = freeze(defineProperty({
    inspect(value, opts) { return safely(() => inspectWith(value, opts, DEFAULT_CAP), "[uninspectable]"); },
  }.inspect, "custom", { __proto__: null, value: customInspectSymbol }));
  const DEFAULT_CAP = 1 << 16;

  function hasBuiltInToString(value) {
    let proxy = proxyOf(value);
    while (proxy !== undefined) {
      if (proxy.revoked) return true;
      value = proxy.target;
      proxy = proxyOf(value);
    }
    let ownToString = true;
    let ownToPrimitive = true;
    if (typeof value.toString !== "function") {
      if (typeof value[SymbolToPrimitive] !== "function") return true;
      else if (hasOwn(value, SymbolToPrimitive)) return false;
      ownToString = false;
    } else if (hasOwn(value, "toString")) {
      return false;
    } else if (typeof value[SymbolToPrimitive] !== "function") {
      ownToPrimitive = false;
    } else if (hasOwn(value, SymbolToPrimitive)) {
      return false;
    }
    let pointer = value;
    for (let n = 0; n < 10000; n++) {
      pointer = getPrototypeOf(pointer);
      if (pointer === null) return true;
      if ((ownToString && hasOwn(pointer, "toString")) || (ownToPrimitive && hasOwn(pointer, SymbolToPrimitive))) break;
    }
    if (intrinsicName(pointer) !== undefined) return true;
    const d = descriptor(pointer, "constructor");
    return d !== undefined && typeof d.value === "function" && builtInNames[d.value.name] === true;
  }

  let circularMessage;
  function tryStringify(arg) {
    try {
      return jsonStringify(arg);
    } catch (err) {
      if (circularMessage === undefined) {
        try { const a = {}; a.a = a; jsonStringify(a); } catch (e) { circularMessage = e.message; }
      }
      let isCircular = false;
      try { isCircular = err !== null && typeof err === "object" && err.name === "TypeError" && err.message === circularMessage; } catch (e) { /* no */ }
      if (isCircular) return "[Circular]";
      throw err;
    }
  }

  // util.formatWithOptions(inspectOptions, ...args); `cap` bounds the text (see emit).
  function formatWithOptions(inspectOptions, args, cap) {
    const first = args[0];
    let a = 0;
    let str = "";
    let joiner = "";
    const inspectArg = (v, post) => inspectWith(v, inspectOptions, cap - str.length, undefined, post);
    if (typeof first === "string") {
      if (args.length === 1) return first;
      let tempStr;
      let lastPos = 0;
      for (let i = strIndexOf(first, "%"); i !== -1 && i < first.length - 1; i = strIndexOf(first, "%", i + 1)) {
        {
          const nextChar = charCodeAt(first, ++i);
          if (a + 1 !== args.length) {
            switch (nextChar) {
              case 115: {  // s
                const tempArg = args[++a];
                if (typeof tempArg === "number") tempStr = formatNumber(tempArg, numericSeparatorOf(inspectOptions));
                else if (typeof tempArg === "bigint") tempStr = formatBigInt(tempArg, numericSeparatorOf(inspectOptions));
                else if (typeof tempArg !== "object" || tempArg === null || !hasBuiltInToString(tempArg)) tempStr = StringCtor(tempArg);
                else tempStr = inspectArg(tempArg, forcedForS);
                break;
              }
              case 106:  // j
                tempStr = tryStringify(args[++a]);
                break;
              case 100: {  // d
                const tempNum = args[++a];
                if (typeof tempNum === "bigint") tempStr = formatBigInt(tempNum, numericSeparatorOf(inspectOptions));
                else if (typeof tempNum === "symbol") tempStr = "NaN";
                else tempStr = formatNumber(NumberCtor(tempNum), numericSeparatorOf(inspectOptions));
                break;
              }
              case 79:  // O
                tempStr = inspectArg(args[++a]);
                break;
              case 111:  // o
                tempStr = inspectArg(args[++a], forcedForO);
                break;
              case 105: {  // i
                const tempInteger = args[++a];
                if (typeof tempInteger === "bigint") tempStr = formatBigInt(tempInteger, numericSeparatorOf(inspectOptions));
                else if (typeof tempInteger === "symbol") tempStr = "NaN";
                else tempStr = formatNumber(parseIntNumber(tempInteger), numericSeparatorOf(inspectOptions));
                break;
              }
              case 102: {  // f
                const tempFloat = args[++a];
                if (typeof tempFloat === "symbol") tempStr = "NaN";
                else tempStr = formatNumber(parseFloatNumber(tempFloat), numericSeparatorOf(inspectOptions));
                break;
              }
              case 99:  // c
                a += 1;
                tempStr = "";
                break;
              case 37:  // %
                str += strSlice(first, lastPos, i);
                lastPos = i + 1;
                continue;
              default:
                continue;
            }
            if (lastPos !== i - 1) str += strSlice(first, lastPos, i - 1);
            str += tempStr;
            lastPos = i + 1;
            if (str.length > cap) return str;
          } else if (nextChar === 37) {
            str += strSlice(first, lastPos, i);
            lastPos = i + 1;
          }
        }
      }
      if (lastPos !== 0) {
        a++;
        joiner = " ";
        if (lastPos < first.length) str += strSlice(first, lastPos);
      }
    }
    while (a < args.length) {
      if (str.length > cap) return str;
      const value = args[a];
      str += joiner;
      if (typeof value !== "string") str += inspectArg(value);
      else str += value.length > cap ? strSlice(value, 0, cap + 1) : value;
      joiner = " ";
      a++;
    }
    return str;
  }
  function forcedForS(c) { c.compact = 3; c.colors = false; c.depth = 0; }
  function forcedForO(c) { c.showHidden = true; c.showProxy = true; c.depth = 4; }
  function numericSeparatorOf(opts) {
    if (opts === undefined || opts === null) return false;
    const v = opts.numericSeparator;
    return v === undefined || v === null ? false : v;
  }

  // ---- console.table -------------------------------------------------------------------------
  const TABLE_ROWS_MAX = 2000;
  function renderRow(row, columnWidths) {
    let out = "│ ";
    for (let i = 0; i < row.length; i++) {
      const cell = row[i];
      const needed = columnWidths[i] - getStringWidth(cell);
      out += cell + strRepeat(" ", mathCeil(needed > 0 ? needed : 0));
      if (i !== row.length - 1) out += " │ ";
    }
    return out + " │";
  }
  function renderTable(head, columns) {
    const rows = list();
    const columnWidths = list();
    for (let i = 0; i < head.length; i++) columnWidths[i] = getStringWidth(head[i]);
    let longestColumn = 0;
    for (let i = 0; i < columns.length; i++) if (columns[i].length > longestColumn) longestColumn = columns[i].length;
    for (let i = 0; i < head.length; i++) {
      const column = columns[i];
      for (let j = 0; j < longestColumn; j++) {
        if (rows[j] === undefined) rows[j] = list();
        const value = rows[j][i] = hasOwn(column, j) ? column[j] : "";
        const width = columnWidths[i] || 0;
        const counted = getStringWidth(value);
        columnWidths[i] = mathMax(width, counted);
      }
    }
    const divider = list();
    for (let i = 0; i < columnWidths.length; i++) push(divider, strRepeat("─", columnWidths[i] + 2));
    let result = "┌" + join(divider, "┬") + "┐\n" + renderRow(head, columnWidths) + "\n" +
      "├" + join(divider, "┼") + "┤\n";
    for (let i = 0; i < rows.length; i++) result += renderRow(rows[i], columnWidths) + "\n";
    return result + "└" + join(divider, "┴") + "┘";
  }
  // The table console.table prints for `data`, or undefined when it logs `data` as it is.
  function formatTable(data, properties, cap) {
    if (properties !== undefined && !isArray(properties)) throw new TypeError("The \"properties\" argument must be an instance of Array");
    if (data === null || typeof data !== "object") return undefined;
    const cellInspect = (v) => inspectWith(v, undefined, cap, undefined, (c) => {
      c.depth = v !== null && typeof v === "object" && !isArray(v) && typedArrayName(v) === undefined && objectKeys(v).length > 2 ? -1 : 0;
      c.maxArrayLength = 3;
      c.breakLength = Infinity;
    });
    const indexArray = (length) => { const out = list(); for (let i = 0; i < length; i++) push(out, cellInspect(i)); return out; };
    let target = data;
    if (proxyOf(target) !== undefined) {
      let p = proxyOf(target);
      while (p !== undefined) { if (p.revoked) return undefined; target = p.target; p = proxyOf(target); }
    }
    if (isMap(target)) {
      const keys = list();
      const values = list();
      const it = mapEntries(target);
      for (let n = 0; n < TABLE_ROWS_MAX; n++) {
        const step = mapIteratorNext(it);
        if (step.done) break;
        push(keys, cellInspect(step.value[0]));
        push(values, cellInspect(step.value[1]));
      }
      return renderTable(["(iteration index)", "Key", "Values"], [indexArray(keys.length), keys, values]);
    }
    if (isSet(target)) {
      const values = list();
      const it = setValues(target);
      for (let n = 0; n < TABLE_ROWS_MAX; n++) {
        const step = setIteratorNext(it);
        if (step.done) break;
        push(values, cellInspect(step.value));
      }
      return renderTable(["(iteration index)", "Values"], [indexArray(values.length), values]);
    }
    const map = { __proto__: null };
    let hasPrimitives = false;
    const valuesKeyArray = list();
    const indexKeyArray = asList(objectKeys(data));
    const rowCount = mathMin(indexKeyArray.length, TABLE_ROWS_MAX);
    indexKeyArray.length = rowCount;
    for (let i = 0; i < rowCount; i++) {
      const item = data[indexKeyArray[i]];
      const primitive = item === null || (typeof item !== "function" && typeof item !== "object");
      if (properties === undefined && primitive) {
        hasPrimitives = true;
        valuesKeyArray[i] = cellInspect(item);
      } else {
        const keys = properties || objectKeys(item);
        for (let k = 0; k < keys.length; k++) {
          const key = keys[k];
          if (map[key] === undefined) map[key] = list();
          if ((primitive && properties) || !hasOwn(item, key)) map[key][i] = "";
          else map[key][i] = cellInspect(item[key]);
        }
      }
    }
    const head = list();
    const columns = list();
    push(head, "(index)");
    push(columns, indexKeyArray);
    // As Node's Object.keys of its map: integer-like keys first, symbols left out.
    const mapKeys = objectKeys(map);
    for (let i = 0; i < mapKeys.length; i++) {
      push(head, mapKeys[i]);
      push(columns, map[mapKeys[i]]);
    }
    if (hasPrimitives) { push(head, "Values"); push(columns, valuesKeyArray); }
    return renderTable(head, columns);
  }

  // ---- console.time ---------------------------------------------------------------------------
  function pad2(v) { return strPadStart("" + v, 2, "0"); }
  function formatTime(ms) {
    let hours = 0;
    let minutes = 0;
    let seconds = 0;
    if (ms >= 1000) {
      if (ms >= 60000) {
        if (ms >= 3600000) { hours = mathFloor(ms / 3600000); ms = ms % 3600000; }
        minutes = mathFloor(ms / 60000);
        ms = ms % 60000;
      }
      seconds = ms / 1000;
    }
    if (hours !== 0 || minutes !== 0) {
      const fixed = numberToFixed(seconds, 3);
      const dot = strIndexOf(fixed, ".");
      const s = strSlice(fixed, 0, dot);
      const frac = strSlice(fixed, dot + 1);
      const res = hours !== 0 ? hours + ":" + pad2(minutes) : "" + minutes;
      return res + ":" + pad2(s) + "." + frac + " (" + (hours !== 0 ? "h:m" : "") + "m:ss.mmm)";
    }
    if (seconds !== 0) return numberToFixed(seconds, 3) + "s";
    return NumberCtor(numberToFixed(ms, 3)) + "ms";
  }
  function now() {
    if (perfNow !== null) { try { return perfNow(perf); } catch (e) { /* the clock below */ } }
    return dateNow();
  }

  // ---- the console ------------------------------------------------------------------------------
  // host: {
  //   write(level, text)   store one line (level log/info/debug/warn/error); caps are the host's
  //   cap()                characters one entry may still take (0 or less: nothing more is kept)
  //   event()              a value that changes with every event (counters, timers and groups
  //                        are per event)
  //   stack(holder, fn)    the frames of the caller of `fn`, in the engine's format
  //   trusted(get, set, key)  whether an accessor is the engine's own (shown as its value)
  // }
  let trustedGetter = () => false;
  function noCustomInspect(x) { x.customInspect = false; }
  function makeConsole(host) {
    trustedGetter = host.trusted;
    let event;
    let counts;
    let times;
    let groupIndent = "";
    function state() {
      const e = host.event();
      if (e !== event) {
        event = e;
        counts = new MapCtor();
        times = new MapCtor();
        groupIndent = "";
      }
    }
    function write(level, text) {
      if (groupIndent.length !== 0) {
        if (strIncludes(text, "\n")) text = replaceAllNewlines(text, "\n" + groupIndent);
        text = groupIndent + text;
      }
      host.write(level, text);
    }
    function print(level, args) {
      state();
      const cap = host.cap();
      if (cap <= 0) return;
      write(level, safely(() => formatWithOptions(undefined, args, cap), "[unprintable]"));
    }
    function label(v) { return v === undefined ? "default" : "" + v; }
    const c = {
      log(...args) { print("log", args); },
      warn(...args) { print("warn", args); },
      dir(object, options) {
        state();
        const cap = host.cap();
        if (cap <= 0) return;
        write("log", safely(() => inspectWith(object, options, cap, noCustomInspect), "[unprintable]"));
      },
      time(name) {
        state();
        try {
          const l = label(name);
          if (!mapHas(times, l)) mapSet(times, l, now());
        } catch (e) { /* Node throws for a Symbol label */ }
      },
      timeEnd(name) {
        state();
        try {
          const l = label(name);
          const started = mapGet(times, l);
          if (started === undefined) return;
          print("log", ["%s: %s", l, formatTime(now() - started)]);
          mapDelete(times, l);
        } catch (e) { /* as above */ }
      },
      timeLog(name, ...data) {
        state();
        try {
          const l = label(name);
          const started = mapGet(times, l);
          if (started === undefined) return;
          const args = list();
          push(args, "%s: %s"); push(args, l); push(args, formatTime(now() - started));
          for (let i = 0; i < data.length; i++) push(args, data[i]);
          print("log", args);
        } catch (e) { /* as above */ }
      },
      trace(...args) {
        state();
        const cap = host.cap();
        if (cap <= 0) return;
        const message = safely(() => formatWithOptions(undefined, args, cap), "[unprintable]");
        let frames = "";
        try { frames = host.stack(c.trace); } catch (e) { frames = ""; }
        const head = message === "" ? "Trace" : "Trace: " + message;
        write("error", frames === "" ? head : head + "\n" + frames);
      },
      assert(expression, ...args) {
        if (expression) return;
        state();
        try {
          const rest = list();
          push(rest, "Assertion failed" + (args.length === 0 ? "" : ": " + args[0]));
          for (let i = 1; i < args.length; i++) push(rest, args[i]);
          print("warn", rest);
        } catch (e) { /* Node throws for a Symbol */ }
      },
      clear() {},
      count(name) {
        state();
        try {
          const l = label(name);
          let count = mapGet(counts, l);
          count = count === undefined ? 1 : count + 1;
          mapSet(counts, l, count);
          print("log", [l + ": " + count]);
        } catch (e) { /* as above */ }
      },
      countReset(name) {
        state();
        try {
          const raw = name === undefined ? "default" : name;
          if (!mapHas(counts, raw)) return;
          mapDelete(counts, "" + raw);
        } catch (e) { /* as above */ }
      },
      group(...data) {
        state();
        if (data.length > 0) print("log", data);
        groupIndent += "  ";
      },
      groupEnd() {
        state();
        groupIndent = strSlice(groupIndent, 0, groupIndent.length - 2 > 0 ? groupIndent.length - 2 : 0);
      },
      table(tabularData, properties) {
        state();
        const cap = host.cap();
        if (cap <= 0) return;
        let text;
        try { text = formatTable(tabularData, properties, cap); } catch (e) { text = "[unprintable]"; }
        if (text === undefined) print("log", [tabularData]);
        else write("log", text);
      },
    };
    c.debug = { debug(...args) { print("debug", args); } }.debug;
    c.info = { info(...args) { print("info", args); } }.info;
    c.dirxml = { dirxml(...args) { print("log", args); } }.dirxml;
    c.error = { error(...args) { print("error", args); } }.error;
    c.groupCollapsed = { groupCollapsed(...data) { apply(c.group, c, data); } }.groupCollapsed;
    // In the order of Node's console methods, tagged as Node's console is.
    const out = {};
    const names = ["log", "warn", "dir", "time", "timeEnd", "timeLog", "trace", "assert", "clear", "count", "countReset",
      "group", "groupEnd", "table", "debug", "info", "dirxml", "error", "groupCollapsed"];
    for (let i = 0; i < names.length; i++) out[names[i]] = c[names[i]];
    defineProperty(out, SymbolToStringTag, { __proto__: null, value: "console", writable: false, enumerable: false, configurable: true });
    return out;
  }

  // For the engine itself (an error thrown that is not an Error, a result described).
  function inspect(value, cap) {
    return safely(() => inspectWith(value, undefined, cap === undefined ? DEFAULT_CAP : cap), "[uninspectable]");
  }

  const api = freeze({ __proto__: null, makeConsole, inspect });
  defineProperty(G, "__runnerInspect", { __proto__: null, value: api, writable: false, enumerable: false, configurable: true });
})();
