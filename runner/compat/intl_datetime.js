// Intl.DateTimeFormat and Date.prototype.toLocale*String: ECMA-402 option handling, an ICU-style
// skeleton → pattern matcher over CLDR availableFormats, and CLDR pattern formatting.

const DTF = "Intl.DateTimeFormat";
const FIELD_OPTIONS = [
  ["weekday", ["narrow", "short", "long"]],
  ["era", ["narrow", "short", "long"]],
  ["year", ["2-digit", "numeric"]],
  ["month", ["2-digit", "numeric", "narrow", "short", "long"]],
  ["day", ["2-digit", "numeric"]],
  ["dayPeriod", ["narrow", "short", "long"]],
  ["hour", ["2-digit", "numeric"]],
  ["minute", ["2-digit", "numeric"]],
  ["second", ["2-digit", "numeric"]],
  ["fractionalSecondDigits", null],
  ["timeZoneName", ["short", "long", "shortOffset", "longOffset", "shortGeneric", "longGeneric"]],
];
const STYLES = ["full", "long", "medium", "short"];
const HC_CHAR = { h11: "K", h12: "h", h23: "H", h24: "k" };
const CHAR_HC = { K: "h11", h: "h12", H: "h23", k: "h24" };

// Skeleton letters per option value.
const SKELETON = {
  weekday: { narrow: "EEEEE", short: "EEE", long: "EEEE" },
  era: { narrow: "GGGGG", short: "G", long: "GGGG" },
  year: { "2-digit": "yy", numeric: "y" },
  month: { "2-digit": "MM", numeric: "M", narrow: "MMMMM", short: "MMM", long: "MMMM" },
  day: { "2-digit": "dd", numeric: "d" },
  minute: { "2-digit": "mm", numeric: "m" },
  second: { "2-digit": "ss", numeric: "s" },
  timeZoneName: { short: "z", long: "zzzz", shortOffset: "O", longOffset: "OOOO", shortGeneric: "v", longGeneric: "vvvv" },
};

// Pattern letter → [field type, ECMA-402 part type].
const FIELD_OF = {
  G: "era", y: "year", Y: "year", u: "year", M: "month", L: "month", d: "day", E: "weekday", c: "weekday",
  e: "weekday", a: "dayPeriod", b: "dayPeriod", B: "dayPeriod", h: "hour", H: "hour", K: "hour", k: "hour",
  m: "minute", s: "second", S: "fractionalSecond", z: "timeZoneName", Z: "timeZoneName",
  O: "timeZoneName", v: "timeZoneName", V: "timeZoneName", X: "timeZoneName", x: "timeZoneName",
};
const DATE_FIELDS = "GyYuMLdEce";
const HOUR12 = { h: true, K: true, H: false, k: false };

// Parsed skeleton: {type: [char, length]}.
function parseSkeleton(skel) {
  const out = Object.create(null);
  for (let i = 0; i < skel.length;) {
    const ch = skel[i];
    let j = i;
    while (j < skel.length && skel[j] === ch) j++;
    const type = FIELD_OF[ch] || ch;  // week/quarter fields: never requested, so never matched
    out[type] = [ch, ch === "E" && j - i < 3 ? 3 : j - i];
    i = j;
  }
  return out;
}

function isTextField(ch, len) {
  if (ch === "M" || ch === "L" || ch === "c" || ch === "e") return len >= 3;
  return ch === "E" || ch === "G" || ch === "a" || ch === "z" || ch === "v";
}

// ICU-like distance between a requested skeleton and an available one (lower is better).
function skeletonDistance(req, avail) {
  let dist = 0;
  for (const type in avail) if (!(type in req)) dist += 0x10000;  // extra field: unusable
  for (const type in req) {
    const a = avail[type];
    if (a === undefined) { dist += 0x1000; continue; }
    const [rc, rl] = req[type];
    const [ac, al] = a;
    if (type === "hour" && rc !== ac) dist += HOUR12[rc] === HOUR12[ac] ? 0x10 : 0xa0;
    if (type === "timeZoneName" && rc !== ac) dist += 0x10;
    if (isTextField(rc, rl) !== isTextField(ac, al)) dist += 0x100;
    dist += Math.abs(Math.min(rl, 5) - Math.min(al, 5));
  }
  return dist;
}

