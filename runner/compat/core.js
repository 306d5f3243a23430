// Shared state and helpers of the compat layer. This file and the others are concatenated into
// one function scope by runner/compat/__init__.py; `DATA` (locale + tz data) and `SEED` (random
// bytes from the host) are that function's parameters.

// Current settings, changed only through configure(); kept in this closure because the engine
// freezes every built-in after bootstrap.
const settings = { locale: "en-US", timeZone: "UTC", nowMs: null };

// Captured, not looked up at call time: a handler that patches built-ins (they stay writable for
// such handlers, see runner/engine/js/runtime.js) must not break the layer's own calls.
const reflectApply = Reflect.apply;
const objectHasOwn = Object.prototype.hasOwnProperty;
const hasOwn = (o, k) => reflectApply(objectHasOwn, o, [k]);

// ---- caches --------------------------------------------------------------------------------
// Every memo of the layer is a boundedCache: a Map that drops its oldest entry when full (keys
// may come from handler code, such as a locales string, and the context lives for many events),
// registered in `caches` so that clearCaches() can empty them all. The engine clears them after
// every event in the open mode: what was computed and cached meanwhile may have gone through the
// handler's patched String.prototype.replace, Array.prototype.join, ... A key longer than
// MAX_KEY_LENGTH (a megabyte-long private-use locale tag) is never stored: entries are bounded
// in size as well as in number.
// Map methods are bound here, once: a handler may also replace Map.prototype.get.
const functionBind = Function.prototype.bind;
const uncurry = (fn, self) => reflectApply(functionBind, fn, [self]);
// A function handed out at run time (a `format` or `compare` getter's): V8's are native, nameless
// and have no `prototype`. Bound, an arrow is all that (QuickJS prints bound functions as native
// code; the engine's Function.prototype.toString words them as V8 does).
const nativeAnonymous = (arrow) => {
  const fn = reflectApply(functionBind, arrow, [undefined]);
  Object.defineProperty(fn, "name", { value: "" });
  return fn;
};
const MapCtor = Map;
const mapProto = Map.prototype;
const mapGet = mapProto.get, mapSet = mapProto.set, mapHas = mapProto.has, mapDelete = mapProto.delete;
const mapClear = mapProto.clear, mapKeys = mapProto.keys;
const mapSize = Object.getOwnPropertyDescriptor(mapProto, "size").get;
const mapIteratorNext = Object.getPrototypeOf(new Map().keys()).next;
const caches = [];
const persistentCaches = [];
// Whether any cache was written (or pinned) since the last settleCaches(): most events use no
// cache at all, and then there is nothing to put back.
let cachesTouched = true;
const MAX_KEY_LENGTH = 256;
const MAX_PINNED = 48;

// `persistent` caches (data the host handed over, parsed with captured JSON.parse) are not
// emptied by clearCaches(): nothing a handler patches takes part in filling them. What they hold
// must still not depend on earlier events (which locales an event loaded is a bit a later event
// could read), so each has a *base*: the entries pinned outside any event (the boot data, the
// configured locale and zone, the ones the handler's source names: see pinBase), and after every
// event settleCaches() puts every persistent cache back to exactly its base.
function boundedCache(maxEntries, persistent) {
  const map = new MapCtor();
  const has = uncurry(mapHas, map), put = uncurry(mapSet, map), remove = uncurry(mapDelete, map);
  const size = uncurry(mapSize, map), keys = uncurry(mapKeys, map), clear = uncurry(mapClear, map);
  const baseKeys = [], baseValues = [];
  let changed = false;
  const cache = {
    get: uncurry(mapGet, map),  // undefined when absent (nothing stores undefined)
    set(key, value) {
      if (typeof key === "string" && key.length > MAX_KEY_LENGTH) return value;
      if (!has(key) && size() >= maxEntries) remove(reflectApply(mapIteratorNext, keys(), []).value);
      put(key, value);
      changed = true;
      cachesTouched = true;
      return value;
    },
    clear,
    // Everything held now becomes the base (bounded: the rest is fetched again when used).
    pin() {
      const it = keys();
      for (let step = reflectApply(mapIteratorNext, it, []); !step.done; step = reflectApply(mapIteratorNext, it, [])) {
        const key = step.value;
        let known = false;
        for (let i = 0; i < baseKeys.length; i++) if (baseKeys[i] === key) known = true;
        if (!known && baseKeys.length < MAX_PINNED) {
          baseKeys[baseKeys.length] = key;
          baseValues[baseValues.length] = cache.get(key);
        }
      }
      changed = true;
      cachesTouched = true;
    },
    settle() {
      if (!changed) return;
      clear();
      for (let i = 0; i < baseKeys.length; i++) put(baseKeys[i], baseValues[i]);
      changed = false;
    },
  };
  if (persistent) persistentCaches[persistentCaches.length] = cache;
  else caches[caches.length] = cache;
  return cache;
}

