// The configured default locale is any shipped locale: ar-EG formats with Arabic-Indic digits.
// @settings {"locale": "ar-EG", "timeZone": "Africa/Cairo"}
// @samples payment.succeeded
function handler(webhook) {
  const when = new Date(Date.UTC(2025, 7, 23, 14, 5, 9));
  webhook.payload = {
    date: when.toLocaleString(),
    day: when.toLocaleDateString(undefined, { dateStyle: "full" }),
    amount: (1234567.891).toLocaleString(),
    money: new Intl.NumberFormat(undefined, { style: "currency", currency: "EGP" }).format(-1234.5),
    plural: [0, 1, 2, 3, 11, 100].map((n) => new Intl.PluralRules().select(n)),
    locale: new Intl.DateTimeFormat().resolvedOptions().locale,
    zone: new Intl.DateTimeFormat(undefined, { timeZoneName: "long" }).format(when),
    str: when.toString(),
  };
  return webhook;
}