// Best pattern per data key and skeleton (options pick the skeleton).
const patternCache = boundedCache(USER_KEYED);
// Flexible day periods (never requested by V8) and skeletons newer than the CLDR in Node's ICU.
const SKIP_SKELETON = /B|ddd/;

function bestPattern(data, key, skel) {
  const cacheKey = key + "|" + skel;
  let hit = patternCache.get(cacheKey);
  if (hit !== undefined) return hit;
  const req = parseSkeleton(skel);
  hit = matchPattern(data, req);
  if (hit === null) {
    const date = {}, time = {};
    let hasDate = false, hasTime = false;
    for (const type in req) {
      const ch = req[type][0];
      if (DATE_FIELDS.indexOf(ch) >= 0) { date[type] = req[type]; hasDate = true; }
      else { time[type] = req[type]; hasTime = true; }
    }
    if (hasDate && hasTime) {
      const dp = matchPattern(data, date) || appendMissing(data, date);
      const tp = matchPattern(data, time) || appendMissing(data, time);
      const month = date.month ? date.month[1] : 0;
      // ICU's DateTimePatternGenerator: a long month with a weekday glues as "full".
      const style = month >= 4 ? (date.weekday ? "full" : "long") : month === 3 ? "medium" : "short";
      hit = glue(data, style, dp, tp);
    } else {
      hit = appendMissing(data, req);
    }
  }
  return patternCache.set(cacheKey, hit);
}

function glue(data, style, datePattern, timePattern) {
  const g = data.dtf[style];
  return g.replace("{1}", datePattern).replace("{0}", timePattern);
}

// [parsed skeleton, pattern, specified?]: availableFormats first, then the date/time style
// patterns with skeletons derived from them (ICU's generator holds both); per locale data object.
const candidateCache = boundedCache(LOCALE_KEYS);

// Field order of ICU skeletons (UDateTimePatternField), for the canonical form of a skeleton.
const CANONICAL_ORDER = ["era", "year", "month", "weekday", "day", "hour", "minute", "second", "fractionalSecond",
  "timeZoneName"];

function canonicalSkeleton(parsed) {
  let out = "";
  for (const type of CANONICAL_ORDER) if (parsed[type]) out += parsed[type][0].repeat(parsed[type][1]);
  for (const type in parsed) if (CANONICAL_ORDER.indexOf(type) < 0) out += "|" + parsed[type][0].repeat(parsed[type][1]);
  return out;
}

// ICU's pattern map: buckets by the first letter of the canonical skeleton (a 12-hour skeleton
// starts with its implicit "a"), A–Z then a–z; in a bucket, insertion order: the style patterns,
// then availableFormats (in key order), each replacing a style pattern of the same skeleton in
// place. The first of equally distant matches wins ({hour: "numeric", minute: "2-digit"} in de
// → the short time style's "HH:mm", its hour width then adjusted: "3:04").
function candidates(data) {
  const cached = candidateCache.get(data);
  if (cached !== undefined) return cached;
  const list = [];
  const index = Object.create(null);
  const add = (parsed, pat, specified, replace) => {
    const canon = canonicalSkeleton(parsed);
    const at = index[canon];
    if (at !== undefined) {
      if (replace) list[at] = [parsed, pat, specified, list[at][3]];
      return;
    }
    const hour = parsed.hour && parsed.hour[0];
    const first = hour === "h" || hour === "K" ? (canon.match(/^[GyMLEcd]/) ? canon[0] : "a") : canon[0] || "";
    const bucket = !first ? 99 : first <= "Z" ? first.charCodeAt(0) - 65 : 26 + first.charCodeAt(0) - 97;
    index[canon] = list.length;
    list.push([parsed, pat, specified, bucket * 10000 + list.length]);
  };
  for (const style of STYLES) {
    for (const pat of [data.df[style], data.tf[style]]) {
      let skel = "";
      mapPatternFields(pat, (ch, len) => { if (ch !== "a") skel += ch.repeat(len); return ""; });
      add(parseSkeleton(skel), pat, false, false);
    }
  }
  for (const skel of Object.keys(data.sk).sort()) {
    if (!SKIP_SKELETON.test(skel)) add(parseSkeleton(skel), data.sk[skel], true, true);
  }
  list.sort((x, y) => x[3] - y[3]);
  return candidateCache.set(data, list);
}

