// @lazy
// @imports: mapPatternFields, bestPattern, withHourCycle, localeNamesOf, fieldsOf, offsetMs, tokenize, formatPattern, boundedCache, USER_KEYED, timeClip, dtfSlots
// @exports: rangeParts, rangeToParts, rangeArguments, rangeSlot
// formatRange's interval patterns and parts (see intl_range.js).

// ---- skeletons (ICU DateTimePatternGenerator::staticGetSkeleton, DateIntervalFormat) ----------

// ICU's field order of skeletons, by pattern letter.
const SKEL_FIELD_ORDER = { G: 0, y: 1, Y: 1, u: 1, U: 1, r: 1, Q: 2, q: 2, M: 3, L: 3, w: 4, W: 5, E: 6, c: 6, e: 6,
  D: 7, F: 8, d: 9, g: 9, a: 10, b: 10, B: 10, h: 11, H: 11, k: 11, K: 11, m: 12, s: 13, S: 14, A: 14,
  z: 15, Z: 15, O: 15, v: 15, V: 15, X: 15, x: 15 };
// SimpleDateFormat::fgPatternCharToLevel, and the levels of the calendar fields compared.
const LETTER_LEVEL = { G: 0, y: 10, Y: 10, u: 10, U: 10, r: 10, Q: 20, q: 20, M: 20, L: 20, w: 20, W: 30, E: 30,
  c: 30, e: 30, D: 30, F: 30, d: 30, g: 30, a: 40, b: 40, B: 40, h: 50, H: 50, k: 50, K: 50, m: 60, s: 70, S: 80,
  A: 80, z: 0, Z: 0, O: 0, v: 0, V: 0, X: 0, x: 0 };
const FIELD_LEVEL = { G: 0, y: 10, M: 20, d: 30, a: 40, h: 50, m: 60, s: 70, S: 80 };

function patternSkeleton(pattern) {
  const fields = [];
  let hour = null, period = false;
  mapPatternFields(pattern, (ch, len) => {
    const order = SKEL_FIELD_ORDER[ch];
    if (order === undefined) return "";
    if (order === 11) hour = ch;
    if (order === 10) period = true;
    if (!fields.some((f) => f[0] === order)) fields.push([order, ch.repeat(len)]);
    return "";
  });
  // A 24-hour pattern's day period is dropped from its skeleton.
  const drop = period && hour !== null && (hour === "H" || hour === "k");
  fields.sort((a, b) => a[0] - b[0]);
  let out = "";
  for (const [order, text] of fields) if (!(drop && order === 10)) out += text;
  return out;
}

// DateIntervalFormat::getDateTimeSkeleton: [date, normalized date, time, normalized time].
function splitSkeleton(skeleton) {
  let date = "", normDate = "", time = "", normTime = "";
  let E = 0, d = 0, M = 0, y = 0, h = 0, H = 0, m = 0, z = 0, v = 0;
  for (const ch of skeleton) {
    switch (ch) {
      case "E": date += ch; E++; break;
      case "d": date += ch; d++; break;
      case "M": date += ch; M++; break;
      case "y": date += ch; y++; break;
      case "G": case "Y": case "u": case "Q": case "q": case "L": case "l": case "W": case "w": case "D": case "F":
      case "g": case "e": case "c": case "U": case "r":
        normDate += ch; date += ch; break;
      case "a": time += ch; break;
      case "h": time += ch; h++; break;
      case "H": time += ch; H++; break;
      case "m": time += ch; m++; break;
      case "z": z++; time += ch; break;
      case "v": v++; time += ch; break;
      case "V": case "Z": case "k": case "K": case "j": case "s": case "S": case "A": case "b": case "B":
        time += ch; normTime += ch; break;
      default: break;
    }
  }
  normDate += "y".repeat(y);
  if (M) normDate += M < 3 ? "M" : "M".repeat(Math.min(M, 5));
  if (E) normDate += E <= 3 ? "E" : "E".repeat(Math.min(E, 6));
  if (d) normDate += "d";
  if (H) normTime += "H"; else if (h) normTime += "h";
  if (m) normTime += "m";
  if (z) normTime += "z";
  if (v) normTime += "v";
  return [date, normDate, time, normTime];
}

