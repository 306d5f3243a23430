// The engine's side of the sandbox, evaluated once per QuickJS context after the compat layer.
//
// Its completion value is one function, runtime(op, ...args), for the Python side (only
// primitives cross the boundary, so compiled handlers stay here, keyed by id):
//   lockdown(open)                     freeze every built-in and record the global baseline
//   limits(body, headers, headerBytes, message)  bounds on what a result may carry
//   compile(id, wrapped, file, offset, shift, run)  compile a handler (and run its top level
//                                      once when `run`); null or a problem
//   invoke(id, body, url, env, limit, type, s0..s3)  run one event; JSON text of the result,
//                                      or PENDING; s0..s3 reseed Math.random
//   settle()                           after Python ran the job queue: result of an async handler
//   reset()                            after every event: restore globals; 0 when the context
//                                      must be discarded, 1 when clean, 2 when clean but the
//                                      compat layer's caches must be cleared (open mode)
//
// A context serves one handler (Python gives every transform its own). Isolation between its
// events without a new context per event: built-ins are frozen (with setters that keep
// `obj.toString = ...` and `err.name = ...` working on instances), the handler's top-level code
// runs again in a fresh function object and scope for every event, the global object's own
// properties are made non-configurable (so reset() only ever reads and writes data properties:
// no handler code runs there) and are put back after it, and Math.random is reseeded from the
// host's entropy. What cannot be undone marks the context dirty, and Python then replaces it.
(function () {
  "use strict";
  const G = globalThis;
  const { freeze, getOwnPropertyDescriptor, defineProperty, getPrototypeOf, setPrototypeOf, isExtensible,
    keys: objectKeys } = Object;
  const { ownKeys, apply } = Reflect;
  const isArray = Array.isArray;
  const jsonParse = JSON.parse;
  const jsonStringify = JSON.stringify;
  const StringCtor = String;
  const ErrorCtor = Error;
  const arrayPush = Array.prototype.push;
  const arrayJoin = Array.prototype.join;
  const arraySlice = Array.prototype.slice;
  const stringSlice = String.prototype.slice;
  const stringReplace = String.prototype.replace;
  const stringSplit = String.prototype.split;
  const numberIsNaN = Number.isNaN;
  const sameValue = Object.is;
  const hasOwnProperty = Object.prototype.hasOwnProperty;
  // A field of a property descriptor, read as an own property only: a descriptor object
  // inherits from Object.prototype, where an open-mode handler may have planted getters.
  function field(d, k) { return apply(hasOwnProperty, d, [k]) ? d[k] : undefined; }
  function has(d, k) { return apply(hasOwnProperty, d, [k]); }
  // A recorded descriptor: null-prototype, so defineProperty reads nothing inherited from it.
  function descriptorRecord(d) {
    const r = { __proto__: null };
    const ks = ["value", "writable", "get", "set", "enumerable", "configurable"];
    for (let i = 0; i < 6; i++) if (has(d, ks[i])) r[ks[i]] = d[ks[i]];
    return r;
  }
  const objectToString = Object.prototype.toString;
  const functionToString = Function.prototype.toString;
  const PromiseCtor = Promise;
  const promiseThen = Promise.prototype.then;
  const mapGet = Map.prototype.get;
  const mapSet = Map.prototype.set;
  const imul = Math.imul;

  // ---- Math.random: xoshiro128** reseeded by Python from os.urandom for every event ----------
  // QuickJS keeps its generator's state in the context, seeded once: two draws reveal it and
  // predict every later one. Reseeded per event, nothing drawn in one event tells anything about
  // the next.
  let rs0 = 1, rs1 = 2, rs2 = 3, rs3 = 4;
  function next32() {
    const x = imul(rs1, 5);
    const result = imul((x << 7) | (x >>> 25), 9) >>> 0;
    const t = rs1 << 9;
    rs2 ^= rs0; rs3 ^= rs1; rs1 ^= rs2; rs0 ^= rs3; rs2 ^= t;
    rs3 = (rs3 << 11) | (rs3 >>> 21);
    return result;
  }
  function reseed(a, b, c, d) {
    rs0 = a | 0; rs1 = b | 0; rs2 = c | 0; rs3 = d | 0;
    if ((rs0 | rs1 | rs2 | rs3) === 0) rs0 = 1;  // the one state the generator cannot leave
  }
  defineProperty(Math, "random", {
    // 53 random bits, as V8 gives.
    value: { random() { return ((next32() >>> 5) * 67108864 + (next32() >>> 6)) / 9007199254740992; } }.random,
    writable: true, enumerable: false, configurable: true,
  });

  // Bounds on a result (set by limits(); Limits in Python).
  let bodyLimit = 1048576, headerCountLimit = 64, headerBytesLimit = 16384, messageLimit = 4096;
  function limits(body, headers, headerBytes, message) {
    bodyLimit = body; headerCountLimit = headers; headerBytesLimit = headerBytes; messageLimit = message;
  }
  function clip(text, max) {
    return text.length > max ? apply(stringSlice, text, [0, max]) + "… (" + (text.length - max) + " more characters)" : text;
  }

  const PENDING = "\u0000pending";
  const LOG_ENTRY_MAX = 4096;
  let logLimit = 16384;

  // ---- console: captured per invocation, size-capped ----------------------------------------
  let logs = [];
  let logBytes = 0;
  let logsTruncated = false;

  // Never throws (bar the time limit's interrupt): what it is given is the handler's, and a
  // Proxy trap or getter may throw from any check made on it.
  function inspect(value, depth, seen) {
    try {
      return inspectValue(value, depth, seen);
    } catch (e) {
      return "[uninspectable]";
    }
  }

  function inspectValue(value, depth, seen) {
    switch (typeof value) {
      case "string": return depth === 0 ? value : jsonStringify(value);
      case "number": return (value === 0 && 1 / value < 0) ? "-0" : StringCtor(value);
      case "bigint": return StringCtor(value) + "n";
      case "undefined": return "undefined";
      case "symbol": return value.toString();
      case "function": return "[Function: " + (value.name || "(anonymous)") + "]";
      case "boolean": return value ? "true" : "false";
    }
    if (value === null) return "null";
    if (value instanceof ErrorCtor) return value.stack ? value.name + ": " + value.message + "\n" + value.stack : StringCtor(value);
    if (seen.indexOf(value) !== -1) return "[Circular]";
    if (depth > 2) return isArray(value) ? "[Array]" : "[Object]";
    seen = seen.concat([value]);
    if (isArray(value)) {
      const parts = [];
      for (let i = 0; i < value.length && i < 100; i++) parts.push(inspect(value[i], depth + 1, seen));
      if (value.length > 100) parts.push("... " + (value.length - 100) + " more items");
      return parts.length ? "[ " + parts.join(", ") + " ]" : "[]";
    }
    if (value instanceof Date) return numberIsNaN(value.getTime()) ? "Invalid Date" : value.toISOString();
    const tag = apply(objectToString, value, []);
    if (tag !== "[object Object]" && tag !== "[object Error]") {
      try { return StringCtor(value); } catch (e) { return tag; }
    }
    const parts = [];
    const ks = objectKeys(value);
    for (let i = 0; i < ks.length && i < 100; i++) {
      const k = ks[i];
      const shown = /^[A-Za-z_$][\w$]*$/.test(k) ? k : jsonStringify(k);
      let v;
      try { v = inspect(value[k], depth + 1, seen); } catch (e) { v = "[Getter threw]"; }
      parts.push(shown + ": " + v);
    }
    return parts.length ? "{ " + parts.join(", ") + " }" : "{}";
  }

  function format(args) {
    let out = "";
    let i = 0;
    if (typeof args[0] === "string" && args.length > 1 && args[0].indexOf("%") !== -1) {
      i = 1;
      out = apply(stringReplace, args[0], [/%([sdifjoOc%])/g, (m, f) => {
        if (f === "%") return "%";
        if (i >= args.length) return m;
        const a = args[i++];
        switch (f) {
          case "s": return typeof a === "string" ? a : inspect(a, 1, []);
          case "d": case "i": {
            const n = Number(a);
            return StringCtor(f === "i" ? Math.trunc(n) : n);
          }
          case "f": return StringCtor(parseFloat(a));
          case "j": try { return jsonStringify(a); } catch (e) { return "[Circular]"; }
          case "c": return "";
          default: return inspect(a, 1, []);
        }
      }]);
    }
    for (; i < args.length; i++) out += (out === "" && i === 0 ? "" : " ") + inspect(args[i], 0, []);
    return out;
  }

  function record(level, args) {
    if (logsTruncated) return;
    let message;
    try { message = format(args); } catch (e) { message = "[unprintable]"; }
    if (typeof message !== "string") message = "[unprintable]";
    if (message.length > LOG_ENTRY_MAX) message = apply(stringSlice, message, [0, LOG_ENTRY_MAX]) + "…";
    if (logBytes + message.length > logLimit) { logsTruncated = true; return; }
    logBytes += message.length;
    apply(arrayPush, logs, [{ level, message }]);  // captured: a patched push would be handed `logs`
  }

  const consoleObject = {};
  for (const level of ["log", "info", "warn", "error", "debug", "trace"]) {
    const name = level;
    consoleObject[level] = { [name](...args) { record(name === "trace" ? "debug" : name, args); } }[name];
  }
  consoleObject.table = function table(...args) { record("log", args); };
  consoleObject.dir = function dir(value) { record("log", [value]); };
  consoleObject.assert = function assert(condition, ...args) {
    if (!condition) record("error", ["Assertion failed" + (args.length ? ":" : "")].concat(args));
  };
  consoleObject.time = consoleObject.timeEnd = consoleObject.timeLog = consoleObject.group =
    consoleObject.groupEnd = consoleObject.count = function () {};
  defineProperty(G, "console", { value: consoleObject, writable: true, enumerable: false, configurable: true });

  // FinalizationRegistry callbacks would run in a later event, carrying state across the
  // isolation boundary. The spec never promises a callback, so a registry that never calls is
  // still correct JavaScript.
  if (typeof G.FinalizationRegistry === "function") {
    const FR = class FinalizationRegistry {
      constructor(cleanup) {
        if (typeof cleanup !== "function") throw new TypeError("FinalizationRegistry: cleanup must be callable");
      }
      register(target) {
        if ((typeof target !== "object" || target === null) && typeof target !== "function" && typeof target !== "symbol") {
          throw new TypeError("FinalizationRegistry.prototype.register: invalid target");
        }
      }
      unregister() { return false; }
    };
    defineProperty(G, "FinalizationRegistry", { value: FR, writable: true, enumerable: false, configurable: true });
  }

  // ---- stack traces: handler frames carry the handler's file name and real lines -------------
  let handlerFile = "handler.js";
  let handlerLineOffset = 0;
  let handlerColumnShift = 0;
  const frameInfo = new WeakMap();
  const weakMapGet = WeakMap.prototype.get;
  const weakMapSet = WeakMap.prototype.set;

  function frameText(site) {
    const name = site.getFunctionName() || "<anonymous>";
    let line = site.getLineNumber();
    let column = site.getColumnNumber();
    let file;
    if (line > handlerLineOffset && handlerLineOffset > 0) {
      line -= handlerLineOffset;
      if (line === 1) column -= handlerColumnShift;
      // QuickJS places some frames (an interrupted empty loop) at the wrapper's own start.
      if (column < 1) return "    at " + name + " (" + handlerFile + ")";
      file = handlerFile;
    } else if (site.isNative && site.isNative()) {
      return "    at " + name + " (native)";
    } else {
      file = "<anonymous>";
    }
    return "    at " + name + " (" + file + ":" + line + ":" + column + ")";
  }

  // QuickJS drops an exception thrown while it builds a stack trace, the time limit's uncatchable
  // interrupt included, and its interrupt checks can keep falling on this call: a handler making
  // errors in a loop (`for (;;) new Error()`) would never be stopped. A call that did not return
  // (`formatting` still set on entry) means one was dropped: the hook is switched off for the rest
  // of the event (QuickJS formats its own traces; reset() puts the hook back), so the next
  // interrupt lands in the handler's code. (An error made while formatting also switches it off.)
  let formatting = false;

  function prepareStackTrace(error, sites) {
    if (formatting) {
      setEngineHook(undefined);
      return "";
    }
    formatting = true;
    const text = formatStackTrace(error, sites);
    formatting = false;
    return text;
  }

  // QuickJS words some of its own errors differently from V8, and handlers do log or return
  // `e.message`: the frequent ones are reworded as V8 words them.
  const V8_MESSAGES = [
    [/^cannot read property '((?!Symbol\.).*)' of (undefined|null)$/, "Cannot read properties of $2 (reading '$1')"],
    [/^cannot set property '((?!Symbol\.).*)' of (undefined|null)$/, "Cannot set properties of $2 (setting '$1')"],
    [/^empty array$/, "Reduce of empty array with no initial value"],
    [/^invalid array length$/, "Invalid array length"],
    [/^cannot convert symbol to string$/, "Cannot convert a Symbol value to a string"],
    [/^(.* in JSON at position \d+) \(line \d+ column \d+\)$/, "$1"],
  ];
  const CALLEE_BEFORE = /(?:[A-Za-z_$][\w$]*\??\.)*$/;
  const NAME_AT = /^[A-Za-z_$][\w$]*/;
  let handlerLines = null;

  // "x.y is not a function": QuickJS says only "not a function", but points at `y`.
  function callee(site) {
    if (handlerLines === null || site === undefined) return null;
    const line = site.getLineNumber() - handlerLineOffset;
    if (line < 1 || line > handlerLines.length) return null;
    const column = site.getColumnNumber() - (line === 1 ? handlerColumnShift : 0);
    const text = handlerLines[line - 1];
    const name = NAME_AT.exec(apply(stringSlice, text, [column - 1]));
    if (name === null) return null;
    const before = CALLEE_BEFORE.exec(apply(stringSlice, text, [0, column - 1]));
    return (before === null ? "" : before[0]) + name[0];
  }

  function rewordForV8(error, sites) {
    // An own data property only: a getter (or anything else of the handler's) must not run here.
    const own = getOwnPropertyDescriptor(error, "message");
    if (own === undefined || !("value" in own)) return;
    const message = own.value;
    if (typeof message !== "string") return;
    let worded = message;
    if (message === "not a function" || message === "not a constructor") {
      const name = callee(sites[0]);
      if (name !== null) worded = name + " is " + message;
    } else {
      for (let i = 0; i < V8_MESSAGES.length; i++) {
        if (V8_MESSAGES[i][0].test(message)) { worded = apply(stringReplace, message, [V8_MESSAGES[i][0], V8_MESSAGES[i][1]]); break; }
      }
    }
    if (worded !== message && own.writable) {
      try { defineProperty(error, "message", { value: worded }); } catch (e) { /* keeps its words */ }
    }
  }

  function formatStackTrace(error, sites) {
    if (error !== null && typeof error === "object") rewordForV8(error, sites);
    const lines = [];
    let first = null;
    // Frames below the handler's outermost one are the runtime's own: not the user's concern.
    let end = sites.length;
    for (let i = sites.length - 1; i >= 0; i--) {
      if (sites[i].getLineNumber() > handlerLineOffset && handlerLineOffset > 0) { end = i + 1; break; }
    }
    for (let i = 0; i < end; i++) {
      const site = sites[i];
      const line = site.getLineNumber();
      if (first === null && line > handlerLineOffset && handlerLineOffset > 0) {
        const l = line - handlerLineOffset;
        const col = l === 1 ? site.getColumnNumber() - handlerColumnShift : site.getColumnNumber();
        first = col < 1 ? [null, null] : [l, col];
      }
      lines.push(frameText(site));
    }
    if (first !== null && error !== null && typeof error === "object") apply(weakMapSet, frameInfo, [error, first]);
    return lines.join("\n") + (lines.length ? "\n" : "");
  }
  // QuickJS-ng keeps these two in the context behind accessors: assigning them reaches the
  // engine, and reset() puts them back when a handler changed them.
  ErrorCtor.prepareStackTrace = prepareStackTrace;
  const stackTraceLimit = ErrorCtor.stackTraceLimit;

  // QuickJS-ng's call sites hand out every frame's function (V8 gives none for strict code), and
  // their prototype is not reachable from the global object, so lockdown would not freeze it. A
  // handler's own Error.prepareStackTrace could then take this runtime's functions (`runtime`,
  // `invoke`: re-running lockdown keeps its globals for every later event) or patch the call-site
  // methods that later events' stack traces run. So getFunction answers undefined, as V8 does for
  // strict frames, and the prototype is frozen (tests/test_hostile_handlers.py).
  (function lockCallSites() {
    let sitePrototype = null;
    ErrorCtor.prepareStackTrace = (error, sites) => {
      if (sites.length) sitePrototype = getPrototypeOf(sites[0]);
      return "";
    };
    try { new ErrorCtor("call site probe").stack; } finally { ErrorCtor.prepareStackTrace = prepareStackTrace; }
    if (sitePrototype === null) throw new ErrorCtor("runtime: no call site to lock down");
    defineProperty(sitePrototype, "getFunction", { value: function getFunction() { return undefined; } });
    freeze(sitePrototype);
  })();

  // A handler's own Error.prepareStackTrace would run inside QuickJS's trace building, where the
  // time limit's interrupt is dropped: a loop there could never be stopped. So the engine's hook
  // stays this runtime's; what a handler assigns is kept, and read back, for its event only, and
  // never called (a custom stack format is the V8 behaviour given up).
  const engineHook = getOwnPropertyDescriptor(ErrorCtor, "prepareStackTrace");
  function setEngineHook(fn) { apply(engineHook.set, ErrorCtor, [fn]); }
  function engineHookIs(fn) { return apply(engineHook.get, ErrorCtor, []) === fn; }
  let handlerPrepareStackTrace;
  defineProperty(ErrorCtor, "prepareStackTrace", {
    get: function prepareStackTrace() { return handlerPrepareStackTrace; },
    set: function prepareStackTrace(v) { handlerPrepareStackTrace = v; },
    enumerable: false,
    configurable: false,
  });

  // ---- lockdown ----------------------------------------------------------------------------
  // Data properties that instance code commonly assigns: on a frozen prototype a plain
  // assignment would silently fail (the "override mistake"), so they become accessors whose
  // setter defines the property on the instance, as an unfrozen prototype would allow.
  const OVERRIDABLE = ["constructor", "toString", "valueOf", "toLocaleString", "name", "message"];

  function enableOverride(proto, key) {
    const desc = getOwnPropertyDescriptor(proto, key);
    if (!desc || !("value" in desc) || !desc.writable || !desc.configurable) return;
    const value = desc.value;
    // Frozen like every built-in: the accessors are reachable (Object.getOwnPropertyDescriptor),
    // and a property a handler stored on one would be there for the next event.
    const get = freeze({ [key]() { return value; } }[key]);
    const set = freeze({
      [key](v) {
        if (this === proto || (typeof this !== "object" && typeof this !== "function") || this === null) return;
        if (!isExtensible(this)) return;
        defineProperty(this, key, { value: v, writable: true, enumerable: true, configurable: true });
      },
    }[key]);
    defineProperty(proto, key, { get, set, enumerable: desc.enumerable, configurable: false });
  }

  let globalNames = [];
  let globalValues = [];
  let globalCount = 0;
  let globalProto = null;
  let globalCheckValues = [];
  let restoreAssigned = null;
  let globalCheckKeys = [];
  let realEval = G.eval;

  // Intrinsics no property path from the global object leads to, which a handler reaches from a
  // value it makes (`[][Symbol.iterator]()`, `function* () {}`): frozen like the rest, or one
  // event could, say, empty every later event's `for...of` by replacing the array iterator's next.
  function hiddenIntrinsics() {
    const P = getPrototypeOf;
    const out = [P([][Symbol.iterator]()), P(""[Symbol.iterator]()), P(new Map().entries()), P(new Set().values()),
      P("a".matchAll(/a/g)), P(function* () {}), P(async function () {}), P(async function* () {})];
    const Iter = G.Iterator;
    if (typeof Iter === "function" && typeof Iter.from === "function") out.push(P(Iter.from({ next() { return { done: true }; } })));
    if (typeof Iter === "function" && Iter.prototype && typeof Iter.prototype.map === "function") out.push(P([].values().map((x) => x)));
    return out;
  }

  // ---- open mode: built-ins stay writable, and are put back after every event ----------------
  // For handlers that patch built-ins (`String.prototype.titleCase = ...`): frozen, their patch
  // would silently not happen. Every intrinsic's properties are recorded once and compared (and
  // restored) after each event; slower than frozen built-ins, exact as V8.
  let intrinsics = null;
  let unrestorable = false;

  function recordIntrinsics(objects) {
    const objs = [], protos = [], extensible = [], keys = [], descs = [];
    for (let i = 0; i < objects.length; i++) {
      const o = objects[i];
      if (o === G) continue;
      const ks = ownKeys(o);
      const ds = [];
      for (let j = 0; j < ks.length; j++) ds.push(descriptorRecord(getOwnPropertyDescriptor(o, ks[j])));
      objs.push(o); protos.push(getPrototypeOf(o)); extensible.push(isExtensible(o)); keys.push(ks); descs.push(ds);
    }
    intrinsics = { objs, protos, extensible, keys, descs };
  }

  // `have` is a live descriptor, `want` a recorded one; fields are read as own properties only,
  // and values compared with SameValue (+0 and -0 differ: a sign could carry a bit).
  function sameDescriptor(have, want) {
    if (have === undefined || field(have, "enumerable") !== want.enumerable ||
      field(have, "configurable") !== want.configurable) return false;
    if (has(want, "value")) {
      return has(have, "value") && field(have, "writable") === want.writable && sameValue(field(have, "value"), want.value);
    }
    return field(have, "get") === want.get && field(have, "set") === want.set;
  }

  function restoreIntrinsics() {
    const { objs, protos, extensible, keys, descs } = intrinsics;
    for (let i = 0; i < objs.length; i++) {
      const o = objs[i];
      if (getPrototypeOf(o) !== protos[i]) {
        try { setPrototypeOf(o, protos[i]); } catch (e) { return false; }
      }
      if (isExtensible(o) !== extensible[i]) return false;
      const want = keys[i];
      let have = ownKeys(o);
      if (have.length !== want.length) {
        // Plain loops only: a handler may have patched Set, Array.prototype.indexOf, ...
        for (let j = 0; j < have.length; j++) {
          let known = false;
          for (let k = 0; k < want.length && !known; k++) known = want[k] === have[j];
          // (A strict-mode delete of a non-configurable property throws instead of answering false.)
          if (!known) { try { if (!delete o[have[j]]) return false; } catch (e) { return false; } }
        }
        have = ownKeys(o);
      }
      // A key deleted (or deleted and put back) would come out last: the next event could tell.
      // A new context is cheaper than reordering.
      for (let j = 0; j < want.length; j++) if (have[j] !== want[j]) return false;
      const wd = descs[i];
      for (let j = 0; j < want.length; j++) {
        if (sameDescriptor(getOwnPropertyDescriptor(o, want[j]), wd[j])) continue;
        try { defineProperty(o, want[j], wd[j]); } catch (e) { return false; }
        if (!sameDescriptor(getOwnPropertyDescriptor(o, want[j]), wd[j])) return false;
      }
    }
    return true;
  }

  function lockdown(open) {
    const seen = new Set();
    const order = [];
    const prototypes = new Set();
    const stack = [G].concat(hiddenIntrinsics());
    while (stack.length) {
      const o = stack.pop();
      if (o === null || (typeof o !== "object" && typeof o !== "function") || seen.has(o)) continue;
      seen.add(o);
      order.push(o);
      stack.push(getPrototypeOf(o));
      const ks = ownKeys(o);
      for (let i = 0; i < ks.length; i++) {
        const d = getOwnPropertyDescriptor(o, ks[i]);
        if ("value" in d) {
          stack.push(d.value);
          if (ks[i] === "prototype" && d.value !== null && typeof d.value === "object") prototypes.add(d.value);
        } else {
          stack.push(d.get, d.set);
        }
      }
    }
    if (open) {
      recordIntrinsics(order);
    } else {
      prototypes.add(Object.prototype);
      for (const proto of prototypes) {
        const ks = proto === Object.prototype ? ownKeys(proto) : OVERRIDABLE;
        for (let i = 0; i < ks.length; i++) if (typeof ks[i] === "string") enableOverride(proto, ks[i]);
      }
      for (let i = 0; i < order.length; i++) if (order[i] !== G) freeze(order[i]);
    }
    // The global object's own properties become non-configurable (writable ones stay writable):
    // a handler can still assign `console = ...`, but can no longer turn a global into an
    // accessor or delete it, so putting them back is plain assignment and never runs its code.
    const names = ownKeys(G);
    for (let i = 0; i < names.length; i++) {
      const d = getOwnPropertyDescriptor(G, names[i]);
      if (d.configurable) defineProperty(G, names[i], { configurable: false });
    }
    globalNames = names;
    globalValues = names.map((k) => descriptorRecord(getOwnPropertyDescriptor(G, k)));
    globalCount = names.length;
    globalProto = getPrototypeOf(G);
    // After every event each writable global is assigned its baseline value, compiled to plain
    // strict assignments (several times faster than a loop of computed ones). A global the
    // handler made read-only throws here, and the context is discarded.
    const assigned = [];
    globalCheckValues = [];
    globalCheckKeys = [];
    for (let i = 0; i < names.length; i++) {
      const d = globalValues[i];
      if (!has(d, "value") || !d.writable) continue;
      const n = globalCheckValues.length;
      const plain = typeof names[i] === "string" && /^[A-Za-z_$][\w$]*$/.test(names[i]);
      assigned.push((plain ? "G." + names[i] : "G[k[" + n + "]]") + "=v[" + n + "];");
      globalCheckValues.push(d.value);
      globalCheckKeys.push(names[i]);
    }
    restoreAssigned = realEval('(function(G,v,k){"use strict";' + assigned.join("") + "})");
    return order.length;
  }

  // ---- compile -------------------------------------------------------------------------------
  const handlers = new Map();

  // Compiles the wrapped source and (when `run`) runs its top-level code once, as loading it
  // would. Returns null when all is well, else JSON: {missing: true} or {error: record}. The
  // wrapped source evaluates to a maker: each call returns a new function object holding the
  // handler's top-level code, so nothing it reaches (`arguments.callee`, properties stored on
  // it) is the same object in two events.
  function compile(id, wrapped, filename, lineOffset, columnShift, run) {
    formatting = false;
    handlerFile = filename;
    handlerLineOffset = lineOffset;
    handlerColumnShift = columnShift;
    handlerLines = apply(stringSplit, apply(stringSlice, wrapped, [lineOffset + columnShift, wrapped.length]), ["\n"]);
    const factory = realEval(wrapped);
    const problem = run ? check(factory) : null;
    // Captured methods: in open mode the top-level code that just ran may have replaced
    // Map.prototype.set, which would then be handed this map of every handler's code.
    if (problem === null) apply(mapSet, handlers, [id, { factory, filename, lines: handlerLines }]);
    return problem;
  }

  // Runs the handler's top-level code once, as loading it would: the error record of a throw,
  // "missing" when it defines no `handler` function, or null when all is well.
  function check(factory) {
    try {
      const handler = apply(apply(factory, G, []), G, []);
      return typeof handler === "function" ? null : jsonStringify({ missing: true, kind: typeof handler });
    } catch (e) {
      return jsonStringify({ error: errorRecord(e) });
    }
  }

  // ---- invoke --------------------------------------------------------------------------------
  let pending = null;
  let current = null;

  // The record of a thrown value, which may be anything (a Proxy whose every trap throws): it
  // never throws itself.
  function errorRecord(e) {
    try {
      return readError(e);
    } catch (x) {
      return { type: "Error", message: "handler threw a value that could not be read", stack: null, line: null, column: null };
    }
  }

  function readError(e) {
    if (e !== null && typeof e === "object") {
      let name, message, stack;
      try { name = StringCtor(e.name); } catch (x) { name = "Error"; }
      try { message = StringCtor(e.message); } catch (x) { message = ""; }
      try { stack = typeof e.stack === "string" ? e.stack : null; } catch (x) { stack = null; }
      const where = apply(weakMapGet, frameInfo, [e]) || null;
      if (!(e instanceof ErrorCtor) && name === "undefined") {
        name = "Error";
        message = "handler threw a non-Error value: " + inspect(e, 1, []);
      }
      // Bounded: an error is stored, logged and shown; a 20 MiB message must not be.
      return { type: clip(name, 200), message: clip(message, messageLimit), stack: stack === null ? null : clip(stack, 4 * messageLimit),
        line: where ? where[0] : null, column: where ? where[1] : null };
    }
    return { type: "Error", message: clip("handler threw a non-Error value: " + inspect(e, 1, []), messageLimit), stack: null, line: null, column: null };
  }

  function invalid(message) {
    return { type: "InvalidResult", message: clip(message, messageLimit), stack: null, line: null, column: null };
  }

  function describe(v) {
    if (v === null) return "null";
    if (isArray(v)) return "an array";
    return typeof v === "object" ? "an object" : typeof v + " " + inspect(v, 1, []);
  }

  function finish(result) {
    const c = current;
    if (result === undefined) {
      return { error: invalid("handler returned undefined: it must return the webhook object (end it with `return webhook;`)") };
    }
    if (result === null || typeof result !== "object" || isArray(result)) {
      return { error: invalid("handler must return the webhook object, but returned " + describe(result)) };
    }
    let cancel = result.cancel;
    if (cancel === undefined) cancel = false;
    if (cancel !== true && cancel !== false) {
      return { error: invalid("webhook.cancel must be a boolean (true or false), got " + describe(cancel)) };
    }
    let url = result.url;
    if (url === undefined) url = c.url;
    let method = result.method;
    if (method === undefined) method = "POST";
    let headers = result.headers;
    if (headers === undefined || headers === null) headers = {};
    // The webhook came back with its body never read nor replaced (and its accessor intact).
    const untouched = !c.touched && result === c.webhook && getOwnPropertyDescriptor(result, "payload").get === c.getter;
    if (untouched && !cancel && typeof url === "string" && url === c.url && method === "POST" &&
      typeof headers === "object" && !isArray(headers) && objectKeys(headers).length === 0) {
      return lazyResult("unchanged", url, method, null);
    }
    if (untouched && cancel) {
      const headersText = typeof headers === "object" && !isArray(headers) ? sentHeaders(headers, true).text : null;
      return lazyResult("cancelled", url, method, headersText);
    }
    const payload = result.payload;
    let payloadText;
    try {
      payloadText = jsonStringify(payload);
    } catch (e) {
      if (cancel) payloadText = "null";
      else {
        const r = errorRecord(e);
        r.message = "webhook.payload is not JSON-serialisable: " + r.type + ": " + r.message;
        r.type = "InvalidResult";
        return { error: r };
      }
    }
    if (payloadText === undefined) {
      if (cancel) payloadText = "null";
      else return { error: invalid("webhook.payload must be a JSON value, got " + describe(payload)) };
    }
    // Python checks the exact size in UTF-8 bytes; this stops a huge result before it is copied.
    if (payloadText.length > bodyLimit) {
      return { error: invalid("webhook.payload serialises to " + payloadText.length + " characters, more than the limit of " + bodyLimit + " bytes") };
    }
    if (!cancel) {
      if (typeof url !== "string") return { error: invalid("webhook.url must be a string, got " + describe(url)) };
      if (typeof method !== "string") return { error: invalid("webhook.method must be a string, got " + describe(method)) };
      if (typeof headers !== "object" || isArray(headers)) {
        return { error: invalid("webhook.headers must be an object of string values, got " + describe(headers)) };
      }
    }
    let headersText = null;
    let headerCount = 0;
    if (typeof headers === "object" && !isArray(headers)) {
      const sent = sentHeaders(headers, cancel);
      if (sent.error !== undefined) return sent;
      headersText = sent.text;
      headerCount = sent.count;
    }
    let status;
    if (cancel) status = "cancelled";
    else if (url === c.url && method === "POST" && headerCount === 0 && (payloadText === c.body ||
      // A body that is not compact JSON (a pretty-printed sample) is compared as JSON would write it.
      payloadText === (c.original === null ? (c.original = jsonStringify(jsonParse(c.body))) : c.original))) {
      status = "unchanged";
    } else status = "sent";
    const head = '{"eventType":' + jsonStringify(c.eventType) + ',"url":' + jsonStringify(typeof url === "string" ? url : null) +
      ',"method":' + jsonStringify(typeof method === "string" ? method : null) + ',"payload":';
    const tail = ',"cancel":' + cancel + (headersText !== null ? ',"headers":' + headersText : "") + "}";
    return { status, url, method, headers: headersText, webhook: [head, payloadText, tail] };
  }

  // The headers as they will be sent: serialised once, and checked on that serialised form, so
  // a getter that answers one thing when checked and another when serialised changes nothing.
  // An accessor is refused outright: headers are plain strings.
  function sentHeaders(headers, cancel) {
    const own = ownKeys(headers);
    if (own.length > headerCountLimit) {
      return { error: invalid("webhook.headers has " + own.length + " entries, more than the limit of " + headerCountLimit) };
    }
    for (let i = 0; i < own.length; i++) {
      if (typeof own[i] !== "string" || cancel) continue;
      const d = getOwnPropertyDescriptor(headers, own[i]);
      if (d === undefined || !d.enumerable) continue;
      if (!("value" in d)) {
        return { error: invalid("webhook.headers[" + jsonStringify(own[i]) + "] is a getter: headers must be plain string values") };
      }
      if (typeof d.value !== "string") {
        return { error: invalid("webhook.headers[" + jsonStringify(own[i]) + "] must be a string, got " + describe(d.value)) };
      }
    }
    let text;
    try { text = jsonStringify(headers); } catch (e) {
      if (cancel) return { text: null, count: 0 };
      const r = errorRecord(e);
      r.message = "webhook.headers is not JSON-serialisable: " + r.type + ": " + r.message;
      r.type = "InvalidResult";
      return { error: r };
    }
    if (typeof text !== "string") {
      return cancel ? { text: null, count: 0 } : { error: invalid("webhook.headers must be an object of string values") };
    }
    if (text.length > headerBytesLimit) {
      if (cancel) return { text: null, count: 0 };
      return { error: invalid("webhook.headers serialise to " + text.length + " characters, more than the limit of " + headerBytesLimit) };
    }
    const sent = jsonParse(text);
    if (sent === null || typeof sent !== "object" || isArray(sent)) {
      return cancel ? { text: null, count: 0 } : { error: invalid("webhook.headers must be an object of string values, got " + describe(sent)) };
    }
    const hk = objectKeys(sent);
    if (hk.length > headerCountLimit) {
      return { error: invalid("webhook.headers has " + hk.length + " entries, more than the limit of " + headerCountLimit) };
    }
    for (let i = 0; i < hk.length; i++) {
      const hv = sent[hk[i]];
      if (typeof hv !== "string" && !cancel) {
        return { error: invalid("webhook.headers[" + jsonStringify(hk[i]) + "] must be a string, got " + describe(hv)) };
      }
    }
    return { text: hk.length ? text : null, count: hk.length };
  }

  // The serialised webhook around a body Python renders itself (see jsjson.py), when asked.
  function lazyResult(status, url, method, headersText) {
    const c = current;
    const head = '{"eventType":' + jsonStringify(c.eventType) + ',"url":' + jsonStringify(typeof url === "string" ? url : null) +
      ',"method":' + jsonStringify(typeof method === "string" ? method : null) + ',"payload":';
    const tail = ',"cancel":' + (status === "cancelled") + (headersText !== null ? ',"headers":' + headersText : "") + "}";
    return { status, url, method, headers: null, lazy: true, head, tail };
  }

  // One line of JSON about the invocation, then (each after a newline, which JSON text never
  // holds unescaped) the serialised webhook's head, payload and tail verbatim, so large payloads
  // are not escaped twice and Python finds the payload without offsets (JavaScript counts UTF-16
  // units, Python code points: an emoji would shift them).
  function output(r) {
    // With built-ins open, the handler's patches (an Object.prototype.toJSON, say) are undone
    // before the runtime serialises its own record of the invocation; when they cannot be, the
    // record is not serialised at all (the patched built-ins could forge it).
    if (intrinsics !== null && !restoreIntrinsics()) {
      unrestorable = true;
      if (!recordSerialisable()) return UNRESTORABLE;
    }
    const webhook = r.webhook;
    if (webhook !== undefined) r.webhook = undefined;
    const meta = jsonStringify({ r, logs, truncated: logsTruncated, eventType: current === null ? null : current.eventType });
    // join, not +: QuickJS-ng builds long `+` chains as ropes, which the binding cannot return.
    return webhook === undefined ? meta : apply(arrayJoin, [meta, webhook[0], webhook[1], webhook[2]], ["\n"]);
  }
  // Whether JSON.stringify of the runtime's record (plain objects, dense arrays, primitives,
  // made by the runtime) can run handler code: only through a toJSON its objects inherit.
  function recordSerialisable() {
    const above = getPrototypeOf(Array.prototype);
    return (above === Object.prototype || above === null) &&
      getOwnPropertyDescriptor(Object.prototype, "toJSON") === undefined &&
      getOwnPropertyDescriptor(Array.prototype, "toJSON") === undefined;
  }
  const UNRESTORABLE = '{"r":{"error":{"type":"InvalidResult","message":"the handler changed a built-in in a way that ' +
    'cannot be undone (made it non-extensible, or redefined it for good): nothing it returned is used","stack":null,' +
    '"line":null,"column":null}},"logs":[],"truncated":false,"eventType":null}';

  function deepFreeze(o) {
    if (o !== null && typeof o === "object") {
      const ks = objectKeys(o);
      for (let i = 0; i < ks.length; i++) deepFreeze(o[ks[i]]);
      freeze(o);
    }
    return o;
  }

  // With the event type known up front, the body is parsed only when the handler reads
  // webhook.payload: most handlers return early for events they do not handle, and then neither
  // parsing nor serialising the body is needed.
  function lazyPayload(webhook, c) {
    let value;
    const get = function payload() {
      if (!c.touched) { c.touched = true; value = jsonParse(c.body); }
      return value;
    };
    const set = function payload(v) { c.touched = true; value = v; };
    c.getter = get;
    defineProperty(webhook, "payload", { get, set, enumerable: true, configurable: true });
  }

  function invoke(id, body, url, envText, limit, knownType, s0, s1, s2, s3) {
    reseed(s0, s1, s2, s3);
    const entry = apply(mapGet, handlers, [id]);
    const factory = entry.factory;
    handlerFile = entry.filename;
    handlerLines = entry.lines;
    formatting = false;
    logs = [];
    logBytes = 0;
    logsTruncated = false;
    logLimit = limit;
    pending = null;
    let payload;
    let eventType = knownType;
    if (typeof knownType !== "string") {
      try {
        payload = jsonParse(body);
      } catch (e) {
        return output({ error: { type: "InvalidInput", message: "webhook body is not valid JSON: " + e.message, stack: null, line: null, column: null } });
      }
      eventType = payload !== null && typeof payload === "object" && typeof payload.type === "string" ? payload.type : null;
    }
    current = { body, url, eventType, original: null, touched: true, getter: null, webhook: null };
    const webhook = {
      eventType,
      payload,
      url,
      method: "POST",
      cancel: false,
      headers: {},
      env: deepFreeze(jsonParse(envText)),
    };
    if (typeof knownType === "string") {
      current.touched = false;
      current.webhook = webhook;
      lazyPayload(webhook, current);
    }
    try {
      const handler = apply(apply(factory, G, []), G, []);
      if (typeof handler !== "function") {
        return output({ error: { type: "NoHandlerError", message: "no top-level function named `handler`", stack: null, line: null, column: null } });
      }
      const result = apply(handler, undefined, [webhook]);
      if (result !== null && (typeof result === "object" || typeof result === "function") && typeof result.then === "function") {
        const state = { done: false, value: undefined, error: undefined, failed: false };
        pending = state;
        apply(promiseThen, PromiseCtor.resolve(result), [
          (v) => { state.done = true; state.value = v; },
          (e) => { state.done = true; state.failed = true; state.error = e; },
        ]);
        return PENDING;
      }
      return output(finish(result));
    } catch (e) {
      return output({ error: errorRecord(e) });
    }
  }

  function settle() {
    const state = pending;
    pending = null;
    if (state === null || !state.done) {
      return output({ error: { type: "UnsettledPromise", message: "the handler's promise never settled: every await must finish within the invocation (there are no timers)", stack: null, line: null, column: null } });
    }
    if (state.failed) return output({ error: errorRecord(state.error) });
    try {
      return output(finish(state.value));
    } catch (e) {
      return output({ error: errorRecord(e) });
    }
  }

  // ---- reset: the global object back to its baseline -----------------------------------------
  function reset() {
    current = null;
    pending = null;
    // First, so that nothing below calls a built-in the handler patched.
    if (intrinsics !== null && (unrestorable || !restoreIntrinsics())) return 0;
    handlerPrepareStackTrace = undefined;
    if (!engineHookIs(prepareStackTrace) || ErrorCtor.stackTraceLimit !== stackTraceLimit) {
      try {
        setEngineHook(prepareStackTrace);
        ErrorCtor.stackTraceLimit = stackTraceLimit;
      } catch (e) {
        return 0;
      }
      if (!engineHookIs(prepareStackTrace) || ErrorCtor.stackTraceLimit !== stackTraceLimit) return 0;
    }
    if (getPrototypeOf(G) !== globalProto || !isExtensible(G)) return 0;
    try {
      restoreAssigned(G, globalCheckValues, globalCheckKeys);
    } catch (e) {
      return 0;  // a global made read-only
    }
    const clean = ownKeys(G).length === globalCount || restoreGlobals(ownKeys(G));
    if (!clean) return 0;
    // In open mode the caches are cleared after every event: a handler may have patched a
    // built-in, formatted a date with it, and put it back itself, so that nothing here tells.
    return intrinsics !== null ? 2 : 1;
  }

  function restoreGlobals(names) {
    const baseline = new Map();
    for (let i = 0; i < globalNames.length; i++) baseline.set(globalNames[i], globalValues[i]);
    for (let i = 0; i < names.length; i++) {
      if (!baseline.has(names[i])) {
        if (!delete G[names[i]]) return false;
      }
    }
    for (let i = 0; i < globalNames.length; i++) {
      const want = globalValues[i];
      const have = getOwnPropertyDescriptor(G, globalNames[i]);
      if (sameDescriptor(have, want)) continue;
      // A deleted global put back would come last in Object.keys(globalThis): the order would
      // tell the next event what this one did. A new context is cheaper than reordering.
      if (!have || !field(have, "configurable")) return false;
      try { defineProperty(G, globalNames[i], want); } catch (e) { return false; }
    }
    return ownKeys(G).length === globalCount;
  }

  const ops = { lockdown, limits, compile, invoke, settle, reset };
  return function runtime(op, a, b, c, d, e, f, g, h, i, j) {
    if (op === "pending") return PENDING;
    return ops[op](a, b, c, d, e, f, g, h, i, j);
  };
})()