function matchPattern(data, req) {
  let best = null, bestDist = Infinity, bestSkel = null;
  for (const [avail, pat, specified] of candidates(data)) {
    const d = skeletonDistance(req, avail);
    if (d < bestDist) { bestDist = d; best = pat; bestSkel = specified ? avail : {}; }
  }
  if (best === null || bestDist >= 0x1000) return null;
  return adjustPattern(best, req, bestSkel, data.sym.decimal);
}

function appendMissing(data, req) {
  // Fields no available format covers: best partial match, then "{0} {1}" per missing field.
  let best = null, bestDist = Infinity, bestSkel = null, present = {};
  for (const [avail, pat, specified] of candidates(data)) {
    const d = skeletonDistance(req, avail);
    if (d < bestDist) { bestDist = d; best = pat; bestSkel = specified ? avail : {}; present = avail; }
  }
  let pattern = best !== null && bestDist < 0x10000 ? adjustPattern(best, req, bestSkel, data.sym.decimal) : "";
  if (!(best !== null && bestDist < 0x10000)) present = {};
  for (const type in req) {
    if (present[type] === undefined && !(type === "fractionalSecond" && present.second)) {
      const field = req[type][0].repeat(type === "minute" || type === "second" ? 1 : req[type][1]);
      pattern = pattern ? pattern + " " + field : field;
    }
  }
  return pattern;
}

// ICU adjustFieldTypes: widen/narrow fields to the request, keep minute/second widths.
function adjustPattern(pattern, req, skel, decimal) {
  return mapPatternFields(pattern, (ch, len) => {
    const type = FIELD_OF[ch];
    const r = req[type];
    if (type === "second" && req.fractionalSecond) return ch.repeat(len) + decimal + "S".repeat(req.fractionalSecond[1]);
    if (r === undefined || type === "minute" || type === "second" || type === "fractionalSecond") return ch.repeat(len);
    const [rc, rl] = r;
    const s = skel[type];
    let outLen = rl;
    if (s !== undefined && (s[1] === rl || isTextField(ch, len) !== isTextField(s[0], s[1]))) outLen = len;
    if (isTextField(ch, len) !== isTextField(rc, rl) && type !== "timeZoneName") outLen = len;
    const outCh = type === "hour" || type === "month" || type === "weekday" || type === "year" ? ch : rc;
    return outCh.repeat(outLen);
  });
}

function mapPatternFields(pattern, fn) {
  let out = "";
  for (let i = 0; i < pattern.length;) {
    const ch = pattern[i];
    if (ch === "'") {
      const end = pattern.indexOf("'", i + 1);
      const stop = end < 0 ? pattern.length : end + 1;
      out += pattern.slice(i, stop);
      i = stop;
    } else if (/[A-Za-z]/.test(ch)) {
      let j = i;
      while (j < pattern.length && pattern[j] === ch) j++;
      out += fn(ch, j - i);
      i = j;
    } else {
      out += ch;
      i++;
    }
  }
  return out;
}

function tokenize(pattern) {
  // [[kind, text]]: kind is a pattern letter or "" for literals.
  const tokens = [];
  let lit = "";
  for (let i = 0; i < pattern.length;) {
    const ch = pattern[i];
    if (ch === "'") {
      if (pattern[i + 1] === "'") { lit += "'"; i += 2; continue; }
      let j = i + 1;
      while (j < pattern.length) {
        if (pattern[j] === "'") {
          if (pattern[j + 1] === "'") { lit += "'"; j += 2; continue; }
          break;
        }
        lit += pattern[j++];
      }
      i = j + 1;
    } else if (/[A-Za-z]/.test(ch)) {
      if (lit) { tokens.push(["", lit]); lit = ""; }
      let j = i;
      while (j < pattern.length && pattern[j] === ch) j++;
      tokens.push([ch, j - i]);
      i = j;
    } else {
      lit += ch;
      i++;
    }
  }
  if (lit) tokens.push(["", lit]);
  return tokens;
}

// ---- time zone names -------------------------------------------------------------------------

const NO_NAME = "\u2205\u2205\u2205";  // CLDR's "no name here" marker

