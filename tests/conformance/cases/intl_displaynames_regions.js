// @samples payment.succeeded
// Intl.DisplayNames of regions in several locales and styles (country lists of checkout forms).
function handler(webhook) {
  const r = {};
  const t = (k, f) => { try { r[k] = f(); } catch (e) { r[k] = "!" + e.name + ": " + e.message; } };
  const codes = ["US", "GB", "DE", "FR", "ES", "IT", "NL", "BE", "CH", "AT", "SE", "NO", "DK", "FI", "PL", "CZ", "IE", "PT", "GR",
    "TR", "RU", "UA", "CN", "JP", "KR", "IN", "BR", "MX", "AR", "CA", "AU", "NZ", "ZA", "NG", "EG", "AE", "SA", "IL", "HK", "MO",
    "TW", "SG", "PS", "XK", "CI", "CD", "CG", "MM", "MK", "SZ", "CV", "TL", "VA", "BA", "UN", "EU", "EZ", "419", "001", "150",
    "002", "ZZ", "QO", "AQ", "aq", "us"];
  for (const loc of ["en", "en-GB", "de", "fr", "es", "es-MX", "pt-BR", "it", "nl", "ja", "zh", "ko", "sv", "pl"]) {
    for (const style of ["long", "short"]) {
      t(loc + "|" + style, () => { const d = new Intl.DisplayNames(loc, { type: "region", style }); return codes.map((c) => d.of(c)).join("; "); });
    }
  }
  t("narrow", () => { const d = new Intl.DisplayNames("en", { type: "region", style: "narrow" }); return ["US", "GB", "BA"].map((c) => d.of(c)).join(); });
  t("none", () => { const d = new Intl.DisplayNames("en", { type: "region", fallback: "none" }); return ["QO", "US", "us", "AA"].map((c) => String(d.of(c))).join(); });
  t("sortedByName", () => { const d = new Intl.DisplayNames("de", { type: "region" }); return ["DE", "AT", "CH", "US", "GB", "FR"].map((c) => d.of(c)).sort((a, b) => a.localeCompare(b, "de")).join(); });
  webhook.payload = r;
  return webhook;
}
