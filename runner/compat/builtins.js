// Built-ins where QuickJS differs visibly from V8: the wording of errors thrown on bad arguments
// (handlers log `e.message`; QuickJS raises the same error types with other texts) and Math
// results that differ in the last bit.

function withMessage(owner, name, ErrorType, message) {
  const original = owner[name];
  const wrapped = { [name](...args) {
    try {
      return reflectApply(original, this, args);
    } catch (e) {
      if (e instanceof ErrorType) {
        const text = typeof message === "function" ? message(e, args) : message;
        if (text !== null) throw new ErrorType(text);
      }
      throw e;
    }
  } }[name];
  Object.defineProperty(wrapped, "length", { value: original.length, configurable: true });
  Object.defineProperty(owner, name, { value: wrapped, writable: true, configurable: true, enumerable: false });
}

function installErrorMessages() {
  const NP = Number.prototype;
  withMessage(NP, "toFixed", RangeError, "toFixed() digits argument must be between 0 and 100");
  withMessage(NP, "toPrecision", RangeError, "toPrecision() argument must be between 1 and 100");
  withMessage(NP, "toExponential", RangeError, "toExponential() argument must be between 0 and 100");
  withMessage(NP, "toString", RangeError, "toString() radix argument must be between 2 and 36");
  withMessage(JSON, "stringify", TypeError, (e) => (/BigInt/.test(e.message) ? "Do not know how to serialize a BigInt" : null));
  for (const name of ["encodeURIComponent", "encodeURI", "decodeURIComponent", "decodeURI"]) {
    withMessage(globalThis, name, URIError, "URI malformed");
  }
  withMessage(origDateProto, "toISOString", RangeError, "Invalid time value");
  withMessage(String.prototype, "repeat", RangeError, (e, args) => `Invalid count value: ${String(Number(args[0]))}`);
  withMessage(String.prototype, "normalize", RangeError, "The normalization form should be one of NFC, NFD, NFKC, NFKD.");
}

// A finite double as [BigInt mantissa, exponent] (value = m × 2^e).
function exactDouble(x) {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const hi = view.getUint32(0), lo = view.getUint32(4);
  const bits = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  const biased = (hi >>> 20) & 0x7ff;
  const sign = hi >>> 31 ? -1n : 1n;
  return biased === 0 ? [sign * bits, -1074] : [sign * (bits | (1n << 52n)), biased - 1075];
}

// |c³ - x| compared exactly for two candidates (true when `a` is at least as close as `b`).
function cubeCloser(a, b, x) {
  const dist = (c) => {
    const [mc, ec] = exactDouble(c), [mx, ex] = exactDouble(x);
    const e = Math.min(3 * ec, ex);
    const d = mc * mc * mc * (1n << BigInt(3 * ec - e)) - mx * (1n << BigInt(ex - e));
    return [d < 0n ? -d : d, e];
  };
  const [da, ea] = dist(a), [db, eb] = dist(b);
  const e = Math.min(ea, eb);
  return da * (1n << BigInt(ea - e)) <= db * (1n << BigInt(eb - e));
}

function nextDouble(x, up) {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  let bits = view.getBigUint64(0);
  bits += (x > 0) === up ? 1n : -1n;
  view.setBigUint64(0, bits);
  return view.getFloat64(0);
}

function installMathFixes() {
  // QuickJS's cbrt is often an ulp off (Math.cbrt(27) = 3.0000000000000004); V8's is the
  // correctly rounded result: pick the nearest of the neighbouring doubles, exactly.
  const cbrt = Math.cbrt;
  const fixed = { cbrt(v) {
    const x = Number(v);
    let r = cbrt(x);
    if (!Number.isFinite(r) || r === 0 || !Number.isFinite(r * r * r)) return r;
    for (let i = 0; i < 4; i++) {
      const lower = nextDouble(r, false), upper = nextDouble(r, true);
      if (!cubeCloser(r, lower, x)) r = lower;
      else if (!cubeCloser(r, upper, x)) r = upper;
      else break;
    }
    return r;
  } }.cbrt;
  Object.defineProperty(Math, "cbrt", { value: fixed, writable: true, configurable: true, enumerable: false });
}

// Array.prototype.toLocaleString and %TypedArray%.prototype.toLocaleString pass their locales
// and options on to each element's toLocaleString, as ECMA-402 (and V8) does; QuickJS calls it
// without arguments. An array already being joined (a cycle) gives "", as in V8.
const localeJoinStack = [];

function receiverName(o) {
  if (Array.isArray(o)) return "[object Array]";
  if (typeof o === "object" && o !== null) return "#<" + (o.constructor && typeof o.constructor.name === "string" && o.constructor.name || "Object") + ">";
  return String(o);
}

function localeJoin(o, len, locales, options) {
  for (let i = 0; i < localeJoinStack.length; i++) if (localeJoinStack[i] === o) return "";
  localeJoinStack.push(o);
  try {
    let out = "";
    for (let k = 0; k < len; k++) {
      if (k > 0) out += ",";
      const element = o[k];
      if (element !== undefined && element !== null) out += String(element.toLocaleString(locales, options));
    }
    return out;
  } finally {
    localeJoinStack.pop();
  }
}

function installTypedArrayToLocaleString() {
  const typedProto = Object.getPrototypeOf(Uint8Array.prototype);
  const typedLength = Object.getOwnPropertyDescriptor(typedProto, "length").get;
  const methods = {
    array: { toLocaleString(locales, options) {
      if (this === undefined || this === null) throw new TypeError("Cannot convert undefined or null to object");
      const o = Object(this);
      const len = Math.min(Math.max(Math.trunc(Number(o.length)) || 0, 0), Number.MAX_SAFE_INTEGER);
      return localeJoin(o, len, locales, options);
    } }.toLocaleString,
    typed: { toLocaleString(locales, options) {
      let len;
      try {
        len = reflectApply(typedLength, this, []);
      } catch (e) {
        throw new TypeError(`Method %TypedArray%.prototype.toLocaleString called on incompatible receiver ${receiverName(this)}`);
      }
      return localeJoin(this, len, locales, options);
    } }.toLocaleString,
  };
  for (const fn of [methods.array, methods.typed]) Object.defineProperty(fn, "length", { value: 0, configurable: true });
  Object.defineProperty(Array.prototype, "toLocaleString", { value: methods.array, writable: true, configurable: true });
  Object.defineProperty(typedProto, "toLocaleString", { value: methods.typed, writable: true, configurable: true });
}