function gmtString(data, offsetSec, long) {
  // ICU 78 spells a zero offset out too ("GMT+0"), in every style.
  const a = Math.abs(offsetSec);
  const h = Math.floor(a / 3600), m = Math.floor((a % 3600) / 60);
  const sign = offsetSec < 0 ? data.gmtMinus || "-" : data.gmtPlus || "+";
  const body = long ? `${sign}${pad2(h)}:${pad2(m)}` : `${sign}${h}${m ? ":" + pad2(m) : ""}`;
  return data.gmt.replace("{0}", body);
}

function usableName(v) {
  return typeof v === "string" && v !== "" && v !== NO_NAME ? v : null;
}

// A zone's own name of one width/type ("British Summer Time"), else null.
function ownZoneName(data, key, width, type) {
  const own = key === "UTC" ? data.zn.UTC : data.zn[key];
  const v = own && own[width] && usableName(own[width][type]);
  if (v) return v;
  if (type !== "generic") {
    const i = type === "daylight" ? 1 : 0;
    if (width === "short" && data.zs && data.zs[key] && data.zs[key][i]) return data.zs[key][i];
    if (width === "long" && data.zl && data.zl[key] && data.zl[key][i]) return data.zl[key][i];
  }
  return null;
}

function metaZoneName(data, mz, width, type) {
  const names = mz && data.mz[mz];
  return (names && names[width] && usableName(names[width][type])) || null;
}

// The zone's metazone at instant `t` (CLDR 48's history: [[from, to, metazone], ...]).
function metaZoneAt(key, t) {
  const zone = key === "UTC" ? null : loadZone(key);
  if (zone === null) return null;
  for (const [from, to, mz] of zone.meta) if ((from === null || t >= from) && (to === null || t < to)) return mz;
  return null;
}

// "DE*": the zone's territory, "*" when it is the country's only or primary zone; else null.
function zoneCountry(key) {
  const zone = key === "UTC" ? null : loadZone(key);
  return zone === null ? null : zone.country;
}

// ICU's TimeZoneNames::getDisplayName: the zone's own name, else its metazone's.
function specificName(data, key, t, width, type) {
  return ownZoneName(data, key, width, type) || metaZoneName(data, metaZoneAt(key, t), width, type);
}

// Whether the zone observes daylight saving within 184 days of `t` (ICU's kDstCheckRange).
function dstNearby(key, t) {
  for (let d = 0; d <= 184; d += 4) {
    if (zoneInfoAt(key, t - d * 864e5)[1] || zoneInfoAt(key, t + d * 864e5)[1]) return true;
  }
  return false;
}

// ICU's generic location name: "{country} Time" for a country's only or primary zone, else
// "{city} Time"; null for zones outside any country (UTC, Etc/GMT±N).
function locationName(data, key) {
  const country = zoneCountry(key);
  if (!country) return null;
  if (country.endsWith("*")) {
    const name = data.terr[country.slice(0, -1)];
    if (name) return data.rf.replace("{0}", name);
  }
  return data.rf.replace("{0}", exemplarCity(data, key));
}

function exemplarCity(data, key) {
  if (data.city && data.city[key]) return data.city[key];
  return key.slice(key.lastIndexOf("/") + 1).replace(/_/g, " ");
}

// ICU's TimeZoneGenericNames: own generic name; else (no daylight saving near `t`) the standard
// name unless it equals the generic one; else the metazone's generic name, as "name (location)"
// where the zone's offset differs from the metazone's reference zone; else the location name.
function genericName(data, key, t, width) {
  const own = ownZoneName(data, key, width, "generic");
  if (own) return own;
  const mz = metaZoneAt(key, t);
  if (mz) {
    const [off, dst] = zoneInfoAt(key, t);
    const generic = metaZoneName(data, mz, width, "generic");
    if (!dst && !dstNearby(key, t)) {
      const std = specificName(data, key, t, width, "standard");
      if (std && (generic === null || std.toLowerCase() !== generic.toLowerCase())) return std;
    }
    if (generic) {
      const golden = DATA.golden[mz] && (DATA.golden[mz][data.rg] || DATA.golden[mz]["001"]);
      if (golden && golden !== key) {
        const wall = t + off * 1000;
        const [gOff, gDst] = zoneInfoAt(golden, wall - offsetMs(golden, wall));
        if (gOff !== off || gDst !== dst) {
          // The country's name if this is the metazone's zone for that country, else the city.
          const country = zoneCountry(key) && zoneCountry(key).replace("*", "");
          const own = country && (DATA.golden[mz][country] || DATA.golden[mz]["001"]) === key;
          const where = own && data.terr[country] ? data.terr[country] : exemplarCity(data, key);
          return data.ff.replace("{1}", generic).replace("{0}", where);
        }
      }
      return generic;
    }
  }
  return locationName(data, key);
}

