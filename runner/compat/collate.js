// String.prototype.localeCompare and Intl.Collator: a three-level comparison in the spirit of the
// Unicode Collation Algorithm's root order (whitespace < punctuation < symbols < digits < letters;
// base letters, then accents in DUCET's order, then case with lower first), with the CLDR
// tailorings of the European languages whose order differs from root (sv: z < å < ä < ö; es:
// n < ñ; cs: h < ch < i; ...), written in CLDR's rule syntax below.

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
// Letters that are a base letter with a second-level difference in DUCET: the overlay mark
// they weigh as (ð: after every mark).
const STROKED = { "ø": ["o", 0x338], "Ø": ["O", 0x338], "ł": ["l", 0x335], "Ł": ["L", 0x335], "đ": ["d", 0x335],
  "Đ": ["D", 0x335], "ħ": ["h", 0x335], "Ħ": ["H", 0x335], "ð": ["d", -1], "Ð": ["D", -1] };

// Root secondary order of the combining marks (DUCET): acute < grave < breve < circumflex <
// caron < ring < diaeresis < ...; a mark not listed follows them in code point order.
const MARK_ORDER = [0x34f, 0x332, 0x313, 0x314, 0x301, 0x300, 0x306, 0x302, 0x30c, 0x30a, 0x342, 0x308, 0x344, 0x30b, 0x303,
  0x307, 0x338, 0x327, 0x328, 0x304, 0x30d, 0x316, 0x336, 0x335, 0x305, 0x309, 0x30f, 0x310, 0x311, 0x31b, 0x321,
  0x322, 0x323, 0x324, 0x325, 0x326, 0x32d, 0x32e, 0x330, 0x331, 0x334, 0x339, 0x345, 0x358, 0x360, 0x361];
const MARK_SAME = { 0x343: 0x313, 0x341: 0x301, 0x340: 0x300 };

// Secondary weights: 5 for a base letter ("common"), then one weight per mark.
const COMMON = 5;

function markSecondary(cp) {
  const c = hasOwn(MARK_SAME, cp) ? MARK_SAME[cp] : cp;
  const rank = MARK_ORDER.indexOf(c);
  return rank >= 0 ? 0x20 + rank : 0x1000 + c;
}

// Collation elements of a string: [[primary, secondary weights, tertiary, text, upper?], ...]; `tailoring`
// (parsed rules, see tailoringOf) overrides the root elements of the strings it lists.
function collationElements(s, ignorePunctuation, tailoring) {
  const out = [];
  // NFD of ASCII is itself; most compared strings are.
  const text = /^[\x00-\x7f]*$/.test(s) ? s : s.normalize("NFD");
  const chars = tailoring && tailoring.maxLen ? Array.from(text) : null;
  const count = chars ? chars.length : text.length;
  for (let i = 0; i < count; i++) {
    let ch;
    if (chars) ch = chars[i];
    else {
      ch = text[i];
      const c = text.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < count) ch += text[++i];
    }
    if (chars) {
      let hit = null, len = 0;
      for (let n = Math.min(tailoring.maxLen, count - i); n >= 1 && hit === null; n--) {
        const key = n === 1 ? ch : chars.slice(i, i + n).join("");
        const ces = tailoring.items.get(key);
        if (ces !== undefined) { hit = ces; len = n; }
      }
      if (hit !== null) {
        for (const ce of hit) out.push(ce);
        i += len - 1;
        continue;
      }
    }
    const info = charCollation(ch);
    if (info.mark !== undefined) {
      // Elements are shared (cached, tailored): a mark's weight goes onto a copy.
      const last = out[out.length - 1];
      if (last) out[out.length - 1] = [last[0], last[1].concat([info.mark]), last[2], last[3], last[4]];
      continue;
    }
    if (ignorePunctuation && info.punct) continue;
    for (const ce of info.ces) out.push(ce);
  }
  return out;
}

// Elements per (rules, string): a sort compares each string many times.
const elementsCache = boundedCache(4096);