function letterCounts(skeleton) {
  const counts = Object.create(null);
  for (const ch of skeleton) counts[ch] = (counts[ch] || 0) + 1;
  return counts;
}

// DateIntervalInfo::getBestSkeleton: [skeleton, differenceInfo] (0 same, 1 widths differ, 2 only
// z/v, h/K, H/k differ, -1 fields differ), or null.
function bestIntervalSkeleton(iv, skeleton) {
  let input = skeleton, replaced = false;
  if (/[zkKab]/.test(skeleton)) {
    input = skeleton.replace(/z/g, "v").replace(/k/g, "H").replace(/K/g, "h").replace(/[ab]/g, "");
    replaced = true;
  }
  const want = letterCounts(input);
  let best = null, bestDistance = Infinity, info = 0;
  for (const candidate of Object.keys(iv)) {
    if (candidate === "" || typeof iv[candidate] !== "object") continue;
    const have = letterCounts(candidate);
    let distance = 0, difference = 1;
    const letters = Object.keys(want);
    for (const ch of Object.keys(have)) if (!(ch in want)) letters.push(ch);
    for (const ch of letters) {
      const a = want[ch] || 0, b = have[ch] || 0;
      if (a === b) continue;
      if (a === 0 || b === 0) { difference = -1; distance += 0x1000; }
      else if (ch === "M" && ((a <= 2 && b > 2) || (a > 2 && b <= 2))) distance += 0x100;
      else distance += Math.abs(a - b);
    }
    if (distance < bestDistance) { best = candidate; bestDistance = distance; info = difference; }
    if (distance === 0) { info = 0; break; }
  }
  if (best === null) return null;
  if (replaced && info !== -1) info = 2;
  return [best, info];
}

// DateIntervalFormat::adjustFieldWidth.
function adjustIntervalWidths(inputSkeleton, bestSkeleton, pattern, differenceInfo) {
  let p = pattern;
  if (differenceInfo === 2) {
    if (inputSkeleton.indexOf("z") >= 0) p = p.replace(/v/g, "z");
    if (inputSkeleton.indexOf("K") >= 0) p = p.replace(/h/g, "K");
    if (inputSkeleton.indexOf("k") >= 0) p = p.replace(/H/g, "k");
    if (inputSkeleton.indexOf("b") >= 0) p = p.replace(/a/g, "b");
  }
  const input = letterCounts(inputSkeleton), best = letterCounts(bestSkeleton);
  if (p.indexOf("a") >= 0 && !best.a) best.a = 1;
  if (p.indexOf("b") >= 0 && !best.b) best.b = 1;
  let out = "", inQuote = false, prev = "", count = 0;
  const widen = () => {
    const key = prev === "L" ? "M" : prev;
    const have = best[key] || 0, want = input[key] || 0;
    if (have === count && want > have) out += prev.repeat(want - have);
  };
  for (let i = 0; i < p.length; i++) {
    const ch = p[i];
    if (ch !== prev && count > 0) { widen(); count = 0; }
    if (ch === "'") {
      if (p[i + 1] === "'") { out += "''"; i++; continue; }
      inQuote = !inQuote;
    } else if (!inQuote && /[A-Za-z]/.test(ch)) {
      prev = ch;
      count++;
    }
    out += ch;
  }
  if (count > 0) widen();
  return out;
}

// DateIntervalFormat::splitPatternInto2Part: the offset where the second date's part begins.
function splitIntervalPattern(pattern) {
  const seen = Object.create(null);
  let inQuote = false, prev = "", count = 0, i = 0, repeated = false;
  for (; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch !== prev && count > 0) {
      if (seen[prev]) { repeated = true; break; }
      seen[prev] = true;
      count = 0;
    }
    if (ch === "'") {
      if (pattern[i + 1] === "'") i++;
      else inQuote = !inQuote;
    } else if (!inQuote && /[A-Za-z]/.test(ch)) {
      prev = ch;
      count++;
    }
  }
  if (count > 0 && !repeated && !seen[prev]) count = 0;
  return i - count;
}

