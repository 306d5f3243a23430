// The engine's side of the sandbox, evaluated once per QuickJS context after the compat layer.
//
// Its completion value is one function, runtime(op, ...args), for the Python side (only
// primitives cross the boundary, so compiled handlers stay here, keyed by id):
//   lockdown(open)                     freeze every built-in and record the global baseline
//   limits(body, headers, headerBytes, message)  bounds on what a result may carry
//   compile(id, wrapped, file, offset, shift, run)  compile a handler (and run its top level
//                                      once when `run`); null or a problem
//   invoke(id, body, url, env, limit, type, s0..s3)  run one event; JSON text of the result,
//                                      PENDING (an async handler) or DEFERRED (open mode);
//                                      s0..s3 reseed Math.random
//   settle()                           after Python ran the job queue: result of an async handler
//                                      (or DEFERRED)
//   flush()                            after the event's remaining jobs ran: the result again,
//                                      with their logs (and, open mode, the built-ins restored)
//   reset()                            after every event: restore globals; 0 when the context
//                                      must be discarded, 1 when clean, 2 when clean but the
//                                      compat layer's caches must be cleared (open mode)
//
// A context serves one handler (Python gives every transform its own). Isolation between its
// events without a new context per event: built-ins are frozen (with accessors that keep
// `obj.toString = ...`, `err.name = ...` and every other assignment to an instance working as
// in V8), the handler's top-level code
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
  const ObjectPrototype = Object.prototype;
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
  // (Not NUL-led like PENDING: the binding cuts strings at NUL, which would make the two equal.)
  const DEFERRED = "\u0001deferred";
  const LOG_ENTRY_MAX = 4096;
  let logLimit = 16384;

  // ---- console: captured per invocation, size-capped ----------------------------------------
  let logs = [];
  let logBytes = 0;
  let logsTruncated = false;

  // Node's formatting (js/inspect.js, evaluated just before this file): the console's methods and
  // util.inspect. Taken from its temporary global at once, before any handler code exists.
  const nodeInspect = G.__runnerInspect;
  delete G.__runnerInspect;
  const captureStackTrace = ErrorCtor.captureStackTrace;
  const stringIndexOf = String.prototype.indexOf;
  const stringLastIndexOf = String.prototype.lastIndexOf;

  // A value as Node's util.inspect shows it (a string at depth 0 as it is), for the engine's own
  // messages. Never throws (bar the time limit's interrupt): what it is given is the handler's.
  function inspect(value, depth) {
    if (depth === 0 && typeof value === "string") return value;
    return nodeInspect.inspect(value, LOG_ENTRY_MAX);
  }

  // One console line, already formatted: cut to LOG_ENTRY_MAX, and dropped (with every later
  // one) once the invocation's logs would pass logLimit.
  function record(level, message) {
    if (logsTruncated) return;
    if (typeof message !== "string") message = "[unprintable]";
    if (message.length > LOG_ENTRY_MAX) message = apply(stringSlice, message, [0, LOG_ENTRY_MAX]) + "…";
    if (logBytes + message.length > logLimit) { logsTruncated = true; return; }
    logBytes += message.length;
    // Defined, not pushed: a patched push, or an index setter on Array.prototype, would be
    // handed `logs`.
    defineProperty(logs, logs.length, { __proto__: null, value: { level, message }, writable: true, enumerable: true, configurable: true });
  }

  const consoleObject = nodeInspect.makeConsole({
    write: record,
    // How much of the next line can still be kept: formatting stops soon after it.
    cap() {
      if (logsTruncated) return 0;
      const left = logLimit - logBytes;
      return (left < LOG_ENTRY_MAX ? left : LOG_ENTRY_MAX) + 1;
    },
    // A new array every invocation: counters, timers and groups start afresh with each event.
    event() { return logs; },
    // console.trace's frames: the handler's, from its call of console.trace outwards (frames of
    // the runtime's own before the first of the handler's file are left out).
    stack(fn) {
      const holder = { __proto__: null };
      captureStackTrace(holder, fn);
      const d = getOwnPropertyDescriptor(holder, "stack");
      let text = d !== undefined && typeof field(d, "value") === "string" ? field(d, "value") : "";
      const at = apply(stringIndexOf, text, ["(" + handlerFile + ":"]);
      if (at > 0) {
        const start = apply(stringLastIndexOf, text, ["\n", at]);
        if (start !== -1) text = apply(stringSlice, text, [start + 1]);
      }
      return text.length && text[text.length - 1] === "\n" ? apply(stringSlice, text, [0, text.length - 1]) : text;
    },
    // Accessors of the runtime's own, shown as the values they stand for (as Node sees plain data
    // properties): the lazily parsed webhook.payload, and the getter/setter pairs the lockdown
    // gives built-ins' writable properties.
    trusted(get, set, key) {
      if (current !== null && current.getter !== null && get === current.getter) return true;
      // Both halves must be the lockdown's: a handler's own getter beside a borrowed setter is
      // the handler's code, which Node would not run.
      return set !== undefined && set === apply(mapGet, overrideSetters, [key]) && apply(weakMapHas, overrideGetters, [get]);
    },
  });
  defineProperty(G, "console", { value: consoleObject, writable: true, enumerable: false, configurable: true });

  // ---- WeakRef and FinalizationRegistry ------------------------------------------------------
  // FinalizationRegistry callbacks would run in a later event, carrying state across the
  // isolation boundary. The spec never promises a callback, so a registry that never calls is
  // still correct JavaScript: it only counts the registrations per token, which unregister()
  // answers (true while one is left, as V8 answers until its collector has run the callback).
  // WeakRef: QuickJS counts references, so an object only a WeakRef points to is freed at once
  // and `new WeakRef({}).deref()` is undefined; V8 keeps the target of every new WeakRef and
  // every deref() alive until the end of the job (the spec's [[KeptAlive]] list). Here that
  // list is kept until the event ends: reset() empties it, so nothing it holds outlives the
  // event, and only this closure holds it.
  const symbolKeyFor = Symbol.keyFor;
  const weakMapHas = WeakMap.prototype.has;
  const weakMapDelete = WeakMap.prototype.delete;
  const reflectConstruct = Reflect.construct;
  let keptAlive = [];
  function canBeHeldWeakly(v) {
    return (typeof v === "object" && v !== null) || typeof v === "function" ||
      (typeof v === "symbol" && symbolKeyFor(v) === undefined);
  }
  // How V8 names a receiver in "called on incompatible receiver": reads no getter of the value.
  function receiverText(v) {
    if (typeof v === "symbol") return v.toString();
    if ((typeof v !== "object" && typeof v !== "function") || v === null) return StringCtor(v);
    for (let p = v, i = 0; p !== null && i < 64; p = getPrototypeOf(p), i++) {
      const c = getOwnPropertyDescriptor(p, "constructor");
      const n = c !== undefined && has(c, "value") && typeof c.value === "function" ? getOwnPropertyDescriptor(c.value, "name") : undefined;
      if (n !== undefined && has(n, "value") && typeof n.value === "string" && n.value !== "") return "#<" + n.value + ">";
    }
    return "#<Object>";
  }
  function incompatible(method, v) {
    return new TypeError("Method " + method + " called on incompatible receiver " + receiverText(v));
  }
  if (typeof G.WeakRef === "function") {
    const NativeWeakRef = G.WeakRef;
    const nativeDeref = NativeWeakRef.prototype.deref;
    const WeakRef = function WeakRef(target) {
      if (new.target === undefined) throw new TypeError("Constructor WeakRef requires 'new'");
      if (!canBeHeldWeakly(target)) throw new TypeError("WeakRef: invalid target");
      const ref = reflectConstruct(NativeWeakRef, [target], new.target);
      apply(arrayPush, keptAlive, [target]);
      return ref;
    };
    const proto = {
      constructor: WeakRef,
      deref() {
        let target;
        try { target = apply(nativeDeref, this, []); } catch (e) { throw incompatible("WeakRef.prototype.deref", this); }
        if (target !== undefined) apply(arrayPush, keptAlive, [target]);
        return target;
      },
    };
    defineProperty(proto, "constructor", { enumerable: false });
    defineProperty(proto, "deref", { enumerable: false });
    defineProperty(proto, Symbol.toStringTag, { value: "WeakRef", configurable: true });
    defineProperty(WeakRef, "prototype", { value: proto, writable: false });
    defineProperty(G, "WeakRef", { value: WeakRef, writable: true, enumerable: false, configurable: true });
  }
  if (typeof G.FinalizationRegistry === "function") {
    const registrations = new WeakMap();  // registry → (token → registrations left)
    const tokens = (registry, method) => {
      const t = (registry !== null && typeof registry === "object") || typeof registry === "function"
        ? apply(weakMapGet, registrations, [registry]) : undefined;
      if (t === undefined) throw incompatible("FinalizationRegistry.prototype." + method, registry);
      return t;
    };
    const badToken = (token) => new TypeError("Invalid unregisterToken ('" + (typeof token === "symbol" ? token.toString() : StringCtor(token)) + "')");
    const FinalizationRegistry = function FinalizationRegistry(cleanup) {
      if (new.target === undefined) throw new TypeError("Constructor FinalizationRegistry requires 'new'");
      if (typeof cleanup !== "function") throw new TypeError("FinalizationRegistry: cleanup must be callable");
      apply(weakMapSet, registrations, [this, new WeakMap()]);
    };
    const proto = {
      constructor: FinalizationRegistry,
      register(target, heldValue) {
        const counts = tokens(this, "register");
        const token = arguments[2];
        if (!canBeHeldWeakly(target)) throw new TypeError("FinalizationRegistry.prototype.register: invalid target");
        if (sameValue(target, heldValue)) throw new TypeError("FinalizationRegistry.prototype.register: target and holdings must not be same");
        if (token !== undefined) {
          if (!canBeHeldWeakly(token)) throw badToken(token);
          apply(weakMapSet, counts, [token, (apply(weakMapGet, counts, [token]) || 0) + 1]);
        }
      },
      unregister(token) {
        const counts = tokens(this, "unregister");
        if (!canBeHeldWeakly(token)) throw badToken(token);
        if (!apply(weakMapHas, counts, [token])) return false;
        apply(weakMapDelete, counts, [token]);
        return true;
      },
    };
    for (const k of ["constructor", "register", "unregister"]) defineProperty(proto, k, { enumerable: false });
    defineProperty(proto, Symbol.toStringTag, { value: "FinalizationRegistry", configurable: true });
    defineProperty(FinalizationRegistry, "prototype", { value: proto, writable: false });
    defineProperty(G, "FinalizationRegistry", { value: FinalizationRegistry, writable: true, enumerable: false, configurable: true });
  }

  // ---- stack traces: handler frames carry the handler's file name and real lines -------------
  let handlerFile = "handler.js";
  let handlerLineOffset = 0;
  let handlerColumnShift = 0;
  const frameInfo = new WeakMap();
  const frameInfoHas = WeakMap.prototype.has;
  const weakMapGet = WeakMap.prototype.get;
  const weakMapSet = WeakMap.prototype.set;

  // `frame`: a siteFrames() record; `at`: V8's position of a handler frame ({line, column}), or
  // null to keep QuickJS's.
  function frameText(frame, at) {
    const name = frame.name || "<anonymous>";
    let line = frame.line;
    let column = frame.col;
    let file;
    if (frame.handler) {
      if (at !== null) { line = at.line; column = at.column; }
      // QuickJS places some frames (an interrupted empty loop) at the wrapper's own start.
      if (column < 1) return "    at " + name + " (" + handlerFile + ")";
      file = handlerFile;
    } else if (frame.native) {
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
  // Whether one of V8_MESSAGES may apply (they begin "c", "e" or "i", or end with ")"): most
  // errors are tested no further.
  function mayReword(message) {
    const c = message.length ? apply(charCodeAtOf, message, [0]) : 0;
    return c === 99 || c === 101 || c === 105 || (message.length && apply(charCodeAtOf, message, [message.length - 1]) === 41);
  }
  const charCodeAtOf = String.prototype.charCodeAt;
  const CALLEE_BEFORE = /(?:[A-Za-z_$][\w$]*\??\.)*$/;
  const NAME_AT = /^[A-Za-z_$][\w$]*/;
  let handlerLines = null;

  // "x.y is not a function": QuickJS says only "not a function", but points at `y`.
  function callee(frame) {
    if (handlerLines === null || frame === undefined || !frame.handler) return null;
    const line = frame.line;
    if (line < 1 || line > handlerLines.length) return null;
    const column = frame.col;
    const text = handlerLines[line - 1];
    const name = NAME_AT.exec(apply(stringSlice, text, [column - 1]));
    if (name === null) return null;
    const before = CALLEE_BEFORE.exec(apply(stringSlice, text, [0, column - 1]));
    return (before === null ? "" : before[0]) + name[0];
  }

  // The handler's source, for errorsite.js (see sandbox.py): which operation failed, and how
  // V8 words and places that.
  let handlerSource = null;
  const sourceEndAt = String.prototype.lastIndexOf;
  const indirectEval = G.eval;
  // The built-ins errorsite.js uses, as they are now (it is compiled later, on first use).
  const errorSitePrimordials = freeze({
    __proto__: null, apply, charCodeAt: String.prototype.charCodeAt, slice: stringSlice, fromCharCode: String.fromCharCode,
    parseFloat, parseInt, String: StringCtor, Map, mapGet, mapSet, mapClear: Map.prototype.clear,
    mapSize: getOwnPropertyDescriptor(Map.prototype, "size").get, exec: RegExp.prototype.exec, RegExp, ownKeys,
    ArrayPrototype: Array.prototype, ObjectPrototype: Object.prototype, StringPrototype: String.prototype,
    getOwnPropertyDescriptor, getPrototypeOf, isArray, indexOf: String.prototype.indexOf,
  });
  let errorSites = null;   // errorsite.js, compiled on first use
  function errorSiteAnalysis() {
    if (errorSites === null && typeof errorSiteSource === "string") {
      try { errorSites = indirectEval(errorSiteSource)(errorSitePrimordials); } catch (e) { errorSites = false; }
    }
    return errorSites || null;
  }
  // A limit's error: the stack may be all but used up, and the analysis is not needed.
  const LIMIT_MESSAGES = ["interrupted", "out of memory", "stack overflow", "Maximum call stack size exceeded"];
  function limitError(message) {
    for (let i = 0; i < LIMIT_MESSAGES.length; i++) {
      const m = LIMIT_MESSAGES[i];
      if (message.length >= m.length && apply(stringSlice, message, [0, m.length]) === m) return true;
    }
    return false;
  }

  // QuickJS's view of the stack, for errorsite.js: per frame its line and column relative to the
  // handler's source, its function's name, and whether it is the handler's.
  function siteFrames(sites, end) {
    const frames = [];
    for (let i = 0; i < end; i++) {
      const site = sites[i];
      let line = site.getLineNumber();
      let col = site.getColumnNumber();
      const handler = handlerLineOffset > 0 && line > handlerLineOffset;
      if (handler) {
        line -= handlerLineOffset;
        if (line === 1) col -= handlerColumnShift;
      }
      frames[i] = { __proto__: null, line, col, name: site.getFunctionName() || "", handler, native: !handler && !!(site.isNative && site.isNative()) };
    }
    return frames;
  }

  // The class of an error made by a built-in error constructor, told by its prototype alone
  // (nothing of a handler's class is read: its prototype could be a Proxy), or null.
  const ERROR_PROTOTYPES = [[Error.prototype, "Error"], [TypeError.prototype, "TypeError"], [RangeError.prototype, "RangeError"],
    [SyntaxError.prototype, "SyntaxError"], [ReferenceError.prototype, "ReferenceError"], [EvalError.prototype, "EvalError"],
    [URIError.prototype, "URIError"], [typeof AggregateError === "function" ? AggregateError.prototype : Error.prototype, "AggregateError"]];
  function errorClassName(error) {
    const proto = getPrototypeOf(error);   // an error object: no trap
    for (let i = 0; i < ERROR_PROTOTYPES.length; i++) if (ERROR_PROTOTYPES[i][0] === proto) return ERROR_PROTOTYPES[i][1];
    return null;
  }

  // Rewords the error's message as V8 words it (own data `message` only) and returns V8's
  // position of each frame (see errorsite.js describe), or null.
  let errorEvent = 0, errorEventOf = null;
  function rewordForV8(error, frames) {
    // An own data property only: a getter (or anything else of the handler's) must not run here.
    const own = getOwnPropertyDescriptor(error, "message");
    if (own === undefined || !("value" in own)) return null;
    const message = own.value;
    if (typeof message !== "string") return null;
    let worded = message;
    let v8 = null;
    const analysis = handlerSource !== null && !limitError(message) ? errorSiteAnalysis() : null;
    if (analysis !== null) {
      // answers are kept for one event only (`current` is the event's own record)
      if (current !== errorEventOf) { errorEventOf = current; errorEvent++; }
      v8 = analysis.describe(handlerSource, frames, message, intrinsics !== null, errorEvent, errorClassName(error));
      if (v8.message !== null) worded = v8.message;
    }
    if (worded !== message) {
      // reworded from the source
    } else if (message === "not a function" || message === "not a constructor") {
      const name = callee(frames[0]);
      if (name !== null) worded = name + " is " + message;
    } else if (mayReword(message)) {
      for (let i = 0; i < V8_MESSAGES.length; i++) {
        if (V8_MESSAGES[i][0].test(message)) { worded = apply(stringReplace, message, [V8_MESSAGES[i][0], V8_MESSAGES[i][1]]); break; }
      }
    }
    if (worded !== message && own.writable) {
      try { defineProperty(error, "message", { value: worded }); } catch (e) { /* keeps its words */ }
    }
    return v8 === null ? null : v8.positions;
  }

  function formatStackTrace(error, sites) {
    // QuickJS-ng formats an error again each time it is rethrown (`catch (e) { throw e; }`),
    // with the frames of the rethrow, and keeps the first trace: so is its position (as V8's is
    // where the error was made), and its message was reworded then.
    if (error !== null && typeof error === "object" && apply(frameInfoHas, frameInfo, [error])) return "";
    // Frames below the handler's outermost one are the runtime's own: not the user's concern.
    let end = sites.length;
    for (let i = sites.length - 1; i >= 0; i--) {
      if (sites[i].getLineNumber() > handlerLineOffset && handlerLineOffset > 0) { end = i + 1; break; }
    }
    const frames = siteFrames(sites, end);
    const at = error !== null && typeof error === "object" ? rewordForV8(error, frames) : null;
    const lines = [];
    let first = null;
    for (let i = 0; i < end; i++) {
      const frame = frames[i];
      const v8 = at === null ? null : at[i];
      if (v8 === "drop") continue;   // a frame V8 does not have
      if (first === null && frame.handler) {
        first = v8 !== null ? [v8.line, v8.column] : frame.col < 1 ? [null, null] : [frame.line, frame.col];
      }
      lines.push(frameText(frame, v8));
    }
    if (first !== null && error !== null && typeof error === "object") apply(weakMapSet, frameInfo, [error, first]);
    return lines.join("\n") + (lines.length ? "\n" : "");
  }
  // ---- built-ins whose errors V8 words with their argument -----------------------------------
  // QuickJS's JSON.parse, JSON.stringify (of a cycle), String.fromCodePoint and BigInt throw the
  // same errors as V8 in other words, and V8's words quote the argument (`Unexpected token 'x',
  // "{x}" is not valid JSON`): each is wrapped so that its error is made again with V8's words,
  // worked out from the argument (errorsite.js). While they succeed, nothing changes but a call.
  // The runtime's own uses keep the originals, captured above.
  (function v8ArgumentWords() {
    const SyntaxErrorCtor = SyntaxError, TypeErrorCtor = TypeError, RangeErrorCtor = RangeError;
    const J = JSON;
    const parse0 = J.parse, stringify0 = J.stringify, fromCodePoint0 = StringCtor.fromCodePoint, BigInt0 = BigInt;
    const isIntegerNumber = Number.isInteger;
    // An error QuickJS made with `message` (one that went through formatStackTrace: a genuine
    // error object, whose own data properties are read without running anything).
    function engineError(e, message) {
      if (e === null || typeof e !== "object" || !apply(frameInfoHas, frameInfo, [e])) return false;
      const d = getOwnPropertyDescriptor(e, "message");
      return d !== undefined && d.value === message;
    }
    function install(owner, name, fn) {
      defineProperty(owner, name, { value: fn, writable: true, enumerable: false, configurable: true });
    }
    install(J, "parse", { parse(text, reviver) {
      // ToString first, once (as JSON.parse does), so that the text is known if it fails
      const s = typeof text === "string" || typeof text === "symbol" ? text : StringCtor(text);
      try {
        return reviver === undefined ? parse0(s) : apply(parse0, J, [s, reviver]);
      } catch (e) {
        const analysis = typeof s === "string" ? errorSiteAnalysis() : null;
        // null: V8 accepts the text, so the error is another one (the reviver's, a limit's)
        const words = analysis === null ? null : analysis.jsonError(s);
        if (words !== null) throw new SyntaxErrorCtor(words);
        throw e;
      }
    } }.parse);
    install(J, "stringify", { stringify(value, replacer, space) {
      try {
        return stringify0(value, replacer, space);
      } catch (e) {
        if ((replacer === undefined || replacer === null) && engineError(e, "circular reference")) {
          const analysis = errorSiteAnalysis();
          const words = analysis === null ? null : analysis.circularMessage(value);
          if (words !== null) throw new TypeErrorCtor(words);
        }
        throw e;
      }
    } }.stringify);
    install(StringCtor, "fromCodePoint", { fromCodePoint(codePoint) {
      try {
        return apply(fromCodePoint0, StringCtor, arguments);
      } catch (e) {
        if (e instanceof RangeErrorCtor && engineError(e, "invalid code point")) {
          for (let i = 0; i < arguments.length; i++) {
            const a = arguments[i];
            if ((typeof a === "object" && a !== null) || typeof a === "function" || typeof a === "symbol" || typeof a === "bigint") break;
            const n = +a;
            if (!(isIntegerNumber(n) && n >= 0 && n <= 0x10ffff)) throw new RangeErrorCtor("Invalid code point " + StringCtor(n));
          }
        }
        throw e;
      }
    } }.fromCodePoint);
    const BigIntWrapper = { BigInt(value) {
      try {
        return BigInt0(value);
      } catch (e) {
        if (typeof value === "number" && !isIntegerNumber(value)) {
          throw new RangeErrorCtor("The number " + StringCtor(value) + " cannot be converted to a BigInt because it is not an integer");
        }
        if (typeof value === "string") throw new SyntaxErrorCtor("Cannot convert " + value + " to a BigInt");
        if (value === undefined || value === null || typeof value === "symbol") {
          throw new TypeErrorCtor("Cannot convert " + StringCtor(value) + " to a BigInt");
        }
        throw e;
      }
    } }.BigInt;
    defineProperty(BigIntWrapper, "prototype", { value: BigInt0.prototype, writable: false, enumerable: false, configurable: false });
    const statics = ownKeys(BigInt0);
    for (let i = 0; i < statics.length; i++) {
      const k = statics[i];
      if (k !== "length" && k !== "name" && k !== "prototype") defineProperty(BigIntWrapper, k, getOwnPropertyDescriptor(BigInt0, k));
    }
    defineProperty(BigInt0.prototype, "constructor", { value: BigIntWrapper });
    install(G, "BigInt", BigIntWrapper);
  })();

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

  // ---- built-ins written in JavaScript look like V8's native ones ----------------------------
  // The compat layer and this runtime implement some built-ins in JavaScript (Intl, Date's local
  // time, URL, console, WeakRef, ...). Every function reachable from the global object when
  // lockdown() runs is a built-in: lockdown() names them as V8 does, gives methods a stand-in
  // without a `prototype` (V8's built-in methods have none), and records the text toString()
  // answers for them. QuickJS's own natives print `function abs() {\n    [native code]\n}`;
  // V8 prints one line, and `function () { [native code] }` for bound functions.
  const nativeText = new WeakMap();  // function → what toString answers for it
  const knownNatives = new WeakSet();  // QuickJS's natives reachable when lockdown() ran
  const weakSetHas = WeakSet.prototype.has;
  const weakSetAdd = WeakSet.prototype.add;
  const NATIVE_TAIL = "() {\n    [native code]\n}";
  function isNativeSource(text) {
    return text.length > NATIVE_TAIL.length && apply(stringSlice, text, [text.length - NATIVE_TAIL.length]) === NATIVE_TAIL;
  }
  function isNativeFunction(f) { return isNativeSource(apply(functionToString, f, [])); }
  function markNative(f, name) { apply(weakMapSet, nativeText, [f, "function " + name + "() { [native code] }"]); }
  defineProperty(Function.prototype, "toString", {
    value: {
      toString() {
        if (typeof this !== "function") throw new TypeError("Function.prototype.toString requires that 'this' be a Function");
        const known = apply(weakMapGet, nativeText, [this]);
        if (known !== undefined) return known;
        const text = apply(functionToString, this, []);
        if (!isNativeSource(text)) return text;  // the handler's own code: its source, verbatim
        // A bound function, a promise's resolver (nameless), or a callable Proxy (QuickJS names
        // it after its target): V8 prints all of these without a name.
        const name = apply(stringSlice, text, [9, text.length - NATIVE_TAIL.length]);
        const named = name !== "" && apply(stringSlice, name, [0, 6]) !== "bound " && apply(weakSetHas, knownNatives, [this]);
        return "function " + (named ? name : "") + "() { [native code] }";
      },
    }.toString,
    writable: true, enumerable: false, configurable: true,
  });

  // The name V8 gives the function stored under `key`: its key, `[Symbol.iterator]` for a symbol.
  function keyText(key) {
    if (typeof key !== "symbol") return key;
    const d = key.description;
    return d === undefined ? "" : "[" + d + "]";
  }

  function nativize(order) {
    // Each function's text once (a JavaScript one answers its whole source).
    const js = new Set();
    for (let i = 0; i < order.length; i++) {
      const f = order[i];
      if (typeof f !== "function") continue;
      if (isNativeFunction(f)) apply(weakSetAdd, knownNatives, [f]);
      else js.add(f);
    }
    const found = new Map();  // JavaScript function → the names it is found under (null: as `constructor`)
    const slots = [];         // [object, key] of every place holding one
    const note = (o, k, f, name) => {
      if (typeof f !== "function" || !js.has(f)) return;
      let names = apply(mapGet, found, [f]);
      if (names === undefined) {
        names = [];
        apply(mapSet, found, [f, names]);
      }
      apply(arrayPush, names, [name]);
      apply(arrayPush, slots, [[o, k]]);
    };
    for (let i = 0; i < order.length; i++) {
      const o = order[i], ks = ownKeys(o);
      for (let j = 0; j < ks.length; j++) {
        const d = getOwnPropertyDescriptor(o, ks[j]);
        if (has(d, "value")) note(o, ks[j], d.value, ks[j] === "constructor" ? null : keyText(ks[j]));
        else { note(o, ks[j], d.get, "get " + keyText(ks[j])); note(o, ks[j], d.set, "set " + keyText(ks[j])); }
      }
    }
    const standIns = new Map();
    for (const [f, names] of found) {
      const nd = getOwnPropertyDescriptor(f, "name");
      let name = nd !== undefined && has(nd, "value") && typeof nd.value === "string" ? nd.value : "";
      let known = false, first = null;
      for (let i = 0; i < names.length; i++) {
        if (names[i] === name) known = true;
        if (first === null) first = names[i];
      }
      // A name V8 would not give (`get` for a getter, a helper's name): the name of its first place.
      if (!known && first !== null) {
        name = first;
        defineProperty(f, "name", { value: name, writable: false, enumerable: false, configurable: true });
      }
      // A function declared with `function` has a `prototype` of its own; a built-in method has
      // none. One whose prototype was never given anything is a method: it gets a stand-in.
      const pd = getOwnPropertyDescriptor(f, "prototype");
      const p = pd !== undefined && has(pd, "value") && pd.writable ? pd.value : null;
      if (p !== null && typeof p === "object" && getPrototypeOf(p) === Object.prototype && ownKeys(p).length === 1 &&
        has(p, "constructor") && p.constructor === f) {
        const s = { [name](...args) { return apply(f, this, args); } }[name];
        defineProperty(s, "length", { value: f.length });
        markNative(s, name);
        apply(mapSet, standIns, [f, s]);
        apply(arrayPush, order, [s]);
      }
      markNative(f, name);
    }
    // Stand-ins take the methods' places (every place: a function may be stored under two names).
    if (standIns.size) {
      for (let i = 0; i < slots.length; i++) {
        const o = slots[i][0], k = slots[i][1];
        const d = getOwnPropertyDescriptor(o, k);
        if (!d.configurable) continue;  // (the runtime's own Error.prepareStackTrace accessor)
        const v = has(d, "value") ? apply(mapGet, standIns, [d.value]) : undefined;
        const g = has(d, "get") ? apply(mapGet, standIns, [d.get]) : undefined;
        const st = has(d, "set") ? apply(mapGet, standIns, [d.set]) : undefined;
        if (v !== undefined) defineProperty(o, k, { value: v });
        if (g !== undefined) defineProperty(o, k, { get: g });
        if (st !== undefined) defineProperty(o, k, { set: st });
      }
    }
    // Node's console methods are bound functions.
    const c = G.console;
    const cks = c !== null && typeof c === "object" ? ownKeys(c) : [];
    for (let i = 0; i < cks.length; i++) {
      const d = getOwnPropertyDescriptor(c, cks[i]);
      if (has(d, "value") && typeof d.value === "function") apply(weakMapSet, nativeText, [d.value, "function () { [native code] }"]);
    }
  }

  // ---- lockdown ----------------------------------------------------------------------------
  // The "override mistake": on a frozen prototype every data property is read-only, and
  // assigning a property of that name to an instance fails ([[Set]] finds the read-only
  // property first): `err.name = "X"`, `regexp[Symbol.match] = false`, `obj.toString = f`,
  // `arr.push = f`, a subclass's `MyArray.from = f` would be silently ignored (a TypeError in
  // strict code) where V8, whose prototypes are not frozen, makes an own property. So before
  // freezing, every writable data property of every built-in (string or symbol key) becomes an
  // accessor pair: the getter answers the value; the setter does what [[Set]] does with a
  // writable data property found on a prototype (OrdinarySet): it defines the property on the
  // receiver (a new own property, or a new value in an own writable one). On the built-in itself
  // (or any object that cannot take the property) nothing changes: the built-ins stay frozen.
  // Properties that were read-only stay read-only, as in V8 (`date[Symbol.toPrimitive] = f`
  // fails there too).
  const reflectDefineProperty = Reflect.defineProperty;
  const overrideSetters = new Map();  // key → its setter (one per key, whatever the prototype)
  const overrideGetters = new WeakMap();  // the lockdown's getters (→ true)

  function assignOwn(receiver, key, value) {
    if ((typeof receiver !== "object" && typeof receiver !== "function") || receiver === null) return;
    const own = getOwnPropertyDescriptor(receiver, key);
    if (own === undefined) {
      reflectDefineProperty(receiver, key, { __proto__: null, value, writable: true, enumerable: true, configurable: true });
    } else if (has(own, "value") && own.writable === true) {
      reflectDefineProperty(receiver, key, { __proto__: null, value });
    }
  }

  function enableOverride(o, key, desc) {
    const value = desc.value;
    const getName = "get " + keyText(key);
    const get = { [getName]() { return value; } }[getName];
    markNative(get, getName);
    freeze(get);
    apply(weakMapSet, overrideGetters, [get, true]);
    let set = apply(mapGet, overrideSetters, [key]);
    if (set === undefined) {
      const setName = "set " + keyText(key);
      set = { [setName](v) { assignOwn(this, key, v); } }[setName];
      markNative(set, setName);
      freeze(set);
      apply(mapSet, overrideSetters, [key, set]);
    }
    defineProperty(o, key, { get, set, enumerable: desc.enumerable, configurable: false });
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
    // The compat layer's: what Intl.Segmenter's segment() returns, and its iterator, inherit
    // from objects of the layer's own that no global leads to.
    const Segmenter = G.Intl !== undefined ? G.Intl.Segmenter : undefined;
    if (typeof Segmenter === "function") {
      const segments = new Segmenter("en").segment("");
      out.push(P(segments), P(segments[Symbol.iterator]()));
    }
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
        } else {
          stack.push(d.get, d.set);
        }
      }
    }
    nativize(order);
    if (open) {
      recordIntrinsics(order);
    } else {
      for (let i = 0; i < order.length; i++) {
        const o = order[i];
        if (o === G) continue;
        const ks = ownKeys(o);
        for (let j = 0; j < ks.length; j++) {
          const d = getOwnPropertyDescriptor(o, ks[j]);
          if (has(d, "value") && d.writable && d.configurable) enableOverride(o, ks[j], d);
        }
        freeze(o);
      }
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
    handlerSource = apply(stringSlice, wrapped, [lineOffset + columnShift, apply(sourceEndAt, wrapped, ["\n;return typeof handler"])]);
    const factory = realEval(wrapped);
    const problem = run ? check(factory) : null;
    // Captured methods: in open mode the top-level code that just ran may have replaced
    // Map.prototype.set, which would then be handed this map of every handler's code.
    if (problem === null) apply(mapSet, handlers, [id, { factory, filename, lines: handlerLines, source: handlerSource }]);
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
    if (headers === c.headers && intrinsics === null && getPrototypeOf(headers) === ObjectPrototype &&
      ownKeys(headers).length === 0) {
      // The runtime's own empty headers object, still empty (an ordinary object, so reading it
      // runs nothing, and frozen built-ins: no toJSON): what sentHeaders() would find, at once.
    } else if (typeof headers === "object" && !isArray(headers)) {
      const sent = sentHeaders(headers, cancel);
      if (sent.error !== undefined) return sent;
      headersText = sent.text;
      headerCount = sent.count;
    }
    let status;
    // Read but serialised back to the very text it came as: Python has that text already, so
    // the payload is not copied out of JavaScript again (`same`).
    let same = false;
    if (cancel) status = "cancelled";
    else if (url === c.url && method === "POST" && headerCount === 0 && ((same = payloadText === c.body) ||
      // A body that is not compact JSON (a pretty-printed sample) is compared as JSON would write it.
      payloadText === (c.original === null ? (c.original = jsonStringify(jsonParse(c.body))) : c.original))) {
      status = "unchanged";
    } else status = "sent";
    const urlText = valueText(url), methodText = valueText(method);
    const head = '{' + eventTypeField(c.eventTypeText) + '"url":' + urlText + ',"method":' + methodText + ',"payload":';
    const tail = ',"cancel":' + cancel + (headersText !== null ? ',"headers":' + headersText : "") + "}";
    return { status, url, method, headers: headersText, lazy: false, same, urlText, methodText,
      webhook: [head, same ? "" : payloadText, tail] };
  }

  // The JSON text of a url or method as the serialised webhook holds it (null unless a string).
  function valueText(v) {
    if (typeof v !== "string") return "null";
    return v === "POST" ? '"POST"' : jsonStringify(v);
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

  // The serialised webhook around a body Python renders itself (see js_stringify.py), when asked.
  function lazyResult(status, url, method, headersText) {
    const c = current;
    const urlText = valueText(url), methodText = valueText(method);
    const head = '{' + eventTypeField(c.eventTypeText) + '"url":' + urlText + ',"method":' + methodText + ',"payload":';
    const tail = ',"cancel":' + (status === "cancelled") + (headersText !== null ? ',"headers":' + headersText : "") + "}";
    return { status, url, method, headers: null, lazy: true, same: false, urlText, methodText, webhook: [head, "", tail] };
  }

  // One line of JSON about the invocation, then (each after a newline, which JSON text never
  // holds unescaped) the serialised webhook's head, payload and tail verbatim, so large payloads
  // are not escaped twice and Python finds the payload without offsets (JavaScript counts UTF-16
  // units, Python code points: an emoji would shift them).
  //
  // The result is taken (and its payload serialised) when the handler's value is there: on its
  // return, or when its promise settles, as a caller that awaits it and then serialises would.
  // Jobs still queued then run after it (Python drains the queue), and what they log counts:
  // with frozen built-ins the record is rendered at once and again by flush() when jobs ran;
  // with built-ins open it is rendered only by flush(), after the jobs (which may still use the
  // handler's patches, as in V8), because rendering first undoes the patches.
  let done = null;
  let doneWebhook;
  function output(r) {
    doneWebhook = r.webhook;
    if (doneWebhook !== undefined) r.webhook = undefined;
    done = r;
    return intrinsics !== null ? DEFERRED : render();
  }
  function render() {
    // With built-ins open, the handler's patches (an Object.prototype.toJSON, say) are undone
    // before the runtime serialises its own record of the invocation; when they cannot be, the
    // record is not serialised at all (the patched built-ins could forge it).
    if (intrinsics !== null && !restoreIntrinsics()) {
      unrestorable = true;
      if (!recordSerialisable()) return UNRESTORABLE;
    }
    const r = done === null ? { error: invalid("the runtime has no result for this event") } : done;
    const webhook = done === null ? undefined : doneWebhook;
    const eventTypeText = current === null ? null : current.eventTypeText;
    // Written out by hand, not by JSON.stringify of a record object: that costs microseconds
    // per event, most of it for fields whose text is known already.
    const meta = '{"r":' + resultText(r) + ',"logs":' + (logs.length === 0 ? "[]" : jsonStringify(logs)) +
      ',"truncated":' + (logsTruncated ? "true" : "false") +
      (eventTypeText === null ? "" : ',"eventType":' + eventTypeText) + "}";
    // Returned through join, not +: QuickJS-ng builds long `+` chains as ropes (a long error
    // message, long logs), which the binding cannot return; join makes one flat string.
    return webhook === undefined ? apply(arrayJoin, [meta], [""]) :
      apply(arrayJoin, [meta, webhook[0], webhook[1], webhook[2]], ["\n"]);
  }
  // `r` as JSON: an error record as JSON.stringify writes it; a result from the texts finish()
  // made. A cancelled webhook's url or method may be any value: that is serialised as before
  // (its toJSON, say, runs as it always has).
  function resultText(r) {
    if (r.error !== undefined) return jsonStringify(r);
    if (typeof r.url !== "string" || typeof r.method !== "string") {
      return jsonStringify({ status: r.status, url: r.url, method: r.method, headers: r.headers, lazy: r.lazy });
    }
    return '{"status":"' + r.status + '","url":' + r.urlText + ',"method":' + r.methodText + ',"headers":' +
      (r.headers === null ? "null" : jsonStringify(r.headers)) + (r.lazy ? ',"lazy":true' : "") +
      (r.same ? ',"same":true' : "") + "}";
  }
  // After the jobs the event left have run: the record again, with everything they logged.
  function flush() {
    return render();
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

  // JSON.stringify leaves an undefined key out: so does the serialised webhook.
  function eventTypeField(eventTypeText) {
    return eventTypeText === null ? "" : '"eventType":' + eventTypeText + ",";
  }

  // `knownType`: the event type when the caller has it (the body is then parsed lazily), "" when
  // the caller knows there is none, null to take the body's string `type`. With none, the handler
  // sees `webhook.eventType === undefined`, as the dashboard has it.
  function invoke(id, body, url, envText, limit, knownType, s0, s1, s2, s3) {
    reseed(s0, s1, s2, s3);
    const entry = apply(mapGet, handlers, [id]);
    const factory = entry.factory;
    handlerFile = entry.filename;
    handlerLines = entry.lines;
    handlerSource = entry.source;
    formatting = false;
    logs = [];
    logBytes = 0;
    logsTruncated = false;
    logLimit = limit;
    pending = null;
    done = null;
    doneWebhook = undefined;
    keptAlive = [];
    let payload;
    let eventType = knownType;
    if (typeof knownType !== "string") {
      try {
        payload = jsonParse(body);
      } catch (e) {
        return output({ error: { type: "InvalidInput", message: "webhook body is not valid JSON: " + e.message, stack: null, line: null, column: null } });
      }
      eventType = payload !== null && typeof payload === "object" && typeof payload.type === "string" ? payload.type : undefined;
    } else if (knownType === "") eventType = undefined;
    const headers = {};
    // The event type's JSON text, made once: the serialised webhook and the record both hold it.
    const eventTypeText = eventType === undefined ? null : jsonStringify(eventType);
    current = { body, url, eventType, eventTypeText, original: null, touched: true, getter: null, webhook: null, headers };
    const webhook = {
      eventType,
      payload,
      url,
      method: "POST",
      cancel: false,
      headers,
      env: envText === "{}" ? freeze({}) : deepFreeze(jsonParse(envText)),  // no env: the usual case
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
        const state = { done: false, record: null };
        pending = state;
        // Taken when a caller awaiting it from another realm resumes (Node awaiting a handler
        // run in a vm context): resolving a new promise with it takes two jobs more than a
        // same-realm `await` would (the thenable job, then its reaction). Jobs that run after
        // that cannot change what is sent.
        apply(promiseThen, new PromiseCtor((resolve) => resolve(result)), [
          (v) => {
            state.done = true;
            try { state.record = finish(v); } catch (e) { state.record = { error: errorRecord(e) }; }
          },
          (e) => { state.done = true; state.record = { error: errorRecord(e) }; },
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
    return output(state.record);
  }

  // ---- reset: the global object back to its baseline -----------------------------------------
  function reset() {
    current = null;
    pending = null;
    done = null;
    doneWebhook = undefined;
    keptAlive = [];
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

  const ops = { lockdown, limits, compile, invoke, settle, flush, reset };
  return function runtime(op, a, b, c, d, e, f, g, h, i, j) {
    if (op === "pending") return PENDING;
    if (op === "deferred") return DEFERRED;
    return ops[op](a, b, c, d, e, f, g, h, i, j);
  };
})()
