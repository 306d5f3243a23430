// Locale resolution as V8 does it: regions ICU has (de-LU) and those it has not (de-ZZ → de),
// script-less forms (zh-TW, sr-ME), aliases (iw → he), unknown languages (→ the default), -u-nu-
// keywords and the numberingSystem option, per service.
function handler(webhook) {
  const tags = ["de-LU", "de-ZZ", "de-Latn-DE", "zh-TW", "zh-HK", "sr-ME", "sr-Latn-RS", "iw", "tl", "sh", "xx",
    "xx-YY", "en-ZZ", "es-419", "pt-AO", "en-US-x-private", "en-u-nu-arab", "ar-EG-u-nu-latn", "lo-LA-u-nu-laoo", "my",
    "hi-u-nu-deva", "en-u-nu-roman", "de-DE-1996", "ks-IN", "ur-IN", "uz-Cyrl"];
  const services = ["DateTimeFormat", "NumberFormat", "PluralRules", "RelativeTimeFormat", "ListFormat", "Collator"];
  const out = {};
  for (const tag of tags) {
    out[tag] = services.map((s) => new Intl[s](tag).resolvedOptions().locale + "/" + Intl[s].supportedLocalesOf([tag, "xx"]).join(","));
    out[tag].push(new Intl.NumberFormat(tag).format(-1234.5), new Date(0).toLocaleDateString(tag, { timeZone: "UTC" }));
  }
  out.canonical = Intl.getCanonicalLocales(["IW", "en-u-nu-ARAB", "zh-hant-tw", "sh"]);
  out.option = [
    new Intl.NumberFormat("en", { numberingSystem: "arab" }).format(1234.5),
    new Intl.NumberFormat("en-u-nu-thai", { numberingSystem: "arab" }).resolvedOptions().locale,
    new Intl.NumberFormat("en-u-nu-thai", { numberingSystem: "thai" }).resolvedOptions().locale,
    new Intl.NumberFormat("en", { numberingSystem: "roman" }).resolvedOptions().numberingSystem,
    new Intl.DateTimeFormat("en", { numberingSystem: "beng", timeZone: "UTC" }).format(0),
    new Intl.RelativeTimeFormat("en", { numberingSystem: "deva" }).format(12, "day"),
  ];
  webhook.payload = out;
  return webhook;
}
