// Intl.NumberFormat, Number.prototype.toLocaleString, Intl.PluralRules, Intl.RelativeTimeFormat:
// ECMA-402 digit options, decimal rounding on the shortest round-trip digits (as ICU does) and
// CLDR number patterns.

const NF = "Intl.NumberFormat";
const ROUNDING_MODES = ["ceil", "floor", "expand", "trunc", "halfCeil", "halfFloor", "halfExpand", "halfTrunc", "halfEven"];
const INCREMENTS = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000];

// ---- exact decimal arithmetic on digit strings --------------------------------------------

// {neg, digits, exp}: |x| = 0.digits × 10^exp, digits without leading/trailing zeros ("" = 0).
function toDecimal(x) {
  if (typeof x === "bigint") {
    const neg = x < 0n;
    const s = String(neg ? -x : x).replace(/^0+/, "");
    const digits = s.replace(/0+$/, "");
    return { neg, digits, exp: s.length };
  }
  const neg = x < 0 || Object.is(x, -0);
  if (x === 0) return { neg, digits: "", exp: 0 };
  const [mant, e] = Math.abs(x).toExponential().split("e");
  const digits = mant.replace(".", "").replace(/0+$/, "");
  return { neg, digits, exp: Number(e) + 1 };
}

// Round `dec` to keep digits down to 10^-frac (frac may be negative), in rounding `mode`.
function roundAt(dec, keep, mode) {
  // keep: number of digits of dec.digits to keep (may be <= 0 or > length).
  const { digits } = dec;
  if (keep >= digits.length) return dec;
  let kept = keep > 0 ? digits.slice(0, keep) : "";
  const rest = keep >= 0 ? digits.slice(keep) : "0".repeat(-keep) + digits;
  const first = rest.charCodeAt(0) - 48;
  const restNonZero = /[1-9]/.test(rest);
  const beyondHalf = /[1-9]/.test(rest.slice(1));
  const lastKept = kept ? kept.charCodeAt(kept.length - 1) - 48 : 0;
  let up;
  switch (mode) {
    case "ceil": up = restNonZero && !dec.neg; break;
    case "floor": up = restNonZero && dec.neg; break;
    case "expand": up = restNonZero; break;
    case "trunc": up = false; break;
    case "halfCeil": up = first > 5 || (first === 5 && (beyondHalf || !dec.neg)); break;
    case "halfFloor": up = first > 5 || (first === 5 && (beyondHalf || dec.neg)); break;
    case "halfTrunc": up = first > 5 || (first === 5 && beyondHalf); break;
    case "halfEven": up = first > 5 || (first === 5 && (beyondHalf || lastKept % 2 === 1)); break;
    default: up = first >= 5;  // halfExpand
  }
  let exp = dec.exp;
  let keepLen = Math.max(keep, 0);
  if (up) {
    // Add one unit in the last kept place.
    const arr = kept.padStart(keepLen, "0").split("").map(Number);
    let i = arr.length - 1;
    while (i >= 0 && arr[i] === 9) { arr[i] = 0; i--; }
    if (i >= 0) arr[i]++;
    else { arr.unshift(1); exp += 1; keepLen += 1; }
    if (keep < 0) exp += 0;
    kept = arr.join("");
    if (keep <= 0 && i < 0) {
      // Rounded up from below the kept range: the value is 10^(exp - keep).
      return { neg: dec.neg, digits: "1", exp: dec.exp - keep + 1 };
    }
  }
  kept = kept.replace(/0+$/, "");
  return { neg: dec.neg, digits: kept, exp: kept ? exp : 0 };
}

function roundFraction(dec, maxFrac, mode) {
  return roundAt(dec, dec.exp + maxFrac, mode);
}

function roundSignificant(dec, maxSig, mode) {
  return dec.digits ? roundAt(dec, maxSig, mode) : dec;
}

function integerDigitCount(dec) {
  return dec.digits ? Math.max(dec.exp, 1) : 1;
}

// [integer string, fraction string] with min/max fraction digits applied.
function splitDecimal(dec, minFrac) {
  const { digits, exp } = dec;
  let int, frac;
  if (!digits) { int = "0"; frac = ""; }
  else if (exp <= 0) { int = "0"; frac = "0".repeat(-exp) + digits; }
  else if (exp >= digits.length) { int = digits + "0".repeat(exp - digits.length); frac = ""; }
  else { int = digits.slice(0, exp); frac = digits.slice(exp); }
  if (frac.length < minFrac) frac = frac.padEnd(minFrac, "0");
  return [int, frac];
}