// `style`: "long"/"short" specific, "longGeneric"/"shortGeneric", "longOffset"/"shortOffset".
// `dstOverride`/`nameTime`: V8's Date#toString picks daylight/standard itself and names zones as
// of the current date.
function formatZoneName(data, key, id, t, style, dstOverride, nameTime) {
  const [off, dstAt] = zoneInfoAt(key, t);
  const dst = dstOverride === undefined ? dstAt : dstOverride;
  if (style === "shortOffset" || style === "longOffset") return gmtString(data, off, style === "longOffset");
  const width = style === "long" || style === "longGeneric" ? "long" : "short";
  const name = style === "longGeneric" || style === "shortGeneric"
    ? genericName(data, key, t, width)
    : specificName(data, key, nameTime === undefined ? t : nameTime, width, dst ? "daylight" : "standard");
  return name || gmtString(data, off, width === "long");
}

// ---- formatting ------------------------------------------------------------------------------

function formatPattern(fmt, t, wantParts) {
  const data = fmt.data;
  const f = fieldsOf(t + offsetMs(fmt.zoneKey, t));
  const parts = [];
  for (const [ch, len] of fmt.tokens) {
    if (ch === "") { parts.push(["literal", len]); continue; }
    let v;
    switch (ch) {
      case "G": v = data.era[len === 4 ? "wide" : len === 5 ? "narrow" : "abbreviated"][f.year > 0 ? 1 : 0]; break;
      case "y": case "Y": case "u": {
        const y = ch === "u" ? f.year : f.year > 0 ? f.year : 1 - f.year;
        v = len === 2 ? pad2(((y % 100) + 100) % 100) : String(y).padStart(len, "0");
        break;
      }
      case "M": case "L": {
        const ctx = ch === "L" ? "stand-alone" : "format";
        v = len === 1 ? String(f.month + 1) : len === 2 ? pad2(f.month + 1)
          : data.m[ctx][len === 3 ? "abbreviated" : len === 4 ? "wide" : "narrow"][f.month];
        break;
      }
      case "d": v = String(f.day).padStart(len, "0"); break;
      case "E": case "c": case "e": {
        const ctx = ch === "c" ? "stand-alone" : "format";
        v = data.d[ctx][len <= 3 ? "abbreviated" : len === 4 ? "wide" : len === 5 ? "narrow" : "short"][f.weekday];
        break;
      }
      case "a": case "b": case "B": v = data.ap[f.hour < 12 ? 0 : 1]; break;
      case "h": v = String(f.hour % 12 || 12).padStart(len, "0"); break;
      case "H": v = String(f.hour).padStart(len, "0"); break;
      case "K": v = String(f.hour % 12).padStart(len, "0"); break;
      case "k": v = String(f.hour || 24).padStart(len, "0"); break;
      case "m": v = String(f.minute).padStart(len, "0"); break;
      case "s": v = String(f.second).padStart(len, "0"); break;
      case "S": v = String(f.ms).padStart(3, "0").slice(0, len).padEnd(len, "0"); break;
      case "z": v = formatZoneName(data, fmt.zoneKey, fmt.timeZone, t, len >= 4 ? "long" : "short"); break;
      case "v": v = formatZoneName(data, fmt.zoneKey, fmt.timeZone, t, len >= 4 ? "longGeneric" : "shortGeneric"); break;
      case "O": v = formatZoneName(data, fmt.zoneKey, fmt.timeZone, t, len >= 4 ? "longOffset" : "shortOffset"); break;
      default: v = ch.repeat(len);
    }
    // Numbers (and GMT offsets) in the format's numbering system: "٢٣‏/٨‏/٢٠٢٥" in ar-EG.
    if (fmt.ns !== "latn" && ch !== "G" && ch !== "E" && ch !== "c" && ch !== "e" && ch !== "a" && ch !== "b" && ch !== "B") {
      v = transliterate(v, fmt.ns);
    }
    parts.push([FIELD_OF[ch] || "literal", v]);
  }
  if (!wantParts) {
    let s = "";
    for (const p of parts) s += p[1];
    return s.replace(/\u202f/g, " ");  // V8 prints ASCII spaces in format(), not in formatToParts()
  }
  // Adjacent literals merge, as in V8.
  const out = [];
  for (const [type, value] of parts) {
    const last = out[out.length - 1];
    if (type === "literal" && last && last.type === "literal") last.value += value;
    else out.push({ type, value });
  }
  return out;
}