function fieldIgnored(pattern, field) {
  const level = FIELD_LEVEL[field];
  let ignored = true;
  mapPatternFields(pattern, (ch) => {
    const l = LETTER_LEVEL[ch];
    if (l !== undefined && level <= l) ignored = false;
    return "";
  });
  return ignored;
}

// ---- the interval patterns of a format ----------------------------------------------------------

// Per format: {fields: {G|y|M|d|a|h|m: [first part, second part] or [null, fallback pattern]},
// date, time (patterns for "date, time – time"), glue, fallback, skeleton}.
const rangeCache = boundedCache(USER_KEYED);

function rangeSetup(fmt) {
  const cacheKey = fmt.locale + "|" + fmt.hc + "|" + fmt.pattern;
  const hit = rangeCache.get(cacheKey);
  if (hit !== undefined && hit.data === fmt.data) return hit;
  const data = fmt.data;
  const iv = localeNamesOf(data).iv || {};
  // DateFormat::getBestPattern: unlike a DateTimeFormat's, it keeps the hour width of the
  // availableFormats pattern it matches ("HH:mm" in de, "H:mm" in ja); the day period follows
  // from the hour cycle here.
  const best = (skel) => {
    const fields = skel.replace(/[abB]/g, "");
    let p = bestPattern(data, fmt.locale, fields);
    const hour = /[hHkK]/.exec(fields);
    if (hour === null) return p;
    const base = hour[0] === "h" || hour[0] === "K" ? "h" : "H";
    const own = data.sk[base + (fields.indexOf("m") >= 0 ? "m" : "") + (fields.indexOf("s") >= 0 ? "s" : "")] || data.sk[base];
    const width = own ? (/([hHkK])\1*/.exec(own) || [""])[0].length : 0;
    if (width) p = mapPatternFields(p, (ch, len) => ch.repeat("hHkK".indexOf(ch) >= 0 ? width : len));
    return withHourCycle(p, fmt.hc);
  };
  const skeleton = patternSkeleton(fmt.pattern);
  const [date, normDate, time, normTime] = splitSkeleton(skeleton);
  // The interval format's own single-date pattern: the best one for the format's skeleton.
  const setup = { data, fields: Object.create(null), date: null, time: null, glue: null,
    fallback: typeof iv[""] === "string" ? iv[""] : "{0} \u2013 {1}", pattern: best(skeleton) };
  if (time && date) setup.glue = typeof localeNamesOf(data).glue === "string" ? localeNamesOf(data).glue : data.dtf.medium;
  const setPattern = (field, pattern) => {
    const at = splitIntervalPattern(pattern);
    setup.fields[field] = [pattern.slice(0, at), pattern.slice(at)];
  };
  const lookup = (skel, field) => {
    const entry = iv[skel];
    if (!entry || typeof entry !== "object") return null;
    if (field === "h") return entry.h || entry.H || entry.k || entry.K || null;
    return entry[field] || null;
  };
  // DateIntervalFormat::setIntervalPattern; returns [extended skeleton, extended best] or null.
  const setIntervalPattern = (field, skel, bestSkel, info, extend) => {
    let pattern = lookup(bestSkel, field);
    let ext = null;
    if (pattern === null) {
      if (fieldIgnored(bestSkel, field)) return null;
      if (field === "a") {
        const hourPattern = lookup(bestSkel, "h");
        if (hourPattern !== null) setPattern(field, adjustIntervalWidths(skel, bestSkel, hourPattern, info));
        return null;
      }
      if (!extend) return null;
      const extSkel = field + skel, extBest = field + bestSkel;
      pattern = lookup(extBest, field);
      let useBest = extBest;
      if (pattern === null && info === 0) {
        const tmp = bestIntervalSkeleton(iv, extBest);
        if (tmp !== null && tmp[1] !== -1) { pattern = lookup(tmp[0], field); useBest = tmp[0]; }
      }
      if (pattern === null) return null;
      ext = [extSkel, extBest];
      pattern = adjustIntervalWidths(extSkel, useBest, pattern, info);
      setPattern(field, pattern);
      return ext;
    }
    if (info !== 0) pattern = adjustIntervalWidths(skel, bestSkel, pattern, info);
    setPattern(field, pattern);
    return null;
  };
  // setSeparateDateTimePtn
  const found = (() => {
    let skel = normTime || normDate;
    const match = bestIntervalSkeleton(iv, skel);
    if (match === null) return false;
    let [bestSkel, info] = match;
    if (normDate) setup.date = best(normDate);
    if (normTime) setup.time = best(normTime);
    if (info === -1) return false;
    if (!normTime) {
      setIntervalPattern("d", skel, bestSkel, info, true);
      const ext = setIntervalPattern("M", skel, bestSkel, info, true);
      if (ext !== null) { skel = ext[0]; bestSkel = ext[1]; }
      setIntervalPattern("y", skel, bestSkel, info, true);
      setIntervalPattern("G", skel, bestSkel, info, true);
    } else {
      setIntervalPattern("m", skel, bestSkel, info, false);
      setIntervalPattern("h", skel, bestSkel, info, false);
      setIntervalPattern("a", skel, bestSkel, info, false);
    }
    return true;
  })();
  const fallbackFor = (field, skel) => { setup.fields[field] = [null, best(skel)]; };
  if (!found) {
    if (time && !date) {
      const p = "yMd" + time;
      fallbackFor("d", p); fallbackFor("M", p); fallbackFor("y", p); fallbackFor("G", "G" + p);
    }
  } else if (time && !date) {
    const p = "yMd" + time;
    fallbackFor("d", p); fallbackFor("M", p); fallbackFor("y", p); fallbackFor("G", "G" + p);
  } else if (time && date) {
    let skel = skeleton;
    if (date.indexOf("d") < 0) { skel = "d" + skel; fallbackFor("d", skel); }
    if (date.indexOf("M") < 0) { skel = "M" + skel; fallbackFor("M", skel); }
    if (date.indexOf("y") < 0) { skel = "y" + skel; fallbackFor("y", skel); }
    if (date.indexOf("G") < 0) { skel = "G" + skel; fallbackFor("G", skel); }
    if (setup.glue !== null) {
      const datePattern = best(date);
      for (const field of ["a", "h", "m"]) {
        const parts = setup.fields[field];
        if (parts && parts[0]) setPattern(field, setup.glue.replace("{1}", datePattern).replace("{0}", parts[0] + parts[1]));
      }
    }
  }
  return rangeCache.set(cacheKey, setup);
}

