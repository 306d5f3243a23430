// Installs everything and returns compat(op, a, b, c), the engine's one handle on the layer:
//   compat("configure", locale, timeZone, nowMs)  before an invocation whose settings differ from
//                                                 the previous one's (fetches their data);
//   compat("load")                                after each event: fetches the data the event
//                                                 asked for in vain (see fetchData) and returns
//                                                 how many requests it served (> 0: run it again);
//   compat("settle")                              after each event's last run: every cache back
//                                                 to its base (see settleCaches);
//   compat("pin"), compat("preload", kind, name)  outside events: fix the base / fetch ahead;
//   compat("clear")                               empties every cache of derived values (see
//                                                 boundedCache), after each event run with
//                                                 writable built-ins.

function configure(locale, timeZone, nowMs) {
  const tag = lookupAvailable(canonicalizeTag(String(locale)).tag, SVC_DTF);
  if (tag === null) throw new RangeError(`Unsupported locale: ${locale}`);
  const zone = resolveZone(String(timeZone));
  const key = localeData(tag, true) !== null ? tag : "en-US";
  loadZone(zone.key);
  if (settings.localeKey !== key) clearCaches();  // stand-in data of a miss is the default locale's
  settings.locale = tag;
  settings.localeKey = key;
  settings.timeZone = zone.id;
  settings.zoneKey = zone.key;
  settings.nowMs = nowMs === null || nowMs === undefined ? null : timeClip(Number(nowMs));
}

// Outside any event: fetches the data of a locale or zone the handler's source names, so the
// events that use it need no second run. Anything that does not resolve is ignored.
function preload(kind, name) {
  try {
    if (kind === "zone") { loadZone(resolveZone(String(name)).key); return; }
    const tag = canonicalizeTag(String(name)).tag;
    const services = [SVC_DTF, SVC_NF, SVC_PR, SVC_RTF, SVC_LF, SVC_COL];
    for (let i = 0; i < services.length; i++) {
      const found = lookupAvailable(tag, services[i]);
      if (found !== null) localeData(found, true);
    }
  } catch (e) { /* not a locale or zone after all */ }
}

function compat(op, a, b, c) {
  if (op === "load") return loadWanted();
  if (op === "settle") return settleCaches();
  if (op === "pin") return pinBase();
  if (op === "preload") return preload(a, b);
  if (op === "configure") return configure(a, b, c);
  if (op === "clear") return clearCaches();
  throw new TypeError(`compat: unknown operation ${String(op)}`);
}

settings.localeKey = "en-US";
settings.zoneKey = "UTC";
installDate();
const IntlNamespace = {};
Object.defineProperty(IntlNamespace, Symbol.toStringTag, { value: "Intl", configurable: true });
// In V8's order of Intl's own properties.
Object.defineProperty(IntlNamespace, "getCanonicalLocales", {
  value: function getCanonicalLocales(locales) {
    const seen = [];
    for (const { full } of canonicalizeLocaleList(locales)) if (seen.indexOf(full) < 0) seen.push(full);
    return seen;
  },
  writable: true, configurable: true,
});
installSupportedValuesOf(IntlNamespace);
installDateTimeFormat(IntlNamespace);
installDateTimeFormatRange();
installNumberFormat(IntlNamespace);
installCollator(IntlNamespace);
installPluralRules(IntlNamespace);
installRelativeTimeFormat(IntlNamespace);
installRelativeTimeFormatParts();
installListFormat(IntlNamespace);
installLocale(IntlNamespace);
installDisplayNames(IntlNamespace);
installSegmenter(IntlNamespace);
installCaseMapping();
Object.defineProperty(globalThis, "Intl", { value: IntlNamespace, writable: true, configurable: true, enumerable: false });
installWeb();
installErrorMessages();
installMathFixes();
installTypedArrayToLocaleString();

// V8's `length` for the built-ins written here whose parameter lists count differently
// (`(locales, options)` where V8 counts 0, `(...args)` where it counts the required ones).
// The engine's lockdown gives them V8's names and toString; lengths it cannot know.
function installV8Lengths() {
  const lengths = [
    [IntlNamespace, ["NumberFormat", "DateTimeFormat", "Collator", "PluralRules", "RelativeTimeFormat", "ListFormat"], 0],
    [Date.prototype, ["toLocaleString", "toLocaleDateString", "toLocaleTimeString"], 0],
    [Date.prototype, ["setDate", "setMilliseconds"], 1], [Date.prototype, ["setMonth", "setSeconds"], 2],
    [Date.prototype, ["setFullYear", "setMinutes"], 3], [Date.prototype, ["setHours"], 4],
    [Number.prototype, ["toLocaleString"], 0], [BigInt.prototype, ["toLocaleString"], 0],
    [String.prototype, ["toLocaleLowerCase", "toLocaleUpperCase"], 0], [String.prototype, ["localeCompare"], 1],
    [globalThis, ["structuredClone"], 0],
  ];
  for (const [owner, names, length] of lengths) {
    for (const name of names) {
      const fn = Object.getOwnPropertyDescriptor(owner, name)?.value;
      if (typeof fn === "function" && fn.length !== length) Object.defineProperty(fn, "length", { value: length });
    }
  }
}
installV8Lengths();
return compat;
