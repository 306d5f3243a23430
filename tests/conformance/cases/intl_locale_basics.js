// @samples payment.succeeded
// Intl.Locale: construction, options, getters, maximize/minimize, errors and the object's shape.
function handler(webhook) {
  const r = {};
  const t = (k, f) => { try { r[k] = f(); } catch (e) { r[k] = "!" + e.name + ": " + e.message; } };
  const L = (...a) => new Intl.Locale(...a);
  const getters = (l) => [l.toString(), l.baseName, l.language, l.script, l.region, l.calendar, l.collation, l.hourCycle,
    l.caseFirst, l.numeric, l.numberingSystem].map(String).join("|");
  for (const tag of ["en", "en-US", "EN-latn-us", "zh-Hant-TW", "sr-Cyrl-RS", "de-DE-u-co-phonebk", "ja-JP-u-ca-japanese-hc-h23",
    "en-u-kn-true-kf-upper", "en-u-nu-arab-ca-buddhist", "es-419", "und", "und-DE", "fr-CA-x-private", "de-1996-1901",
    "en-a-foo-u-ca-gregory", "pt-BR-u-kn", "en-US-u-va-posix", "zh-u-co-pinyin"]) t("g:" + tag, () => getters(L(tag)));
  t("opts", () => getters(L("en", { region: "GB", script: "Latn", calendar: "buddhist", collation: "phonebk", hourCycle: "h12",
    caseFirst: "upper", numeric: true, numberingSystem: "arab" })));
  t("opts2", () => getters(L("ja-JP-u-ca-japanese", { calendar: "gregory", hourCycle: "h23", numeric: false })));
  t("opts3", () => getters(L("de", { language: "fr", region: "ch" })));
  t("fromLocale", () => getters(L(L("ko-KR"), { hourCycle: "h11" })));
  t("fromObject", () => getters(L({ toString() { return "it-IT"; } })));
  for (const tag of ["en", "en-US", "zh", "zh-TW", "zh-Hant", "zh-Hans-CN", "sr", "sr-Latn", "und", "und-DE", "und-Cyrl", "de-AT",
    "pt", "es-MX", "ar", "hi", "ru", "ja", "ko", "en-GB-u-ca-gregory", "fil", "nb", "no", "he", "fa", "uz-Arab", "az-Cyrl",
    "ms-Arab", "pa-PK", "yue", "und-419", "und-Arab", "und-Hant-HK", "en-Latn-US-posix"]) {
    t("max:" + tag, () => L(tag).maximize().toString());
    t("min:" + tag, () => L(tag).minimize().toString());
  }
  for (const [k, f] of Object.entries({
    noarg: () => L(), num: () => L(5), nul: () => L(null), empty: () => L(""), bad: () => L("en-"), bad2: () => L("en_US"),
    call: () => Intl.Locale("en"), badRegion: () => L("en", { region: "G" }), badHc: () => L("en", { hourCycle: "h25" }),
    badCal: () => L("en", { calendar: "x" }), badLang: () => L("en", { language: "1" }), badCf: () => L("en", { caseFirst: "no" }),
    badScript: () => L("en", { script: "Lat" }), grandfathered: () => L("i-klingon"), dupVariant: () => L("de-1996-1996"),
    dupSingleton: () => L("en-u-ca-x-a-u-nu-latn"), extlang: () => L("zh-cmn-Hans"), nullOpts: () => L("en", null),
    recvMax: () => Intl.Locale.prototype.maximize.call({}), recvGet: () => Object.getOwnPropertyDescriptor(Intl.Locale.prototype, "language").get.call(1),
    recvStr: () => Intl.Locale.prototype.toString.call("en"),
  })) t("err:" + k, f);
  const l = L("en-US");
  t("shape", () => [typeof Intl.Locale, Intl.Locale.name, Intl.Locale.length, Object.prototype.toString.call(l), String(l),
    JSON.stringify(l), Object.keys(l).length, l instanceof Intl.Locale, l.maximize() instanceof Intl.Locale,
    Object.getOwnPropertyNames(Intl.Locale).join(), Object.getOwnPropertyNames(Intl.Locale.prototype).join(),
    Intl.Locale.prototype[Symbol.toStringTag], "supportedLocalesOf" in Intl.Locale].join(" "));
  t("members", () => Object.getOwnPropertyNames(Intl.Locale.prototype).map((n) => {
    const v = n === "constructor" || n === "toString" || n === "maximize" || n === "minimize" ? Intl.Locale.prototype[n] : null;
    return n + (v ? ":" + typeof v + " " + v.name + "/" + v.length : "");
  }).join(", "));
  t("subclass", () => { class My extends Intl.Locale {} const m = new My("fr"); return [m instanceof My, m.language, m.maximize() instanceof My].join(); });
  t("asArgument", () => [new Intl.DateTimeFormat(L("de-AT")).resolvedOptions().locale, Intl.getCanonicalLocales(L("EN-us"))].join());
  webhook.payload = r;
  return webhook;
}
