// Time zones from the tz database (tzdata TZif records, see data.py): UTC offset of any instant,
// and the instant of a local wall-clock time. A zone is named by the id ICU reports for it
// (Asia/Calcutta); its record comes from the host on first use ("tz:<id>", see fetchData).

// Parsed zones per id: {offsets, isDst, trans, types, initial, rule, meta, country}.
const zoneCache = boundedCache(ZONE_KEYS, true);
const UTC_ZONE = { offsets: [0], isDst: [0], trans: [], types: [], initial: 0, rule: null, meta: [], country: null };

// {id: the id V8 reports, key: the same (zone data is per reported id)} for a user-supplied
// name, or null if unsupported.
function lookupZone(name) {
  const lower = String(name).toLowerCase();
  if (!hasOwn(DATA.tz.ids, lower)) return null;  // not "constructor" either
  const id = DATA.tz.ids[lower];
  return { id, key: id };
}

function resolveZone(name) {
  const z = lookupZone(name);
  if (z === null) throw new RangeError(`Invalid time zone specified: ${name}`);
  return z;
}

// Zone records are parsed with captured functions only (exec, a split of our own): the parsed
// zones are kept across events, and a handler may have patched String.prototype meanwhile.
const regexpExec = RegExp.prototype.exec;
const exec = (re, s) => reflectApply(regexpExec, re, [s]);
const objectKeys = Object.keys;
const B36 = Object.create(null);
for (let i = 0; i < 36; i++) B36["0123456789abcdefghijklmnopqrstuvwxyz"[i]] = i;

function splitChar(s, sep) {
  const out = [];
  let cur = "";
  for (let i = 0; i < s.length; i++) {
    if (s[i] === sep) { out[out.length] = cur; cur = ""; } else cur += s[i];
  }
  out[out.length] = cur;
  return out;
}

function base36(s) {
  let n = 0;
  for (let i = s[0] === "-" ? 1 : 0; i < s.length; i++) n = n * 36 + B36[s[i]];
  return s[0] === "-" ? -n : n;
}

function parsePosixOffset(text) {
  // "5", "-5:30", "+10:30:00" → seconds east of UTC (POSIX counts west, hence the minus).
  const m = exec(/^([+-]?)(\d+)(?::(\d+))?(?::(\d+))?$/, text);
  const secs = Number(m[2]) * 3600 + Number(m[3] || 0) * 60 + Number(m[4] || 0);
  return m[1] === "-" ? secs : -secs;
}

function parsePosixTime(text) {
  if (!text) return 7200;  // POSIX default: 02:00
  const m = exec(/^([+-]?)(\d+)(?::(\d+))?(?::(\d+))?$/, text);
  const secs = Number(m[2]) * 3600 + Number(m[3] || 0) * 60 + Number(m[4] || 0);
  return m[1] === "-" ? -secs : secs;
}

// "CET-1CEST,M3.5.0,M10.5.0/3" → {std, dst, start, end} (offsets in seconds east of UTC).
function parsePosixRule(rule) {
  if (!rule) return null;
  const m = exec(/^(<[^>]*>|[A-Za-z]+)([-+\d:]+)(?:(<[^>]*>|[A-Za-z]+)([-+\d:]+)?(?:,([^,]+),([^,]+))?)?$/, rule);
  if (!m) return null;
  const std = parsePosixOffset(m[2]);
  if (!m[3] || !m[5]) return { std, dst: null };
  const dst = m[4] ? parsePosixOffset(m[4]) : std + 3600;
  const part = (text) => {
    const pieces = splitChar(text, "/");
    return { date: pieces[0], time: parsePosixTime(pieces[1]) };
  };
  return { std, dst, start: part(m[5]), end: part(m[6]) };
}

function posixRuleDay(year, date) {
  // Day number (days since epoch) of a POSIX rule date in `year`.
  if (date[0] === "M") {
    const [mo, week, wd] = date.slice(1).split(".").map(Number);
    const first = daysFromCivil(year, mo - 1, 1);
    const firstWd = ((first + 4) % 7 + 7) % 7;
    let day = first + ((wd - firstWd + 7) % 7) + (week - 1) * 7;
    if (week === 5) {
      const dim = daysFromCivil(mo === 12 ? year + 1 : year, mo % 12, 1) - first;
      while (day - first >= dim) day -= 7;
    }
    return day;
  }
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  if (date[0] === "J") {
    const n = Number(date.slice(1));
    return daysFromCivil(year, 0, 1) + n - 1 + (leap && n >= 60 ? 1 : 0);
  }
  return daysFromCivil(year, 0, 1) + Number(date);
}

function posixOffset(rule, ms) {
  if (rule.dst === null) return rule.std;
  const year = civilFromDays(Math.floor((ms + rule.std * 1000) / 864e5))[0];
  const start = (posixRuleDay(year, rule.start.date) * 86400 + rule.start.time - rule.std) * 1000;
  const end = (posixRuleDay(year, rule.end.date) * 86400 + rule.end.time - rule.dst) * 1000;
  const inDst = start < end ? ms >= start && ms < end : ms < end || ms >= start;
  return inDst ? rule.dst : rule.std;
}