// ---- construction ----------------------------------------------------------------------------

// required: "date" | "time" | "any"; defaults: "date" | "time" | "all" (ECMA-402 ToDateTimeOptions).
function createDateTimeFormat(locales, optionsIn, required, defaults, service) {
  const loc = resolveLocale(locales, SVC_DTF);
  const options = toObjectOptions(optionsIn);
  getStringOption(options, "localeMatcher", ["lookup", "best fit"], "best fit", service);
  const calendar = options.calendar;
  if (calendar !== undefined && !/^[a-z0-9]{3,8}(-[a-z0-9]{3,8})*$/i.test(String(calendar))) {
    throw new RangeError(`Invalid calendar : ${calendar}`);
  }
  const numberingSystem = options.numberingSystem;
  if (numberingSystem !== undefined && !/^[a-z0-9]{3,8}(-[a-z0-9]{3,8})*$/i.test(String(numberingSystem))) {
    throw new RangeError(`Invalid numberingSystem : ${numberingSystem}`);
  }
  const hour12 = options.hour12 === undefined ? undefined : Boolean(options.hour12);
  let hourCycle = getStringOption(options, "hourCycle", ["h11", "h12", "h23", "h24"], undefined, service);
  if (hour12 !== undefined) hourCycle = null;
  const tzOption = options.timeZone;
  let zone;
  if (tzOption === undefined) zone = { id: settings.timeZone, key: settings.zoneKey };
  else zone = resolveZone(String(tzOption));
  const fields = {};
  for (const [prop, allowed] of FIELD_OPTIONS) {
    if (allowed === null) {
      const v = getNumberOption(options, prop, 1, 3, undefined);
      if (v !== undefined) fields[prop] = v;
    } else {
      const v = getStringOption(options, prop, allowed, undefined, service);
      if (v !== undefined) fields[prop] = v;
    }
  }
  getStringOption(options, "formatMatcher", ["basic", "best fit"], "best fit", service);
  const dateStyle = getStringOption(options, "dateStyle", STYLES, undefined, service);
  const timeStyle = getStringOption(options, "timeStyle", STYLES, undefined, service);
  if (dateStyle !== undefined || timeStyle !== undefined) {
    for (const [prop] of FIELD_OPTIONS) {
      if (fields[prop] !== undefined) {
        throw new TypeError(`Can't set option ${prop} when ${dateStyle !== undefined ? "dateStyle" : "timeStyle"} is used`);
      }
    }
    if (required === "date" && timeStyle !== undefined) throw new TypeError(`Invalid option : timeStyle`);
    if (required === "time" && dateStyle !== undefined) throw new TypeError(`Invalid option : dateStyle`);
  } else {
    let needDefaults = true;
    if ((required === "date" || required === "any") &&
        (fields.weekday || fields.year || fields.month || fields.day)) needDefaults = false;
    if ((required === "time" || required === "any") &&
        (fields.dayPeriod || fields.hour || fields.minute || fields.second || fields.fractionalSecondDigits)) needDefaults = false;
    if (needDefaults && (defaults === "date" || defaults === "all")) fields.year = fields.month = fields.day = "numeric";
    if (needDefaults && (defaults === "time" || defaults === "all")) fields.hour = fields.minute = fields.second = "numeric";
  }
  const data = localeData(loc.key);
  const numbering = resolveNumbering(data, loc, numberingSystem);
  // Hour cycle: option > hour12 > -u-hc- > locale default.
  const localeHc = CHAR_HC[data.hc];
  let hc;
  if (hour12 !== undefined) {
    const zeroBased = localeHc === "h11" || localeHc === "h23";
    hc = hour12 ? (zeroBased ? "h11" : "h12") : (zeroBased ? "h23" : "h24");
  }
  else if (hourCycle) hc = hourCycle;
  else if (loc.keywords.hc && HC_CHAR[loc.keywords.hc]) hc = loc.keywords.hc;
  else hc = localeHc;
  let pattern;
  if (dateStyle !== undefined || timeStyle !== undefined) {
    const tp = timeStyle !== undefined ? data.tf[timeStyle] : null;
    const dp = dateStyle !== undefined ? data.df[dateStyle] : null;
    pattern = dp !== null && tp !== null ? glue(data, dateStyle, dp, tp) : dp !== null ? dp : tp;
    if (tp !== null && hc !== localeHc) pattern = switchHourCycle(data, loc.key, pattern, hc);
  } else {
    let skel = "";
    for (const prop of ["era", "year", "month", "weekday", "day"]) if (fields[prop]) skel += SKELETON[prop][fields[prop]];
    if (fields.hour) skel += HC_CHAR[hc].repeat(fields.hour === "2-digit" ? 2 : 1);
    if (fields.minute) skel += SKELETON.minute[fields.minute];
    if (fields.second) skel += SKELETON.second[fields.second];
    if (fields.fractionalSecondDigits) skel += "S".repeat(fields.fractionalSecondDigits);
    if (fields.timeZoneName) skel += SKELETON.timeZoneName[fields.timeZoneName];
    pattern = bestPattern(data, loc.key, skel);
    if (fields.hour) pattern = withHourCycle(pattern, hc);
  }
  // The -u- keywords V8 keeps in the reported locale: those that took effect.
  const kwHc = loc.keywords.hc !== undefined && HC_CHAR[loc.keywords.hc] && hour12 === undefined &&
    (hourCycle === undefined || hourCycle === loc.keywords.hc) ? loc.keywords.hc : undefined;
  const kwCa = loc.keywords.ca === "gregory" && (calendar === undefined || String(calendar) === "gregory") ? "gregory" : undefined;
  return {
    locale: withKeywords(loc.locale, { ca: kwCa, hc: kwHc, nu: numbering.keyword }), data, timeZone: zone.id,
    zoneKey: zone.key, pattern, tokens: tokenize(pattern), hc, hour12, dateStyle, timeStyle, fields, calendar: "gregory",
    ns: numbering.ns,
  };
}

