// String.prototype.localeCompare and Intl.Collator: a three-level comparison in the spirit of the
// Unicode Collation Algorithm's root order (whitespace < punctuation < symbols < digits < letters;
// base letters, then accents, then case with lower first). No language tailorings.

// Root-order rank of ASCII characters that are not letters or digits (CLDR root collation).
const ASCII_ORDER = "\t\n\u000b\f\r _-,;:!?.'\"()[]{}@*/\\&#%`^+<=>|~$";

function primaryWeight(ch) {
  const c = ch.codePointAt(0);
  const idx = ASCII_ORDER.indexOf(ch);
  if (idx >= 0) return 0x100 + idx;
  if (c >= 48 && c <= 57) return 0x1000 + (c - 48);
  if (/\p{White_Space}/u.test(ch)) return 0x100;
  if (/\p{P}/u.test(ch)) return 0x200 + c;
  if (/\p{S}/u.test(ch)) return 0x10000 + c;
  if (/\p{Nd}/u.test(ch)) return 0x1000 + Number.parseInt(String(ch.normalize("NFKD")), 10);
  if (ch === "\u0131") return 0x2000 + 8 * 4 + 1;  // dotless ı: a letter of its own after i
  const lower = ch.toLowerCase();
  const lc = lower.codePointAt(0);
  if (lc >= 97 && lc <= 122) return 0x2000 + (lc - 97) * 4;
  return 0x100000 + lc;
}

