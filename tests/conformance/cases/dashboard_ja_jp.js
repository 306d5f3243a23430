function handler(webhook) {
  const t = new Date(webhook.payload.timestamp);
  webhook.payload = {
    date: t.toLocaleDateString("ja-JP"), full: t.toLocaleString("ja-JP", { timeZone: "Asia/Tokyo" }),
    long: t.toLocaleDateString("ja-JP", { year: "numeric", month: "long", day: "numeric", weekday: "short" }),
    yen: (12345.6).toLocaleString("ja-JP", { style: "currency", currency: "JPY" }),
    man: new Intl.NumberFormat("ja-JP", { notation: "compact" }).format(123456789),
  };
  return webhook;
}
