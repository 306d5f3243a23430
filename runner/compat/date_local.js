// `Date` whose local time is the configured time zone (not the host process's TZ) and whose clock
// can be frozen (`--now`). The original prototype is kept, so `instanceof Date`, Date.UTC and
// every UTC method behave as before; only local-time methods are replaced.

function nowMs() {
  return settings.nowMs === null ? origNow() : settings.nowMs;
}

function timeClip(t) {
  if (!Number.isFinite(t) || Math.abs(t) > 8.64e15) return NaN;
  return Math.trunc(t) + 0;
}

const localOf = (t) => t + offsetMs(settings.zoneKey, t);
const utcOf = (local) => utcFromLocal(settings.zoneKey, local);

// ISO 8601 forms of ECMA-262 §21.4.3.2: date-only is UTC, date-time without offset is local.
const ISO_RE = /^([+-]\d{6}|\d{4})(?:-(\d\d)(?:-(\d\d))?)?(?:[T ](\d\d):(\d\d)(?::(\d\d)(?:[.,](\d+))?)?\s*(Z|[+-]\d\d:?\d\d)?)?$/i;
// Anything naming its own zone or offset is absolute; the rest of the legacy forms are local.
const HAS_ZONE_RE = /(?:\d\s*Z\b|\bZ$|GMT|UTC|\bUT\b|[+-]\d\d:?\d\d\s*(?:\(.*\))?$|\b[ECMP][SD]T\b)/i;

function parseDate(input) {
  const s = String(input).trim();
  const m = ISO_RE.exec(s);
  if (m) {
    if (m[1] === "-000000") return NaN;
    const year = Number(m[1]), month = m[2] ? Number(m[2]) - 1 : 0, day = m[3] ? Number(m[3]) : 1;
    const hour = m[4] ? Number(m[4]) : 0, minute = m[5] ? Number(m[5]) : 0, second = m[6] ? Number(m[6]) : 0;
    const ms = m[7] ? Number((m[7] + "00").slice(0, 3)) : 0;
    if (month > 11 || day < 1 || day > 31 || hour > 24 || minute > 59 || second > 59) return NaN;
    if (hour === 24 && (minute || second || ms)) return NaN;
    const dayNum = daysFromCivil(year, month, day);  // V8 accepts Feb 30 (→ Mar 2)
    let t = dayNum * 864e5 + hour * 3600000 + minute * 60000 + second * 1000 + ms;
    if (m[8] !== undefined) {
      if (m[8].toUpperCase() !== "Z") {
        const sign = m[8][0] === "-" ? -1 : 1;
        const digits = m[8].slice(1).replace(":", "");
        t -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60000;
      }
    } else if (m[4] !== undefined) {
      t = utcOf(t);
    }
    return timeClip(t);
  }
  // Legacy forms ("Aug 4, 2025", "2025/08/04 10:00", RFC 2822): QuickJS parses them as host-local
  // time; re-read that wall clock in the configured zone unless the text names its own zone.
  const host = origParse(s);
  if (Number.isNaN(host) || HAS_ZONE_RE.test(s)) return host;
  const hostOffsetMin = origGetTimezoneOffset.call(new OrigDate(host));
  return timeClip(utcOf(host - hostOffsetMin * 60000));
}

const DAY_NAMES = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTH_NAMES = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const pad2 = (n) => (n < 10 ? "0" : "") + n;

function yearString(y) {
  return y < 0 ? "-" + String(-y).padStart(4, "0") : String(y).padStart(4, "0");
}

function dateString(f) {
  return `${DAY_NAMES[f.weekday]} ${MONTH_NAMES[f.month]} ${pad2(f.day)} ${yearString(f.year)}`;
}

function timeString(t, f) {
  const off = Math.trunc(offsetMs(settings.zoneKey, t) / 60000);  // V8 drops LMT's seconds here
  const a = Math.abs(off);
  const gmt = `GMT${off < 0 ? "-" : "+"}${pad2(Math.floor(a / 60))}${pad2(a % 60)}`;
  return `${pad2(f.hour)}:${pad2(f.minute)}:${pad2(f.second)} ${gmt} (${zoneDisplayName(t)})`;
}

function zoneDisplayName(t) {
  // V8 prints the long specific zone name in the default locale ("Central European Summer Time"), and
  // decides daylight or standard outside 1970–2038 on an equivalent recent year.
  const probe = t < 0 || t > 2147483647000 ? equivalentTime(t) : t;
  const dst = zoneInfoAt(settings.zoneKey, probe)[1];
  return formatZoneName(localeData(settings.localeKey), settings.zoneKey, settings.timeZone, t, "long", dst, origNow());
}

// V8's DateCache::EquivalentTime: the same month, day and time in a year of 2008–2037 that
// starts on the same weekday and has the same length.
function equivalentTime(t) {
  const days = Math.floor(t / 864e5);
  const within = t - days * 864e5;
  const [year, month, day] = civilFromDays(days);
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const weekday = ((daysFromCivil(year, 0, 1) + 4) % 7 + 7) % 7;
  const recent = (leap ? 1956 : 1967) + (weekday * 12) % 28;
  const equivalent = 2008 + (recent + 3 * 28 - 2008) % 28;
  return (daysFromCivil(equivalent, month, 1) + day - 1) * 864e5 + within;
}