function clearCaches() {
  for (let i = 0; i < caches.length; i++) caches[i].clear();
}

// After every event (its last run): derived caches emptied, and host data back to the base.
// Derived values are emptied even in the frozen mode: compat code that calls a global the handler
// swapped and put back during the event could otherwise have cached the handler's object, and
// run it in a later event.
function settleCaches() {
  wanted = [];
  // Untouched since the last settle: every derived cache is still empty, every persistent one
  // still its base.
  if (!cachesTouched) return;
  clearCaches();
  for (let i = 0; i < persistentCaches.length; i++) persistentCaches[i].settle();
  cachesTouched = false;
}

function pinBase() {
  for (let i = 0; i < persistentCaches.length; i++) persistentCaches[i].pin();
}

// Bounds: keys from handler code (locales strings, option combinations) get USER_KEYED entries,
// plenty for any real handler; keys drawn from the shipped data are bounded by the data itself.
const USER_KEYED = 256;
// Locales and zones whose data a context holds at once (each fetched from the host on first use).
const LOCALE_KEYS = 64;
const ZONE_KEYS = 128;

// The original intrinsics, captured before anything is replaced.
const OrigDate = Date;
const origDateProto = OrigDate.prototype;
const dateGetTime = origDateProto.getTime;
const dateSetTime = origDateProto.setTime;
const origNow = OrigDate.now;
const origParse = OrigDate.parse;
const origUTC = OrigDate.UTC;
const origGetTimezoneOffset = origDateProto.getTimezoneOffset;  // the host TZ, before install

function thisTime(d) {
  // Throws a TypeError for non-Date receivers, as V8 does.
  return dateGetTime.call(d);
}

function toObjectOptions(options) {
  if (options === undefined) return Object.create(null);
  if (options === null) throw new TypeError("Cannot convert undefined or null to object");
  return Object(options);
}

function getStringOption(options, prop, allowed, fallback, service) {
  let value = options[prop];
  if (value === undefined) return fallback;
  value = String(value);
  if (allowed !== undefined && allowed.indexOf(value) < 0) {
    throw new RangeError(`Value ${value} out of range for ${service} options property ${prop}`);
  }
  return value;
}

function getBooleanOption(options, prop, fallback) {
  const value = options[prop];
  return value === undefined ? fallback : Boolean(value);
}

function getNumberOption(options, prop, min, max, fallback) {
  let value = options[prop];
  if (value === undefined) return fallback;
  value = Number(value);
  if (Number.isNaN(value) || value < min || value > max) {
    throw new RangeError(`${prop} value is out of range.`);
  }
  return Math.floor(value);
}