function cachedElements(s, ignorePunctuation, tailoring) {
  const key = (tailoring ? tailoring.id : "") + (ignorePunctuation ? "|p|" : "|") + s;
  let ces = elementsCache.get(key);
  if (ces === undefined) ces = elementsCache.set(key, collationElements(s, ignorePunctuation, tailoring));
  return ces;
}

// The root elements of one character (or its secondary weight, for a combining mark), per
// character: the Unicode property tests are the costly part of a comparison.
const charCollationCache = boundedCache(4096);

function charCollation(ch) {
  let info = charCollationCache.get(ch);
  if (info !== undefined) return info;
  info = { mark: undefined, punct: /[\p{P}\p{White_Space}]/u.test(ch), ces: null };
  if (/\p{Mn}/u.test(ch)) {
    info.mark = markSecondary(ch.codePointAt(0));
    return charCollationCache.set(ch, info);
  }
  const upper = ch !== ch.toLowerCase() ? 1 : 0;
  const exp = EXPANSIONS[ch];
  const stroke = STROKED[ch];
  if (exp !== undefined) {
    // Root collation: ß = "ss", æ = "ae" at the first level, told apart at the second.
    info.ces = exp.split("").map((part, i) => [primaryWeight(part), i ? [COMMON] : [COMMON, 0x1f], upper, ch, upper]);
  } else if (stroke !== undefined) {
    info.ces = [[primaryWeight(stroke[0]), stroke[1] < 0 ? [COMMON + 1] : [COMMON, markSecondary(stroke[1])], upper, ch, upper]];
  } else {
    info.ces = [[primaryWeight(ch), [COMMON], upper, ch, upper]];
  }
  return charCollationCache.set(ch, info);
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
      out.push([0x1000, [COMMON], 0, "", 0]);
      out[out.length - 1].num = digits;
      i = j - 1;
    } else out.push(ces[i]);
  }
  return out;
}

function cmp(a, b) { return a < b ? -1 : a > b ? 1 : 0; }

function compareStrings(a, b, opts) {
  const tailoring = opts.tailoring;
  let ea = cachedElements(a, opts.ignorePunctuation, tailoring);
  let eb = cachedElements(b, opts.ignorePunctuation, tailoring);
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
    // French (Canada) compares accents from the end of the string ([backwards 2]).
    if (tailoring && tailoring.backwards) {
      const c = cmpWeights(flatSecondaries(ea, n).reverse(), flatSecondaries(eb, n).reverse());
      if (c) return c;
    }
    for (let i = 0; i < n; i++) {
      const c = cmpWeights(ea[i][1], eb[i][1]);
      if (c) return c;
    }
    if (opts.sensitivity === "accent") return 0;
  }
  // Third level: with caseFirst, the case of each element first (upper or lower first), then the
  // other third-level differences (tailored variants such as Danish å <<< aa). Sensitivity
  // "case" is ICU's case level: case only.
  if (opts.sensitivity === "case") {
    for (let i = 0; i < n; i++) {
      const c = cmp(ea[i][4], eb[i][4]);
      if (c) return opts.caseFirst === "upper" ? -c : c;
    }
    return 0;
  }
  if (opts.caseFirst === "upper" || opts.caseFirst === "lower") {
    for (let i = 0; i < n; i++) {
      const c = cmp(ea[i][4], eb[i][4]);
      if (c) return opts.caseFirst === "upper" ? -c : c;
    }
  }
  for (let i = 0; i < n; i++) {
    const c = cmp(ea[i][2], eb[i][2]);
    if (c) return c;
  }
  if (opts.sensitivity === "case") return 0;
  // Identical at all levels but different code points (e.g. NFC vs NFD): equal, as in ICU.
  return 0;
}

