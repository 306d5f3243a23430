// Intl.Locale and Intl.supportedValuesOf: UTS #35 tag parsing and canonicalization (CLDR aliases,
// sorted variants and extensions, keyword value aliases), likely subtags (maximize/minimize),
// and the locale info getters of V8 11 (calendars, collations, hourCycles, numberingSystems,
// textInfo, timeZones, weekInfo). Data: DATA.intl (see runner/compat/intl_data.py).

// DATA.intl is a JSON text of its own, parsed on first use (with the JSON.parse captured before
// any handler ran), so that contexts that never use these APIs do not pay for it.
let intlSection = null;

function intlData() {
  if (intlSection === null) intlSection = jsonParse(DATA.intl);
  return intlSection;
}

function intlSup() {
  return intlData().sup;
}
// The loader of lazily compiled files (runner/compat/lazyjs.py): `names` are the layer's bindings
// the file's text uses, `values()` gives them at first use.
function lazyModule(source, names, values) {
  let module = null;
  return () => {
    if (module === null) module = reflectApply(reflectApply(FunctionCtor, undefined, names.concat(['"use strict";\n' + source])), undefined, values());
    return module;
  };
}

const LOCALE_ERROR = "Incorrect locale information provided";

// ---- Intl.Locale -----------------------------------------------------------------------------

const localeSlots = new WeakMap();
const UNICODE_TYPE_RE = /^[a-z0-9]{3,8}(?:-[a-z0-9]{3,8})*$/i;

// Whether `o` is an Intl.Locale (locales arguments take one as a single tag).
function isIntlLocale(o) {
  return typeof o === "object" && o !== null && localeSlots.get(o) !== undefined;
}

function localeSlot(o, method) {
  const s = typeof o === "object" && o !== null ? localeSlots.get(o) : undefined;
  if (s === undefined) {
    const shown = typeof o === "object" && o !== null ? "#<" + (o.constructor && o.constructor.name || "Object") + ">" : String(o);
    throw new TypeError(`Method Intl.Locale.prototype.${method} called on incompatible receiver ${shown}`);
  }
  return s;
}



function newLocale(id, proto) {
  const obj = Object.create(proto || IntlLocale.prototype);
  localeSlots.set(obj, { id, tag: localeIdString(id) });
  return obj;
}

function IntlLocale(tag, options) {
  if (new.target === undefined) throw new TypeError("Constructor Intl.Locale requires 'new'");
  if (typeof tag !== "string" && (typeof tag !== "object" || tag === null)) {
    throw new TypeError("First argument to Intl.Locale constructor can't be empty or missing");
  }
  const slot = typeof tag === "object" ? localeSlots.get(tag) : undefined;
  const text = slot !== undefined ? slot.tag : String(tag);
  if (text === "") throw new RangeError("First argument to Intl.Locale constructor can't be empty or missing");
  const opts = options === undefined ? Object.create(null) : toLocaleOptions(options);
  const id = parseLocaleId(text);
  if (id === null) throw new RangeError(LOCALE_ERROR);
  const read = (prop, re) => {
    const v = opts[prop];
    if (v === undefined) return undefined;
    const s = String(v);
    if (!re.test(s)) throw new RangeError(LOCALE_ERROR);
    return s.toLowerCase();
  };
  const language = read("language", /^(?:[a-z]{2,3}|[a-z]{5,8})$/i);
  const script = read("script", /^[a-z]{4}$/i);
  const region = read("region", /^(?:[a-z]{2}|[0-9]{3})$/i);
  if (language !== undefined) id.language = language;
  if (script !== undefined) id.script = script;
  if (region !== undefined) id.region = region;
  const calendar = read("calendar", UNICODE_TYPE_RE);
  const collation = read("collation", UNICODE_TYPE_RE);
  const hourCycle = getStringOption(opts, "hourCycle", ["h11", "h12", "h23", "h24"], undefined, "locale");
  const caseFirst = getStringOption(opts, "caseFirst", ["upper", "lower", "false"], undefined, "locale");
  const numeric = opts.numeric === undefined ? undefined : String(Boolean(opts.numeric));
  const numberingSystem = read("numberingSystem", UNICODE_TYPE_RE);
  if (calendar !== undefined) setKeyword(id, "ca", calendar);
  if (collation !== undefined) setKeyword(id, "co", collation);
  if (hourCycle !== undefined) setKeyword(id, "hc", hourCycle);
  if (caseFirst !== undefined) setKeyword(id, "kf", caseFirst);
  if (numeric !== undefined) setKeyword(id, "kn", numeric);
  if (numberingSystem !== undefined) setKeyword(id, "nu", numberingSystem);
  canonicalizeId(id);
  const proto = new.target.prototype !== undefined && new.target.prototype !== null && typeof new.target.prototype === "object"
    ? new.target.prototype : IntlLocale.prototype;
  return newLocale(id, proto);
}

function toLocaleOptions(options) {
  if (options === null) throw new TypeError("Intl.Locale called on null or undefined");
  return Object(options);
}

function cloneId(id) {
  return {
    language: id.language, script: id.script, region: id.region, variants: id.variants.slice(),
    u: id.u ? { attributes: id.u.attributes.slice(), keywords: id.u.keywords.map((k) => k.slice()) } : null,
    t: id.t, other: id.other.slice(), x: id.x,
  };
}


const COLLATIONS = {
  ar: "compat", ars: "compat", bn: "trad", de: "phonebk", es: "trad", fi: "trad", ja: "unihan", kn: "trad",
  ko: "searchjl unihan", ln: "phonetic", si: "dict", sv: "trad", vi: "trad", yue: "pinyin stroke unihan zhuyin",
  zh: "pinyin stroke unihan zhuyin",
};
const HOUR_CHAR_CYCLE = { h: "h12", H: "h23", K: "h11", k: "h24" };