// ---- formatting ------------------------------------------------------------------------------------

// The largest calendar field that differs between x and y in the format's zone, or null.
function largestDifference(fmt, x, y) {
  const a = fieldsOf(x + offsetMs(fmt.zoneKey, x)), b = fieldsOf(y + offsetMs(fmt.zoneKey, y));
  if ((a.year > 0) !== (b.year > 0)) return "G";
  if (a.year !== b.year) return "y";
  if (a.month !== b.month) return "M";
  if (a.day !== b.day) return "d";
  if ((a.hour < 12) !== (b.hour < 12)) return "a";
  if (a.hour !== b.hour) return "h";
  if (a.minute !== b.minute) return "m";
  if (a.second !== b.second) return "s";
  if (a.ms !== b.ms) return "S";
  return null;
}

// Parts of `pattern` for t: [[type, value], ...] (adjacent literals not merged).
function patternParts(fmt, pattern, t) {
  if (pattern === "") return [];
  const sub = Object.assign({}, fmt, { pattern, tokens: tokenize(pattern) });
  return formatPattern(sub, t, true).map((p) => [p.type, p.value]);
}

// [[type, value, date index], ...] of "{0} – {1}" (fallback) with `pattern` for both dates.
function fallbackRangeParts(fmt, setup, pattern, x, y) {
  const out = [];
  for (const piece of setup.fallback.split(/(\{[01]\})/)) {
    if (piece === "{0}") for (const p of patternParts(fmt, pattern, x)) out.push([p[0], p[1], 0]);
    else if (piece === "{1}") for (const p of patternParts(fmt, pattern, y)) out.push([p[0], p[1], 1]);
    else if (piece) out.push(["literal", piece, -1]);
  }
  return out;
}

