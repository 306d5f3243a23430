// Installs everything and returns compat(op, a, b, c), the engine's one handle on the layer:
//   compat("configure", locale, timeZone, nowMs)  before an invocation whose settings differ from
//                                                 the previous one's;
//   compat("clear")                               empties every cache (see boundedCache), after
//                                                 each event run with writable built-ins.

function configure(locale, timeZone, nowMs) {
  const tags = DATA.loc.tags;
  const tag = canonicalizeTag(String(locale)).tag;
  if (!hasOwn(tags, tag) && !hasOwn(tags, tag.split("-")[0])) throw new RangeError(`Unsupported locale: ${locale}`);
  const zone = resolveZone(String(timeZone));
  settings.locale = tag;
  settings.timeZone = zone.id;
  settings.zoneKey = zone.key;
  settings.nowMs = nowMs === null || nowMs === undefined ? null : timeClip(Number(nowMs));
}

function compat(op, a, b, c) {
  if (op === "configure") return configure(a, b, c);
  if (op === "clear") return clearCaches();
  throw new TypeError(`compat: unknown operation ${String(op)}`);
}

settings.zoneKey = "UTC";
installDate();
const IntlNamespace = {};
Object.defineProperty(IntlNamespace, Symbol.toStringTag, { value: "Intl", configurable: true });
installDateTimeFormat(IntlNamespace);
installNumberFormat(IntlNamespace);
installPluralRules(IntlNamespace);
installRelativeTimeFormat(IntlNamespace);
installCollator(IntlNamespace);
installListFormat(IntlNamespace);
installCaseMapping();
Object.defineProperty(IntlNamespace, "getCanonicalLocales", {
  value: function getCanonicalLocales(locales) {
    const seen = [];
    for (const { tag } of canonicalizeLocaleList(locales)) if (seen.indexOf(tag) < 0) seen.push(tag);
    return seen;
  },
  writable: true, configurable: true,
});
Object.defineProperty(globalThis, "Intl", { value: IntlNamespace, writable: true, configurable: true, enumerable: false });
installWeb();
installErrorMessages();
installMathFixes();
return compat;
