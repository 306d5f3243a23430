// @samples payment.succeeded
// Intl.RelativeTimeFormat.prototype.formatToParts: numeric parts with their unit, literals,
// numeric: "auto" phrases, several locales and styles, errors.
function handler(webhook) {
  const r = {};
  const t = (k, f) => { try { r[k] = f(); } catch (e) { r[k] = "!" + e.name + ": " + e.message; } };
  const show = (parts) => parts.map((p) => p.type + "=" + JSON.stringify(p.value) + (p.unit ? "/" + p.unit : "")).join(" ");
  const values = [-1, 0, 1, 2, -3, 100, -1234.5, 1e6, -0, 0.5, 21];
  for (const loc of ["en", "de", "fr", "es", "ja", "pt-BR", "it", "nl", "pl", "sv", "ko", "zh"]) {
    for (const [style, numeric] of [["long", "always"], ["long", "auto"], ["short", "auto"], ["narrow", "always"]]) {
      const f = new Intl.RelativeTimeFormat(loc, { style, numeric });
      for (const unit of ["second", "minute", "hours", "day", "week", "month", "quarter", "years"]) {
        t(`${loc}|${style}|${numeric}|${unit}`, () => values.map((v) => show(f.formatToParts(v, unit))).join(" ; "));
      }
    }
  }
  const f = new Intl.RelativeTimeFormat("en");
  for (const [k, fn] of Object.entries({
    unit: () => f.formatToParts(1, "foo"), inf: () => f.formatToParts(Infinity, "day"), nan: () => f.formatToParts("x", "day"),
    recv: () => Intl.RelativeTimeFormat.prototype.formatToParts.call({}, 1, "day"), str: () => show(f.formatToParts("3", "day")),
  })) t("err:" + k, fn);
  t("shape", () => [Intl.RelativeTimeFormat.prototype.formatToParts.length, Intl.RelativeTimeFormat.prototype.formatToParts.name,
    f.formatToParts(1, "day").map((p) => Object.keys(p).join("+")).join()].join(" "));
  webhook.payload = r;
  return webhook;
}