function makeDate() {
  function Date(...args) {
    if (new.target === undefined) return dateToString.call(new OrigDate(nowMs()));
    let t;
    if (args.length === 0) {
      t = nowMs();
    } else if (args.length === 1) {
      const v = args[0];
      if (v instanceof OrigDate) {
        t = thisTime(v);
      } else {
        const p = typeof v === "object" && v !== null || typeof v === "function" ? toPrimitive(v) : v;
        t = typeof p === "string" ? parseDate(p) : timeClip(Number(p));
      }
    } else {
      const local = origUTC.apply(null, args);
      t = timeClip(utcOf(local));
    }
    return Reflect.construct(OrigDate, [t], new.target);
  }
  return Date;
}

function toPrimitive(v) {
  // ToPrimitive with no hint (Date(obj) only cares whether the result is a string).
  const exotic = v[Symbol.toPrimitive];
  if (exotic !== undefined && exotic !== null) {
    const r = exotic.call(v, "default");
    if (typeof r !== "object" || r === null) return r;
    throw new TypeError("Cannot convert object to primitive value");
  }
  for (const name of ["valueOf", "toString"]) {
    const fn = v[name];
    if (typeof fn === "function") {
      const r = fn.call(v);
      if (typeof r !== "object" || r === null) return r;
    }
  }
  throw new TypeError("Cannot convert object to primitive value");
}

function localFields(d) {
  const t = thisTime(d);
  return Number.isNaN(t) ? null : fieldsOf(localOf(t));
}

function dateToString() {
  const t = thisTime(this);
  if (Number.isNaN(t)) return "Invalid Date";
  const f = fieldsOf(localOf(t));
  return dateString(f) + " " + timeString(t, f);
}

function installDate() {
  const NewDate = makeDate();
  const getters = {
    getFullYear: (f) => f.year, getMonth: (f) => f.month, getDate: (f) => f.day,
    getDay: (f) => f.weekday, getHours: (f) => f.hour, getMinutes: (f) => f.minute,
    getSeconds: (f) => f.second, getMilliseconds: (f) => f.ms, getYear: (f) => f.year - 1900,
  };
  const methods = {};
  for (const name of Object.keys(getters)) {
    const get = getters[name];
    methods[name] = { [name]() { const f = localFields(this); return f === null ? NaN : get(f); } }[name];
  }
  methods.getTimezoneOffset = function getTimezoneOffset() {
    const t = thisTime(this);
    return Number.isNaN(t) ? NaN : -Math.trunc(offsetMs(settings.zoneKey, t) / 60000) + 0;
  };
  // Local setters: apply the UTC setter to the wall-clock time, then map back to an instant.
  const setters = ["Milliseconds", "Seconds", "Minutes", "Hours", "Date", "Month", "FullYear"];
  for (const unit of setters) {
    const utcSetter = origDateProto["setUTC" + unit];
    const name = "set" + unit;
    methods[name] = { [name](...args) {
      let t = thisTime(this);
      if (Number.isNaN(t)) {
        if (unit !== "FullYear") { utcSetter.apply(new OrigDate(NaN), args); return NaN; }
        t = utcOf(0);
      }
      const tmp = new OrigDate(localOf(t));
      const local = utcSetter.apply(tmp, args.length ? args : [undefined]);
      const result = timeClip(utcOf(local));
      return dateSetTime.call(this, result);
    } }[name];
  }
  methods.setYear = function setYear(year) {
    let y = Number(year);
    if (Number.isNaN(y)) return dateSetTime.call(this, NaN);
    y = Math.trunc(y);
    if (y >= 0 && y <= 99) y += 1900;
    return methods.setFullYear.call(this, y);
  };
  methods.toString = dateToString;
  methods.toDateString = function toDateString() {
    const f = localFields(this);
    return f === null ? "Invalid Date" : dateString(f);
  };
  methods.toTimeString = function toTimeString() {
    const t = thisTime(this);
    return Number.isNaN(t) ? "Invalid Date" : timeString(t, fieldsOf(localOf(t)));
  };
  methods.toLocaleString = function toLocaleString(locales, options) {
    return dateToLocale(this, locales, options, "any", "all", "Date.prototype.toLocaleString");
  };
  methods.toLocaleDateString = function toLocaleDateString(locales, options) {
    return dateToLocale(this, locales, options, "date", "date", "Date.prototype.toLocaleDateString");
  };
  methods.toLocaleTimeString = function toLocaleTimeString(locales, options) {
    return dateToLocale(this, locales, options, "time", "time", "Date.prototype.toLocaleTimeString");
  };
  for (const name of Object.keys(methods)) {
    Object.defineProperty(origDateProto, name, { value: methods[name], writable: true, configurable: true, enumerable: false });
  }
  Object.defineProperty(origDateProto, "constructor", { value: NewDate, writable: true, configurable: true, enumerable: false });
  Object.defineProperty(NewDate, "prototype", { value: origDateProto, writable: false, enumerable: false, configurable: false });
  const statics = {
    now: function now() { return nowMs(); },
    parse: function parse(s) { return parseDate(s); },
    UTC: origUTC,
  };
  for (const name of Object.keys(statics)) {
    Object.defineProperty(NewDate, name, { value: statics[name], writable: true, configurable: true, enumerable: false });
  }
  Object.defineProperty(NewDate, "length", { value: 7, configurable: true });
  Object.defineProperty(globalThis, "Date", { value: NewDate, writable: true, configurable: true, enumerable: false });
}