function installLocale(Intl) {
  const proto = IntlLocale.prototype;
  const methods = {
    toString() { return localeSlot(this, "toString").tag; },
    maximize() { return newLocale(maximizeId(cloneId(localeSlot(this, "maximize").id))); },
    minimize() { return newLocale(minimizeId(cloneId(localeSlot(this, "minimize").id))); },
  };
  for (const name of Object.keys(methods)) {
    Object.defineProperty(proto, name, { value: methods[name], writable: true, configurable: true });
  }
  const getters = {
    language(s) { return s.id.language === "und" ? undefined : s.id.language; },
    script(s) { return s.id.script ? s.id.script[0].toUpperCase() + s.id.script.slice(1) : undefined; },
    region(s) { return s.id.region ? s.id.region.toUpperCase() : undefined; },
    // ICU's POSIX variant is part of the base name, written as V8 writes it.
    baseName(s) { return baseNameOf(s.id) + (keywordOf(s.id, "va") === "posix" ? "-u-va-posix" : ""); },
    calendar(s) { return keywordOf(s.id, "ca"); },
    caseFirst(s) { return keywordOf(s.id, "kf"); },
    collation(s) { return keywordOf(s.id, "co"); },
    hourCycle(s) { return keywordOf(s.id, "hc"); },
    numeric(s) { const v = keywordOf(s.id, "kn"); return v === "" || v === "true"; },
    numberingSystem(s) { return keywordOf(s.id, "nu"); },
    calendars(s) {
      const ca = keywordOf(s.id, "ca");
      if (ca) return [ca];
      const region = preferenceRegion(s.id);
      const table = intlSup().calendars;
      return (hasOwn(table, region) ? table[region] : table["001"]).slice();
    },
    collations(s) {
      const co = keywordOf(s.id, "co");
      if (co) return [co];
      const extra = hasOwn(COLLATIONS, s.id.language) ? COLLATIONS[s.id.language].split(" ") : [];
      return extra.concat(["emoji", "eor"]).sort();
    },
    hourCycles(s) {
      const hc = keywordOf(s.id, "hc");
      if (hc) return [hc];
      const region = preferenceRegion(s.id);
      const table = intlSup().hours;
      const m = maximizeParts(s.id.language, s.id.script, s.id.region);
      const key = (m ? m[0] : s.id.language) + "-" + region;
      const pref = hasOwn(table, key) ? table[key] : hasOwn(table, region) ? table[region] : table["001"];
      return [HOUR_CHAR_CYCLE[pref[0]] || "h23"];
    },
    numberingSystems(s) { return [keywordOf(s.id, "nu") || byTruncation(intlSup().numbering, s.id, "latn")]; },
    textInfo(s) { return { direction: byTruncation(intlSup().rtl, s.id, 0) ? "rtl" : "ltr" }; },
    timeZones(s) {
      if (!s.id.region) return undefined;
      const zones = zoneTable().byRegion[s.id.region.toUpperCase()];
      return zones ? zones.slice() : [];
    },
    weekInfo(s) { return weekInfoOf(s.id); },
  };
  for (const name of Object.keys(getters)) {
    const get = getters[name];
    const fn = { get [name]() { return get(localeSlot(this, name)); } };
    Object.defineProperty(proto, name, { get: Object.getOwnPropertyDescriptor(fn, name).get, configurable: true });
  }
  Object.defineProperty(proto, Symbol.toStringTag, { value: "Intl.Locale", configurable: true });
  Object.defineProperty(IntlLocale, "name", { value: "Locale", configurable: true });
  Object.defineProperty(IntlLocale, "length", { value: 1, configurable: true });
  Object.defineProperty(Intl, "Locale", { value: IntlLocale, writable: true, configurable: true });
}

// ---- Intl.supportedValuesOf -------------------------------------------------------------------

// V8's lists (ICU 78), whatever of them this layer formats: they are identifiers handlers
// validate input against, and a shorter list would turn valid input away.
const SUPPORTED_CALENDARS = "buddhist chinese coptic dangi ethioaa ethiopic gregory hebrew indian islamic islamic-civil " +
  "islamic-rgsa islamic-tbla islamic-umalqura iso8601 japanese persian roc";
const SUPPORTED_COLLATIONS = "compat dict emoji eor phonebk phonetic pinyin searchjl stroke trad unihan zhuyin";
const SUPPORTED_UNITS = "acre bit byte celsius centimeter day degree fahrenheit fluid-ounce foot gallon gigabit gigabyte " +
  "gram hectare hour inch kilobit kilobyte kilogram kilometer liter megabit megabyte meter microsecond mile " +
  "mile-scandinavian milliliter millimeter millisecond minute month nanosecond ounce percent petabyte pound second " +
  "stone terabit terabyte week yard year";

function supportedValuesOf(key) {
  const k = String(key);
  switch (k) {
    case "calendar": return SUPPORTED_CALENDARS.split(" ");
    case "collation": return SUPPORTED_COLLATIONS.split(" ");
    case "currency": return intlSup().currencies.split(" ");
    case "numberingSystem": return intlSup().numberingSystems.split(" ");
    case "timeZone": return zoneTable().zones.slice();
    case "unit": return SUPPORTED_UNITS.split(" ");
    default: throw new RangeError(`Invalid key : ${k}`);
  }
}

function installSupportedValuesOf(Intl) {
  Object.defineProperty(Intl, "supportedValuesOf", { value: supportedValuesOf, writable: true, configurable: true });
}