// ---- data from the host ----------------------------------------------------------------------
// A context embeds the default locale only; other locales and every zone's rules come from the
// host function (runner/compat/data.py host_data: "loc:<tag>" / "tz:<zone id>" → JSON text or
// null), taken off the global object here, before any handler code runs. QuickJS refuses calls
// into Python while a time limit is set, i.e. during handler code: a request made then is noted
// (at most MAX_WANTED per event), the caller gets the default locale's data (or UTC) meanwhile,
// and the engine calls compat("load") after the event: the noted data is fetched then, every
// derived cache emptied, and the event runs again (runner/engine/sandbox.py).
const hostData = typeof globalThis[HOST_NAME] === "function" ? globalThis[HOST_NAME] : null;
if (HOST_NAME in globalThis) delete globalThis[HOST_NAME];
const jsonParse = JSON.parse;
const FunctionCtor = Function;
const MAX_WANTED = 64;
let wanted = [];

// The host's JSON text for `request`, null when it has none, undefined when the call was refused
// (noted for compat("load")).
function fetchData(request) {
  if (hostData === null) return null;
  let text;
  try {
    text = hostData(request);
  } catch (e) {
    let known = false;
    for (let i = 0; i < wanted.length; i++) if (wanted[i] === request) known = true;
    if (!known && wanted.length < MAX_WANTED) wanted[wanted.length] = request;
    return undefined;
  }
  return typeof text === "string" ? text : null;
}

// Fetches what the last event asked for in vain; returns how many requests it served.
function loadWanted() {
  if (wanted.length === 0) return 0;
  const list = wanted;
  wanted = [];
  let served = 0;
  for (let i = 0; i < list.length; i++) {
    const request = list[i];
    if (request.slice(0, 4) === "loc:") { if (localeData(request.slice(4), true) !== null) served++; }
    else if (loadZone(request.slice(3)) !== null) served++;
  }
  wanted = [];
  clearCaches();  // formats made meanwhile hold the stand-in data
  return served;
}

// ---- locales -------------------------------------------------------------------------------

// Parsed CLDR data per locale tag, on first use.
const localeDataCache = boundedCache(LOCALE_KEYS, true);

// Bits of DATA.loc.avail's masks (data.SERVICES): the services whose ICU data has a tag.
const SVC_DTF = 1, SVC_NF = 2, SVC_PR = 4, SVC_RTF = 8, SVC_LF = 16, SVC_COL = 32;

// A locale's data; while it cannot be fetched, the default locale's (`strict`: null).
function localeData(tag, strict) {
  let data = localeDataCache.get(tag);
  if (data !== undefined) return data;
  const text = hasOwn(DATA.loc.boot, tag) ? DATA.loc.boot[tag] : hasOwn(DATA.loc.avail, tag) ? fetchData("loc:" + tag) : null;
  if (typeof text !== "string") {
    if (strict) return null;
    const fallback = settings.localeKey !== tag ? localeData(settings.localeKey, true) : null;
    return fallback !== null ? fallback : localeData("en-US", true);
  }
  data = jsonParse(text);
  data.plural = new FunctionCtor("n", "i", "v", "w", "f", "t", "e", "c", data.pl);
  data.ordinal = new FunctionCtor("n", "i", "v", "w", "f", "t", "e", "c", data.po);
  return localeDataCache.set(tag, data);
}

const LANG_RE = /^(?:[a-z]{2,3}|[a-z]{5,8})$/i;
const SCRIPT_RE = /^[a-z]{4}$/i;
const REGION_RE = /^(?:[a-z]{2}|[0-9]{3})$/i;
const VARIANT_RE = /^(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3})$/i;

