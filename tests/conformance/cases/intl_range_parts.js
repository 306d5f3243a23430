// @samples payment.succeeded
// formatRangeToParts: the source of each part (shared, startRange, endRange), a range that
// formats as one date, and argument errors.
function handler(webhook) {
  const r = {};
  const t = (k, f) => { try { r[k] = f(); } catch (e) { r[k] = "!" + e.name + ": " + e.message; } };
  const a = Date.UTC(2024, 0, 5, 10, 30), b = Date.UTC(2024, 0, 7, 9), c = Date.UTC(2024, 0, 5, 14, 45), d = Date.UTC(2024, 0, 5, 10, 50);
  const show = (parts) => parts.map((p) => p.type + "=" + JSON.stringify(p.value) + "@" + p.source).join(" ");
  for (const [loc, o] of [["en-US", { month: "short", day: "numeric" }], ["en-US", { dateStyle: "medium", timeStyle: "short" }],
    ["en-US", undefined], ["de-DE", undefined], ["de-DE", { dateStyle: "long" }], ["fr-FR", { timeStyle: "short" }],
    ["ja-JP", { dateStyle: "medium" }], ["en-GB", { hour: "numeric", minute: "2-digit" }], ["es-ES", { year: "numeric", month: "long" }]]) {
    const f = new Intl.DateTimeFormat(loc, Object.assign({ timeZone: "UTC" }, o));
    for (const [k, end] of Object.entries({ b, c, d, a })) t(loc + JSON.stringify(o || {}) + "|" + k, () => show(f.formatRangeToParts(a, end)));
  }
  const f = new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", timeZone: "UTC" });
  for (const [k, fn] of Object.entries({
    one: () => f.formatRange(a), none: () => f.formatRange(), fn: () => f.formatRange(() => 1, a), nan: () => f.formatRange(NaN, a),
    reversed: () => f.formatRange(b, a), recv: () => Intl.DateTimeFormat.prototype.formatRange.call({}, a, a),
    str: () => f.formatRange(new Date(a), "2024-01-09"), undef: () => f.formatRange(undefined, a), partsUndef: () => f.formatRangeToParts(a, undefined),
    dates: () => f.formatRange(new Date(a), new Date(b)), big: () => f.formatRange(a, 8.64e15 + 1), recvParts: () => Intl.DateTimeFormat.prototype.formatRangeToParts.call(1, a, b),
  })) t("err:" + k, fn);
  t("shape", () => [Intl.DateTimeFormat.prototype.formatRange.length, Intl.DateTimeFormat.prototype.formatRange.name,
    Intl.DateTimeFormat.prototype.formatRangeToParts.length, Intl.DateTimeFormat.prototype.formatRangeToParts.name].join());
  webhook.payload = r;
  return webhook;
}
