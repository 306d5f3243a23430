// Dates, numbers, currency, plurals, relative times and lists in 48 locales across scripts and
// numbering systems (Arabic-Indic, extended Arabic-Indic, Bengali and Devanagari digits among them); every
// locale but the default is fetched on first use, so the first event runs twice in the engine.
// @samples payment.succeeded dispute.opened
function handler(webhook) {
  const locales = ["ar-EG", "ar", "ar-SA", "ru-RU", "sr-RS", "sr-Latn", "id", "bn", "mr", "ne", "ps-PK", "hi",
    "ta", "te", "ur", "vi", "tr", "uk", "el", "pa", "ka", "hy", "km", "lo", "si", "am", "sw", "zu", "af",
    "cs", "sk", "hu", "ro", "bg", "hr", "lt", "lv", "et", "fi", "da", "nb", "is", "ga", "cy", "eu", "ca",
    "de-LU", "kk"];
  const when = new Date(Date.parse(webhook.timestamp) || 1754285445000);
  const amount = (webhook.payload && webhook.payload.data && webhook.payload.data.amount) || 123456;
  const out = {};
  for (const tag of locales) {
    const plural = new Intl.PluralRules(tag);
    const rtf = new Intl.RelativeTimeFormat(tag, { numeric: "auto" });
    out[tag] = [
      when.toLocaleString(tag, { timeZone: "UTC" }),
      new Intl.DateTimeFormat(tag, { dateStyle: "long", timeStyle: "short", timeZone: "Europe/Moscow" }).format(when),
      new Intl.DateTimeFormat(tag, { weekday: "long", month: "short", day: "numeric", timeZone: "Asia/Kolkata" }).format(when),
      (amount / 100).toLocaleString(tag),
      new Intl.NumberFormat(tag, { style: "currency", currency: "EUR" }).format(amount / 100),
      new Intl.NumberFormat(tag, { style: "currency", currency: "RUB", currencyDisplay: "name" }).format(-amount / 1000),
      new Intl.NumberFormat(tag, { style: "percent" }).format(0.256),
      new Intl.NumberFormat(tag, { notation: "compact" }).format(amount * 10),
      [0, 1, 2, 3, 5, 11, 22, 101, 1.5].map((n) => plural.select(n)).join(" "),
      [rtf.format(-1, "day"), rtf.format(2, "week"), rtf.format(-3, "hour")].join(" | "),
      new Intl.ListFormat(tag).format(["Anna", "Ben", "Chloé"]),
      [new Intl.NumberFormat(tag).resolvedOptions().locale, new Intl.NumberFormat(tag).resolvedOptions().numberingSystem,
        new Intl.PluralRules(tag).resolvedOptions().locale].join(" "),
    ];
  }
  webhook.payload = out;
  return webhook;
}
