// @samples payment.succeeded
// Intl.DateTimeFormat.prototype.formatRange over CLDR intervalFormats: same day, days, months,
// years; styles and field options; several locales.
function handler(webhook) {
  const r = {};
  const t = (k, f) => { try { r[k] = f(); } catch (e) { r[k] = "!" + e.name + ": " + e.message; } };
  const a = Date.UTC(2024, 0, 5, 10, 30);
  const ends = { same: a, minutes: Date.UTC(2024, 0, 5, 10, 50), pm: Date.UTC(2024, 0, 5, 14, 45), day: Date.UTC(2024, 0, 7, 9),
    month: Date.UTC(2024, 2, 3, 9), year: Date.UTC(2025, 1, 3, 9), seconds: Date.UTC(2024, 0, 5, 10, 30, 20), before: Date.UTC(2023, 11, 31, 23) };
  const opts = [undefined, { dateStyle: "medium" }, { dateStyle: "long" }, { dateStyle: "full" }, { dateStyle: "short" }, { timeStyle: "short" },
    { timeStyle: "medium" }, { dateStyle: "medium", timeStyle: "short" }, { dateStyle: "long", timeStyle: "medium" }, { month: "short", day: "numeric" },
    { year: "numeric", month: "long" }, { hour: "numeric", minute: "2-digit" }, { weekday: "short", month: "short", day: "numeric" },
    { year: "numeric", month: "short", day: "numeric", hour: "numeric", minute: "2-digit" }, { hour: "2-digit", minute: "2-digit", hour12: false },
    { month: "long" }, { year: "numeric" }, { day: "numeric" }, { month: "numeric", day: "numeric" }, { hour: "numeric" },
    { month: "2-digit", day: "2-digit", year: "numeric" }, { hour: "numeric", minute: "2-digit", hourCycle: "h11" }, { weekday: "long" },
    { year: "2-digit", month: "short" }, { hour: "numeric", minute: "2-digit", second: "2-digit" }, { month: "short", day: "numeric", hour: "numeric" }];
  for (const loc of ["ja-JP", "pt-BR", "nl-NL", "zh-CN", "sv-SE", "it-IT", "ko-KR", "pl-PL"]) {
    opts.forEach((o, i) => {
      t(loc + "|" + i, () => {
        const f = new Intl.DateTimeFormat(loc, Object.assign({ timeZone: "UTC" }, o));
        return Object.values(ends).map((b) => f.formatRange(a, b)).join(" ¦ ");
      });
    });
  }
  t("zone", () => new Intl.DateTimeFormat("en-US", { timeZone: "America/New_York", dateStyle: "medium", timeStyle: "short" }).formatRange(Date.UTC(2024, 2, 10, 5), Date.UTC(2024, 2, 10, 8)));
  t("zoneName", () => new Intl.DateTimeFormat("en-US", { timeZone: "Europe/Berlin", hour: "numeric", minute: "2-digit", timeZoneName: "short" }).formatRange(a, ends.pm));
  webhook.payload = r;
  return webhook;
}