// Canonical form of one BCP 47 tag plus its Unicode extension keywords ({hc: "h23", ...}).
function canonicalizeTag(tag) {
  if (typeof tag !== "string" && (typeof tag !== "object" || tag === null)) {
    throw new TypeError("Language ID should be string or object.");
  }
  const parts = String(tag).split("-");
  const bad = () => { throw new RangeError("Incorrect locale information provided"); };
  let i = 0;
  if (!LANG_RE.test(parts[i] || "")) bad();
  let lang = parts[i++].toLowerCase();
  // CLDR language aliases (iw → he, sh → sr-Latn), as ICU canonicalizes them.
  if (hasOwn(DATA.loc.alias, lang)) lang = DATA.loc.alias[lang];
  const out = lang.split("-");
  if (parts[i] && SCRIPT_RE.test(parts[i])) {
    const script = parts[i][0].toUpperCase() + parts[i].slice(1).toLowerCase();
    if (out.length === 1) out.push(script); else out[1] = script;
    i++;
  }
  if (parts[i] && REGION_RE.test(parts[i])) out.push(parts[i++].toUpperCase());
  const variants = [];
  while (parts[i] && VARIANT_RE.test(parts[i])) {
    const v = parts[i++].toLowerCase();
    if (variants.indexOf(v) >= 0) bad();
    variants.push(v);
  }
  for (const v of variants.sort()) out.push(v);
  const keywords = Object.create(null);
  const extensions = [];
  while (i < parts.length) {
    const singleton = parts[i++].toLowerCase();
    if (!/^[0-9a-z]$/.test(singleton)) bad();
    const start = i;
    const privateUse = singleton === "x";  // takes the rest of the tag, subtags of 1-8 characters
    while (i < parts.length && (privateUse || parts[i].length > 1)) {
      if (!(privateUse ? /^[0-9a-z]{1,8}$/i : /^[0-9a-z]{2,8}$/i).test(parts[i])) bad();
      i++;
    }
    if (i === start) bad();
    if (singleton === "u") {
      let key = null;
      for (const sub of parts.slice(start, i)) {
        if (sub.length === 2) { key = sub.toLowerCase(); if (!(key in keywords)) keywords[key] = ""; else key = "\0"; }
        else if (key !== null && key !== "\0") keywords[key] += (keywords[key] ? "-" : "") + sub.toLowerCase();
      }
    }
    extensions.push([singleton, parts.slice(start, i).join("-").toLowerCase()]);
    if (singleton === "x") break;
  }
  const base = out.join("-");
  let full = base;
  for (const [singleton, body] of extensions.sort((a, b) => (a[0] === "x" ? 1 : b[0] === "x" ? -1 : a[0] < b[0] ? -1 : 1))) {
    if (singleton === "u") {
      const keys = Object.keys(keywords).sort();
      if (keys.length) full += "-u" + keys.map((k) => "-" + k + (keywords[k] && keywords[k] !== "true" ? "-" + keywords[k] : "")).join("");
      else full += "-u-" + body;
    } else full += "-" + singleton + "-" + body;
  }
  return { tag: base, full, keywords };
}

function canonicalizeLocaleList(locales) {
  if (locales === undefined) return [];
  if (typeof locales === "string") return [canonicalizeTag(locales)];
  if (isIntlLocale(locales)) return [canonicalizeTag(String(locales))];  // an Intl.Locale is one tag
  if (locales === null) throw new TypeError("Cannot convert undefined or null to object");
  const list = [];
  const seen = [];
  const o = Object(locales);
  const len = Math.min(Number(o.length) || 0, 2 ** 32 - 1);
  for (let k = 0; k < len; k++) {
    if (!(k in o)) continue;
    const c = canonicalizeTag(o[k]);
    if (seen.indexOf(c.full) < 0) { seen.push(c.full); list.push(c); }
  }
  return list;
}

// The longest available prefix of a tag for a service (ICU's lookup), or null.
function lookupAvailable(tag, service) {
  const avail = DATA.loc.avail;
  const parts = tag.split("-");
  for (let n = parts.length; n >= 1; n--) {
    const prefix = n === parts.length ? tag : parts.slice(0, n).join("-");
    if (hasOwn(avail, prefix) && (avail[prefix] & service)) return prefix;
  }
  return null;
}