const EXPANSIONS = { "ß": "ss", "ẞ": "SS", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ĳ": "ij", "Ĳ": "IJ" };
const STROKED = { "ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ħ": "h", "Ħ": "H" };

// Collation elements of a string: [[primary, secondary, tertiary], ...].
function collationElements(s, ignorePunctuation) {
  const out = [];
  for (const ch of s.normalize("NFD")) {
    if (/\p{Mn}/u.test(ch)) {
      if (out.length) out[out.length - 1][1] += ":" + ch.codePointAt(0);
      continue;
    }
    if (ignorePunctuation && /[\p{P}\p{White_Space}]/u.test(ch)) continue;
    const upper = ch !== ch.toLowerCase();
    const exp = EXPANSIONS[ch];
    if (exp !== undefined) {
      // Root collation: ß = "ss", æ = "ae" at the first level, told apart at the second.
      exp.split("").forEach((part, i) => out.push([primaryWeight(part), i ? "" : ":exp", upper ? 1 : 0, ch]));
      continue;
    }
    const stroke = STROKED[ch];
    if (stroke !== undefined) {
      // ø, ł, đ, ħ: the base letter with a second-level difference.
      out.push([primaryWeight(stroke), ":stroke", upper ? 1 : 0, ch]);
      continue;
    }
    out.push([primaryWeight(ch), "", upper ? 1 : 0, ch]);
  }
  return out;
}

function numericPrimaries(ces) {
  // numeric: true: a run of digits compares by its value.
  const out = [];
  for (let i = 0; i < ces.length; i++) {
    if (ces[i][0] >= 0x1000 && ces[i][0] <= 0x1009) {
      let j = i;
      let digits = "";
      while (j < ces.length && ces[j][0] >= 0x1000 && ces[j][0] <= 0x1009) digits += String(ces[j++][0] - 0x1000);
      digits = digits.replace(/^0+(?=\d)/, "");
      out.push([0x1000 + digits.length * 0 , "", 0, ""]);
      out[out.length - 1].num = digits;
      i = j - 1;
    } else out.push(ces[i]);
  }
  return out;
}

function cmp(a, b) { return a < b ? -1 : a > b ? 1 : 0; }

function compareStrings(a, b, opts) {
  let ea = collationElements(a, opts.ignorePunctuation);
  let eb = collationElements(b, opts.ignorePunctuation);
  if (opts.numeric) { ea = numericPrimaries(ea); eb = numericPrimaries(eb); }
  const n = Math.min(ea.length, eb.length);
  for (let i = 0; i < n; i++) {
    const x = ea[i], y = eb[i];
    if (x.num !== undefined && y.num !== undefined) {
      const c = cmp(x.num.length, y.num.length) || cmp(x.num, y.num);
      if (c) return c;
      continue;
    }
    const c = cmp(x[0], y[0]);
    if (c) return c;
  }
  if (ea.length !== eb.length) return ea.length < eb.length ? -1 : 1;
  if (opts.sensitivity === "base") return 0;
  if (opts.sensitivity !== "case") {
    for (let i = 0; i < n; i++) {
      const c = cmp(ea[i][1], eb[i][1]);
      if (c) return c;
    }
    if (opts.sensitivity === "accent") return 0;
  }
  for (let i = 0; i < n; i++) {
    const c = cmp(ea[i][2], eb[i][2]);
    if (c) return opts.caseFirst === "upper" ? -c : c;
  }
  if (opts.sensitivity === "case") return 0;
  // Identical at all levels but different code points (e.g. NFC vs NFD): equal, as in ICU.
  return 0;
}

function collatorOptions(locales, optionsIn) {
  const loc = resolveLocale(locales);
  const options = toObjectOptions(optionsIn);
  const svc = "Intl.Collator";
  const usage = getStringOption(options, "usage", ["sort", "search"], "sort", svc);
  getStringOption(options, "localeMatcher", ["lookup", "best fit"], "best fit", svc);
  const numeric = getBooleanOption(options, "numeric", loc.keywords.kn === "" || loc.keywords.kn === "true");
  const caseFirst = getStringOption(options, "caseFirst", ["upper", "lower", "false"], loc.keywords.kf || "false", svc);
  const sensitivity = getStringOption(options, "sensitivity", ["base", "accent", "case", "variant"], "variant", svc);
  const ignorePunctuation = getBooleanOption(options, "ignorePunctuation", false);
  return { locale: loc.locale, usage, sensitivity, ignorePunctuation, collation: "default", numeric, caseFirst };
}

const collatorSlots = new WeakMap();

function Collator(locales, options) {
  const proto = new.target && new.target.prototype !== undefined ? new.target.prototype : Collator.prototype;
  const obj = Object.create(proto);
  collatorSlots.set(obj, { opts: collatorOptions(locales, options), bound: undefined });
  return obj;
}

function installCollator(Intl) {
  const slotOf = (o, m) => {
    const s = typeof o === "object" && o !== null ? collatorSlots.get(o) : undefined;
    if (s === undefined) throw new TypeError(`Method Intl.Collator.prototype.${m} called on incompatible receiver ${String(o)}`);
    return s;
  };
  Object.defineProperty(Collator.prototype, "compare", {
    get() {
      const s = slotOf(this, "compare");
      if (s.bound === undefined) s.bound = (x, y) => compareStrings(String(x), String(y), s.opts);
      return s.bound;
    },
    configurable: true,
  });
  Object.defineProperty(Collator.prototype, "resolvedOptions", {
    value: function resolvedOptions() { return Object.assign({}, slotOf(this, "resolvedOptions").opts); },
    writable: true, configurable: true,
  });
  Object.defineProperty(Collator.prototype, Symbol.toStringTag, { value: "Intl.Collator", configurable: true });
  Object.defineProperty(Collator, "supportedLocalesOf", { value: supportedLocalesOf, writable: true, configurable: true });
  Object.defineProperty(Intl, "Collator", { value: Collator, writable: true, configurable: true });
  const defaultOpts = { sensitivity: "variant", ignorePunctuation: false, numeric: false, caseFirst: "false" };
  Object.defineProperty(String.prototype, "localeCompare", {
    value: { localeCompare(that, locales, options) {
      if (this === undefined || this === null) throw new TypeError("String.prototype.localeCompare called on null or undefined");
      const opts = locales === undefined && options === undefined ? defaultOpts : collatorOptions(locales, options);
      return compareStrings(String(this), String(that), opts);
    } }.localeCompare,
    writable: true, configurable: true,
  });
}

// Locale-sensitive case mapping: the Turkic dotted/dotless i (tr, az); other locales map as
// toUpperCase/toLowerCase do, which is what V8 does for them.
function turkic(locales) {
  const list = canonicalizeLocaleList(locales);
  const lang = (list.length ? list[0].tag : settings.locale).split("-")[0];
  return lang === "tr" || lang === "az";
}

function installCaseMapping() {
  const upper = String.prototype.toUpperCase, lower = String.prototype.toLowerCase;
  const methods = {
    toLocaleUpperCase(locales) {
      const s = String(this);
      return upper.call(turkic(locales) ? s.replace(/i/g, "\u0130") : s);
    },
    toLocaleLowerCase(locales) {
      const s = String(this);
      return lower.call(turkic(locales) ? s.replace(/I/g, "\u0131").replace(/\u0130/g, "i") : s);
    },
  };
  for (const name of Object.keys(methods)) {
    Object.defineProperty(String.prototype, name, { value: methods[name], writable: true, configurable: true });
  }
}