// A style's time pattern in another hour cycle: take the availableFormats pattern of the same fields.
function switchHourCycle(data, key, tp, hc) {
  // V8: the style pattern's skeleton with the hour letters swapped (widths kept), matched anew
  // ("HH:mm" with hour12 → "KKmm" → "KK:mm a"; a date part is matched anew too).
  let skel = "";
  mapPatternFields(tp, (ch, len) => {
    if ("hHkK".indexOf(ch) >= 0) skel += HC_CHAR[hc].repeat(len);
    else if (ch !== "a") skel += ch.repeat(len);
    return "";
  });
  return withHourCycle(bestPattern(data, key, skel), hc);
}

function withHourCycle(pattern, hc) {
  return mapPatternFields(pattern, (ch, len) => ("hHkK".indexOf(ch) >= 0 ? HC_CHAR[hc] : ch).repeat(len));
}

function resolvedDateTimeOptions(fmt) {
  const out = { locale: fmt.locale, calendar: "gregory", numberingSystem: fmt.ns, timeZone: fmt.timeZone };
  const inPattern = Object.create(null);
  for (const [ch, len] of fmt.tokens) if (ch !== "") inPattern[FIELD_OF[ch] || ch] = [ch, len];
  if (inPattern.hour) {
    out.hourCycle = fmt.hc;
    out.hour12 = fmt.hc === "h11" || fmt.hc === "h12";
  }
  if (fmt.dateStyle !== undefined || fmt.timeStyle !== undefined) {
    if (fmt.dateStyle !== undefined) out.dateStyle = fmt.dateStyle;
    if (fmt.timeStyle !== undefined) out.timeStyle = fmt.timeStyle;
    return out;
  }
  const text = { 1: "short", 2: "short", 3: "short", 4: "long", 5: "narrow" };
  for (const type of ["weekday", "era", "year", "month", "day", "hour", "minute", "second"]) {
    const p = inPattern[type];
    if (!p || fmt.fields[type] === undefined) continue;
    const [ch, len] = p;
    if (type === "weekday" || type === "era") out[type] = text[len];
    else if (type === "month") out[type] = len === 1 ? "numeric" : len === 2 ? "2-digit" : text[len];
    else out[type] = len === 2 ? "2-digit" : "numeric";
    if (ch === "y" && len !== 2) out[type] = "numeric";
  }
  if (fmt.fields.fractionalSecondDigits) out.fractionalSecondDigits = fmt.fields.fractionalSecondDigits;
  if (fmt.fields.timeZoneName) out.timeZoneName = fmt.fields.timeZoneName;
  return out;
}

