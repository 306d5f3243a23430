// @samples payment.succeeded
// Intl.Locale info getters (V8 11): calendars, collations, hourCycles, numberingSystems,
// textInfo, timeZones and weekInfo, for the locales handlers meet.
function handler(webhook) {
  const r = {};
  const t = (k, f) => { try { r[k] = f(); } catch (e) { r[k] = "!" + e.name + ": " + e.message; } };
  for (const tag of ["en", "en-US", "en-GB", "en-IN", "en-AU", "en-CA", "de", "de-AT", "de-CH", "fr", "fr-CA",
    "es", "es-MX", "es-419", "pt-BR", "pt-PT", "it", "nl", "sv", "fi", "da", "nb", "pl", "cs", "tr", "ru", "uk", "ar", "ar-EG",
    "ar-SA", "ar-MA", "he", "fa", "ur", "hi", "bn", "th", "vi", "id", "ja", "ja-JP", "ko", "zh", "zh-TW", "zh-HK", "zh-Hant",
    "sw", "am", "und", "en-u-hc-h23", "en-u-fw-mon", "en-u-ca-japanese", "en-u-nu-thai", "ar-u-nu-latn", "en-u-co-phonebk",
    "my", "ne", "mr", "ps", "ckb", "sd-IN"]) {
    t(tag, () => {
      const l = new Intl.Locale(tag);
      return [l.calendars.join(), l.collations.join(), l.hourCycles.join(), l.numberingSystems.join(), l.textInfo.direction,
        JSON.stringify(l.weekInfo), l.timeZones === undefined ? "-" : l.timeZones.length + ":" + l.timeZones.slice(0, 6).join()].join(" | ");
    });
  }
  t("usZones", () => new Intl.Locale("en-US").timeZones.join());
  t("objects", () => { const l = new Intl.Locale("de-DE"); return [l.weekInfo !== l.weekInfo, l.calendars !== l.calendars, Array.isArray(l.hourCycles), Object.keys(l.textInfo).join(), Object.keys(l.weekInfo).join()].join(); });
  webhook.payload = r;
  return webhook;
}