function parseZone(text) {
  const { r, m, c } = jsonParse(text);
  const fields = splitChar(r, "|");
  const numbers = (t) => {
    const out = [];
    if (t) { const pieces = splitChar(t, ","); for (let i = 0; i < pieces.length; i++) out[i] = base36(pieces[i]); }
    return out;
  };
  const offsets = numbers(fields[0]);
  const isDst = [];
  for (let i = 0; i < fields[1].length; i++) isDst[i] = fields[1][i] === "1" ? 1 : 0;
  const deltas = numbers(fields[2]);
  const trans = [];
  let t = 0;
  for (let i = 0; i < deltas.length; i++) { t += deltas[i]; trans[i] = t * 1000; }
  return { offsets, isDst, trans, types: numbers(fields[3]), initial: base36(fields[5]), rule: parsePosixRule(fields[4]),
    meta: m, country: c };
}

// A zone's parsed record, fetched on first use; null while it cannot be fetched (the caller
// then computes as in UTC, and the event runs again once it is loaded, see loadWanted). A fetch
// that succeeds also fetches the reference ("golden") zones of the zone's metazones, which ICU's
// generic names compare offsets with: the host can be called then.
function loadZone(key) {
  if (key === "UTC") return UTC_ZONE;
  let zone = zoneCache.get(key);
  if (zone !== undefined) return zone;
  const text = fetchData("tz:" + key);
  if (typeof text !== "string") return null;
  zone = zoneCache.set(key, parseZone(text));
  for (let i = 0; i < zone.meta.length; i++) {
    const mz = zone.meta[i][2];
    const golden = mz !== null && hasOwn(DATA.golden, mz) ? DATA.golden[mz] : null;
    if (golden === null) continue;
    const territories = objectKeys(golden);
    for (let j = 0; j < territories.length; j++) {
      const g = golden[territories[j]];
      if (zoneCache.get(g) !== undefined) continue;
      const gText = fetchData("tz:" + g);
      if (typeof gText === "string") zoneCache.set(g, parseZone(gText));
    }
  }
  return zone;
}

// [offset in seconds east of UTC, isDst] at UTC instant `ms`.
function zoneInfoAt(key, ms) {
  if (key === "UTC") return [0, 0];
  const z = loadZone(key);
  if (z === null) return [0, 0];
  const tr = z.trans;
  if (tr.length === 0 || ms >= tr[tr.length - 1]) {
    if (z.rule !== null && (tr.length === 0 || ms >= tr[tr.length - 1])) {
      const off = posixOffset(z.rule, ms);
      return [off, z.rule.dst !== null && off === z.rule.dst && off !== z.rule.std ? 1 : 0];
    }
  }
  if (tr.length === 0 || ms < tr[0]) return [z.offsets[z.initial], z.isDst[z.initial]];
  let lo = 0, hi = tr.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (tr[mid] <= ms) lo = mid; else hi = mid - 1;
  }
  const type = z.types[lo];
  return [z.offsets[type], z.isDst[type]];
}

function offsetMs(key, ms) {
  return key === "UTC" ? 0 : zoneInfoAt(key, ms)[0] * 1000;
}

// The UTC instant of local wall-clock time `local` (ms) in zone `key`, the way ECMA-262 picks it:
// a repeated local time takes the earlier instant, a skipped one the offset before the gap.
function utcFromLocal(key, local) {
  if (key === "UTC" || !Number.isFinite(local)) return local;
  const before = offsetMs(key, local - 864e5);
  const after = offsetMs(key, local + 864e5);
  const okBefore = offsetMs(key, local - before) === before;
  const okAfter = offsetMs(key, local - after) === after;
  if (okBefore && okAfter) return local - Math.max(before, after);
  if (okBefore) return local - before;
  if (okAfter) return local - after;
  return local - before;
}

// ---- civil calendar arithmetic (proleptic Gregorian) ------------------------------------------

function daysFromCivil(y, m, d) {
  // m is 0-based; from Howard Hinnant's public-domain algorithm description.
  y -= m < 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (m + 10) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function civilFromDays(z) {
  // [year, month 0-11, day 1-31] of a day number (days since 1970-01-01).
  z += 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 2 : mp - 10;
  return [era * 400 + yoe + (m < 2 ? 1 : 0), m, d];
}

// Broken-down fields of wall-clock ms: {year, month, day, weekday, hour, minute, second, ms}.
function fieldsOf(local) {
  const days = Math.floor(local / 864e5);
  let rest = local - days * 864e5;
  const [year, month, day] = civilFromDays(days);
  const hour = Math.floor(rest / 3600000); rest -= hour * 3600000;
  const minute = Math.floor(rest / 60000); rest -= minute * 60000;
  const second = Math.floor(rest / 1000);
  return { year, month, day, weekday: ((days + 4) % 7 + 7) % 7, hour, minute, second, ms: rest - second * 1000 };
}