function cmpWeights(a, b) {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

function flatSecondaries(ces, n) {
  const out = [];
  for (let i = 0; i < n; i++) for (const w of ces[i][1]) out.push(w);
  return out;
}

// ---- tailorings ---------------------------------------------------------------------------------
// CLDR 48 collation rules (common/collation/*.xml, "standard" type) of the languages whose
// Latin-script order differs from root, in CLDR's syntax: "&x" resets to x, "<", "<<", "<<<" put
// the next string after it at the primary/secondary/tertiary level, "=" makes it equal, "/y"
// appends y's elements, "[before 1]" puts the first string before the reset at the first level.
const TAILORINGS = {
  sv: "&D<<đ<<<Đ<<ð<<<Ð &t<<<þ/h &T<<<Þ/H &Y<<ü<<<Ü<<ű<<<Ű &[before 1]ǀ<å<<<Å<ä<<<Ä<<æ<<<Æ<<ę<<<Ę<ö<<<Ö<<ø<<<Ø<<ő<<<Ő<<œ<<<Œ<<ô<<<Ô",
  fi: "&D<<đ<<<Đ &N<<ŋ<<<Ŋ &T<<ŧ<<<Ŧ &Y<<ü<<<Ü &[before 1]ǀ<å<<<Å<ä<<<Ä<<æ<<<Æ<ö<<<Ö<<ø<<<Ø",
  da: "&D<<đ<<<Đ<<ð<<<Ð &t<<<þ/h &T<<<Þ/H &Y<<ü<<<Ü<<ű<<<Ű &[before 1]ǀ<æ<<<Æ<<ä<<<Ä<ø<<<Ø<<ö<<<Ö<<ő<<<Ő<å<<<Å<<<aa<<<Aa<<<AA",
  nb: "&D<<đ<<<Đ<<ð<<<Ð &t<<<þ/h &T<<<Þ/H &Y<<ü<<<Ü<<ű<<<Ű &[before 1]ǀ<æ<<<Æ<<ä<<<Ä<<ę<<<Ę<ø<<<Ø<<ö<<<Ö<<ő<<<Ő<<œ<<<Œ<å<<<Å<<<aa<<<Aa<<<AA",
  is: "&[before 1]b<á<<<Á &d<<đ<<<Đ<ð<<<Ð &[before 1]f<é<<<É &[before 1]j<í<<<Í &[before 1]p<ó<<<Ó &[before 1]v<ú<<<Ú &[before 1]z<ý<<<Ý &[before 1]ǀ<æ<<<Æ<<ä<<<Ä<ö<<<Ö<<ø<<<Ø<å<<<Å",
  es: "&N<ñ<<<Ñ",
  pl: "&A<ą<<<Ą &C<ć<<<Ć &E<ę<<<Ę &L<ł<<<Ł &N<ń<<<Ń &O<ó<<<Ó &S<ś<<<Ś &Z<ź<<<Ź<ż<<<Ż",
  cs: "&C<č<<<Č &H<ch<<<cH<<<Ch<<<CH &R<ř<<<Ř &S<š<<<Š &Z<ž<<<Ž",
  sk: "&A<ä<<<Ä &C<č<<<Č &H<ch<<<cH<<<Ch<<<CH &O<ô<<<Ô &R<ř<<<Ř &S<š<<<Š &Z<ž<<<Ž",
  sl: "&C<č<<<Č<ć<<<Ć &D<đ<<<Đ &S<š<<<Š &Z<ž<<<Ž",
  hr: "&C<č<<<Č<ć<<<Ć &D<dž<<<Dž<<<DŽ<đ<<<Đ &L<lj<<<Lj<<<LJ &N<nj<<<Nj<<<NJ &S<š<<<Š &Z<ž<<<Ž",
  tr: "&C<ç<<<Ç &G<ğ<<<Ğ &[before 1]i<ı<<<I &i<<<İ &O<ö<<<Ö &S<ş<<<Ş &U<ü<<<Ü",
  et: "&[before 1]T<š<<<Š<z<<<Z<ž<<<Ž &[before 1]X<õ<<<Õ<ä<<<Ä<ö<<<Ö<ü<<<Ü",
  lt: "&I<<y<<<Y &C<č<<<Č &S<š<<<Š &Z<ž<<<Ž",
  lv: "&A<ā<<<Ā &C<č<<<Č &E<ē<<<Ē &G<ģ<<<Ģ &I<y<<<Y<ī<<<Ī &K<ķ<<<Ķ &L<ļ<<<Ļ &N<ņ<<<Ņ &O<ō<<<Ō &R<ŗ<<<Ŗ &S<š<<<Š &U<ū<<<Ū &Z<ž<<<Ž",
  hu: "&C<cs<<<Cs<<<CS &D<dz<<<Dz<<<DZ &DZ<dzs<<<Dzs<<<DZS &G<gy<<<Gy<<<GY &L<ly<<<Ly<<<LY &N<ny<<<Ny<<<NY &S<sz<<<Sz<<<SZ &T<ty<<<Ty<<<TY &Z<zs<<<Zs<<<ZS &O<ö<<<Ö<<ő<<<Ő &U<ü<<<Ü<<ű<<<Ű",
  ro: "&A<ă<<<Ă<â<<<Â &I<î<<<Î &S<ş=ș<<<Ş=Ș &T<ţ=ț<<<Ţ=Ț",
};
// Languages that share another's rules, and rule-level settings.
const TAILORING_ALIASES = { nn: "nb", no: "nb", bs: "hr", "sr-Latn": "hr", gl: "es" };
const TAILORING_UPPER_FIRST = { da: true };  // [caseFirst upper]

// Parsed rules per language: {items: Map(NFD text → elements), maxLen, backwards, upperFirst}.
const tailoringCache = boundedCache(32);

function tailoringKey(locale) {
  const parts = locale.split("-");
  if (parts[0] === "sr" && parts[1] === "Latn") return "sr-Latn";
  if (parts[0] === "fr" && parts.indexOf("CA") > 0) return "fr-CA";
  return parts[0];
}

function tailoringOf(locale) {
  let key = tailoringKey(locale);
  if (hasOwn(TAILORING_ALIASES, key)) key = TAILORING_ALIASES[key];
  if (key === "fr-CA") {
    let t = tailoringCache.get(key);
    if (t === undefined) t = tailoringCache.set(key, { id: key, items: null, maxLen: 0, backwards: true, upperFirst: false });
    return t;
  }
  if (!hasOwn(TAILORINGS, key)) return null;
  let t = tailoringCache.get(key);
  if (t === undefined) t = tailoringCache.set(key, parseTailoring(key, TAILORINGS[key], TAILORING_UPPER_FIRST[key] === true));
  return t;
}

function parseTailoring(id, rules, upperFirst) {
  const map = new MapCtor();
  const put = uncurry(mapSet, map);
  const t = { id, items: { get: uncurry(mapGet, map) }, maxLen: 0, backwards: false, upperFirst };
  const EPS = 1 / 1024;
  for (const chain of rules.split(/ (?=&)/)) {
    const tokens = chain.slice(1).split(/(<<<|<<|<|=)/);
    let reset = tokens[0];
    let before = false;
    if (reset.startsWith("[before 1]")) { before = true; reset = reset.slice(10); }
    let prev = collationElements(reset, false, t);
    if (before) {
      // The first string goes just below the reset's primary: half a step down, then up.
      prev = [[prev[prev.length - 1][0] - 0.5, [COMMON], 0, reset, 0]];
    }
    for (let k = 1; k + 1 < tokens.length; k += 2) {
      const rel = tokens[k];
      let [text, ext] = tokens[k + 1].split("/");
      const last = prev[prev.length - 1];
      let ce;
      // "<<" raises the last secondary weight a little: below any other weight of the letter.
      const upper = text[0] !== text[0].toLowerCase() ? 1 : 0;
      if (rel === "<") ce = [last[0] + EPS, [COMMON], upper, text, upper];
      else if (rel === "<<") ce = [last[0], last[1].slice(0, -1).concat([last[1][last[1].length - 1] + 1 / 64]), upper, text, upper];
      else if (rel === "<<<") ce = [last[0], last[1].slice(), last[2] + 1, text, upper];
      else ce = [last[0], last[1].slice(), last[2], text, upper];
      const ces = prev.slice(0, -1).map((c) => [c[0], c[1].slice(), c[2], c[3], c[4]]).concat([ce]);
      if (ext) for (const c of collationElements(ext, false, t)) ces.push(c);
      const key = text.normalize("NFD");
      put(key, ces);
      t.maxLen = Math.max(t.maxLen, Array.from(key).length);
      prev = ces;
    }
  }
  return t;
}

function collatorOptions(locales, optionsIn) {
  const loc = resolveLocale(locales, SVC_COL);
  const options = toObjectOptions(optionsIn);
  const svc = "Intl.Collator";
  const usage = getStringOption(options, "usage", ["sort", "search"], "sort", svc);
  getStringOption(options, "localeMatcher", ["lookup", "best fit"], "best fit", svc);
  let collationOption = options.collation;
  if (collationOption !== undefined) {
    collationOption = String(collationOption);
    if (!/^[a-z0-9]{3,8}(?:-[a-z0-9]{3,8})*$/i.test(collationOption)) throw new RangeError(`Invalid collation : ${collationOption}`);
  }
  const kn = loc.keywords.kn, kf = loc.keywords.kf;
  const numeric = getBooleanOption(options, "numeric", kn === "" || kn === "true");
  const tailoring = tailoringOf(loc.locale);
  const kfValid = kf === "upper" || kf === "lower" || kf === "false";
  const caseFirst = getStringOption(options, "caseFirst", ["upper", "lower", "false"],
    kfValid ? kf : (tailoring && tailoring.upperFirst ? "upper" : "false"), svc);
  const sensitivity = getStringOption(options, "sensitivity", ["base", "accent", "case", "variant"], "variant", svc);
  const ignorePunctuation = getBooleanOption(options, "ignorePunctuation", false);
  // The locale's collation types (Intl.Locale's collations): the option's, else the keyword's,
  // is reported when the locale has it (its order is root's or the locale's standard one here).
  const language = loc.locale.split("-")[0];
  const types = ["emoji", "eor"].concat(hasOwn(COLLATIONS, language) ? COLLATIONS[language].split(" ") : []);
  const pick = (v) => (v !== undefined && types.indexOf(v.toLowerCase()) >= 0 ? v.toLowerCase() : undefined);
  const co = pick(collationOption) || pick(loc.keywords.co);
  // A locale's own default type is reported as "default" (Chinese: pinyin, stroke for Hant).
  const hant = /-(?:Hant|TW|HK|MO)(?:-|$)/.test(loc.locale);
  const isDefault = language === "zh" && co === (hant ? "stroke" : "pinyin");
  // V8 reports the kf and kn keywords as given, whatever the options.
  const locale = withKeywords(loc.locale, { co, kf: kfValid ? kf : undefined,
    kn: kn === "" || kn === "true" || kn === "false" ? kn : undefined });
  const opts = { locale, usage, sensitivity, ignorePunctuation, collation: co && !isDefault ? co : "default", numeric, caseFirst };
  // The locale's rules ride along, not enumerable: resolvedOptions copies the rest.
  Object.defineProperty(opts, "tailoring", { value: tailoring, enumerable: false });
  return opts;
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
      if (s.bound === undefined) s.bound = nativeAnonymous((x, y) => compareStrings(String(x), String(y), s.opts));
      return s.bound;
    },
    configurable: true,
  });
  Object.defineProperty(Collator.prototype, "resolvedOptions", {
    value: function resolvedOptions() { return Object.assign({}, slotOf(this, "resolvedOptions").opts); },
    writable: true, configurable: true,
  });
  Object.defineProperty(Collator.prototype, Symbol.toStringTag, { value: "Intl.Collator", configurable: true });
  Object.defineProperty(Collator, "supportedLocalesOf", { value: supportedLocalesFor(SVC_COL), writable: true, configurable: true });
  Object.defineProperty(Intl, "Collator", { value: Collator, writable: true, configurable: true });
  const defaultOpts = boundedCache(USER_KEYED);
  Object.defineProperty(String.prototype, "localeCompare", {
    value: { localeCompare(that, locales, options) {
      if (this === undefined || this === null) throw new TypeError("String.prototype.localeCompare called on null or undefined");
      let opts;
      if (options === undefined && (locales === undefined || typeof locales === "string")) {
        // Options per (locales, default locale): resolving them is most of a short comparison.
        const key = `${locales}|${settings.locale}|${settings.localeKey}`;
        opts = defaultOpts.get(key);
        if (opts === undefined) opts = defaultOpts.set(key, collatorOptions(locales, undefined));
      } else opts = collatorOptions(locales, options);
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