// [[type, value, date index], ...] of a range, or null when it formats as one date.
function rangeParts(fmt, x, y) {
  const setup = rangeSetup(fmt);
  const field = largestDifference(fmt, x, y);
  if (field === null) return null;
  const parts = setup.fields[field];
  if (parts === undefined) {
    if (fieldIgnored(setup.pattern, field)) return null;
    const sameDay = field !== "G" && field !== "y" && field !== "M" && field !== "d";
    if (sameDay && setup.date !== null && setup.time !== null && setup.glue !== null) {
      // "{date}, {time} – {time}" through the date-time glue
      const out = [];
      for (const piece of setup.glue.split(/(\{[01]\})/)) {
        if (piece === "{0}") out.push(...fallbackRangeParts(fmt, setup, setup.time, x, y));
        else if (piece === "{1}") for (const p of patternParts(fmt, setup.date, x)) out.push([p[0], p[1], -1]);
        else if (piece) out.push(["literal", piece, -1]);
      }
      return out;
    }
    return fallbackRangeParts(fmt, setup, setup.pattern, x, y);
  }
  if (parts[0] === null) return fallbackRangeParts(fmt, setup, parts[1], x, y);
  const out = [];
  for (const p of patternParts(fmt, parts[0], x)) out.push([p[0], p[1], 0]);
  for (const p of patternParts(fmt, parts[1], y)) out.push([p[0], p[1], 1]);
  return out;
}

// V8's parts of a range: literals merged, each part's source from ICU's overlap spans (the first
// and the second occurrences of the fields that occur twice).
function rangeToParts(parts) {
  const merged = [];
  for (const p of parts) {
    const last = merged[merged.length - 1];
    if (p[0] === "literal" && last && last[0] === "literal") last[1] += p[1];
    else merged.push([p[0], p[1], p[2]]);
  }
  const pos = [];
  let at = 0;
  for (const p of merged) { pos.push([at, at + p[1].length]); at += p[1].length; }
  let s1a = Infinity, s1b = -1, s2a = Infinity, s2b = -1;
  for (let i = 0; i < merged.length; i++) {
    if (merged[i][0] === "literal") continue;
    for (let j = i + 1; j < merged.length; j++) {
      if (merged[j][0] !== merged[i][0]) continue;
      s1a = Math.min(s1a, pos[i][0]); s1b = Math.max(s1b, pos[i][1]);
      s2a = Math.min(s2a, pos[j][0]); s2b = Math.max(s2b, pos[j][1]);
      break;
    }
  }
  return merged.map((p, i) => {
    const [a, b] = pos[i];
    const source = a >= s1a && b <= s1b ? "startRange" : a >= s2a && b <= s2b ? "endRange" : "shared";
    return { type: p[0], value: p[1], source };
  });
}

function rangeSlot(o, method) {
  const slot = typeof o === "object" && o !== null ? dtfSlots.get(o) : undefined;
  if (slot === undefined) {
    const shown = typeof o === "object" && o !== null ? "#<" + (o.constructor && o.constructor.name || "Object") + ">" : String(o);
    throw new TypeError(`Method Intl.DateTimeFormat.prototype.${method} called on incompatible receiver ${shown}`);
  }
  return slot;
}

function rangeArguments(startDate, endDate) {
  if (startDate === undefined || endDate === undefined) throw new TypeError("Invalid time value");
  const x = timeClip(Number(startDate)), y = timeClip(Number(endDate));
  if (Number.isNaN(x) || Number.isNaN(y)) throw new RangeError("Invalid time value");
  return [x, y];
}

