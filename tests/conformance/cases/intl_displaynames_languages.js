// @samples payment.succeeded
// Intl.DisplayNames of languages: dialect names, languageDisplay, styles, fallback, canonicalization.
function handler(webhook) {
  const r = {};
  const t = (k, f) => { try { r[k] = f(); } catch (e) { r[k] = "!" + e.name + ": " + e.message; } };
  const codes = ["en", "en-US", "en-GB", "en-AU", "en-CA", "en-IN", "fr", "fr-CA", "fr-CH", "de", "de-AT", "de-CH", "es", "es-ES",
    "es-MX", "es-419", "es-US", "pt", "pt-BR", "pt-PT", "it", "nl", "nl-BE", "zh", "zh-Hans", "zh-Hant", "zh-TW", "zh-Hans-CN",
    "zh-Hant-HK", "ja", "ko", "ar", "ar-001", "ar-EG", "he", "iw", "hi", "ru", "uk", "pl", "sv", "da", "nb", "no", "fi", "tr",
    "sr-Latn", "sr-Cyrl-ME", "yue", "xx", "qaa", "und", "und-US", "en-Latn-US", "en-US-posix", "en-u-ca-buddhist", "zh-cmn",
    "i-klingon", "sgn-BR", "de-1996", "ca-ES-valencia", "en-GB-oxendict", "sl-rozaj-biske", "my-MM", "", "root", "EN", "mo"];
  for (const loc of ["en", "de", "fr", "es", "ja", "zh", "pt-BR", "it"]) {
    for (const [style, languageDisplay] of [["long", "dialect"], ["short", "dialect"], ["long", "standard"], ["short", "standard"]]) {
      t(loc + "|" + style + "|" + languageDisplay, () => {
        const d = new Intl.DisplayNames(loc, { type: "language", style, languageDisplay });
        return codes.map((c) => { try { return d.of(c); } catch (e) { return e.name; } }).join("; ");
      });
    }
  }
  t("none", () => { const d = new Intl.DisplayNames("en", { type: "language", fallback: "none" }); return ["xx", "en-XX", "en-Qaaa", "en-US", "und"].map((c) => String(d.of(c))).join(); });
  t("bad", () => ["en_US", "123", "en-", "en--US", "abcdefghi", "en-US-US", "en-u"].map((c) => { try { return new Intl.DisplayNames("en", { type: "language" }).of(c); } catch (e) { return e.name + ": " + e.message; } }).join("; "));
  webhook.payload = r;
  return webhook;
}