function toTimeValue(date) {
  const t = date === undefined ? nowMs() : Number(date);
  const clipped = timeClip(t);
  if (Number.isNaN(clipped)) throw new RangeError("Invalid time value");
  return clipped;
}

// ---- Intl.DateTimeFormat ---------------------------------------------------------------------

const dtfSlots = new WeakMap();

function dtfSlot(obj, method) {
  const slot = typeof obj === "object" && obj !== null ? dtfSlots.get(obj) : undefined;
  if (slot === undefined) {
    throw new TypeError(`Method Intl.DateTimeFormat.prototype.${method} called on incompatible receiver ${String(obj)}`);
  }
  return slot;
}

function DateTimeFormat(locales, options) {
  const proto = new.target && new.target.prototype !== undefined ? new.target.prototype : DateTimeFormat.prototype;
  const obj = Object.create(proto);
  dtfSlots.set(obj, { fmt: createDateTimeFormat(locales, options, "any", "date", DTF), bound: undefined });
  return obj;
}

function installDateTimeFormat(Intl) {
  const proto = DateTimeFormat.prototype;
  Object.defineProperty(proto, "format", {
    get() {
      const slot = dtfSlot(this, "format");
      if (slot.bound === undefined) {
        slot.bound = nativeAnonymous((date) => formatPattern(slot.fmt, toTimeValue(date), false));
      }
      return slot.bound;
    },
    configurable: true,
  });
  const methods = {
    formatToParts(date) { return formatPattern(dtfSlot(this, "formatToParts").fmt, toTimeValue(date), true); },
    resolvedOptions() { return resolvedDateTimeOptions(dtfSlot(this, "resolvedOptions").fmt); },
  };
  for (const name of Object.keys(methods)) {
    Object.defineProperty(proto, name, { value: methods[name], writable: true, configurable: true });
  }
  Object.defineProperty(proto, Symbol.toStringTag, { value: "Intl.DateTimeFormat", configurable: true });
  Object.defineProperty(DateTimeFormat, "supportedLocalesOf", { value: supportedLocalesOf, writable: true, configurable: true });
  Object.defineProperty(Intl, "DateTimeFormat", { value: DateTimeFormat, writable: true, configurable: true });
}

// Intl.DateTimeFormat.supportedLocalesOf (the other services have their own, see core.js).
const supportedLocalesOf = supportedLocalesFor(SVC_DTF);

// Date.prototype.toLocale*String: formats are cached per (locales, settings) when no options are
// given; `locales` is the handler's string, hence the bound.
const defaultDateFormats = boundedCache(USER_KEYED);

function dateToLocale(date, locales, options, required, defaults, service) {
  const t = thisTime(date);
  if (Number.isNaN(t)) return "Invalid Date";
  let fmt;
  if (options === undefined && (locales === undefined || typeof locales === "string")) {
    // Everything createDateTimeFormat reads besides its arguments (`defaults` and `service`
    // follow from `required`): the default locale and zone.
    const key = `${required}|${locales}|${settings.locale}|${settings.timeZone}|${settings.zoneKey}`;
    fmt = defaultDateFormats.get(key);
    if (fmt === undefined) fmt = defaultDateFormats.set(key, createDateTimeFormat(locales, undefined, required, defaults, service));
  } else {
    fmt = createDateTimeFormat(locales, options, required, defaults, service);
  }
  return formatPattern(fmt, t, false);
}