function applyRounding(nf, dec) {
  const mode = nf.roundingMode;
  if (nf.roundingType === "significantDigits") {
    const r = roundSignificant(dec, nf.maxSig, mode);
    const [int, frac] = splitDecimal(r, 0);
    const shown = r.digits ? (int + frac).replace(/^0+/, "").length : 1;  // zero shows one digit
    return [r, frac.length + Math.max(0, nf.minSig - shown)];
  }
  if (nf.roundingType === "fractionDigits") {
    let r;
    if (nf.roundingIncrement > 1) {
      r = roundIncrement(dec, nf.maxFrac, nf.roundingIncrement, mode);
    } else {
      r = roundFraction(dec, nf.maxFrac, mode);
    }
    return [r, nf.minFrac];
  }
  // morePrecision / lessPrecision: compare the magnitudes of the last digit each would keep.
  const bySig = roundSignificant(dec, nf.maxSig, mode);
  const byFrac = roundFraction(dec, nf.maxFrac, mode);
  const sigMagnitude = (dec.digits ? dec.exp : 1) - nf.maxSig;
  const fracMagnitude = -nf.maxFrac;
  const pickSig = nf.roundingType === "morePrecision" ? sigMagnitude <= fracMagnitude : sigMagnitude >= fracMagnitude;
  return pickSig ? [bySig, 0] : [byFrac, nf.minFrac];
}

function roundIncrement(dec, maxFrac, inc, mode) {
  // Round to a multiple of inc × 10^-maxFrac using exact scaled integer arithmetic on BigInt.
  const [int, frac] = splitDecimal(dec, 0);
  const scaleFrac = frac.padEnd(maxFrac + 40, "0");
  const units = BigInt(int + scaleFrac.slice(0, maxFrac));
  const remainderDigits = scaleFrac.slice(maxFrac);
  const step = BigInt(inc);
  const q = units / step;
  const r = units % step;
  const restNonZero = r !== 0n || /[1-9]/.test(remainderDigits);
  const twice = r * 2n * 10n ** 40n + BigInt(remainderDigits.slice(0, 40)) * 2n;
  const half = step * 10n ** 40n;
  let up;
  switch (mode) {
    case "ceil": up = restNonZero && !dec.neg; break;
    case "floor": up = restNonZero && dec.neg; break;
    case "expand": up = restNonZero; break;
    case "trunc": up = false; break;
    case "halfCeil": up = twice > half || (twice === half && !dec.neg); break;
    case "halfFloor": up = twice > half || (twice === half && dec.neg); break;
    case "halfTrunc": up = twice > half; break;
    case "halfEven": up = twice > half || (twice === half && q % 2n === 1n); break;
    default: up = twice >= half;
  }
  const total = (up ? q + 1n : q) * step;
  const s = String(total).padStart(maxFrac + 1, "0");
  const intPart = s.slice(0, s.length - maxFrac) || "0";
  const fracPart = maxFrac ? s.slice(s.length - maxFrac) : "";
  const all = (intPart + fracPart).replace(/^0+/, "");
  const digits = all.replace(/0+$/, "");
  return { neg: dec.neg, digits, exp: digits ? all.length - maxFrac : 0 };
}

// ---- patterns ------------------------------------------------------------------------------

// Parsed number patterns (they come from the locale data).
const numberPatternCache = boundedCache(USER_KEYED);

// "¤#,##0.00;(¤#,##0.00)" → {pos: [prefix, suffix], neg: [prefix, suffix] | null, primary, secondary}
function parseNumberPattern(pattern) {
  let hit = numberPatternCache.get(pattern);
  if (hit !== undefined) return hit;
  const [posPat, negPat] = splitUnquoted(pattern, ";");
  const affixes = (p) => {
    const m = /^((?:'[^']*'|[^#0-9,.@'])*)([#0-9,.@]+)((?:'[^']*'|[^#0-9,.@'])*)$/.exec(p);
    return m ? [m[1], m[3], m[2]] : ["", "", p];
  };
  const pos = affixes(posPat);
  const body = pos[2];
  const intBody = body.split(".")[0];
  const groups = intBody.split(",");
  const primary = groups.length > 1 ? groups[groups.length - 1].length : 0;
  const secondary = groups.length > 2 ? groups[groups.length - 2].length : primary;
  hit = { pos: [pos[0], pos[1]], neg: negPat !== undefined ? affixes(negPat).slice(0, 2) : null, primary, secondary };
  return numberPatternCache.set(pattern, hit);
}

function splitUnquoted(s, sep) {
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === "'") quoted = !quoted;
    else if (s[i] === sep && !quoted) return [s.slice(0, i), s.slice(i + 1)];
  }
  return [s];
}

function groupInteger(int, pat, minGrouping, sym, parts) {
  const { primary, secondary } = pat;
  if (!primary || int.length < primary + minGrouping) {
    parts.push(["integer", int]);
    return;
  }
  const chunks = [];
  let end = int.length;
  chunks.unshift(int.slice(end - primary, end));
  end -= primary;
  while (end > 0) {
    chunks.unshift(int.slice(Math.max(0, end - secondary), end));
    end -= secondary;
  }
  chunks.forEach((c, i) => {
    if (i) parts.push(["group", sym.group]);
    parts.push(["integer", c]);
  });
}

