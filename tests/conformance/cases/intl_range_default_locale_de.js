// @samples payment.succeeded
// @settings {"locale": "de-DE", "timeZone": "Europe/Berlin"}
// formatRange with the default locale and zone: a booking period in a German confirmation.
function handler(webhook) {
  const r = {};
  const t = (k, f) => { try { r[k] = f(); } catch (e) { r[k] = "!" + e.name + ": " + e.message; } };
  const from = new Date(Date.UTC(2024, 6, 29, 7, 0)), to = new Date(Date.UTC(2024, 7, 2, 15, 30));
  t("default", () => new Intl.DateTimeFormat().formatRange(from, to));
  t("long", () => new Intl.DateTimeFormat(undefined, { dateStyle: "long" }).formatRange(from, to));
  t("times", () => new Intl.DateTimeFormat(undefined, { timeStyle: "short" }).formatRange(from, new Date(Date.UTC(2024, 6, 29, 9, 15))));
  t("full", () => new Intl.DateTimeFormat(undefined, { dateStyle: "full", timeStyle: "short" }).formatRange(from, to));
  t("parts", () => new Intl.DateTimeFormat(undefined, { day: "numeric", month: "long" }).formatRangeToParts(from, to).map((p) => p.source[0] + p.value).join(""));
  t("en", () => new Intl.DateTimeFormat("en", { dateStyle: "medium" }).formatRange(from, to));
  webhook.payload = r;
  return webhook;
}
