// @samples payment.succeeded
// Intl.DisplayNames of scripts, currencies, calendars and date-time fields; resolvedOptions,
// option errors and the constructor's shape.
function handler(webhook) {
  const r = {};
  const t = (k, f) => { try { r[k] = f(); } catch (e) { r[k] = "!" + e.name + ": " + e.message; } };
  const of = (loc, type, style, codes, fallback) => {
    const d = new Intl.DisplayNames(loc, { type, style, fallback });
    return codes.map((c) => { try { return String(d.of(c)); } catch (e) { return e.name; } }).join("; ");
  };
  const scripts = ["Latn", "Cyrl", "Hans", "Hant", "Arab", "Hebr", "Deva", "Grek", "Jpan", "Kore", "Zzzz", "Qaaa", "Zxxx", "Zsye", "Cans", "latn", "Lat"];
  const currencies = ["USD", "EUR", "GBP", "JPY", "CHF", "CNY", "INR", "BRL", "MXN", "SEK", "PLN", "XXX", "XAU", "BTC", "usd", "US", "ABC"];
  const calendars = ["gregory", "buddhist", "japanese", "islamic", "islamic-civil", "islamic-umalqura", "iso8601", "roc", "chinese",
    "hebrew", "persian", "indian", "ethioaa", "islamicc", "foo", "gregorian"];
  const fields = ["era", "year", "quarter", "month", "weekOfYear", "weekday", "day", "dayPeriod", "hour", "minute", "second", "timeZoneName", "week"];
  for (const loc of ["en", "de", "fr", "es", "ja", "zh", "pt", "nl", "sv", "pl", "ko", "it"]) {
    for (const style of ["long", "short", "narrow"]) {
      t(loc + "|script|" + style, () => of(loc, "script", style, scripts));
      t(loc + "|currency|" + style, () => of(loc, "currency", style, currencies));
      t(loc + "|calendar|" + style, () => of(loc, "calendar", style, calendars));
      t(loc + "|field|" + style, () => of(loc, "dateTimeField", style, fields));
    }
  }
  t("none", () => [of("en", "script", "long", ["Qaaa", "Latn"], "none"), of("en", "currency", "long", ["XXA", "USD"], "none"), of("en", "calendar", "long", ["foo", "roc"], "none")].join(" / "));
  const D = (l, o) => new Intl.DisplayNames(l, o);
  for (const [k, f] of Object.entries({
    noargs: () => new Intl.DisplayNames(), notype: () => D("en"), emptyOpts: () => D("en", {}), call: () => Intl.DisplayNames("en", { type: "region" }),
    badType: () => D("en", { type: "foo" }), badStyle: () => D("en", { type: "region", style: "x" }), badFallback: () => D("en", { type: "region", fallback: "x" }),
    badDisplay: () => D("en", { type: "language", languageDisplay: "x" }), nullOpts: () => D("en", null), strOpts: () => D("en", "region"),
    ofNoArg: () => D("en", { type: "region" }).of(), ofNum: () => D("en", { type: "region" }).of(1), recv: () => Intl.DisplayNames.prototype.of.call({}, "US"),
    recvRo: () => Intl.DisplayNames.prototype.resolvedOptions.call(1),
  })) t("err:" + k, f);
  t("resolved", () => ["language", "region", "script", "currency", "calendar", "dateTimeField"].map((type) => JSON.stringify(D("de-AT-u-ca-buddhist", { type, style: "short", languageDisplay: "standard", fallback: "none" }).resolvedOptions())).join(" "));
  t("resolvedDefault", () => JSON.stringify([D("xx", { type: "region" }).resolvedOptions(), D(["xx", "fr-CA"], { type: "language" }).resolvedOptions()]));
  t("order", () => { const log = []; const p = new Proxy({}, { get(o, k) { log.push(String(k)); return k === "type" ? "region" : undefined; } }); D("en", p); return log.join(); });
  t("shape", () => [typeof Intl.DisplayNames, Intl.DisplayNames.name, Intl.DisplayNames.length, Object.getOwnPropertyNames(Intl.DisplayNames).join(),
    Object.getOwnPropertyNames(Intl.DisplayNames.prototype).join(), Intl.DisplayNames.prototype.of.length, Intl.DisplayNames.prototype.of.name,
    Object.prototype.toString.call(D("en", { type: "region" })), Intl.DisplayNames.supportedLocalesOf(["en", "fr", "xx", "de-AT"]).join()].join(" "));
  webhook.payload = r;
  return webhook;
}