// Literal affix text → parts, replacing ¤ % - + and unquoting.
function affixParts(affix, nf, parts, currencyText) {
  let lit = "";
  const flush = () => { if (lit) { parts.push(["literal", lit]); lit = ""; } };
  for (let i = 0; i < affix.length; i++) {
    const ch = affix[i];
    if (ch === "'") {
      const end = affix.indexOf("'", i + 1);
      if (end === i + 1) { lit += "'"; i = end; continue; }
      lit += affix.slice(i + 1, end < 0 ? affix.length : end);
      i = end < 0 ? affix.length : end;
    } else if (ch === "¤") {
      flush();
      parts.push(["currency", currencyText]);
    } else if (ch === "%") {
      flush();
      parts.push(["percentSign", nf.sym.percentSign]);
    } else if (ch === "-") {
      flush();
      parts.push(["minusSign", nf.sym.minusSign]);
    } else if (ch === "+") {
      flush();
      parts.push(["plusSign", nf.sym.plusSign]);
    } else {
      lit += ch;
    }
  }
  flush();
}

const NOT_SYMBOL_RE = /[^\p{S}\p{Z}]/u;

// ---- Intl.NumberFormat -----------------------------------------------------------------------

function defaultNumberOption(value, min, max, fallback, prop) {
  if (value === undefined) return fallback;
  value = Number(value);
  if (Number.isNaN(value) || value < min || value > max) throw new RangeError(`${prop} value is out of range.`);
  return Math.floor(value);
}

// `resolved`: the locale already resolved for another service (Intl.PluralRules' locales).
function createNumberFormat(locales, optionsIn, service, resolved) {
  const loc = resolved !== undefined ? resolved : resolveLocale(locales, SVC_NF);
  const options = toObjectOptions(optionsIn);
  getStringOption(options, "localeMatcher", ["lookup", "best fit"], "best fit", service);
  const numberingSystem = options.numberingSystem;
  if (numberingSystem !== undefined && !/^[a-z0-9]{3,8}(-[a-z0-9]{3,8})*$/i.test(String(numberingSystem))) {
    throw new RangeError(`Invalid numberingSystem : ${numberingSystem}`);
  }
  const style = getStringOption(options, "style", ["decimal", "percent", "currency", "unit"], "decimal", service);
  let currency = options.currency;
  if (currency !== undefined) {
    currency = String(currency);
    if (!/^[A-Za-z]{3}$/.test(currency)) throw new RangeError(`Invalid currency code : ${currency}`);
    currency = currency.toUpperCase();
  }
  const currencyDisplay = getStringOption(options, "currencyDisplay", ["code", "symbol", "narrowSymbol", "name"], "symbol", service);
  const currencySign = getStringOption(options, "currencySign", ["standard", "accounting"], "standard", service);
  const unit = options.unit;
  getStringOption(options, "unitDisplay", ["short", "narrow", "long"], "short", service);
  if (style === "currency" && currency === undefined) throw new TypeError("Currency code is required with currency style.");
  if (style === "unit") {
    if (unit === undefined) throw new TypeError("Invalid unit argument for Intl.NumberFormat() ''");
    throw new RangeError(`Unsupported unit ${String(unit)}: runner's Intl.NumberFormat does not format units`);
  }
  const notation = getStringOption(options, "notation", ["standard", "scientific", "engineering", "compact"], "standard", service);
  const currencyDigits = style === "currency" ? (hasOwn(DATA.curDigits, currency) ? DATA.curDigits[currency] : 2) : 0;
  const mnfdDefault = style === "currency" && notation !== "compact" ? currencyDigits : 0;
  const mxfdDefault = style === "currency" && notation !== "compact" ? Math.max(currencyDigits, mnfdDefault)
    : style === "percent" ? 0 : notation === "compact" ? 0 : 3;
  const data = localeData(loc.key);
  const numbering = resolveNumbering(data, loc, numberingSystem);
  const nf = { locale: withKeywords(loc.locale, { nu: numbering.keyword }), data, style, currency, currencyDisplay,
    currencySign, notation, ns: numbering.ns, sym: symbolsFor(data, numbering.ns) };
  // SetNumberFormatDigitOptions (ECMA-402 2023).
  nf.minInt = getNumberOption(options, "minimumIntegerDigits", 1, 21, 1);
  const mnfd = options.minimumFractionDigits, mxfd = options.maximumFractionDigits;
  const mnsd = options.minimumSignificantDigits, mxsd = options.maximumSignificantDigits;
  const increment = getNumberOption(options, "roundingIncrement", 1, 5000, 1);
  if (INCREMENTS.indexOf(increment) < 0) throw new RangeError("roundingIncrement value is out of range.");
  nf.roundingMode = getStringOption(options, "roundingMode", ROUNDING_MODES, "halfExpand", service);
  const priority = getStringOption(options, "roundingPriority", ["auto", "morePrecision", "lessPrecision"], "auto", service);
  nf.trailingZeroDisplay = getStringOption(options, "trailingZeroDisplay", ["auto", "stripIfInteger"], "auto", service);
  nf.roundingIncrement = increment;
  const hasSd = mnsd !== undefined || mxsd !== undefined;
  const hasFd = mnfd !== undefined || mxfd !== undefined;
  let needSd = true, needFd = true;
  if (priority === "auto") {
    needSd = hasSd;
    if (needSd || (!hasFd && notation === "compact")) needFd = false;
  }
  if (needSd) {
    nf.minSig = defaultNumberOption(mnsd, 1, 21, 1, "minimumSignificantDigits");
    nf.maxSig = defaultNumberOption(mxsd, nf.minSig, 21, 21, "maximumSignificantDigits");
  }
  if (needFd) {
    if (hasFd) {
      let lo = defaultNumberOption(mnfd, 0, 100, undefined, "minimumFractionDigits");
      let hi = defaultNumberOption(mxfd, 0, 100, undefined, "maximumFractionDigits");
      if (lo === undefined) lo = Math.min(mnfdDefault, hi);
      else if (hi === undefined) hi = Math.max(mxfdDefault, lo);
      else if (lo > hi) throw new RangeError("maximumFractionDigits value is out of range.");
      nf.minFrac = lo; nf.maxFrac = hi;
    } else {
      nf.minFrac = mnfdDefault; nf.maxFrac = mxfdDefault;
    }
  }
  if (!needSd && !needFd) {
    nf.minFrac = 0; nf.maxFrac = 0; nf.minSig = 1; nf.maxSig = 2; nf.roundingType = "morePrecision";
    nf.compactDefault = true;
  } else if (priority === "auto") {
    nf.roundingType = hasSd ? "significantDigits" : "fractionDigits";
  } else {
    nf.roundingType = priority;
  }
  if (increment !== 1) {
    if (nf.roundingType !== "fractionDigits") throw new TypeError("roundingIncrement value is out of range.");
    if (nf.maxFrac !== nf.minFrac) throw new RangeError("maximumFractionDigits value is out of range.");
  }
  nf.compactDisplay = getStringOption(options, "compactDisplay", ["short", "long"], "short", service);
  const defaultGrouping = notation === "compact" ? "min2" : "auto";
  let grouping = options.useGrouping;
  if (grouping === undefined) grouping = defaultGrouping;
  else if (grouping === true || grouping === false) grouping = grouping ? "always" : false;
  else if (grouping === null || grouping === 0 || grouping === "" || Number.isNaN(grouping)) grouping = false;
  else {
    grouping = String(grouping);
    if (grouping === "true" || grouping === "false") grouping = defaultGrouping;
    else if (["min2", "auto", "always"].indexOf(grouping) < 0) {
      throw new RangeError(`Value ${grouping} out of range for ${service} options property useGrouping`);
    }
  }
  nf.useGrouping = grouping;
  nf.signDisplay = getStringOption(options, "signDisplay", ["auto", "never", "always", "exceptZero", "negative"], "auto", service);
  return nf;
}

