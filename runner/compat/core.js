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
const MapCtor = Map;
const mapProto = Map.prototype;
const mapGet = mapProto.get, mapSet = mapProto.set, mapHas = mapProto.has, mapDelete = mapProto.delete;
const mapClear = mapProto.clear, mapKeys = mapProto.keys;
const mapSize = Object.getOwnPropertyDescriptor(mapProto, "size").get;
const mapIteratorNext = Object.getPrototypeOf(new Map().keys()).next;
const caches = [];
const MAX_KEY_LENGTH = 256;

function boundedCache(maxEntries) {
  const map = new MapCtor();
  const has = uncurry(mapHas, map), put = uncurry(mapSet, map), remove = uncurry(mapDelete, map);
  const size = uncurry(mapSize, map), keys = uncurry(mapKeys, map);
  const cache = {
    get: uncurry(mapGet, map),  // undefined when absent (nothing stores undefined)
    set(key, value) {
      if (typeof key === "string" && key.length > MAX_KEY_LENGTH) return value;
      if (!has(key) && size() >= maxEntries) remove(reflectApply(mapIteratorNext, keys(), []).value);
      put(key, value);
      return value;
    },
    clear: uncurry(mapClear, map),
  };
  caches[caches.length] = cache;
  return cache;
}

function clearCaches() {
  for (let i = 0; i < caches.length; i++) caches[i].clear();
}

// Bounds: keys from handler code (locales strings, option combinations) get USER_KEYED entries,
// plenty for any real handler; keys drawn from the shipped data are bounded by the data itself.
const USER_KEYED = 256;
const LOCALE_KEYS = Object.keys(DATA.loc.data).length;
const ZONE_KEYS = Object.keys(DATA.tz.data).length;

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

// ---- locales -------------------------------------------------------------------------------

// Parsed CLDR data per data key (a shipped locale), on first use.
const localeDataCache = boundedCache(LOCALE_KEYS);

function deepMerge(base, diff) {
  const out = Object.assign({}, base);
  for (const key of Object.keys(diff)) {
    const b = base[key], d = diff[key];
    out[key] = b && d && typeof b === "object" && typeof d === "object" && !Array.isArray(d)
      ? deepMerge(b, d) : d;
  }
  return out;
}

function localeData(key) {
  let data = localeDataCache.get(key);
  if (data === undefined) {
    data = JSON.parse(DATA.loc.data[key]);
    const base = DATA.loc.base[key];
    if (base !== undefined) data = deepMerge(localeData(base), data);
    data.plural = new Function("n", "i", "v", "w", "f", "t", "e", "c", data.pl);
    data.ordinal = new Function("n", "i", "v", "w", "f", "t", "e", "c", data.po);
    localeDataCache.set(key, data);
  }
  return data;
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
  const out = [parts[i++].toLowerCase()];
  if (parts[i] && SCRIPT_RE.test(parts[i])) {
    out.push(parts[i][0].toUpperCase() + parts[i].slice(1).toLowerCase());
    i++;
  }
  if (parts[i] && REGION_RE.test(parts[i])) out.push(parts[i++].toUpperCase());
  while (parts[i] && VARIANT_RE.test(parts[i])) out.push(parts[i++].toLowerCase());
  const keywords = Object.create(null);
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
        if (sub.length === 2) { key = sub.toLowerCase(); keywords[key] = ""; }
        else if (key !== null) keywords[key] += (keywords[key] ? "-" : "") + sub.toLowerCase();
      }
    }
    if (singleton === "x") break;
  }
  return { tag: out.join("-"), keywords };
}

function canonicalizeLocaleList(locales) {
  if (locales === undefined) return [];
  if (typeof locales === "string") return [canonicalizeTag(locales)];
  if (locales === null) throw new TypeError("Cannot convert undefined or null to object");
  const list = [];
  const o = Object(locales);
  const len = Math.min(Number(o.length) || 0, 2 ** 32 - 1);
  for (let k = 0; k < len; k++) if (k in o) list.push(canonicalizeTag(o[k]));
  return list;
}

// {locale: reported tag, key: data key, keywords}. Unshipped regions of a shipped language use
// that language's data; unshipped languages fall back to the configured default locale.
function resolveLocale(locales) {
  const tags = DATA.loc.tags;
  for (const { tag, keywords } of canonicalizeLocaleList(locales)) {
    if (hasOwn(tags, tag)) return { locale: tag, key: tags[tag], keywords };
    const parts = tag.split("-");
    for (let n = parts.length - 1; n >= 1; n--) {
      const prefix = parts.slice(0, n).join("-");
      if (hasOwn(tags, prefix)) return { locale: tag, key: tags[prefix], keywords };
    }
  }
  const def = settings.locale;
  return { locale: def, key: tags[def] || tags[def.split("-")[0]] || "en-US", keywords: Object.create(null) };
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
