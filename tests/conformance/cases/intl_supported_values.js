// @samples payment.succeeded
// Intl.supportedValuesOf: V8's lists, and its errors; Intl's own properties in V8's order.
function handler(webhook) {
  const r = {};
  const t = (k, f) => { try { r[k] = f(); } catch (e) { r[k] = "!" + e.name + ": " + e.message; } };
  for (const key of ["calendar", "collation", "currency", "numberingSystem", "timeZone", "unit"]) {
    t(key, () => { const v = Intl.supportedValuesOf(key); return v.length + ": " + v.join(","); });
  }
  t("fresh", () => Intl.supportedValuesOf("unit") !== Intl.supportedValuesOf("unit"));
  t("includes", () => ["USD", "EUR", "XXX", "BTC", "usd"].map((c) => Intl.supportedValuesOf("currency").includes(c)).join());
  t("zones", () => ["America/New_York", "Asia/Calcutta", "Asia/Kolkata", "UTC", "Europe/Kiev", "Europe/Kyiv"].map((z) => Intl.supportedValuesOf("timeZone").includes(z)).join());
  for (const [k, v] of Object.entries({ bad: "foo", none: undefined, caps: "Currency", obj: { toString() { return "unit"; } } })) {
    t("arg:" + k, () => Intl.supportedValuesOf(v).length);
  }
  t("shape", () => [typeof Intl.supportedValuesOf, Intl.supportedValuesOf.name, Intl.supportedValuesOf.length,
    Object.getOwnPropertyNames(Intl).join(), Object.prototype.toString.call(Intl)].join(" "));
  webhook.payload = r;
  return webhook;
}