function currencyText(nf, dec) {
  const data = nf.data, code = nf.currency;
  switch (nf.currencyDisplay) {
    case "code": return code;
    case "narrowSymbol":
      if (hasOwn(data.ns, code)) return data.ns[code];
      if (hasOwn(DATA.narrow, code)) return DATA.narrow[code];
      return hasOwn(data.cs, code) ? data.cs[code] : code;
    default: return hasOwn(data.cs, code) ? data.cs[code] : code;
  }
}

// The parts of one formatted number: [[type, value], ...], digits in the numbering system.
function formatNumberParts(nf, x) {
  const parts = formatLatnParts(nf, x);
  if (nf.ns === "latn") return parts;
  for (const p of parts) {
    if (p[0] === "integer" || p[0] === "fraction" || p[0] === "exponentInteger") p[1] = transliterate(p[1], nf.ns);
  }
  return parts;
}

function formatLatnParts(nf, x) {
  const data = nf.data, sym = nf.sym;
  let dec;
  const isBig = typeof x === "bigint";
  if (!isBig) x = Number(x);
  const parts = [];
  let negative;
  let numberParts = [];
  let compactAffix = null;
  let pluralSource = null;
  if (!isBig && Number.isNaN(x)) {
    negative = false;
    numberParts.push(["nan", sym.nan]);
    pluralSource = "NaN";
  } else if (!isBig && !Number.isFinite(x)) {
    negative = x < 0;
    numberParts.push(["infinity", sym.infinity]);
    pluralSource = "Infinity";
  } else {
    dec = toDecimal(x);
    if (nf.style === "percent") dec = { neg: dec.neg, digits: dec.digits, exp: dec.digits ? dec.exp + 2 : 0 };
    let minFrac;
    let exponent = null;
    if (nf.notation === "compact") {
      [dec, minFrac, compactAffix] = compactRound(nf, dec);
    } else if (nf.notation === "scientific" || nf.notation === "engineering") {
      // Mantissa with one (engineering: 1–3) integer digits, rounded as configured; a carry
      // (9.9996 → 10.000) moves to the next exponent.
      const step = nf.notation === "engineering" ? 3 : 1;
      exponent = dec.digits ? Math.floor((dec.exp - 1) / step) * step : 0;
      [dec, minFrac] = applyRounding(nf, { neg: dec.neg, digits: dec.digits, exp: dec.digits ? dec.exp - exponent : 0 });
      if (dec.digits && dec.exp > step) { exponent += step; dec = { neg: dec.neg, digits: dec.digits, exp: dec.exp - step }; }
    } else {
      [dec, minFrac] = applyRounding(nf, dec);
    }
    let [int, frac] = splitDecimal(dec, minFrac);
    if (nf.trailingZeroDisplay === "stripIfInteger" && /^0*$/.test(frac)) frac = "";
    if (int.length < nf.minInt) int = int.padStart(nf.minInt, "0");
    negative = dec.neg;
    const isZero = !dec.digits;
    const sd = nf.signDisplay;
    if (sd === "never" || (sd === "negative" && isZero) || (sd === "exceptZero" && isZero)) negative = false;
    const minGrouping = nf.useGrouping === false || exponent !== null ? Infinity
      : nf.useGrouping === "always" ? 1 : nf.useGrouping === "min2" ? 2 : data.mg;
    const pattern = parseNumberPattern(patternFor(nf));
    groupInteger(int, pattern, minGrouping, nf.style === "currency" && sym.currencyGroup ? { group: sym.currencyGroup } : sym,
      numberParts);
    if (frac) {
      numberParts.push(["decimal", sym.decimal]);
      numberParts.push(["fraction", frac]);
    }
    if (exponent !== null) {
      numberParts.push(["exponentSeparator", sym.exponential]);
      if (exponent < 0) numberParts.push(["exponentMinusSign", sym.minusSign]);
      numberParts.push(["exponentInteger", String(Math.abs(exponent))]);
    }
    pluralSource = int + (frac ? "." + frac : "");
    dec.zero = isZero;
  }
  let sign = null;
  const sd = nf.signDisplay;
  const zeroish = dec === undefined ? false : dec.zero;
  if (negative) sign = "-";
  else if ((sd === "always") || (sd === "exceptZero" && !zeroish && !(dec === undefined && Number.isNaN(x)))) sign = "+";
  if (sd === "exceptZero" && dec === undefined && Number.isNaN(x)) sign = null;
  if (compactAffix !== null && nf.style === "currency" && nf.currencyDisplay !== "name") {
    // ICU formats compact currency with the compact currency pattern alone ("0 k ¤", "¤0K"):
    // spaces are literals, ¤ the currency (with currency spacing), other text the compact part.
    const cat = pluralCategory(data, pluralSource, false);
    const pat = typeof compactAffix === "string" ? compactAffix : compactAffix[cat] || compactAffix.other;
    const m = /^([^0]*)(0+)(.*)$/.exec(pat);
    const cur = currencyText(nf, dec);
    const split = (affix) => {
      const out = [];
      for (const piece of affix.replace(/'/g, "").split(/([\s\u00a0\u202f]+|\u00a4)/)) {
        if (!piece) continue;
        if (piece === "\u00a4") out.push(["currency", cur]);
        else if (/^[\s\u00a0\u202f]+$/.test(piece)) out.push(["literal", piece]);
        else out.push(["compact", piece]);
      }
      return out;
    };
    const pre = split(m[1]), post = split(m[3]);
    currencySpacing(pre, post, numberParts);
    if (sign !== null) parts.push([sign === "-" ? "minusSign" : "plusSign", sign === "-" ? sym.minusSign : sym.plusSign]);
    return parts.concat(pre, numberParts, post);
  }
  if (compactAffix !== null) {
    const cat = pluralCategory(data, pluralSource, false);
    const pat = typeof compactAffix === "string" ? compactAffix : compactAffix[cat] || compactAffix.other;
    const m = /^([^0]*)(0+)(.*)$/.exec(pat);
    const cparts = [];
    affixParts(m[1], nf, cparts, "");
    const before = cparts.map(([, v]) => ["compact", v]);
    const after = [];
    affixParts(m[3], nf, after, "");
    numberParts = before.concat(numberParts, after.map(([, v]) => ["compact", v.replace(/^[\s\u00a0]+/, "")]));
    if (after.length && /^[\s\u00a0]/.test(m[3])) numberParts.splice(numberParts.length - after.length, 0, ["literal", m[3].match(/^[\s\u00a0]+/)[0]]);
  }
  if (nf.style === "currency" && nf.currencyDisplay === "name") {
    const names = nf.data.cn[nf.currency];
    const cat = pluralCategory(data, pluralSource, false);
    const name = names ? (names[cat] || names.other) : nf.currency;
    const unitPattern = data.cu[cat] || data.cu.other || "{0} {1}";  // root's
    const numPat = parseNumberPattern(data.dec);
    const body = [];
    if (sign !== null) body.push([sign === "-" ? "minusSign" : "plusSign", sign === "-" ? sym.minusSign : sym.plusSign]);
    body.push(...numberParts);
    for (const piece of unitPattern.split(/(\{[01]\})/)) {
      if (piece === "{0}") parts.push(...body);
      else if (piece === "{1}") parts.push(["currency", name]);
      else if (piece) parts.push(["literal", piece]);
    }
    void numPat;
    return parts;
  }
  const pattern = parseNumberPattern(patternFor(nf));
  let [prefix, suffix] = pattern.pos;
  let signInAffix = false;
  if (negative && pattern.neg !== null) {
    [prefix, suffix] = pattern.neg;
    signInAffix = true;
  }
  const cur = nf.style === "currency" ? currencyText(nf, dec) : "";
  const pre = [], post = [];
  affixParts(prefix, nf, pre, cur);
  affixParts(suffix, nf, post, cur);
  if (nf.style === "currency") currencySpacing(pre, post, numberParts);
  if (sign !== null && !signInAffix) {
    parts.push([sign === "-" ? "minusSign" : "plusSign", sign === "-" ? sym.minusSign : sym.plusSign]);
  }
  return parts.concat(pre, numberParts, post);
}

function currencySpacing(pre, post, numberParts) {
  // ICU currencySpacing: a currency symbol ending/starting with a non-symbol character next to a
  // digit gets a no-break space in between ("USD 1.00", but "$1.00").
  const lastPre = pre[pre.length - 1];
  if (lastPre && lastPre[0] === "currency" && NOT_SYMBOL_RE.test(lastPre[1].slice(-1)) && /^\d/.test(numberParts[0][1])) {
    pre.push(["literal", "\u00a0"]);
  }
  const firstPost = post[0];
  if (firstPost && firstPost[0] === "currency" && NOT_SYMBOL_RE.test(firstPost[1][0])) {
    post.unshift(["literal", "\u00a0"]);
  }
}

function patternFor(nf) {
  const data = nf.data;
  if (nf.style === "percent") return data.pct;
  if (nf.style === "currency") return nf.currencySign === "accounting" ? data.acc : data.cur;
  return data.dec;
}

// Compact notation: [rounded scaled decimal, min fraction digits, affix pattern or null].
function compactRound(nf, dec) {
  const table = nf.style === "currency" ? nf.data.ccp : nf.data.cp[nf.compactDisplay];
  const pick = (magnitude) => {
    if (magnitude < 3 || !dec.digits) return null;
    const idx = Math.min(magnitude, 14) - 3;
    const pat = table[idx];
    const sample = typeof pat === "string" ? pat : pat.other;
    if (sample === "0") return null;
    const zeros = /0+/.exec(sample)[0].length;
    return { pat, shift: Math.min(magnitude, 14) - zeros + 1 };
  };
  let magnitude = dec.digits ? dec.exp - 1 : 0;
  for (let attempt = 0; attempt < 2; attempt++) {
    const choice = pick(magnitude);
    const scaled = choice ? { neg: dec.neg, digits: dec.digits, exp: dec.exp - choice.shift } : dec;
    const [r, minFrac] = applyRounding(nf, scaled);
    const newMag = r.digits ? r.exp - 1 + (choice ? choice.shift : 0) : 0;
    if (newMag !== magnitude && attempt === 0 && r.digits) { magnitude = newMag; continue; }
    if (choice && nf.style === "currency") {
      // Currency compact patterns carry ¤ themselves; handled as the affix around the number.
      return [r, minFrac, choice.pat];
    }
    return [r, minFrac, choice ? choice.pat : null];
  }
  return [dec, 0, null];
}

function formatNumber(nf, x) {
  let s = "";
  for (const p of formatNumberParts(nf, x)) s += p[1];
  return s;
}

function toNumeric(value) {
  if (typeof value === "bigint") return value;
  const prim = typeof value === "object" && value !== null ? toPrimitive(value) : value;
  return typeof prim === "bigint" ? prim : Number(prim);
}

const nfSlots = new WeakMap();

function nfSlot(obj, method) {
  const slot = typeof obj === "object" && obj !== null ? nfSlots.get(obj) : undefined;
  if (slot === undefined) throw new TypeError(`Method Intl.NumberFormat.prototype.${method} called on incompatible receiver ${String(obj)}`);
  return slot;
}

function NumberFormat(locales, options) {
  const proto = new.target && new.target.prototype !== undefined ? new.target.prototype : NumberFormat.prototype;
  const obj = Object.create(proto);
  nfSlots.set(obj, { nf: createNumberFormat(locales, options, NF), bound: undefined });
  return obj;
}

function resolvedNumberOptions(nf) {
  const out = { locale: nf.locale, numberingSystem: nf.ns, style: nf.style };
  if (nf.style === "currency") {
    out.currency = nf.currency;
    out.currencyDisplay = nf.currencyDisplay;
    out.currencySign = nf.currencySign;
  }
  out.minimumIntegerDigits = nf.minInt;
  if (nf.minSig !== undefined && nf.roundingType !== "fractionDigits") {
    out.minimumSignificantDigits = nf.minSig;
    out.maximumSignificantDigits = nf.maxSig;
  }
  if (nf.minFrac !== undefined && nf.roundingType !== "significantDigits") {
    out.minimumFractionDigits = nf.minFrac;
    out.maximumFractionDigits = nf.maxFrac;
  }
  out.useGrouping = nf.useGrouping;
  out.notation = nf.notation;
  if (nf.notation === "compact") out.compactDisplay = nf.compactDisplay;
  out.signDisplay = nf.signDisplay;
  out.roundingMode = nf.roundingMode;
  out.roundingIncrement = nf.roundingIncrement;
  out.trailingZeroDisplay = nf.trailingZeroDisplay;
  out.roundingPriority = nf.roundingType === "morePrecision" || nf.roundingType === "lessPrecision" ? nf.roundingType : "auto";
  return out;
}

// Number.prototype.toLocaleString without options: per (locales, default locale); `locales` is
// the handler's string, hence the bound.
const defaultNumberFormats = boundedCache(USER_KEYED);

function numberToLocaleString(locales, options) {
  const x = typeof this === "number" ? this : Number.prototype.valueOf.call(this);
  let nf;
  if (options === undefined && (locales === undefined || typeof locales === "string")) {
    const key = `${locales}|${settings.locale}`;
    nf = defaultNumberFormats.get(key);
    if (nf === undefined) nf = defaultNumberFormats.set(key, createNumberFormat(locales, undefined, "Number.prototype.toLocaleString"));
  } else {
    nf = createNumberFormat(locales, options, "Number.prototype.toLocaleString");
  }
  return formatNumber(nf, x);
}

function installNumberFormat(Intl) {
  const proto = NumberFormat.prototype;
  Object.defineProperty(proto, "format", {
    get() {
      const slot = nfSlot(this, "format");
      if (slot.bound === undefined) slot.bound = nativeAnonymous((value) => formatNumber(slot.nf, toNumeric(value)));
      return slot.bound;
    },
    configurable: true,
  });
  const methods = {
    formatToParts(value) {
      return formatNumberParts(nfSlot(this, "formatToParts").nf, toNumeric(value)).map(([type, value]) => ({ type, value }));
    },
    resolvedOptions() { return resolvedNumberOptions(nfSlot(this, "resolvedOptions").nf); },
  };
  for (const name of Object.keys(methods)) Object.defineProperty(proto, name, { value: methods[name], writable: true, configurable: true });
  Object.defineProperty(proto, Symbol.toStringTag, { value: "Intl.NumberFormat", configurable: true });
  Object.defineProperty(NumberFormat, "supportedLocalesOf", { value: supportedLocalesFor(SVC_NF), writable: true, configurable: true });
  Object.defineProperty(Intl, "NumberFormat", { value: NumberFormat, writable: true, configurable: true });
  Object.defineProperty(Number.prototype, "toLocaleString", { value: { toLocaleString: numberToLocaleString }.toLocaleString, writable: true, configurable: true });
  if (typeof BigInt === "function") {
    Object.defineProperty(BigInt.prototype, "toLocaleString", {
      value: { toLocaleString(locales, options) {
        return formatNumber(createNumberFormat(locales, options, "BigInt.prototype.toLocaleString"), BigInt.prototype.valueOf.call(this));
      } }.toLocaleString,
      writable: true, configurable: true,
    });
  }
}

// ---- Intl.PluralRules ------------------------------------------------------------------------

const prSlots = new WeakMap();

function PluralRules(locales, options) {
  if (new.target === undefined) throw new TypeError("Constructor Intl.PluralRules requires 'new'");
  const obj = Object.create(new.target.prototype);
  const opts = toObjectOptions(options);
  const type = getStringOption(opts, "type", ["cardinal", "ordinal"], "cardinal", "Intl.PluralRules");
  const loc = resolveLocale(locales, SVC_PR);
  const nf = createNumberFormat(undefined, opts, "Intl.PluralRules", loc);
  nf.locale = loc.locale;  // no -u- keyword applies to plural rules
  nf.useGrouping = false;
  prSlots.set(obj, { type, nf });
  return obj;
}

function installPluralRules(Intl) {
  const slotOf = (o) => {
    const s = typeof o === "object" && o !== null ? prSlots.get(o) : undefined;
    if (s === undefined) throw new TypeError("Method Intl.PluralRules.prototype.select called on incompatible receiver " + String(o));
    return s;
  };
  const methods = {
    select(n) {
      const s = slotOf(this);
      const x = Number(n);
      if (!Number.isFinite(x)) return "other";
      const [dec, minFrac] = applyRounding(s.nf, toDecimal(Math.abs(x)));
      const [int, frac] = splitDecimal(dec, minFrac);
      return pluralCategory(s.nf.data, int + (frac ? "." + frac : ""), s.type === "ordinal");
    },
    resolvedOptions() {
      const s = slotOf(this);
      const cats = ["few", "many", "one", "two", "zero", "other"].filter((c) =>
        (s.type === "ordinal" ? s.nf.data.po : s.nf.data.pl).indexOf(`"${c}"`) >= 0 || c === "other");
      const out = { locale: s.nf.locale, type: s.type, minimumIntegerDigits: s.nf.minInt };
      if (s.nf.roundingType !== "significantDigits") {
        out.minimumFractionDigits = s.nf.minFrac;
        out.maximumFractionDigits = s.nf.maxFrac;
      } else {
        out.minimumSignificantDigits = s.nf.minSig;
        out.maximumSignificantDigits = s.nf.maxSig;
      }
      out.pluralCategories = cats;
      return out;
    },
  };
  for (const name of Object.keys(methods)) Object.defineProperty(PluralRules.prototype, name, { value: methods[name], writable: true, configurable: true });
  Object.defineProperty(PluralRules.prototype, Symbol.toStringTag, { value: "Intl.PluralRules", configurable: true });
  Object.defineProperty(PluralRules, "supportedLocalesOf", { value: supportedLocalesFor(SVC_PR), writable: true, configurable: true });
  Object.defineProperty(Intl, "PluralRules", { value: PluralRules, writable: true, configurable: true });
}

// ---- Intl.RelativeTimeFormat -----------------------------------------------------------------

const rtfSlots = new WeakMap();
const RTF_UNITS = ["year", "quarter", "month", "week", "day", "hour", "minute", "second"];

function RelativeTimeFormat(locales, options) {
  if (new.target === undefined) throw new TypeError("Constructor Intl.RelativeTimeFormat requires 'new'");
  const obj = Object.create(new.target.prototype);
  const loc = resolveLocale(locales, SVC_RTF);
  const opts = toObjectOptions(options);
  const svc = "Intl.RelativeTimeFormat";
  getStringOption(opts, "localeMatcher", ["lookup", "best fit"], "best fit", svc);
  const numberingSystem = opts.numberingSystem;
  if (numberingSystem !== undefined && !/^[a-z0-9]{3,8}(-[a-z0-9]{3,8})*$/i.test(String(numberingSystem))) {
    throw new RangeError(`Invalid numberingSystem : ${numberingSystem}`);
  }
  const style = getStringOption(opts, "style", ["long", "short", "narrow"], "long", svc);
  const numeric = getStringOption(opts, "numeric", ["always", "auto"], "always", svc);
  const data = localeData(loc.key);
  const numbering = resolveNumbering(data, loc, numberingSystem);
  const nf = createNumberFormat(undefined, undefined, svc, { locale: loc.locale, key: loc.key, keywords: { nu: numbering.ns } });
  rtfSlots.set(obj, { locale: withKeywords(loc.locale, { nu: numbering.keyword }), data, style, numeric, nf });
  return obj;
}

function installRelativeTimeFormat(Intl) {
  const slotOf = (o, m) => {
    const s = typeof o === "object" && o !== null ? rtfSlots.get(o) : undefined;
    if (s === undefined) throw new TypeError(`Method Intl.RelativeTimeFormat.prototype.${m} called on incompatible receiver ${String(o)}`);
    return s;
  };
  const format = (s, value, unitIn) => {
    const x = Number(value);
    const unitStr = String(unitIn);
    const unit = unitStr.endsWith("s") ? unitStr.slice(0, -1) : unitStr;
    if (RTF_UNITS.indexOf(unit) < 0) throw new RangeError(`Invalid unit argument for Intl.RelativeTimeFormat.prototype.format() '${unitStr}'`);
    if (!Number.isFinite(x)) throw new RangeError("Value need to be finite number for Intl.RelativeTimeFormat.prototype.format()");
    const key = unit + (s.style === "long" ? "" : "-" + s.style);
    const [future, past, relative] = s.data.rel[key] || s.data.rel[unit];
    if (s.numeric === "auto") {
      const rel = relative[String(Object.is(x, -0) ? 0 : x)];
      if (rel !== undefined) return rel;
    }
    const isPast = x < 0 || Object.is(x, -0);
    const text = formatNumber(s.nf, Math.abs(x));
    const [dec, minFrac] = applyRounding(s.nf, toDecimal(Math.abs(x)));
    const [int, frac] = splitDecimal(dec, minFrac);
    const cat = pluralCategory(s.data, int + (frac ? "." + frac : ""), false);
    const table = isPast ? past : future;
    return (table[cat] || table.other).replace("{0}", text);
  };
  const methods = {
    format(value, unit) { return format(slotOf(this, "format"), value, unit); },
    resolvedOptions() {
      const s = slotOf(this, "resolvedOptions");
      return { locale: s.locale, style: s.style, numeric: s.numeric, numberingSystem: s.nf.ns };
    },
  };
  for (const name of Object.keys(methods)) Object.defineProperty(RelativeTimeFormat.prototype, name, { value: methods[name], writable: true, configurable: true });
  Object.defineProperty(RelativeTimeFormat.prototype, Symbol.toStringTag, { value: "Intl.RelativeTimeFormat", configurable: true });
  Object.defineProperty(RelativeTimeFormat, "supportedLocalesOf", { value: supportedLocalesFor(SVC_RTF), writable: true, configurable: true });
  Object.defineProperty(Intl, "RelativeTimeFormat", { value: RelativeTimeFormat, writable: true, configurable: true });
}