// {locale: the tag V8 reports (before -u- keywords), key: data tag, keywords, requested}: the
// first requested tag with an available prefix for the service (default: DateTimeFormat's
// locales); else the configured default locale.
function resolveLocale(locales, service) {
  const svc = service === undefined ? SVC_DTF : service;
  for (const { tag, keywords } of canonicalizeLocaleList(locales)) {
    const found = lookupAvailable(tag, svc);
    if (found !== null) return { locale: found, key: found, keywords, requested: tag };
  }
  const def = settings.locale;
  return { locale: def, key: settings.localeKey, keywords: Object.create(null), requested: def };
}

// `locale` with the -u- keywords of `keys` ({nu: "arab"}: values already checked), sorted.
function withKeywords(locale, keys) {
  const names = Object.keys(keys).filter((k) => keys[k] !== undefined).sort();
  if (names.length === 0) return locale;
  return locale + "-u" + names.map((k) => "-" + k + (keys[k] === "" || keys[k] === "true" ? "" : "-" + keys[k])).join("");
}

// supportedLocalesOf for one service: the requested tags (canonical, extensions kept) that
// have an available prefix.
function supportedLocalesFor(service) {
  return function supportedLocalesOf(locales) {
    const list = canonicalizeLocaleList(locales);
    const options = arguments[1];
    if (options !== undefined) getStringOption(toObjectOptions(options), "localeMatcher", ["lookup", "best fit"], "best fit", "Intl");
    const out = [];
    for (const c of list) if (lookupAvailable(c.tag, service) !== null) out.push(c.full);
    return out;
  };
}

// Numbering systems: the digits of a system ICU formats with, or null (algorithmic or unknown).
function numberingDigits(ns) {
  return ns !== "latn" && typeof ns === "string" && hasOwn(DATA.digits, ns) ? DATA.digits[ns] : null;
}

// The numbering system of a format: the option, else a valid -u-nu- keyword, else the locale's
// default. `keyword` tells whether the -u-nu- keyword stays in the reported locale.
function resolveNumbering(data, loc, option) {
  const valid = (ns) => ns === "latn" || numberingDigits(ns) !== null;
  const kw = loc.keywords.nu;
  if (option !== undefined) {
    const ns = String(option).toLowerCase();
    const chosen = valid(ns) ? ns : (kw !== undefined && valid(kw) ? kw : data.nu || "latn");
    return { ns: chosen, keyword: kw !== undefined && valid(kw) && kw === chosen ? kw : undefined };
  }
  if (kw !== undefined && valid(kw)) return { ns: kw, keyword: kw };
  return { ns: data.nu || "latn", keyword: undefined };
}

// ASCII digits of `s` in numbering system `ns`.
function transliterate(s, ns) {
  const digits = numberingDigits(ns);
  if (digits === null) return s;
  const chars = Array.from(digits);
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out += c >= 48 && c <= 57 ? chars[c - 48] : s[i];
  }
  return out;
}

// The symbols of a locale in a numbering system: its own, else root's for that system.
function symbolsFor(data, ns) {
  if (ns === (data.nu || "latn")) return data.sym;
  if (data.syms && hasOwn(data.syms, ns)) return data.syms[ns];
  return hasOwn(DATA.rootSyms, ns) ? DATA.rootSyms[ns] : DATA.rootSyms.latn;
}

function pluralOperands(str) {
  // CLDR plural operands of a formatted decimal string such as "1.50".
  const s = str.replace(/^-/, "");
  const dot = s.indexOf(".");
  const intPart = dot < 0 ? s : s.slice(0, dot);
  const frac = dot < 0 ? "" : s.slice(dot + 1);
  const fracTrim = frac.replace(/0+$/, "");
  const n = Number(s);
  return [n, Number(intPart), frac.length, fracTrim.length, Number(frac || 0), Number(fracTrim || 0), 0, 0];
}

function pluralCategory(data, str, ordinal) {
  const ops = pluralOperands(str);
  return (ordinal ? data.ordinal : data.plural).apply(null, ops);
}
